"""The names a calendar view gives a day: public holidays, and observances (a government's
collective leave days, *cuti bersama*, and Indonesia's national days, *hari nasional*, that
are no day off but that offices mark with a post).

Holidays come from the ``holidays`` package, all of them (``holidays.skip``/``only`` choose
greetings, not what the day is); the country is the calendar's ``holidays.country``, or
Indonesia when the calendar has no ``holidays`` section.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from scheduler.calendar import holidaylib
from scheduler.calendar.model import Calendar

DEFAULT_COUNTRY = "ID"

# National days fixed by presidential decree, by (month, day): working days, widely marked.
NATIONAL_DAYS_ID: dict[tuple[int, int], str] = {
    (2, 9): "Hari Pers Nasional",
    (4, 21): "Hari Kartini",
    (5, 2): "Hari Pendidikan Nasional",
    (5, 20): "Hari Kebangkitan Nasional",
    (7, 23): "Hari Anak Nasional",
    (9, 9): "Hari Olahraga Nasional",
    (10, 1): "Hari Kesaktian Pancasila",
    (10, 2): "Hari Batik Nasional",
    (10, 22): "Hari Santri",
    (10, 28): "Hari Sumpah Pemuda",
    (11, 10): "Hari Pahlawan",
    (11, 25): "Hari Guru Nasional",
    (12, 22): "Hari Ibu",
}


@dataclass(frozen=True, slots=True)
class DayNames:
    holidays: tuple[str, ...] = ()
    observances: tuple[str, ...] = ()


def day_names(calendar: Calendar, first_day: date, last_day: date) -> dict[date, DayNames]:
    """The named days from ``first_day`` to ``last_day`` (both included); unnamed days are
    left out."""
    spec = calendar.holidays
    country = spec.country if spec else DEFAULT_COUNTRY
    language = spec.language if spec else "id"
    names: dict[date, DayNames] = {}
    for year in range(first_day.year, last_day.year + 1):
        for day, (public, other) in _year(country, language, year).items():
            if first_day <= day <= last_day:
                names[day] = DayNames(public, other)
    return names


@cache
def _year(country: str, language: str, year: int) -> dict[date, tuple[tuple[str, ...], ...]]:
    holidays = holidaylib.package()

    def table(category: str) -> dict[date, list[str]]:
        try:
            found = holidays.country_holidays(
                country, years=year, language=language, categories=(category,)
            )
        except ValueError:  # a country without that category
            return {}
        return {day: found.get_list(day) for day in found}

    public, government = table("public"), table("government")
    national = NATIONAL_DAYS_ID if country == DEFAULT_COUNTRY else {}
    for (month, number), name in national.items():
        government.setdefault(date(year, month, number), []).append(name)
    days = sorted(set(public) | set(government))
    return {d: (tuple(public.get(d, ())), tuple(government.get(d, ()))) for d in days}
