"""The typed calendar: what ``load_calendar`` returns once the YAML has been validated.

Every object keeps the ``Location`` of the YAML node it came from, so checks that run later
(rendering, limits, media) can still point at the line an operator has to edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from scheduler.problems import Location

Platform = Literal["instagram", "facebook", "whatsapp"]
Via = Literal["graph", "instagram_login", "instagrapi"]
# How an account's posts reach its platform; the adapter registry is keyed by these.
# ``whatsapp`` has no posting API: a person posts by hand after a reminder.
Route = Literal[
    "facebook", "instagram:graph", "instagram:login", "instagram:instagrapi", "whatsapp"
]
Kind = Literal["feed", "story", "reel"]
Status = Literal["approved", "draft"]
# The tone of a day's greeting (``calendar/days.py``): "Selamat …" for the first three,
# "Memperingati …" for a solemn day.
Tone = Literal["celebration", "religious", "commemoration", "solemn"]
# What a post does on a public holiday or a collective leave day (``calendar/workdays.py``).
OnHolidays = Literal["keep", "skip", "next_workday"]

PLATFORMS: tuple[Platform, ...] = ("facebook", "instagram", "whatsapp")
INSTAGRAM_VIA: tuple[Via, ...] = ("graph", "instagram_login", "instagrapi")
ROUTES: tuple[Route, ...] = (
    "facebook",
    "instagram:graph",
    "instagram:login",
    "instagram:instagrapi",
    "whatsapp",
)
KINDS: tuple[Kind, ...] = ("feed", "story", "reel")
# jadwal's own files beside the calendar (databases, dry-run output, converted media, locks).
STATE_DIR = ".jadwal"
STATUSES: tuple[Status, ...] = ("approved", "draft")
TONES: tuple[Tone, ...] = ("celebration", "religious", "commemoration", "solemn")
ON_HOLIDAYS: tuple[OnHolidays, ...] = ("keep", "skip", "next_workday")
# What a notify entry can be told, and what it is told when its ``on`` is not given.
NOTIFY_EVENTS = (
    "failed",
    "paused",
    "unknown",
    "missed",
    "quota",
    "token_expiring",
    "published",
    "digest",
    "reminder",
)
DEFAULT_EVENTS = ("failed", "paused", "unknown", "missed", "quota", "token_expiring")


@dataclass(frozen=True, slots=True)
class SecretRef:
    """A secret named by reference (``${FB_PAGE_TOKEN}``); its value is never stored here."""

    key: str
    variable: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    platform: Platform
    loc: Location
    via: Via | None = None
    page_id: str | None = None
    ig_user_id: str | None = None
    username: str | None = None
    secrets: tuple[SecretRef, ...] = ()
    channel: str | None = None  # where a post by hand goes, as its reminder names it

    @property
    def route(self) -> Route:
        if self.platform == "facebook":
            return "facebook"
        if self.platform == "whatsapp":
            return "whatsapp"
        if self.via == "instagram_login":
            return "instagram:login"
        return "instagram:instagrapi" if self.via == "instagrapi" else "instagram:graph"

    @property
    def resumable_videos(self) -> bool:
        """A Facebook Page whose videos go by Meta's Resumable Upload API (``user_token``
        and ``app_id`` given), rather than uploaded with the post."""
        named = {ref.key for ref in self.secrets}
        return self.platform == "facebook" and {"user_token", "app_id"} <= named


@dataclass(frozen=True, slots=True)
class CronSpec:
    """A parsed 5-field cron expression: the allowed values of each field."""

    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Monday, as in ``date.weekday()``
    days_restricted: bool
    weekdays_restricted: bool


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a post happens: exactly one of ``at``, ``dates``, ``cron`` or ``rrule``."""

    at: datetime | None = None
    dates: tuple[datetime, ...] = ()
    cron: CronSpec | None = None
    rrule: str | None = None
    first: date | None = None  # ``from``, inclusive
    until: date | None = None  # inclusive
    time_of_day: time | None = None
    loc: Location | None = None  # the at/dates/cron/rrule value, for check's warnings
    until_loc: Location | None = None


