"""The words a report shows people: states, kinds, "not available", numbers and times.

Each is translated when it is shown (``_``), so a report speaks the language set for the run.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from scheduler.i18n import (
    _,
    language,
    ngettext,
    people_date,
    people_moment,
    people_number,
    people_time,
)
from scheduler.words import kind_word, state_word


def state_label(state: str) -> str:
    return state_word(state)


def kind_label(kind: str) -> str:
    return kind_word(kind)


def category_label(category: str) -> str:
    return _("(no category)") if category == "none" else category


def not_available() -> str:
    return _("not available")


def number(value: int | None) -> str:
    """``1.290`` as Indonesian writes thousands (``1,290`` in English); "not available" for
    None."""
    return not_available() if value is None else people_number(value)


def percent(rate: float | None) -> str:
    """``5,2%``, with Indonesian's decimal comma (``5.2%`` in English); "not available" for
    None."""
    return not_available() if rate is None else f"{people_number(rate * 100, 1)}%"


def growth(value: int | None) -> str:
    if value is None:
        return not_available()
    return ("+" if value > 0 else "") + number(value).replace("-", "−")


def late_text(late_by: timedelta) -> str:
    minutes = round(late_by.total_seconds() / 60)
    if minutes < 120:
        return ngettext("{n} minute late", "{n} minutes late", minutes).format(n=minutes)
    hours = round(minutes / 60)
    return ngettext("{n} hour late", "{n} hours late", hours).format(n=hours)


def moment(value: datetime) -> str:
    """``Sen 1 Des 09.00`` / ``Tue 1 Dec 09:00``: a time of the month as people read it (in
    the calendar's zone); the CSV and the JSON keep ISO times for programs."""
    return _moment(language(), value)


@functools.lru_cache(maxsize=4096)  # Babel takes tens of microseconds; times repeat
def _moment(_language: str, value: datetime) -> str:
    return people_moment(value)


def made(value: datetime) -> str:
    """``Minggu, 20 Desember 2026, 10.00``: when the report was made."""
    return f"{people_date(value)}, {people_time(value.time())}"


def days(value: float) -> str:
    text = people_number(value, 1, optional=True)
    return ngettext("{n} day", "{n} days", round(value)).format(n=text)


def month_name(year: int, month: int) -> str:
    names = (
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    )
    return f"{names[month - 1]} {year}"
