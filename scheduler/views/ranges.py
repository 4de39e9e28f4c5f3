"""The days the calendar views show when the command line gives none.

A month back (what went out, for the supervisor's review) and three ahead (what is planned),
in whole months: the span moves once a month, so a feed regenerated every hour keeps the same
events, and its subscribers see no event come and go with the day of the month.
"""

from __future__ import annotations

from datetime import date, timedelta

MONTHS_BACK = 1
MONTHS_AHEAD = 3


def default_range(today: date) -> tuple[date, date]:
    """From the first day of last month to the last day of the third month after this one,
    both included: on 2026-12-15, 2026-11-01 to 2027-03-31."""
    return _month_start(today, -MONTHS_BACK), _month_start(today, MONTHS_AHEAD + 1) - timedelta(1)


def _month_start(today: date, months: int) -> date:
    """The first day of the month ``months`` after (before, when negative) today's."""
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
