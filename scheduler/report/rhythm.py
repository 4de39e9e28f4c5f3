"""Regularity: the ISO weeks touching a month against ``rules.min_posts_per_week``, and the
longest stretch without a post.

A week counts what was published in it, the days of the months beside it included (the rule
is about weeks, Monday to Sunday, as the site's strips count them). A week that has not ended
and is still short is not judged yet (``meets_rule`` None): the posts to come may meet it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from scheduler.calendar.rhythm import week_start
from scheduler.report.lines import Line
from scheduler.views.month import weeks_shown


@dataclass(frozen=True, slots=True)
class WeekFigure:
    monday: date
    published: int
    meets_rule: bool | None  # None: the week is not over and not met yet

    @property
    def name(self) -> str:
        """``2026-W49``, ISO 8601's name of the week."""
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class Gap:
    """The longest stretch without a post: from one moment (a post, or where the month's
    record begins) to the next (a post, or where it ends)."""

    start: datetime
    end: datetime

    @property
    def days(self) -> float:
        return round((self.end - self.start) / timedelta(days=1), 1)


def week_span(first_day: date) -> tuple[date, date]:
    """The Monday of the month's first week and the Sunday of its last."""
    return weeks_shown(first_day, first_day)


def weeks(
    lines: Iterable[Line], first_day: date, minimum: int, today: date
) -> tuple[WeekFigure, ...]:
    """Each week touching the month of ``first_day``, what ``lines`` published in it."""
    start, end = week_span(first_day)
    counts: dict[date, int] = {}
    for line in lines:
        if line.state == "published":
            monday = week_start(line.at.date())
            counts[monday] = counts.get(monday, 0) + 1
    found = []
    monday = start
    while monday <= end:
        posts = counts.get(monday, 0)
        over = monday + timedelta(days=6) < today
        met = True if posts >= minimum else (False if over else None)
        found.append(WeekFigure(monday, posts, met))
        monday += timedelta(weeks=1)
    return tuple(found)


def longest_gap(moments: Sequence[datetime], start: datetime, end: datetime) -> Gap | None:
    """The longest stretch between ``start``, each of ``moments`` (sorted) and ``end``;
    None when ``end`` is not after ``start`` (a month not begun)."""
    if end <= start:
        return None
    inside = [m for m in moments if start <= m <= end]
    points = [start, *inside, end]
    pairs = pairwise(points)
    first, second = max(pairs, key=lambda pair: pair[1] - pair[0])
    return Gap(first, second)
