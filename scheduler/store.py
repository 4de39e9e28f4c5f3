"""The store: what already happened, and the claims that decide who publishes.

One row per occurrence key in ``publications``; every try in ``attempts``. A claim is a single
atomic statement — an INSERT guarded by the primary key, or an UPDATE guarded by the row's
state — so whichever process (on this machine or another sharing PostgreSQL) wins it
publishes, and every other one moves on. Claims carry an owner and a lease that the owner
keeps renewing while it works; an expired lease means the owner died.

States: claimed → publishing → published | retry | failed | unknown; missed and skipped
are recorded without publishing. Times are stored in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, TypeDecorator, create_engine, event, or_, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Field, Session, SQLModel, col, select

from scheduler.errors import StoreError
from scheduler.files import file_stamp

STATES = ("claimed", "publishing", "published", "retry", "failed", "unknown", "missed", "skipped")
ACTIVE = ("claimed", "publishing")
LEASE = timedelta(seconds=60)
# Connections are opened on demand: as many as the engine's publishing threads, plus a few
# for the sweep, the lease renewals and the daemon's wake-ups.
POOL_SIZE = 24


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Publication(SQLModel, table=True):
    __tablename__ = "publications"

    key: str = Field(primary_key=True, max_length=200)
    post_id: str = Field(index=True, max_length=100)
    account: str = Field(index=True, max_length=100)
    platform: str = Field(max_length=20)
    scheduled_at: datetime = Field(sa_type=UTCDateTime, index=True)
    state: str = Field(index=True, max_length=20)
    attempts: int = 0
    owner: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    caption_hash: str | None = Field(default=None, max_length=64)
    container_id: str | None = Field(default=None, max_length=200)
    platform_post_id: str | None = Field(default=None, max_length=200)
    permalink: str | None = Field(default=None, max_length=500)
    error_code: str | None = Field(default=None, max_length=40)
    error_message: str | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class Attempt(SQLModel, table=True):
    __tablename__ = "attempts"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=200)
    number: int
    owner: str = Field(max_length=200)
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    outcome: str | None = Field(default=None, max_length=20)
    error_code: str | None = Field(default=None, max_length=40)
    error_message: str | None = None


class AccountPause(SQLModel, table=True):
    __tablename__ = "account_pauses"

    account: str = Field(primary_key=True, max_length=100)
    reason: str
    since: datetime = Field(sa_type=UTCDateTime)


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    name: str = Field(primary_key=True, max_length=50)
    value: str


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=POOL_SIZE,
            max_overflow=10,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=10)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the publisher
    cursor.execute("PRAGMA synchronous=FULL")  # a recorded publication survives power loss
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        file = _sqlite_file(engine)
        # SQLite keeps writing to a deleted file through open connections: remember which
        # file we opened so that a deleted or replaced database stops publishing instead.
        self.file = file
        stamp = file_stamp(file) if file is not None else None
        self._identity = stamp.identity if stamp is not None else None
        if stamp is None:  # not a plain file (a URI, a special path): nothing to watch
            self.file = None

    def check_file(self) -> None:
        if self.file is None:
            return
        stamp = file_stamp(self.file)
        if stamp is None or stamp.identity != self._identity:
            raise StoreError(
                f"the database can't be used: {self.file} was deleted or replaced while "
                "jadwal was running; stopping so that nothing is published without a record"
            )

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except OperationalError as exc:
            raise StoreError(_database_problem(exc)) from exc

    # -- claims ----------------------------------------------------------------------------

    def claim_new(self, row: Publication) -> bool:
        """Insert the occurrence as ``row.state``; False when the key already exists."""
        try:
            with self.session() as session:
                session.add(row)
                session.commit()
            return True
        except IntegrityError:
            return False

    def claim_existing(
        self, key: str, owner: str, now: datetime, states: Sequence[str], due_only: bool = True
    ) -> bool:
        """Take over a row in one of ``states`` (a retry whose time came, an expired claim)."""
        conditions = [Publication.key == key, col(Publication.state).in_(states)]
        if due_only:
            conditions.append(
                or_(
                    col(Publication.next_attempt_at).is_(None),
                    col(Publication.next_attempt_at) <= now,
                )
            )
        return (
            self._update(
                conditions, state="claimed", owner=owner, lease_until=now + LEASE, updated_at=now
            )
            == 1
        )

    def start_publishing(self, key: str, owner: str, now: datetime, caption_hash: str) -> int:
        """claimed → publishing, recording the attempt first; returns its number (0: lost).

        One guarded UPDATE, not a read then a write: SQLite ignores ``FOR UPDATE``, and two
        holders of the same claim must not both get through.
        """
        with self.session() as session:
            result = session.execute(
                update(Publication)
                .where(
                    col(Publication.key) == key,
                    col(Publication.state) == "claimed",
                    col(Publication.owner) == owner,
                )
                .values(
                    state="publishing",
                    attempts=Publication.attempts + 1,
                    caption_hash=caption_hash,
                    lease_until=now + LEASE,
                    updated_at=now,
                )
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                session.rollback()
                return 0
            number = session.execute(
                select(Publication.attempts).where(Publication.key == key)
            ).scalar_one()
            session.add(Attempt(key=key, number=number, owner=owner, started_at=now))
            session.commit()
            return int(number)

    def confirm(self, key: str, owner: str, now: datetime) -> bool:
        """Still ours, right before the post goes public? Renews the lease if so.

        False when the lease ran out (this process was frozen or suspended past it): another
        publisher may have taken the row over, or is about to, so nothing may be sent.
        """
        where = [
            Publication.key == key,
            Publication.owner == owner,
            Publication.state == "publishing",
            col(Publication.lease_until) >= now,
        ]
        return self._update(where, lease_until=now + LEASE) == 1

    def save_container(self, key: str, owner: str, container_id: str, now: datetime) -> None:
        self._update(
            [Publication.key == key, Publication.owner == owner],
            container_id=container_id,
            updated_at=now,
        )

    def finish(
        self, key: str, owner: str, now: datetime, state: str, outcome: str, **fields: Any
    ) -> bool:
        """publishing → a final or waiting state, closing the open attempt (one guarded
        UPDATE, so that only the claim's holder can settle it)."""
        with self.session() as session:
            result = session.execute(
                update(Publication)
                .where(
                    col(Publication.key) == key,
                    col(Publication.owner) == owner,
                    col(Publication.state).in_(ACTIVE),
                )
                .values(**fields, state=state, updated_at=now, lease_until=None)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                session.rollback()
                return False
            self._close_attempt(session, key, now, outcome, fields)
            session.commit()
            return True

    def _close_attempt(
        self, session: Session, key: str, now: datetime, outcome: str, fields: dict[str, Any]
    ) -> None:
        attempt = session.exec(
            select(Attempt).where(Attempt.key == key).order_by(col(Attempt.number).desc())
        ).first()
        if attempt is not None and attempt.finished_at is None:
            attempt.finished_at, attempt.outcome = now, outcome
            attempt.error_code = fields.get("error_code")
            attempt.error_message = fields.get("error_message")
            session.add(attempt)

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
        unknown = self._keys([*base, Publication.state == "publishing"])
        self._update(
            [*base, Publication.state == "publishing"],
            state="unknown",
            lease_until=None,
            updated_at=now,
            error_message="the publisher stopped during publication; checking",
        )
        self._close_interrupted(unknown, now)
        self._update(
            [*base, Publication.state == "claimed"],
            state="retry",
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
                .values(finished_at=now, outcome="interrupted")
            )
            session.commit()

    def _update(self, conditions: list[Any], **values: Any) -> int:
        with self.session() as session:
            result = session.execute(update(Publication).where(*conditions).values(**values))
            session.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

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
        taken = ("published", "publishing", "unknown", "claimed", "retry")
        with self.session() as session:
            query = select(Publication).where(
                Publication.post_id == post_id,
                Publication.account == account,
                Publication.key != key,
                col(Publication.state).in_(taken),
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

    # -- people's decisions ----------------------------------------------------------------

    def resolve(
        self,
        key: str,
        now: datetime,
        published: str | None,
        platform_post_id: str | None = None,
        reason: str = "marked not published by a person",
    ) -> bool:
        """An ``unknown`` row settled (by a person or a lookup): published, or safe to resend."""
        settled: dict[str, Any] = (
            {
                "state": "published",
                "permalink": published,
                "platform_post_id": platform_post_id,
                "error_code": None,
                "error_message": None,
            }
            if published is not None
            else {"state": "retry", "next_attempt_at": now, "error_message": reason}
        )
        where = [Publication.key == key, Publication.state == "unknown"]
        return self._update(where, updated_at=now, **settled) == 1

    def note_unknown(self, key: str, why: str) -> bool:
        """Record why an ``unknown`` row is still unsettled; False when that was already said
        (so a sweep every minute logs it once, not every minute)."""
        where = [
            Publication.key == key,
            Publication.state == "unknown",
            or_(col(Publication.error_message).is_(None), col(Publication.error_message) != why),
        ]
        return self._update(where, error_message=why) == 1

    def pause(self, account: str, reason: str, now: datetime) -> None:
        with self.session() as session:
            if session.get(AccountPause, account) is None:
                session.add(AccountPause(account=account, reason=reason, since=now))
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()

    def unpause(self, account: str) -> bool:
        with self.session() as session:
            pause = session.get(AccountPause, account)
            if pause is None:
                return False
            session.delete(pause)
            session.commit()
            return True

    def paused(self) -> dict[str, AccountPause]:
        with self.session() as session:
            return {p.account: p for p in session.exec(select(AccountPause))}

    def created_at(self) -> datetime:
        with self.session() as session:
            meta = session.get(Meta, "created_at")
            if meta is None:
                raise StoreError("the database has no creation time; was it migrated?")
            return datetime.fromisoformat(meta.value)


def _database_problem(exc: OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return f"the database can't be used: {text.strip().splitlines()[0]}"


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI with options: no plain file to watch
    return Path(database)
