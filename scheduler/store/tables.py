"""The store's tables (SQLModel), with times kept in UTC whatever the database keeps.

The schema itself is created and upgraded by the alembic migrations in
``scheduler/migrations``; these classes must describe the same columns. ``Stop`` also says
what its row means (whom it stops, when, in the words the history and the log use).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import BigInteger, DateTime, TypeDecorator
from sqlmodel import Field, SQLModel

from scheduler.i18n import _


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
    # Waiting for the connection: since when it waits now (None when it doesn't), and how
    # long it waited in all, so the history can say why a post went out late.
    offline_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    waited_seconds: int = 0
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # What went out, as it went out, kept when the post is sent: the report reads these,
    # never today's calendar, so editing a post afterwards doesn't rewrite its history.
    sent_caption: str | None = None
    sent_media: str | None = None  # JSON: [{"path": …, "sha256": …}, …]
    category: str | None = Field(default=None, max_length=100)
    kind: str | None = Field(default=None, max_length=20)
    revision: str | None = Field(default=None, max_length=100)  # the git commit, or the file's hash


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


class Stop(SQLModel, table=True):
    """A person's emergency stop: nothing is published for ``account`` (every account when
    None) from ``since`` until ``until`` or until it is lifted. Rows are never deleted: a
    lifted stop keeps who lifted it and when, for the history."""

    __tablename__ = "stops"

    id: int | None = Field(default=None, primary_key=True)
    account: str | None = Field(default=None, max_length=100)
    reason: str
    stopped_by: str = Field(max_length=200)
    since: datetime = Field(sa_type=UTCDateTime)
    until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lifted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lifted_by: str | None = Field(default=None, max_length=200)
    # What the engine has logged of it ("stopped", then "ended"): each line once, not on
    # every run.
    logged: str | None = Field(default=None, max_length=20)

    @property
    def end(self) -> datetime | None:
        """When it stopped or will stop being in force; None while nobody lifted it."""
        ends = [t for t in (self.until, self.lifted_at) if t is not None]
        return min(ends) if ends else None

    def in_force(self, now: datetime) -> bool:
        return self.since <= now and (self.end is None or now < self.end)

    def covers(self, account: str) -> bool:
        return self.account is None or self.account == account

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """In force at some moment from ``start`` to ``end`` (``end`` included)."""
        return self.since <= end and (self.end is None or start < self.end)

    @property
    def target(self) -> str:
        return self.account or _("every account")

    def describe(self, tz: tzinfo, what: str | None = None) -> str:
        """``stopped by budi@kominfo-pc since 2026-12-05 07:00 WIB until resumed: Hari
        berkabung nasional``, in the calendar's zone; ``what`` comes first (default: stopped,
        said apart from the daemon's own "stopped": in Indonesian they are two words)."""
        if what is None and self.until:
            said = _("stopped by {who} since {since} until {until}: {reason}")
        elif what is None:
            said = _("stopped by {who} since {since} until resumed: {reason}")
        elif self.until:
            said = _("{what} by {who} since {since} until {until}: {reason}")
        else:
            said = _("{what} by {who} since {since} until resumed: {reason}")
        return said.format(
            what=what,
            who=self.stopped_by,
            since=local_time(self.since, tz),
            until=self.until and local_time(self.until, tz),
            reason=self.reason,
        )

    def origin(self, tz: tzinfo) -> str:
        """``the stop set by budi@kominfo-pc at 2026-12-05 07:00 WIB``."""
        said = _("the stop set by {who} at {since}")
        return said.format(who=self.stopped_by, since=local_time(self.since, tz))


def local_time(moment: datetime, tz: tzinfo) -> str:
    """A stored moment as an operator reads it: the calendar's time and the zone's name."""
    return f"{moment.astimezone(tz):%Y-%m-%d %H:%M %Z}"


class Connection(SQLModel, table=True):
    """A network endpoint (``graph.facebook.com:443``) the adapters reach, while it can't be
    reached: since when, when it is checked next, and why (the row stays, with
    ``offline_since`` None, once it is back)."""

    __tablename__ = "connections"

    endpoint: str = Field(primary_key=True, max_length=200)
    name: str = Field(max_length=100)
    offline_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str | None = None


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    name: str = Field(primary_key=True, max_length=50)
    value: str


