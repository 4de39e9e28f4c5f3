"""Each account's weekly rhythm around today: the 12 weeks before this one, this week and
the 12 after, each against ``rules.min_posts_per_week``.

Unlike the month grid's weekly counts, which count what the calendar plans, the strip counts
what went out or is still to go, by the states of the month model: a post that failed or was
missed leaves a gap in the week it was meant for, as the supervisor's evaluation sees it;
drafts never count. Without a history every post of the past counts as planned.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from scheduler.calendar.expand import expand
from scheduler.calendar.model import Calendar
from scheduler.calendar.rhythm import week_start
from scheduler.views.month import States

if TYPE_CHECKING:
    from scheduler.store import Store

WEEKS_AROUND = 12
COUNTED = frozenset({"planned", "published", "awaiting"})  # out, or still to go


@dataclass(frozen=True, slots=True)
class StripWeek:
    monday: date
    number: int  # ISO week number
    posts: int
    below: bool  # fewer than the rule asks
    when: str  # "past", "now" or "next"


@dataclass(frozen=True, slots=True)
class Strip:
    account: str
    weeks: tuple[StripWeek, ...]

    @property
    def below(self) -> int:
        return sum(w.below for w in self.weeks)


def rhythm_strips(
    calendar: Calendar, store: Store | None = None, now: datetime | None = None
) -> list[Strip]:
    """One strip per account, by name, around the week of ``now`` (the calendar's zone)."""
    now = now or datetime.now(UTC)
    this_week = week_start(now.astimezone(calendar.timezone).date())
    first = this_week - timedelta(weeks=WEEKS_AROUND)
    last = this_week + timedelta(weeks=WEEKS_AROUND + 1, days=-1)
    states = States(calendar, store, now, first, last)
    counts: Counter[tuple[str, date]] = Counter(
        (o.account.name, week_start(o.at.date()))
        for o in expand(calendar, first, last)
        if states.delivery(o).state in COUNTED
    )
    mondays = [first + timedelta(weeks=n) for n in range(2 * WEEKS_AROUND + 1)]
    minimum = calendar.rules.min_posts_per_week
    return [
        Strip(name, tuple(_week(counts[(name, m)], m, this_week, minimum) for m in mondays))
        for name in sorted(calendar.accounts)
    ]


def _week(posts: int, monday: date, this_week: date, minimum: int) -> StripWeek:
    when = "past" if monday < this_week else "now" if monday == this_week else "next"
    return StripWeek(monday, monday.isocalendar().week, posts, posts < minimum, when)
