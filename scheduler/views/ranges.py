"""The days a view of the calendar covers when the command line does not say.

The views that look around today (``jadwal site`` and the iCalendar feed) show the month
before this one, for what just happened, this month, and the three after it, for what is
being prepared: ``default_range``. "Today" is today where the office is (the calendar's
zone), not where the computer is, as for ``jadwal preview``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

MONTHS_BEFORE = 1
MONTHS_AFTER = 3


def last_day(year: int, month: int) -> date:
    """The last day of ``year``-``month``."""
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s (before, when negative)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def default_range(zone: ZoneInfo, now: datetime | None = None) -> tuple[date, date]:
    """From the first day of last month to the last day of the month three months ahead."""
    today = (now.astimezone(zone) if now is not None else datetime.now(zone)).date()
    first = add_months(today, -MONTHS_BEFORE)
    end = add_months(today, MONTHS_AFTER)
    return first, last_day(end.year, end.month)


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Each (year, month) from ``first``'s month to ``last``'s, both included."""
    found = []
    month = date(first.year, first.month, 1)
    while month <= last:
        found.append((month.year, month.month))
        month = add_months(month, 1)
    return found