class NotifyMark(SQLModel, table=True):
    """An event told once: ``subject`` names what it is about (a publication's key, an
    account's pause, a day's digest). Its primary key is what makes a second daemon, or a
    restarted one, enqueue nothing twice."""

    __tablename__ = "notify_marks"

    event: str = Field(primary_key=True, max_length=20)
    subject: str = Field(primary_key=True, max_length=250)
    created_at: datetime = Field(sa_type=UTCDateTime)


class NotifyMessage(SQLModel, table=True):
    """One message for one notify entry (``target``: its variable's name, never its URL),
    queued → sending → sent, or failed after its last try; claimed like a publication."""

    __tablename__ = "notify_messages"

    id: int | None = Field(default=None, primary_key=True)
    target: str = Field(max_length=100)
    event: str = Field(max_length=20)
    title: str
    body: str
    # Files of the calendar's folder, one a line, sent where the service carries attachments.
    attach: str | None = None
    state: str = Field(index=True, max_length=20)
    tries: int = 0
    next_try_at: datetime = Field(sa_type=UTCDateTime)
    owner: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    answer: str | None = None  # what the service said last
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FeedEvent(SQLModel, table=True):
    """What the iCalendar feed last said of one event (``uid``): the digest of its content,
    its SEQUENCE, and when that content was first emitted (its LAST-MODIFIED and DTSTAMP)."""

    __tablename__ = "feed_events"

    uid: str = Field(primary_key=True, max_length=250)
    digest: str = Field(max_length=64)
    sequence: int = 0
    modified: datetime = Field(sa_type=UTCDateTime)


class InsightReading(SQLModel, table=True):
    """A published post's metrics as the platform gave them at ``read_at``, in jadwal's one
    vocabulary; None is "not available" (the platform doesn't give it), never 0. ``slot``
    says which planned reading it is (``1h``, ``1d``, ``7d``, ``28d``) or ``manual``."""

    __tablename__ = "insight_readings"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=200)
    account: str = Field(index=True, max_length=100)
    slot: str = Field(max_length=20)
    read_at: datetime = Field(sa_type=UTCDateTime)
    views: int | None = Field(default=None, sa_type=BigInteger)
    reach: int | None = Field(default=None, sa_type=BigInteger)
    likes: int | None = Field(default=None, sa_type=BigInteger)
    comments: int | None = Field(default=None, sa_type=BigInteger)
    shares: int | None = Field(default=None, sa_type=BigInteger)
    saves: int | None = Field(default=None, sa_type=BigInteger)
    clicks: int | None = Field(default=None, sa_type=BigInteger)
    replies: int | None = Field(default=None, sa_type=BigInteger)


class FollowerReading(SQLModel, table=True):
    """An account's followers at ``read_at`` (None when the platform wouldn't say)."""

    __tablename__ = "follower_readings"

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(index=True, max_length=100)
    read_at: datetime = Field(sa_type=UTCDateTime, index=True)
    followers: int | None = Field(default=None, sa_type=BigInteger)


class InsightClaim(SQLModel, table=True):
    """A planned reading one collector took: a post's slot (``key``, ``1h``…) or an account's
    day of followers (``followers:ACCOUNT``, ``2026-12-05``). The primary key makes a second
    collector's claim fail; ``done`` once its reading is kept. A claim left undone (its
    collector died) may be taken over after ``CLAIM_LEASE``."""

    __tablename__ = "insight_claims"

    key: str = Field(primary_key=True, max_length=200)
    slot: str = Field(primary_key=True, max_length=20)
    owner: str = Field(max_length=200)
    claimed_at: datetime = Field(sa_type=UTCDateTime)
    done: bool = False


class InsightAccess(SQLModel, table=True):
    """Why an account's insights can't be read (``problem``, since when), and until when
    reads hold off after Meta throttled them; account ``*`` holds every account (the app's
    own limit)."""

    __tablename__ = "insight_access"

    account: str = Field(primary_key=True, max_length=100)
    problem: str | None = None
    since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hold_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
