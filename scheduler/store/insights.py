"""``Insights`` (``Store.insights``): what the platforms said of the published posts and of
the accounts, kept as a time series. Readings are only added, never changed: the report takes
the latest reading of each post and the followers at the month's two ends, and an auditor can
see every figure a report was made from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime

from sqlmodel import Session, col, select

from scheduler.store.tables import FollowerReading, InsightReading

Sessions = Callable[[], AbstractContextManager[Session]]
_CHUNK = 500  # keys per IN (...): well under SQLite's limit on bound parameters


class Insights:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, readings: Iterable[InsightReading | FollowerReading]) -> None:
        """Keep ``readings``, in one transaction."""
        with self._sessions() as session:
            session.add_all(list(readings))
            session.commit()

    def readings(self, keys: Sequence[str]) -> dict[str, list[InsightReading]]:
        """Every reading of each of ``keys`` that has one, oldest first, by key."""
        found: dict[str, list[InsightReading]] = {}
        with self._sessions() as session:
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                query = (
                    select(InsightReading)
                    .where(col(InsightReading.key).in_(chunk))
                    .order_by(col(InsightReading.read_at), col(InsightReading.id))
                )
                for row in session.exec(query):
                    found.setdefault(row.key, []).append(row)
        return found

    def latest(self, keys: Sequence[str]) -> dict[str, InsightReading]:
        """The newest reading of each of ``keys`` that has one."""
        return {key: rows[-1] for key, rows in self.readings(keys).items()}

    def followers(
        self, account: str, since: datetime | None = None, until: datetime | None = None
    ) -> list[FollowerReading]:
        """``account``'s follower readings from ``since`` to before ``until``, oldest first."""
        query = select(FollowerReading).where(FollowerReading.account == account)
        if since is not None:
            query = query.where(col(FollowerReading.read_at) >= since)
        if until is not None:
            query = query.where(col(FollowerReading.read_at) < until)
        with self._sessions() as session:
            order = (col(FollowerReading.read_at), col(FollowerReading.id))
            return list(session.exec(query.order_by(*order)))