@dataclass(frozen=True, slots=True)
class MediaRef:
    path: str  # as written, relative to the calendar folder
    loc: Location


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    loc: Location
    accounts: tuple[str, ...]
    schedule: Schedule
    template: str | None = None
    caption: str | None = None
    caption_loc: Location | None = None
    vars: dict[str, object] = field(default_factory=dict)
    media: tuple[MediaRef, ...] = ()
    kind: Kind = "feed"
    category: str | None = None
    status: Status = "approved"
    accounts_loc: Location | None = None
    template_loc: Location | None = None
    link: str | None = None
    title: str | None = None  # for people: the calendar views name the post by it
    on_holidays: OnHolidays = "keep"


@dataclass(frozen=True, slots=True)
class LocalDay:
    """A day the office greets each year (``holidays.extra``): its anniversary, a local
    festival; ``year`` only for a one-off day."""

    name: str
    month: int
    day: int
    kind: Tone
    loc: Location
    year: int | None = None


@dataclass(frozen=True, slots=True)
class DayGreeting:
    """``holidays.greetings``: the post one named day's greeting becomes, the section's own
    text, media and accounts where it gives none of its own."""

    name: str
    post: Post
    loc: Location


@dataclass(frozen=True, slots=True)
class Holidays:
    """Holiday greetings: which holidays, at what time, and ``greeting``, the post each one
    becomes (its accounts, text, media, kind and status; its id, time and the holiday's
    name are filled in per holiday by ``holidays.holiday_post``)."""

    country: str
    at: time
    greeting: Post
    skip: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    language: str = "id"
    # Each ``skip``/``only``/``greetings`` name as written, with its key and place, for
    # ``check``.
    named: tuple[tuple[str, str, Location], ...] = ()
    observances: bool = False
    extra: tuple[LocalDay, ...] = ()
    greetings: tuple[DayGreeting, ...] = ()

    @property
    def loc(self) -> Location:
        return self.greeting.loc


@dataclass(frozen=True, slots=True)
class Rules:
    min_posts_per_week: int = 1
    grace: timedelta = timedelta(hours=6)
    blocked_words: tuple[str, ...] = ()
    warn_words: tuple[str, ...] = ()
    loc: Location | None = None
    min_posts_loc: Location | None = None


@dataclass(frozen=True, slots=True)
class Notify:
    """One ``notify`` entry: the variable holding its Apprise URL (never the URL itself),
    the events it is told, and when its daily digest goes out."""

    variable: str
    events: tuple[str, ...]
    loc: Location
    digest_at: time = time(7, 0)


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """The ``report`` section: what ``jadwal report`` puts on the page to sign."""

    title: str | None = None
    prepared_by: str | None = None
    approved_by: str | None = None
    late_after: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Calendar:
    path: Path
    timezone: ZoneInfo
    vars: dict[str, object]
    accounts: dict[str, Account]
    posts: tuple[Post, ...]
    holidays: Holidays | None
    rules: Rules
    version: int = 1
    graph_version: str = "v25.0"
    graph_url: str | None = None
    media_public_base_url: str | None = None
    media_staging: str | None = None
    notify: tuple[Notify, ...] = ()
    name: str | None = None  # for people: the iCalendar feed's name
    site_url: str | None = None  # where the static site (jadwal site) is published
    site_dir: Path | None = None  # where tick and the daemon keep it fresh
    language: str | None = None  # what jadwal speaks to people in (scheduler.i18n)
    report: ReportSettings = field(default_factory=ReportSettings)
    # What it was read from, as ``calendar.kept`` tells one text from another (its bytes'
    # digest, paths, language and jadwal's code); empty when it was not read from a file.
    # What is worked out from the calendar alone can be kept under it (``site.verdicts``).
    read_as: tuple[str, ...] = ()

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def templates_dir(self) -> Path:
        return self.folder / "templates"

    @property
    def media_cache_dir(self) -> Path:
        """Where media converted for a platform is kept (named after the source's bytes)."""
        return self.folder / STATE_DIR / "media"
