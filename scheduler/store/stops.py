"""``Stops``: the emergency stops people issue, kept as history (never deleted), one call each.

A stop is issued (replacing its target's stop in force in the same transaction, so that no
moment falls between the two when posts could go out), lifted, read, and noted once per line
the engine logs of it. Whether a stop is in force is worked out from the moments it keeps, so
a stop with ``until`` ends by itself without anyone writing to it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from scheduler.store.tables import Stop

Sessions = Callable[[], AbstractContextManager[Session]]


def _target(account: str | None) -> Any:
    """The stops of ``account`` itself (of every account at once, when None)."""
    return col(Stop.account).is_(None) if account is None else col(Stop.account) == account


def _not_ended(now: datetime) -> list[Any]:
    return [
        or_(col(Stop.lifted_at).is_(None), col(Stop.lifted_at) > now),
        or_(col(Stop.until).is_(None), col(Stop.until) > now),
    ]


class Stops:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(
        self, account: str | None, by: str, reason: str, now: datetime, until: datetime | None
    ) -> tuple[Stop, list[Stop]]:
        """Stop ``account`` (every account, when None) from ``now``: the new stop, and the
        stops of the same target it replaces (lifted by ``by`` at ``now``)."""
        with self._sessions() as session:
            replaced = _lift(session, account, by, now)
            stop = Stop(account=account, reason=reason, stopped_by=by, since=now, until=until)
            session.add(stop)
            session.commit()
            return stop, replaced

    def lift(self, account: str | None, by: str, now: datetime) -> list[Stop]:
        """Lift the stops of ``account`` (of every account, when None) that have not ended;
        the ones this call lifted (none: it was not stopped)."""
        with self._sessions() as session:
            lifted = _lift(session, account, by, now)
            session.commit()
            return lifted

    def in_force(self, account: str, now: datetime) -> Stop | None:
        """The earliest stop of ``account``, or of every account, in force at ``now``."""
        with self._sessions() as session:
            query = select(Stop).where(
                or_(_target(None), _target(account)), col(Stop.since) <= now, *_not_ended(now)
            )
            return session.exec(query.order_by(col(Stop.since), col(Stop.id))).first()

    def recent(self, ended_after: datetime | None = None) -> list[Stop]:
        """Every stop, or those still in force at ``ended_after`` or later, oldest first."""
        with self._sessions() as session:
            query = select(Stop)
            if ended_after is not None:
                query = query.where(
                    or_(col(Stop.lifted_at).is_(None), col(Stop.lifted_at) >= ended_after),
                    or_(col(Stop.until).is_(None), col(Stop.until) >= ended_after),
                )
            return list(session.exec(query.order_by(col(Stop.since), col(Stop.id))))

    def note(self, stop_id: int, was: str | None, logged: str) -> bool:
        """Record that the engine logged ``logged`` of a stop; False when another run (or
        another daemon) already did, so that each line is written once."""
        before = col(Stop.logged).is_(None) if was is None else col(Stop.logged) == was
        with self._sessions() as session:
            result = session.execute(
                update(Stop).where(col(Stop.id) == stop_id, before).values(logged=logged)
            )
            session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]


def _lift(session: Session, account: str | None, by: str, now: datetime) -> list[Stop]:
    """Lift the target's stops that have not ended, each with a guarded UPDATE: two people
    resuming at once both succeed, but only one of them is named as having lifted it."""
    candidates = session.exec(select(Stop.id).where(_target(account), *_not_ended(now))).all()
    lifted = []
    for stop_id in candidates:
        result = session.execute(
            update(Stop)
            .where(col(Stop.id) == stop_id, col(Stop.lifted_at).is_(None))
            .values(lifted_at=now, lifted_by=by)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            lifted.append(stop_id)
    if not lifted:
        return []
    query = select(Stop).where(col(Stop.id).in_(lifted)).order_by(col(Stop.since))
    return list(session.exec(query.execution_options(populate_existing=True)))
