"""The one way into a calendar: ``load_calendar(path)`` for the daemon, ``read_calendar_file``
for ``jadwal check`` (which wants every problem, not just the first)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from scheduler import i18n
from scheduler.calendar import kept
from scheduler.calendar.keys import SPOKEN
from scheduler.calendar.model import Calendar
from scheduler.calendar.refs import Looks
from scheduler.calendar.schema import read_calendar
from scheduler.calendar.yamltree import YamlError, parse_yaml
from scheduler.errors import CalendarError
from scheduler.files import display_path
from scheduler.i18n import _
from scheduler.problems import Location, Problem, sort_problems

_LANGUAGE = re.compile(
    rf"^language:[ \t]*(['\"]?)(?P<code>{'|'.join(SPOKEN)})\1[ \t]*(#.*)?$", re.MULTILINE
)


def read_calendar_file(path: Path) -> tuple[Calendar | None, list[Problem]]:
    """Parse and validate ``path``; the calendar is ``None`` when it can't be read at all.

    A calendar read before and unchanged since comes from jadwal's cache (``kept``)."""
    shown = display_path(path)
    raw = _read_bytes(path, shown)
    if isinstance(raw, Problem):
        return None, [raw]
    text = _decoded(raw, shown)
    if isinstance(text, Problem):
        return None, [text]
    speak_its_language(text)
    resolved = path.resolve()
    first = kept.head(raw, shown, resolved)
    found = kept.recall(first, resolved)
    if found is not None:
        return found
    try:
        root = parse_yaml(text, shown)
    except YamlError as exc:
        return None, [Problem.at(exc.where, "error", exc.message)]
    if root is None:
        empty = _(
            "the calendar is empty: start with 'version: 1', accounts and posts (see "
            "docs/calendar.md)"
        )
        return None, [_fatal(shown, empty)]
    looks = Looks(resolved.parent)
    calendar, problems = read_calendar(root, resolved, looks)
    calendar = dataclasses.replace(calendar, read_as=first)
    problems = sort_problems(problems)
    if not any(p.is_error for p in problems):
        # A calendar with errors is being mended, and read again as it is; and an inline
        # secret (an error) is never copied into the cache.
        kept.keep(first, looks, calendar, problems)
    return calendar, problems


def _read_bytes(path: Path, shown: str) -> bytes | Problem:
    """The file's bytes, or the problem that keeps it from being read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return _fatal(shown, _("calendar file not found: {path}").format(path=shown))
    except IsADirectoryError:
        return _fatal(
            shown, _("{path} is a folder: give the path of calendar.yaml").format(path=shown)
        )
    except OSError as exc:
        reason = exc.strerror or exc
        return _fatal(shown, _("cannot read {path}: {reason}").format(path=shown, reason=reason))


def _decoded(raw: bytes, shown: str) -> str | Problem:
    """The file's text, or the problem that it is not text jadwal reads."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(shown, line, 1, "error", _("the file is not UTF-8 text; save it as UTF-8"))


def speak_its_language(text: str) -> None:
    """Speak the calendar's ``language`` before any of its problems is worded, its YAML
    syntax errors included: a top-level key starts a line, so a line is enough to find it
    (the schema reports a wrong one, in the environment's language)."""
    found = _LANGUAGE.search(text)
    i18n.follow_calendar(found["code"] if found else None)


def load_calendar(path: Path) -> Calendar:
    """The validated calendar; raises ``CalendarError`` listing every error if there is one."""
    calendar, problems = read_calendar_file(path)
    if calendar is None or any(p.is_error for p in problems):
        raise CalendarError(problems)
    return calendar


def _fatal(path: str, message: str) -> Problem:
    return Problem.at(Location(path), "error", message)
