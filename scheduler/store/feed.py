"""``FeedEvents``: what the iCalendar feed last emitted of each event, kept in the store so that
every generation of the feed, on any machine sharing the database, numbers an event's
changes the same way.

One row per event UID (``feed_events``): the digest of its content, its SEQUENCE, and when
that content was first emitted. ``record`` writes each new or changed row with one upsert
(SQLite and PostgreSQL both have ``INSERT … ON CONFLICT DO UPDATE``), so two generations at
the same moment both succeed and neither fails on the other's row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from scheduler.store.tables import FeedEvent

Sessions = Callable[[], AbstractContextManager[Session]]
_CHUNK = 500  # uids per IN (...): well under SQLite's limit on bound parameters


class Emitted(Protocol):
    """What the feed emitted of an event: a ``FeedEvent`` or the feed's own record of it."""

    @property
    def uid(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def modified(self) -> datetime: ...


class FeedEvents:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def emitted(self, uids: Sequence[str]) -> dict[str, FeedEvent]:
        """What was last emitted of each of ``uids`` that was emitted before, by uid."""
        found: dict[str, FeedEvent] = {}
        with self._sessions() as session:
            for start in range(0, len(uids), _CHUNK):
                chunk = uids[start : start + _CHUNK]
                query = select(FeedEvent).where(col(FeedEvent.uid).in_(chunk))
                found.update((row.uid, row) for row in session.exec(query))
        return found

    def record(self, events: Iterable[Emitted]) -> None:
        """Keep ``events`` as what was last emitted of them, in one transaction."""
        with self._sessions() as session:
            dialect = session.get_bind().dialect.name
            for event in events:
                session.execute(_upsert(dialect, event))
            session.commit()


def _upsert(dialect: str, event: Emitted) -> Insert:
    values = {
        "uid": event.uid,
        "digest": event.digest,
        "sequence": event.sequence,
        "modified": event.modified,
    }
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(FeedEvent).values(**values)
    changed = {name: statement.excluded[name] for name in ("digest", "sequence", "modified")}
    return statement.on_conflict_do_update(index_elements=["uid"], set_=changed)
