"""Public and religious holidays as greeting posts (``ucapan hari besar``).

The ``holidays`` package knows each country's holidays, with Indonesian names for ``ID``:
Hari Raya Idul Fitri, Hari Raya Natal, Hari Kemerdekaan Republik Indonesia, … Dates it can
only estimate (lunar holidays a year or more ahead) carry ``(perkiraan)`` in the name;
``skip``/``only`` match names with or without that suffix, or a date.

With ``observances`` the section greets Indonesia's national days too, and it always greets
the office's own days (``extra``); collective leave days get no greeting of their own. Each
greeting carries its day's tone and default words (``days.py``), and a day may have a
greeting of its own (``greetings``), the section's where it says nothing.
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
from scheduler.calendar.days import (
    ESTIMATED,
    day_tone,
    is_national_day,
    known_kind,
    local_date,
    name_key,
    national_days,
    wording,
)
from scheduler.calendar.fields import either
from scheduler.calendar.model import Holidays, Post, Schedule, Tone
from scheduler.calendar.spelling import misspelt
from scheduler.i18n import _
from scheduler.problems import Location

CATEGORY = "hari_besar"
NATIONAL = "ID"  # the country whose national days the data file lists
DEFAULT_TONE: Tone = "celebration"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOSEST = 3


@cache
def country_holidays(country: str, language: str, year: int) -> tuple[tuple[date, str], ...]:
    table = holidaylib.package().country_holidays(country, years=year, language=language)
    # get_list: the package joins same-day names with "; ", which would defeat skip/only.
    return tuple(sorted((day, name) for day in table for name in table.get_list(day)))


def _key(text: str) -> str:
    # "(perkiraan)" comes and goes as dates are confirmed: match with or without it.
    return name_key(text)


def _selected(spec: Holidays, day: date, name: str) -> bool:
    keys = {_key(name), day.isoformat()}
    if spec.only and not keys & {_key(v) for v in spec.only}:
        return False
    return not keys & {_key(v) for v in spec.skip}


def greeted_days(spec: Holidays, year: int) -> list[tuple[date, str]]:
    """Every day the section may greet in ``year``: the public holidays (collective leave
    days are none: they belong to the holiday they extend), the national days with
    ``observances`` (Indonesia's), and the office's own days."""
    days = list(country_holidays(spec.country, spec.language, year))
    if spec.observances and spec.country == NATIONAL:
        days += [(day, national.name) for day, national in national_days(year)]
    for local in spec.extra:
        day = local_date(local, year)
        if day is not None:
            days.append((day, local.name))
    return days


def holiday_dates(
    spec: Holidays, first_day: date, last_day: date
) -> Iterator[tuple[date, tuple[str, ...]]]:
    """Selected days in the window with their names; two on one day make one greeting."""
    for year in range(first_day.year, last_day.year + 1):
        by_day: dict[date, list[str]] = {}
        for day, name in greeted_days(spec, year):
            if first_day <= day <= last_day and _selected(spec, day, name):
                by_day.setdefault(day, []).append(name)
        for day, names in sorted(by_day.items()):
            yield day, tuple(names)


def joined(spec: Holidays, names: tuple[str, ...]) -> str:
    return (" dan " if spec.language == "id" else "; ").join(names)


def kind_of(spec: Holidays, name: str) -> Tone | None:
    """A day's tone: the office's own day's ``kind``, else the data file's."""
    for local in spec.extra:
        if _key(local.name) == _key(name):
            return local.kind
    return known_kind(name)


def holiday_post(
    spec: Holidays, day: date, name: str, tz: ZoneInfo, names: tuple[str, ...] = ()
) -> Post:
    """The greeting of ``day``: ``name`` is what the day is called (``names`` joined), its
    tone the most restrained of its days' and its words theirs (``days.wording``)."""
    names = names or (name,)
    kinds = [kind_of(spec, n) or DEFAULT_TONE for n in names]
    words = [wording(n, kind, day.year) for n, kind in zip(names, kinds, strict=True)]
    moment = datetime.combine(day, spec.at, tzinfo=tz)
    return replace(
        _greeting_for(spec, names),
        id=f"hari-besar-{day.isoformat()}",
        schedule=Schedule(at=moment),
        vars={
            "holiday": name.replace(ESTIMATED, ""),
            "holiday_estimated": ESTIMATED in name,
            "holiday_kind": day_tone(kinds),
            "greeting": " dan ".join(words),
        },
    )


def _greeting_for(spec: Holidays, names: tuple[str, ...]) -> Post:
    """The post of the first of ``names`` that has its own under ``greetings``."""
    wanted = {_key(n) for n in names}
    for own in spec.greetings:
        if _key(own.name) in wanted:
            return own.post
    return spec.greeting


def holiday_posts(
    spec: Holidays, first_day: date, last_day: date, tz: ZoneInfo
) -> Iterator[tuple[Post, str]]:
    for day, names in holiday_dates(spec, first_day, last_day):
        name = joined(spec, names)
        yield holiday_post(spec, day, name, tz, names), name


def unknown_kinds(spec: Holidays, years: Iterable[int]) -> list[str]:
    """The greeted days of ``years`` whose tone nobody gave (greeted as celebrations)."""
    found: dict[str, None] = {}
    for year in years:
        first, last = date(year, 1, 1), date(year, 12, 31)
        for _day, names in holiday_dates(spec, first, last):
            for name in names:
                if kind_of(spec, name) is None:
                    found.setdefault(name.removesuffix(ESTIMATED))
    return list(found)


def unknown_names(spec: Holidays, years: Iterable[int]) -> Iterator[tuple[Location, str]]:
    """Each ``skip``/``only``/``greetings`` name that is no day the section greets in
    ``years``, with the closest names: a misspelt name would silently let its greeting out,
    keep it back, or give it the wrong words."""
    years = sorted(set(years))
    known: dict[str, str] = {}
    for year in years:
        for _day, name in greeted_days(spec, year):
            known.setdefault(_key(name), name.removesuffix(ESTIMATED))
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    for key, text, where in spec.named:
        if _DATE.match(text.strip()) or _key(text) in known:
            continue
        if is_national_day(text) and not spec.observances:
            message = _(
                "holidays: {key}: '{name}' is a national day that is no day off: "
                "add 'observances: true' under holidays to greet it"
            )
            yield where, message.format(key=key, name=text)
            continue
        message = _("holidays: {key}: '{name}' is not a holiday of {country} in {span}; {hint}")
        hint = _hint(text, list(known.values()))
        # A name pasted by mistake (a whole caption, a page) is named by its start.
        name = text if len(text) <= 60 else text[:57] + "..."
        yield where, message.format(key=key, name=name, country=spec.country, span=span, hint=hint)


def _hint(text: str, names: list[str]) -> str:
    meant = misspelt(_key(text), names)
    if meant:
        return _("did you mean {names}?").format(names=either(meant))
    closest = difflib.get_close_matches(text, names, CLOSEST, 0)
    return _("the closest are {names}").format(names=", ".join(f"'{n}'" for n in closest))
