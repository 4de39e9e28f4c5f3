"""Indonesia's national days and the tone of every day jadwal greets, from one data file.

``data/observances.yaml`` (shipped in the package) lists the national days that are no day
off (*hari nasional yang bukan hari libur*), each with its date, its tone and the decree that
set it, and gives the tone and the customary words of the ``holidays`` package's Indonesian
public holidays. The calendar views name the national days from it (``observances.py``) and
the greetings take their tone and words from it (``holidays.py``): one source for both.

A day's tone (``Tone``) decides how it is greeted: "Selamat Hari Raya Idul Fitri" on a
celebration, "Memperingati Wafat Yesus Kristus" on a solemn day, and the customary words
where there are some ("Dirgahayu Republik Indonesia").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import yaml

from scheduler.calendar.model import TONES, LocalDay, Tone

DATA = "observances.yaml"
ESTIMATED = " (perkiraan)"
# When one greeting names several days, it takes the most restrained tone among them: a
# festive word beside a day of mourning would jar.
RESTRAINT: tuple[Tone, ...] = ("solemn", "commemoration", "religious", "celebration")


@dataclass(frozen=True, slots=True)
class NationalDay:
    name: str
    month: int
    day: int
    kind: Tone
    decree: str | None = None


@dataclass(frozen=True, slots=True)
class Tables:
    source: str
    national: tuple[NationalDay, ...]
    kinds: dict[str, Tone]  # by ``name_key``
    wordings: dict[str, str]  # by ``name_key``


def name_key(name: str) -> str:
    """How names are compared: letter case ignored, ``(perkiraan)`` left out (it comes and
    goes as a lunar date is confirmed)."""
    return name.strip().casefold().removesuffix(ESTIMATED).strip()


@cache
def tables() -> Tables:
    text = resources.files("scheduler.calendar").joinpath("data", DATA).read_text("utf-8")
    data = yaml.safe_load(text)
    national = tuple(_national(entry) for entry in data["observances"])
    kinds = {name_key(day.name): day.kind for day in national}
    wordings: dict[str, str] = {}
    for name, entry in data["holidays"].items():
        kinds[name_key(name)] = _tone(entry["kind"])
        if "wording" in entry:
            wordings[name_key(name)] = str(entry["wording"])
    return Tables(str(data["source"]), national, kinds, wordings)


def _national(entry: dict[str, object]) -> NationalDay:
    month, day = (int(part) for part in str(entry["date"]).split("-"))
    decree = entry.get("decree")
    return NationalDay(
        str(entry["name"]), month, day, _tone(entry["kind"]), str(decree) if decree else None
    )


def _tone(value: object) -> Tone:
    if value not in TONES:
        raise ValueError(f"{DATA}: unknown kind {value!r}")
    return value


def national_days(year: int) -> list[tuple[date, NationalDay]]:
    """Indonesia's national days of ``year`` that are no day off, by date."""
    return sorted((date(year, day.month, day.day), day) for day in tables().national)


def is_national_day(name: str) -> bool:
    return any(name_key(day.name) == name_key(name) for day in tables().national)


def known_kind(name: str) -> Tone | None:
    """The tone the data file gives ``name``, or None for a name it does not know."""
    return tables().kinds.get(name_key(name))


def wording(name: str, kind: Tone, year: int) -> str:
    """The words that greet the day ``name`` in ``year``: its customary wording, else
    "Memperingati NAME" on a solemn day and "Selamat NAME" on any other."""
    shown = name.removesuffix(ESTIMATED)
    custom = tables().wordings.get(name_key(name))
    if custom is not None:
        # Nyepi opens the Saka year (Gregorian − 78), Imlek the Chinese year (+ 551).
        return custom.format(year=year, saka=year - 78, kongzili=year + 551)
    return f"Memperingati {shown}" if kind == "solemn" else f"Selamat {shown}"


def day_tone(kinds: list[Tone]) -> Tone:
    return next(tone for tone in RESTRAINT if tone in kinds)


def local_date(local: LocalDay, year: int) -> date | None:
    """The date of the office's own day in ``year``: none in another year than a one-off
    day's, nor on 29 February of a common year."""
    if local.year not in (None, year):
        return None
    try:
        return date(year, local.month, local.day)
    except ValueError:
        return None
