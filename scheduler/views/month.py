"""One month of a calendar as data: what ``jadwal calendar`` draws (``grid``) and prints as JSON.

``month_view(calendar, year, month, store)`` lays the month out in weeks, Monday first (the
first and last weeks run into the months beside it, as on a wall calendar), each day with its
holidays, observances and posts. A post at a time is one ``Entry`` whatever the number of its
accounts; each account's ``Delivery`` carries its state:

- ``draft``: the post is a draft (never published);
- ``published``, ``failed``, ``missed``: what the store recorded (``unknown`` counts as
  failed: a person must settle it; ``skipped`` as missed: it did not go out);
- ``awaiting``: a post made by hand (WhatsApp) whose operator was reminded and has not yet
  confirmed it (``jadwal done``);
- ``missed`` too when the store has no row although it was open at that time and the grace
  (``rules.grace``) has passed: nothing ran;
- ``planned`` otherwise: to come, on its way (claimed, retrying), or from before the store
  existed (it cannot know).

Each week counts, per account, the posts towards ``rules.min_posts_per_week`` (holiday
greetings count, drafts don't), over the whole week, days of the next or last month included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from scheduler.calendar.expand import Occurrence, by_post_and_time, expand
from scheduler.calendar.model import Calendar, Kind, Status
from scheduler.calendar.observances import DayNames, day_names
from scheduler.calendar.rhythm import week_counts, week_start
from scheduler.store import Publication, Store

State = Literal["planned", "published", "failed", "missed", "draft", "awaiting"]
# The worst first: an entry shows the worst state of its accounts.
STATES: tuple[State, ...] = ("failed", "missed", "awaiting", "planned", "draft", "published")
_RECORDED: dict[str, State] = {
    "published": "published",
    "failed": "failed",
    "unknown": "failed",
    "missed": "missed",
    "skipped": "missed",
    "awaiting": "awaiting",
}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One account's part of an entry."""

    account: str
    platform: str
    key: str  # the occurrence key, as in the store and ``jadwal preview --format json``
    state: State
    recorded: str | None = None  # the store's own state; None without a row
    permalink: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """A post at one time: local time, what it is, and each account's state."""

    at: datetime  # aware, in the calendar's zone
    post_id: str
    title: str
    category: str | None
    kind: Kind
    status: Status
    holiday: str | None  # the holiday's name for a holiday greeting
    deliveries: tuple[Delivery, ...]

    @property
    def accounts(self) -> tuple[str, ...]:
        return tuple(d.account for d in self.deliveries)

    @property
    def state(self) -> State:
        return min((d.state for d in self.deliveries), key=STATES.index)


