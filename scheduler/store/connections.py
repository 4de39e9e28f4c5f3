"""``Connections``: which network endpoints can't be reached, since when, and when each is
checked next — kept in the store, so that ``tick`` from cron, a daemon and several daemons on
one PostgreSQL share one view of the outage and one check a minute between them.

Each change is one guarded statement: the call that turns an endpoint offline (``lost``) or
back (``back``) is the one that logs it, so an outage is one line when it starts and one when
it ends, whoever noticed; ``take_check`` hands the next check to one process only.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from scheduler.store.tables import Connection

Sessions = Callable[[], AbstractContextManager[Session]]


class Connections:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def offline(self) -> dict[str, Connection]:
        """The endpoints that can't be reached now, by key."""
        with self._sessions() as session:
            query = select(Connection).where(col(Connection.offline_since).is_not(None))
            return {c.endpoint: c for c in session.exec(query)}

    def lost(self, key: str, name: str, now: datetime, why: str, check_at: datetime) -> bool:
        """Record that ``key`` can't be reached since ``now``; True for the call that turned
        it offline (the one that says so in the log), False when it already was."""
        values: dict[str, Any] = {
            "offline_since": now,
            "next_check_at": check_at,
            "reason": why,
            "name": name,
        }
        with self._sessions() as session:
            result = session.execute(
                update(Connection)
                .where(col(Connection.endpoint) == key, col(Connection.offline_since).is_(None))
                .values(**values)
            )
            if result.rowcount:  # type: ignore[attr-defined]
                session.commit()
                return True
            if session.get(Connection, key) is not None:
                return False  # already offline: another run said so first
            session.add(Connection(endpoint=key, **values))
            try:
                session.commit()
            except IntegrityError:
                return False  # another process inserted it meanwhile
            return True

    def back(self, key: str) -> Connection | None:
        """``key`` answers again: the outage that ended (for the log line), or None when it
        was not offline or another run ended it first."""
        with self._sessions() as session:
            outage = session.get(Connection, key)
            if outage is None or outage.offline_since is None:
                return None
            ended = Connection.model_validate(outage.model_dump())
            result = session.execute(
                update(Connection)
                .where(
                    col(Connection.endpoint) == key,
                    col(Connection.offline_since) == outage.offline_since,
                )
                .values(offline_since=None, next_check_at=None, reason=None)
            )
            session.commit()
            return ended if result.rowcount else None  # type: ignore[attr-defined]

    def take_check(self, key: str, now: datetime, interval: timedelta) -> bool:
        """This run checks ``key`` now (its check was due); the next check is ``interval``
        later, for every process. False when it isn't offline or isn't due yet."""
        with self._sessions() as session:
            result = session.execute(
                update(Connection)
                .where(
                    col(Connection.endpoint) == key,
                    col(Connection.offline_since).is_not(None),
                    or_(
                        col(Connection.next_check_at).is_(None),
                        col(Connection.next_check_at) <= now,
                    ),
                )
                .values(next_check_at=now + interval)
            )
            session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def still_lost(self, key: str, why: str) -> None:
        """A check found it still unreachable: keep the latest reason for the history."""
        with self._sessions() as session:
            session.execute(
                update(Connection).where(col(Connection.endpoint) == key).values(reason=why)
            )
            session.commit()
