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

``months_view`` lays out several months at once, from one expansion and one query of the
store (the site draws a year of months that way).

Each week counts, per account, the posts towards ``rules.min_posts_per_week`` (holiday
greetings count, drafts don't), over the whole week, days of the next or last month included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal

from scheduler.calendar.expand import Occurrence, by_post_and_time, expand
from scheduler.calendar.model import Calendar, Kind, Status
from scheduler.calendar.observances import DayNames, day_names
from scheduler.calendar.rhythm import week_counts, week_start
from scheduler.views.ranges import last_day, months_between

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only when there is one to read
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
    error: str | None = None  # the store's last error for one not published (what went wrong)


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
    first = date(year, month, 1)
    (found,) = months_view(calendar, first, first, store, account, now)
    return found


def weeks_shown(first: date, last: date) -> tuple[date, date]:
    """The days the months from ``first``'s to ``last``'s show: whole weeks, Monday first."""
    start = week_start(date(first.year, first.month, 1))
    return start, week_start(last_day(last.year, last.month)) + timedelta(days=6)


def months_view(
    calendar: Calendar,
    first: date,
    last: date,
    store: Store | None = None,
    account: str | None = None,
    now: datetime | None = None,
    occurrences: list[Occurrence] | None = None,
) -> list[Month]:
    """Every month from ``first``'s to ``last``'s, the calendar expanded and the store read
    once for all of them. ``occurrences``: those of ``weeks_shown(first, last)``, when the
    caller has expanded them already."""
    start, end = weeks_shown(first, last)
    if occurrences is None:
        occurrences = expand(calendar, start, end, account)
    states = States(calendar, store, now or datetime.now(UTC), start, end)
    layout = _Layout(
        entries=_entries(occurrences, states),
        names=day_names(calendar, start, end),
        counts=week_counts(occurrences),
        shown=(account,) if account else tuple(sorted(calendar.accounts)),
        minimum=calendar.rules.min_posts_per_week,
    )
    zone = calendar.timezone.key
    return [
        Month(y, m, zone, layout.minimum, layout.shown, layout.weeks(y, m), store is not None)
        for y, m in months_between(first, last)
    ]


@dataclass(frozen=True, slots=True)
class _Layout:
    """What the months are drawn from: entries and named days by date, weekly counts."""

    entries: dict[date, list[Entry]]
    names: dict[date, DayNames]
    counts: Counter[tuple[str, date]]
    shown: tuple[str, ...]
    minimum: int

    def weeks(self, year: int, month: int) -> tuple[Week, ...]:
        first = week_start(date(year, month, 1))
        last = week_start(last_day(year, month)) + timedelta(days=6)
        weeks = []
        for monday in _mondays(first, last):
            days = tuple(
                _day(monday + timedelta(days=n), month, self.names, self.entries) for n in range(7)
            )
            tally = tuple(
                WeekCount(a, self.counts[(a, monday)], self.counts[(a, monday)] < self.minimum)
                for a in self.shown
            )
            weeks.append(Week(monday, monday.isocalendar().week, days, tally))
        return tuple(weeks)


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


def _entries(occurrences: list[Occurrence], states: States) -> dict[date, list[Entry]]:
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


class States:
    """Each occurrence's state, from the store's rows of the days ``first`` to ``last``
    (one query)."""

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
        key = o.key  # worked out from the time each time it is read: once
        row = self.rows.get(key)
        recorded = row.state if row is not None else None
        published = row is not None and row.state == "published"
        permalink = row.permalink if row is not None and published else None
        error = row.error_message if row is not None and not published else None
        state = self.state(o, row)
        return Delivery(o.account.name, o.platform, key, state, recorded, permalink, error)

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