@dataclass(frozen=True, slots=True)
class Day:
    date: date
    in_month: bool
    holidays: tuple[str, ...]
    observances: tuple[str, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class WeekCount:
    account: str
    posts: int
    below: bool  # fewer than ``rules.min_posts_per_week``


@dataclass(frozen=True, slots=True)
class Week:
    monday: date
    number: int  # ISO week number
    days: tuple[Day, ...]  # Monday to Sunday
    counts: tuple[WeekCount, ...]  # one per account shown, by name

    @property
    def below(self) -> tuple[WeekCount, ...]:
        return tuple(c for c in self.counts if c.below)


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    timezone: str
    min_posts_per_week: int
    accounts: tuple[str, ...]  # the accounts shown (one with ``--account``)
    weeks: tuple[Week, ...]
    history: bool  # whether a store was read (without one every post is planned or draft)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def entries(self) -> list[Entry]:
        """The month's own entries (not those of the days around it), in time order."""
        return [e for w in self.weeks for d in w.days if d.in_month for e in d.entries]


def month_view(
    calendar: Calendar,
    year: int,
    month: int,
    store: Store | None = None,
    account: str | None = None,
    now: datetime | None = None,
) -> Month:
    """The month ``year``-``month``, its posts' states read from ``store`` when there is one."""
    first = week_start(date(year, month, 1))
    last = week_start(_last_day(year, month)) + timedelta(days=6)
    occurrences = expand(calendar, first, last, account)
    states = _States(calendar, store, now or datetime.now(UTC), first, last)
    entries = _entries(occurrences, states)
    names = day_names(calendar, first, last)
    shown = (account,) if account else tuple(sorted(calendar.accounts))
    counts = week_counts(occurrences)
    minimum = calendar.rules.min_posts_per_week
    weeks = []
    for monday in _mondays(first, last):
        days = tuple(_day(monday + timedelta(days=n), month, names, entries) for n in range(7))
        tally = tuple(
            WeekCount(a, counts[(a, monday)], counts[(a, monday)] < minimum) for a in shown
        )
        weeks.append(Week(monday, monday.isocalendar().week, days, tally))
    zone = calendar.timezone.key
    return Month(year, month, zone, minimum, shown, tuple(weeks), store is not None)


def _last_day(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _mondays(first: date, last: date) -> Iterable[date]:
    monday = first
    while monday <= last:
        yield monday
        monday += timedelta(weeks=1)


def _day(
    day: date, month: int, names: dict[date, DayNames], entries: dict[date, list[Entry]]
) -> Day:
    named = names.get(day, DayNames())
    found = tuple(entries.get(day, ()))
    return Day(day, day.month == month, named.holidays, named.observances, found)


def _entries(occurrences: list[Occurrence], states: _States) -> dict[date, list[Entry]]:
    """One entry per post and time, in time order (``expand`` sorts by time, then post)."""
    by_day: dict[date, list[Entry]] = {}
    for group in by_post_and_time(occurrences):
        post, moment = group[0].post, group[0].at
        entry = Entry(
            at=moment,
            post_id=post.id,
            title=title(group[0]),
            category=post.category,
            kind=post.kind,
            status=post.status,
            holiday=group[0].holiday,
            deliveries=tuple(states.delivery(o) for o in group),
        )
        by_day.setdefault(moment.date(), []).append(entry)
    return by_day


def title(occurrence: Occurrence) -> str:
    """What people call the post: its ``title``, a greeting's holiday, or its id."""
    return occurrence.post.title or occurrence.holiday or occurrence.post.id


class _States:
    """Each occurrence's state, from the store's rows of the weeks shown (one query)."""

    def __init__(
        self, calendar: Calendar, store: Store | None, now: datetime, first: date, last: date
    ) -> None:
        self.grace = calendar.rules.grace
        self.now = now
        self.rows: dict[str, Publication] = {}
        self.since: datetime | None = None  # when the store's record begins
        if store is not None:
            from scheduler.store.reads import scheduled_between

            tz = calendar.timezone
            start = datetime.combine(first, time(0, 0), tzinfo=tz)
            end = datetime.combine(last + timedelta(days=1), time(0, 0), tzinfo=tz)
            self.rows = {r.key: r for r in scheduled_between(store, start, end)}
            self.since = store.created_at()

    def delivery(self, o: Occurrence) -> Delivery:
        row = self.rows.get(o.key)
        recorded = row.state if row is not None else None
        permalink = row.permalink if row is not None and row.state == "published" else None
        return Delivery(o.account.name, o.platform, o.key, self.state(o, row), recorded, permalink)

    def state(self, o: Occurrence, row: Publication | None) -> State:
        if o.post.status == "draft" and (row is None or row.state == "skipped"):
            return "draft"
        if row is not None and row.state in _RECORDED:
            return _RECORDED[row.state]
        lapsed = o.at + self.grace < self.now
        if row is None and lapsed and self.since is not None and o.at >= self.since:
            return "missed"
        return "planned"


def as_dict(month: Month) -> dict[str, object]:
    """``--format json``: the same data as the grid; dates and times in ISO 8601 (local)."""
    return {
        "month": f"{month.year:04d}-{month.month:02d}",
        "timezone": month.timezone,
        "min_posts_per_week": month.min_posts_per_week,
        "accounts": list(month.accounts),
        "history": month.history,
        "weeks": [_week(w) for w in month.weeks],
    }


def _week(week: Week) -> dict[str, object]:
    return {
        "monday": week.monday.isoformat(),
        "number": week.number,
        "counts": [asdict(c) for c in week.counts],
        "days": [_day_dict(d) for d in week.days],
    }


def _day_dict(day: Day) -> dict[str, object]:
    return {
        "date": day.date.isoformat(),
        "in_month": day.in_month,
        "holidays": list(day.holidays),
        "observances": list(day.observances),
        "entries": [_entry(e) for e in day.entries],
    }


def _entry(entry: Entry) -> dict[str, object]:
    return {
        "at": entry.at.isoformat(),
        "post_id": entry.post_id,
        "title": entry.title,
        "category": entry.category,
        "kind": entry.kind,
        "status": entry.status,
        "holiday": entry.holiday,
        "state": entry.state,
        "accounts": [asdict(d) for d in entry.deliveries],
    }
