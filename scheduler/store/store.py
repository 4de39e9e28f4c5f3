"""``Store``: every read and every state change of the publications, one call each. Each
state change is one guarded statement or one transaction, so that whichever process wins it
owns the row, and the engine never builds or edits a row itself. Beside it: the stops people
issue (``Store.stops``), the posts made by hand (``Store.by_hand``) and the readings of what
the public did (``Store.insights``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, literal, or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from scheduler.errors import StoreError
from scheduler.files import file_stamp
from scheduler.i18n import N_, _
from scheduler.store.byhand import ByHand
from scheduler.store.connect import database_problem, sqlite_file
from scheduler.store.connections import Connections
from scheduler.store.insights import Insights
from scheduler.store.memory import Memory
from scheduler.store.rows import (
    TAKEN,
    close_attempt,
    due_retry,
    ended_wait,
    held,
    new_row,
    pause_insert,
    sent_values,
    settled_values,
)
from scheduler.store.states import ACTIVE, LEASE, Outcome, Sent, Started, State, Transition
from scheduler.store.stops import Stops
from scheduler.store.tables import AccountPause, Attempt, Publication, UTCDateTime

if TYPE_CHECKING:
    from scheduler.calendar.expand import Occurrence


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        file = sqlite_file(engine)
        # SQLite writes on into a deleted file: a deleted or replaced one stops publishing.
        self.file = file
        stamp = file_stamp(file) if file is not None else None
        self._identity = stamp.identity if stamp is not None else None
        if stamp is None:  # not a plain file (a URI, a special path): nothing to watch
            self.file = None
        self.stops, self.by_hand = Stops(self.session), ByHand(self.session)
        self.insights = Insights(self.session)
        self.connections, self.memory = Connections(self.session), Memory(self.session)

    def check_file(self) -> None:
        if self.file is None:
            return
        stamp = file_stamp(self.file)
        if stamp is None or stamp.identity != self._identity:
            said = _(
                "the database can't be used: {path} was deleted or replaced while jadwal was "
                "running; stopping so that nothing is published without a record"
            )
            raise StoreError(said.format(path=self.file))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except OperationalError as exc:
            raise StoreError(database_problem(exc)) from exc

    # -- claims ----------------------------------------------------------------------------

    def claim_new(self, row: Publication) -> bool:
        """Insert ``row``; False when its key already exists (the INSERT is the claim)."""
        try:
            with self.session() as session:
                session.add(row)
                session.commit()
            return True
        except IntegrityError:
            return False

    def claim(self, occurrence: Occurrence, owner: str, now: datetime) -> bool:
        """Claim an occurrence that has no row yet, with ``owner``'s lease; False when
        another publisher claimed it first, or it was already handled."""
        row = new_row(occurrence, now, State.CLAIMED, owner=owner, lease_until=now + LEASE)
        return self.claim_new(row)

    def record(self, occurrence: Occurrence, now: datetime, state: State, why: str) -> bool:
        """Record an occurrence nobody will publish (``missed``, ``skipped``) and why."""
        return self.claim_new(new_row(occurrence, now, state, error_message=why))

    def wait(self, occurrence: Occurrence, now: datetime, since: datetime, why: str) -> bool:
        """Record an occurrence that is due while its endpoint can't be reached: a retry that
        waits for the connection (since ``since``), to go out as soon as it answers."""
        values = {"next_attempt_at": now, "error_message": why, "offline_since": since}
        return self.claim_new(new_row(occurrence, now, State.RETRY, **values))

    def miss_waiting(self, row: Publication, now: datetime, why: str, end: datetime) -> bool:
        """A retry still waiting for the connection when its grace period ended (at ``end``,
        when its wait ended too) → missed."""
        ended = ended_wait(row.offline_since, min(now, end)) if row.offline_since else {}
        where = [Publication.key == row.key, Publication.state == State.RETRY]
        values = {"state": State.MISSED, "error_message": why, "updated_at": now, **ended}
        return self._one(where, **values)

    def claim_retry(self, key: str, owner: str, now: datetime) -> bool:
        """Take over a ``retry`` row whose time came (one guarded UPDATE: one winner)."""
        values = {"owner": owner, "lease_until": now + LEASE, "updated_at": now}
        return self._one(due_retry(key, now), state=State.CLAIMED, **values)

    def skip_retry(self, key: str, owner: str, now: datetime, why: str) -> bool:
        """A due ``retry`` row whose post left the calendar (or became a draft) → skipped."""
        return self._one(
            due_retry(key, now),
            state=State.SKIPPED,
            owner=owner,
            lease_until=None,
            updated_at=now,
            error_message=why,
        )

    def start_publishing(
        self, key: str, owner: str, now: datetime, caption_hash: str, sent: Sent | None = None
    ) -> Started | None:
        """claimed → publishing, recording the attempt first; None when the claim was lost.
        ``sent``, what this attempt sends, replaces what an earlier attempt kept: the last
        attempt is the one that went out.

        One guarded UPDATE, not a read then a write: SQLite ignores ``FOR UPDATE``, and two
        holders of the same claim must not both get through.
        """
        with self.session() as session:
            result = session.execute(
                update(Publication)
                .where(
                    col(Publication.key) == key,
                    col(Publication.state) == State.CLAIMED,
                    col(Publication.owner) == owner,
                )
                .values(
                    state=State.PUBLISHING,
                    attempts=Publication.attempts + 1,
                    caption_hash=caption_hash,
                    lease_until=now + LEASE,
                    updated_at=now,
                    **sent_values(sent),
                )
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                session.rollback()
                return None
            failed = select(func.count()).where(
                col(Attempt.key) == key, col(Attempt.outcome) == Outcome.RETRY
            )
            number, failures = session.execute(
                select(Publication.attempts, failed.scalar_subquery()).where(Publication.key == key)
            ).one()
            session.add(Attempt(key=key, number=number, owner=owner, started_at=now))
            session.commit()
            return Started(int(number), int(failures))

    def confirm(self, key: str, owner: str, now: datetime) -> bool:
        """Still ours, right before the post goes public? Renews the lease if so.

        False when the lease ran out (this process was frozen or suspended past it): another
        publisher may have taken the row over, or is about to, so nothing may be sent.
        """
        where = [
            Publication.key == key,
            Publication.owner == owner,
            Publication.state == State.PUBLISHING,
            col(Publication.lease_until) >= now,
        ]
        return self._one(where, lease_until=now + LEASE)

    def save_container(self, key: str, owner: str, container_id: str, now: datetime) -> None:
        self._update(
            [Publication.key == key, Publication.owner == owner],
            container_id=container_id,
            updated_at=now,
        )

    def settle(self, key: str, owner: str, now: datetime, transition: Transition) -> bool:
        """Apply where an attempt ended, in one transaction: the claim's holder only (a
        guarded UPDATE), its open attempt closed, and its account paused when asked."""
        t = transition
        with self.session() as session:
            if t.pause:
                self._pause_account_of(session, key, t.error_message or "", now)
            values = settled_values(session, key, now, t)
            result = session.execute(update(Publication).where(*held(key, owner)).values(values))
            settled = bool(result.rowcount)  # type: ignore[attr-defined]
            if settled:
                close_attempt(session, key, now, t)
            session.commit()
            return settled

    def release(self, key: str, owner: str, now: datetime, why: str, waiting: bool = False) -> bool:
        """Give a claim back without trying (its account was paused, or its connection lost,
        meanwhile): a retry, due at once, for when the account is resumed or the connection
        is back (``waiting``: it waits for the connection from now)."""
        began = func.coalesce(Publication.offline_since, literal(now, UTCDateTime))
        since = {"offline_since": began} if waiting else {}
        return self._one(
            held(key, owner),
            state=State.RETRY,
            next_attempt_at=now,
            error_message=why,
            updated_at=now,
            lease_until=None,
            **since,
        )

    def renew(self, keys: Sequence[str], owner: str, now: datetime) -> None:
        if keys:
            self._update(
                [
                    col(Publication.key).in_(keys),
                    Publication.owner == owner,
                    col(Publication.state).in_(ACTIVE),
                ],
                lease_until=now + LEASE,
            )

    def release_dead_claims(self, now: datetime, owner: str | None = None) -> list[str]:
        """Crashed owners: ``publishing`` → unknown (maybe posted), ``claimed`` → retry.

        With ``owner`` (a daemon restarting), its own claims are settled at once; otherwise
        only claims whose lease expired.
        """
        base = [Publication.owner == owner] if owner else [col(Publication.lease_until) < now]
        if not self._keys([*base, col(Publication.state).in_(ACTIVE)]):
            return []  # the usual case: a read, no write (and no fsync) on every sweep
        unknown = self._keys([*base, Publication.state == State.PUBLISHING])
        self._update(
            [*base, Publication.state == State.PUBLISHING],
            state=State.UNKNOWN,
            lease_until=None,
            updated_at=now,
            error_message=_("the publisher stopped during publication; checking"),
        )
        self._close_interrupted(unknown, now)
        self._update(
            [*base, Publication.state == State.CLAIMED],
            state=State.RETRY,
            lease_until=None,
            next_attempt_at=now,
            updated_at=now,
        )
        return unknown

    def _close_interrupted(self, keys: list[str], now: datetime) -> None:
        if not keys:
            return
        with self.session() as session:
            session.execute(
                update(Attempt)
                .where(col(Attempt.key).in_(keys), col(Attempt.finished_at).is_(None))
                .values(finished_at=now, outcome=Outcome.INTERRUPTED)
            )
            session.commit()

    def _update(self, conditions: list[Any], **values: Any) -> int:
        with self.session() as session:
            result = session.execute(update(Publication).where(*conditions).values(**values))
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def _one(self, conditions: list[Any], **values: Any) -> bool:
        """A guarded UPDATE of one row: True when this call changed it."""
        return self._update(conditions, **values) == 1

    def _keys(self, conditions: list[Any]) -> list[str]:
        with self.session() as session:
            return list(session.exec(select(Publication.key).where(*conditions)))

    # -- reads -----------------------------------------------------------------------------

    def get(self, key: str) -> Publication | None:
        with self.session() as session:
            return session.get(Publication, key)

    def known_keys(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            found |= set(self._keys([col(Publication.key).in_(keys[start : start + 500])]))
        return found

    def earlier_row(self, post_id: str, account: str, key: str) -> Publication | None:
        """Another row of the same post and account that went out or may have."""
        with self.session() as session:
            query = select(Publication).where(
                Publication.post_id == post_id,
                Publication.account == account,
                Publication.key != key,
                col(Publication.state).in_(TAKEN),
            )
            return session.exec(query).first()

    def in_state(self, *states: str) -> list[Publication]:
        with self.session() as session:
            query = select(Publication).where(col(Publication.state).in_(states))
            return list(session.exec(query.order_by(col(Publication.scheduled_at))))

    def history(self, since: datetime | None = None, state: str | None = None) -> list[Publication]:
        with self.session() as session:
            query = select(Publication)
            if since is not None:
                query = query.where(Publication.scheduled_at >= since)
            if state is not None:
                query = query.where(Publication.state == state)
            return list(
                session.exec(query.order_by(col(Publication.scheduled_at), col(Publication.key)))
            )

    def attempts(self, key: str) -> list[Attempt]:
        with self.session() as session:
            query = select(Attempt).where(Attempt.key == key)
            return list(session.exec(query.order_by(col(Attempt.number))))

    def paused(self) -> dict[str, AccountPause]:
        with self.session() as session:
            return {p.account: p for p in session.exec(select(AccountPause))}

    def created_at(self) -> datetime:
        return self.memory.read().created_at

    # -- people's decisions ----------------------------------------------------------------

    def resolve(
        self,
        key: str,
        now: datetime,
        published: str | None,
        platform_post_id: str | None = None,
        reason: str = N_("marked not published by a person"),
        published_at: datetime | None = None,
    ) -> bool:
        """An ``unknown`` row settled (by a person or a lookup): published (at
        ``published_at``, when known), or safe to resend."""
        settled: dict[str, Any] = (
            {
                "state": State.PUBLISHED,
                "published_at": published_at,
                "permalink": published,
                "platform_post_id": platform_post_id,
                "error_code": None,
                "error_message": None,
            }
            if published is not None
            else {"state": State.RETRY, "next_attempt_at": now, "error_message": _(reason)}
        )
        where = [Publication.key == key, Publication.state == State.UNKNOWN]
        return self._one(where, updated_at=now, **settled)

    def note_unknown(self, key: str, why: str) -> bool:
        """Record why an ``unknown`` row is still unsettled; False when that was already said
        (so a sweep every minute logs it once, not every minute)."""
        where = [
            Publication.key == key,
            Publication.state == State.UNKNOWN,
            or_(col(Publication.error_message).is_(None), col(Publication.error_message) != why),
        ]
        return self._one(where, error_message=why)

    def pause(self, account: str, reason: str, now: datetime) -> None:
        with self.session() as session:
            session.execute(pause_insert(self.engine.dialect.name, account, reason, now))
            session.commit()

    def unpause(self, account: str) -> bool:
        with self.session() as session:
            pause = session.get(AccountPause, account)
            if pause is None:
                return False
            session.delete(pause)
            session.commit()
            return True

    def _pause_account_of(self, session: Session, key: str, reason: str, now: datetime) -> None:
        account = session.exec(select(Publication.account).where(Publication.key == key)).first()
        if account is not None:
            session.execute(pause_insert(self.engine.dialect.name, account, reason, now))
