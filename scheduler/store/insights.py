"""``Insights`` (``Store.insights``): what the platforms said of the published posts and of
the accounts, kept as a time series. Readings are only added, never changed: the report takes
the latest reading of each post and the followers at the month's two ends, and an auditor can
see every figure a report was made from.

The collector's claims are here too: a planned reading is claimed by inserting its
``insight_claims`` row (the primary key lets one collector win), kept with its reading in one
transaction, and released when the read failed, so it is tried again later. Beside them,
``insight_access``: which accounts' insights can't be read and why (``problems``, for the
report), and the holds Meta's throttling asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlalchemy import select as columns
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from scheduler.store.states import State
from scheduler.store.tables import (
    FollowerReading,
    InsightAccess,
    InsightClaim,
    InsightReading,
    Publication,
)

Sessions = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class Sent:
    """A published post, as the insight collector needs it."""

    key: str
    account: str
    post_id: str
    platform_post_id: str
    kind: str | None
    published_at: datetime


_CHUNK = 500  # keys per IN (...): well under SQLite's limit on bound parameters
CLAIM_LEASE = timedelta(minutes=30)  # an undone claim older than this: its collector died
EVERY_ACCOUNT = "*"


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

    # -- what the collector reads -----------------------------------------------------------

    def published(self, since: datetime) -> list[Sent]:
        """The posts published since ``since`` that the platform gave an id, oldest first
        (only the columns the collector needs: it asks every few minutes)."""
        query = (
            columns(
                col(Publication.key),
                col(Publication.account),
                col(Publication.post_id),
                col(Publication.platform_post_id),
                col(Publication.kind),
                col(Publication.published_at),
            )
            .where(col(Publication.state) == State.PUBLISHED)
            .where(col(Publication.platform_post_id).is_not(None))
            .where(col(Publication.published_at) >= since)
            .order_by(col(Publication.published_at), col(Publication.key))
        )
        with self._sessions() as session:
            rows = session.connection().execute(query).all()
        # Both are set on every row the query keeps (not null, and since ``since``).
        return [Sent(k, a, p, pid or "", kind, at or since) for k, a, p, pid, kind, at in rows]

    def taken(self, keys: Sequence[str]) -> dict[str, set[str]]:
        """The slots of each of ``keys`` that are claimed (read, or being read)."""
        found: dict[str, set[str]] = {}
        with self._sessions() as session:
            for start in range(0, len(keys), _CHUNK):
                query = select(InsightClaim.key, InsightClaim.slot).where(
                    col(InsightClaim.key).in_(keys[start : start + _CHUNK])
                )
                for key, slot in session.exec(query):
                    found.setdefault(key, set()).add(slot)
        return found

    def last_followers(self) -> dict[str, datetime]:
        """When each account's followers were last read."""
        query = select(FollowerReading.account, func.max(FollowerReading.read_at)).group_by(
            FollowerReading.account
        )
        with self._sessions() as session:
            rows = session.exec(query).all()
        return {account: _aware(moment) for account, moment in rows if moment is not None}

    def claim(self, key: str, slot: str, owner: str, now: datetime) -> bool:
        """Take the reading (``key``, ``slot``); False when another collector has it (or it
        is done). An undone claim past ``CLAIM_LEASE`` is taken over, in one guarded UPDATE."""
        try:
            with self._sessions() as session:
                session.add(InsightClaim(key=key, slot=slot, owner=owner, claimed_at=now))
                session.commit()
            return True
        except IntegrityError:
            pass
        stale = (
            update(InsightClaim)
            .where(col(InsightClaim.key) == key, col(InsightClaim.slot) == slot)
            .where(col(InsightClaim.done).is_(False))
            .where(col(InsightClaim.claimed_at) < now - CLAIM_LEASE)
            .values(owner=owner, claimed_at=now)
        )
        with self._sessions() as session:
            won = session.exec(stale).rowcount == 1
            session.commit()
        return won

    def keep(
        self,
        readings: Iterable[InsightReading | FollowerReading],
        claims: Iterable[tuple[str, str]],
    ) -> None:
        """Keep ``readings`` and mark their ``claims`` done, in one transaction."""
        with self._sessions() as session:
            session.add_all(list(readings))
            for key, slot in claims:
                session.exec(
                    update(InsightClaim)
                    .where(col(InsightClaim.key) == key, col(InsightClaim.slot) == slot)
                    .values(done=True)
                )
            session.commit()

    def release(self, claims: Iterable[tuple[str, str]]) -> None:
        """Give back claims whose read failed: they are tried again later."""
        with self._sessions() as session:
            for key, slot in claims:
                session.exec(
                    delete(InsightClaim)
                    .where(col(InsightClaim.key) == key, col(InsightClaim.slot) == slot)
                    .where(col(InsightClaim.done).is_(False))
                )
            session.commit()

    # -- what can't be read ----------------------------------------------------------------

    def access(self) -> dict[str, InsightAccess]:
        """Every account's recorded problem or hold (``*``: the whole app's hold)."""
        with self._sessions() as session:
            return {row.account: row for row in session.exec(select(InsightAccess))}

    def problems(self) -> dict[str, str]:
        """The accounts whose insights can't be read now, and why (for the report)."""
        return {a: row.problem for a, row in self.access().items() if row.problem}

    def set_problem(self, account: str, problem: str | None, now: datetime) -> bool:
        """Record why ``account``'s insights can't be read (None: they can again); True when
        that changed, so that it is logged once, not on every run."""
        with self._sessions() as session:
            row = session.get(InsightAccess, account)
            if (row.problem if row else None) == problem:
                return False
            row = row or InsightAccess(account=account)
            row.problem, row.since = problem, now if problem else None
            session.add(row)
            session.commit()
        return True

    def hold(self, account: str, until: datetime | None) -> None:
        """No reads of ``account`` (``*``: of any) before ``until`` (None: no hold)."""
        with self._sessions() as session:
            row = session.get(InsightAccess, account) or InsightAccess(account=account)
            row.hold_until = until
            session.add(row)
            session.commit()


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
