"""Public and religious holidays as greeting posts (``ucapan hari besar``).

The ``holidays`` package knows each country's holidays, with Indonesian names for ``ID``:
Hari Raya Idul Fitri, Hari Raya Natal, Hari Kemerdekaan Republik Indonesia, … Dates it can
only estimate (lunar holidays a year or more ahead) carry ``(perkiraan)`` in the name;
``skip``/``only`` match names with or without that suffix, or a date.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from scheduler.calendar import holidaylib
from scheduler.calendar.fields import either
from scheduler.calendar.model import Holidays, Post, Schedule
from scheduler.calendar.spelling import misspelt
from scheduler.i18n import _
from scheduler.problems import Location

ESTIMATED = " (perkiraan)"
CATEGORY = "hari_besar"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOSEST = 3


@cache
def country_holidays(country: str, language: str, year: int) -> tuple[tuple[date, str], ...]:
    table = holidaylib.package().country_holidays(country, years=year, language=language)
    # get_list: the package joins same-day names with "; ", which would defeat skip/only.
    return tuple(sorted((day, name) for day in table for name in table.get_list(day)))


def _key(text: str) -> str:
    # "(perkiraan)" comes and goes as dates are confirmed: match with or without it.
    return text.strip().casefold().removesuffix(ESTIMATED).strip()


def _selected(spec: Holidays, day: date, name: str) -> bool:
    keys = {_key(name), day.isoformat()}
    if spec.only and not keys & {_key(v) for v in spec.only}:
        return False
    return not keys & {_key(v) for v in spec.skip}


def holiday_dates(spec: Holidays, first_day: date, last_day: date) -> Iterator[tuple[date, str]]:
    """Selected holidays in the window; two holidays on one day become one greeting."""
    for year in range(first_day.year, last_day.year + 1):
        by_day: dict[date, list[str]] = {}
        for day, name in country_holidays(spec.country, spec.language, year):
            if first_day <= day <= last_day and _selected(spec, day, name):
                by_day.setdefault(day, []).append(name)
        for day, names in sorted(by_day.items()):
            yield day, " dan ".join(names) if spec.language == "id" else "; ".join(names)


def holiday_post(spec: Holidays, day: date, name: str, tz: ZoneInfo) -> Post:
    moment = datetime.combine(day, spec.at, tzinfo=tz)
    return replace(
        spec.greeting,
        id=f"hari-besar-{day.isoformat()}",
        schedule=Schedule(at=moment),
        vars={"holiday": name.replace(ESTIMATED, ""), "holiday_estimated": ESTIMATED in name},
    )


def holiday_posts(
    spec: Holidays, first_day: date, last_day: date, tz: ZoneInfo
) -> Iterator[tuple[Post, str]]:
    for day, name in holiday_dates(spec, first_day, last_day):
        yield holiday_post(spec, day, name, tz), name


def unknown_names(spec: Holidays, years: Iterable[int]) -> Iterator[tuple[Location, str]]:
    """Each ``skip``/``only`` name that is no holiday of the country in ``years``, with the
    closest names: a misspelt name would silently let its greeting out (or keep it back)."""
    years = sorted(set(years))
    known: dict[str, str] = {}
    for year in years:
        for _day, name in country_holidays(spec.country, spec.language, year):
            known.setdefault(_key(name), name.removesuffix(ESTIMATED))
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    for key, text, where in spec.named:
        if _DATE.match(text.strip()) or _key(text) in known:
            continue
        names = list(known.values())
        meant = misspelt(_key(text), names)
        hint = (
            _("did you mean {either}?").format(either=either(meant))
            if meant
            else _("the closest are ")
            + ", ".join(f"'{n}'" for n in difflib.get_close_matches(text, names, CLOSEST, 0))
        )
        yield (
            where,
            _("holidays: {key}: '{text}' is not a holiday of {country} in {span}; {hint}").format(
                key=key, text=text, country=spec.country, span=span, hint=hint
            ),
        )
