"""The names a calendar view gives a day: public holidays, and observances (a government's
collective leave days, *cuti bersama*, Indonesia's national days, *hari nasional*, that are
no day off but that offices mark with a post, and the office's own days, ``holidays.extra``).

Holidays come from the ``holidays`` package, all of them (``holidays.skip``/``only`` choose
greetings, not what the day is); the country is the calendar's ``holidays.country``, or
Indonesia when the calendar has no ``holidays`` section. The national days come from the
data file the greetings read too (``days.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from scheduler.calendar.days import local_date, national_days
from scheduler.calendar.model import Calendar
from scheduler.calendar.workdays import DEFAULT_COUNTRY, categories, country_of


@dataclass(frozen=True, slots=True)
class DayNames:
    holidays: tuple[str, ...] = ()
    observances: tuple[str, ...] = ()


def day_names(calendar: Calendar, first_day: date, last_day: date) -> dict[date, DayNames]:
    """The named days from ``first_day`` to ``last_day`` (both included); unnamed days are
    left out."""
    country, language = country_of(calendar)
    extra = calendar.holidays.extra if calendar.holidays else ()
    names: dict[date, DayNames] = {}
    for year in range(first_day.year, last_day.year + 1):
        for day, (public, other) in _year(country, language, year).items():
            if first_day <= day <= last_day:
                names[day] = DayNames(public, other)
        for local in extra:
            own = local_date(local, year)
            if own is not None and first_day <= own <= last_day:
                named = names.get(own, DayNames())
                names[own] = DayNames(named.holidays, (*named.observances, local.name))
    return names


@cache
def _year(country: str, language: str, year: int) -> dict[date, tuple[tuple[str, ...], ...]]:
    public, leave = categories(country, language, year)
    government = {day: list(names) for day, names in leave.items()}
    if country == DEFAULT_COUNTRY:
        for day, national in national_days(year):
            government.setdefault(day, []).append(national.name)
    days = sorted(set(public) | set(government))
    return {d: (tuple(public.get(d, ())), tuple(government.get(d, ()))) for d in days}
