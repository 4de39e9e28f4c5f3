"""The weekly rhythm (the field guideline: at least ``rules.min_posts_per_week`` approved posts
per account in every week, Monday to Sunday), counted from the expanded calendar."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from scheduler.calendar.expand import Occurrence, expand
from scheduler.calendar.model import Calendar


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def week_counts(occurrences: Iterable[Occurrence]) -> Counter[tuple[str, date]]:
    """How many posts count towards the rule, per (account, Monday): holiday greetings count,
    drafts don't."""
    return Counter(
        (o.account.name, week_start(o.at.date()))
        for o in occurrences
        if o.post.status == "approved"
    )


def thin_weeks(calendar: Calendar, first_monday: date, weeks: int) -> dict[str, list[date]]:
    """For each account, the Mondays of the weeks with fewer approved posts than the rule
    asks. Empty lists when the rule is 0."""
    minimum = calendar.rules.min_posts_per_week
    last_day = first_monday + timedelta(weeks=weeks, days=-1)
    counts = week_counts(expand(calendar, first_monday, last_day))
    mondays = [first_monday + timedelta(weeks=n) for n in range(weeks)]
    return {
        name: [m for m in mondays if counts[(name, m)] < minimum]
        for name in sorted(calendar.accounts)
    }
