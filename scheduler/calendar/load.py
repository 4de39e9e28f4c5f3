"""The one way into a calendar: ``load_calendar(path)`` for the daemon, ``read_calendar_file``
for ``jadwal check`` (which wants every problem, not just the first)."""

from __future__ import annotations

from pathlib import Path

from scheduler.calendar.model import Calendar
from scheduler.calendar.schema import read_calendar
from scheduler.calendar.yamltree import YamlError, parse_yaml
from scheduler.errors import CalendarError
from scheduler.files import display_path
from scheduler.problems import Location, Problem, sort_problems


def read_calendar_file(path: Path) -> tuple[Calendar | None, list[Problem]]:
    """Parse and validate ``path``; the calendar is ``None`` when it can't be read at all."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [_fatal(shown, f"calendar file not found: {shown}")]
    except IsADirectoryError:
        return None, [_fatal(shown, f"{shown} is a folder: give the path of calendar.yaml")]
    except OSError as exc:
        return None, [_fatal(shown, f"cannot read {shown}: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            Problem(shown, line, 1, "error", "the file is not UTF-8 text; save it as UTF-8")
        ]
    try:
        root = parse_yaml(text, shown)
    except YamlError as exc:
        return None, [Problem.at(exc.where, "error", exc.message)]
    if root is None:
        return None, [
            _fatal(
                shown,
                "the calendar is empty: start with 'version: 1', accounts "
                "and posts (see docs/calendar.md)",
            )
        ]
    calendar, problems = read_calendar(root, path.resolve())
    return calendar, sort_problems(problems)


def load_calendar(path: Path) -> Calendar:
    """The validated calendar; raises ``CalendarError`` listing every error if there is one."""
    calendar, problems = read_calendar_file(path)
    if calendar is None or any(p.is_error for p in problems):
        raise CalendarError(problems)
    return calendar


def _fatal(path: str, message: str) -> Problem:
    return Problem.at(Location(path), "error", message)
