"""Days off, and what a routine post does on one (``on_holidays``).

A day off is a public holiday or a collective leave day (*cuti bersama*: the ``holidays``
package's ``government`` category for ``ID``) of the calendar's ``holidays.country``, or of
Indonesia when the calendar has no ``holidays`` section: the days an office is closed, when a
weekly service-procedure post would tell people to come to a shut counter. ``skip`` drops an
occurrence on a day off; ``next_workday`` moves it, at the same local time, to the next day
that is neither a weekend nor a day off.

A moved occurrence's key is made from its new time, as any occurrence's is. When an
occurrence would land where the post already is (a Monday holiday moved onto the Tuesday of
a daily series, or the second Monday of a long Lebaran leave onto the Tuesday the first was
moved to), it is skipped instead: one moment, one key, one publication.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from scheduler.calendar import holidaylib
from scheduler.calendar.model import Calendar, OnHolidays

DEFAULT_COUNTRY = "ID"
SATURDAY = 5
# The longest run of days off an occurrence is moved across: Lebaran's holidays, its
# collective leave and two weekends make about ten days.
LOOKBACK = timedelta(days=21)
SKIPPED = "on_holidays"


@cache
def categories(
    country: str, language: str, year: int
) -> tuple[dict[date, tuple[str, ...]], dict[date, tuple[str, ...]]]:
    """The country's public holidays and its collective leave days of ``year``, by date."""
    holidays = holidaylib.package()

    def table(category: str) -> dict[date, tuple[str, ...]]:
        try:
            found = holidays.country_holidays(
                country, years=year, language=language, categories=(category,)
            )
        except ValueError:  # a country without that category
            return {}
        return {day: tuple(found.get_list(day)) for day in found}

    return table("public"), table("government")


# A country and the language its holidays are named in: whose days off they are.
Where = tuple[str, str]


def country_of(calendar: Calendar) -> Where:
    spec = calendar.holidays
    return (spec.country, spec.language) if spec else (DEFAULT_COUNTRY, "id")


@cache
def days_off(where: Where, year: int) -> frozenset[date]:
    public, leave = categories(*where, year)
    return frozenset(public) | frozenset(leave)


def is_day_off(where: Where, day: date) -> bool:
    return day in days_off(where, day.year)


def names_off(where: Where, day: date) -> tuple[str, ...]:
    """What ``day`` is off for: its public holidays, then its collective leave."""
    public, leave = categories(*where, day.year)
    return (*public.get(day, ()), *leave.get(day, ()))


def next_workday(where: Where, day: date) -> date:
    """The first day after ``day`` that is no weekend and no day off."""
    day += timedelta(days=1)
    while day.weekday() >= SATURDAY or is_day_off(where, day):
        day += timedelta(days=1)
    return day


@dataclass(frozen=True, slots=True)
class Placed:
    """Where ``on_holidays`` puts one occurrence of a post: at ``at`` (``moved_from`` its
    own time when it was moved), or nowhere (``skipped``)."""

    at: datetime
    moved_from: datetime | None = None
    skipped: bool = False


def place(
    where: Where, rule: OnHolidays, moments: Iterable[datetime], first: date, last: date
) -> list[Placed]:
    """The moments of one post from ``first`` to ``last`` (both included) once ``rule`` has
    dealt with days off; ``moments`` may start earlier (an occurrence moved into the window)."""
    moments = list(moments)
    taken = {m for m in moments if not is_day_off(where, m.date())}
    out: list[Placed] = []
    for moment in moments:
        day = moment.date()
        if not is_day_off(where, day):
            if first <= day <= last:
                out.append(Placed(moment))
            continue
        if rule == "skip":
            if first <= day <= last:
                out.append(Placed(moment, skipped=True))
            continue
        moved = datetime.combine(next_workday(where, day), moment.timetz())
        if not first <= moved.date() <= last:
            continue
        if moved in taken:  # the post is there already: one moment, one publication
            out.append(Placed(moment, skipped=True))
        else:
            out.append(Placed(moved, moment))
            taken.add(moved)
    return sorted(out, key=lambda p: p.at)
