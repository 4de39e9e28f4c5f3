"""``jadwal preview``: the posts of a window, rendered, as a table or JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK, EXIT_USER, known_account, option_value, print_problems
from scheduler.files import Chunks
from scheduler.preview import Preview, PreviewItem, check_window, window
from scheduler.problems import Problem


def preview(
    path: Path, first: date | None, last: date | None, account: str | None, output: str
) -> int:
    """Print the window's posts; captions that cannot be rendered are problems (exit 1)."""
    if first is not None and last is not None:
        with option_value("--to"):  # a wrong pair is wrong whatever the calendar says
            check_window(first, last)
    calendar = load_calendar(path)
    with option_value("--to"):
        start, end = window(calendar, first, last)
    known_account(calendar, account)
    found = Preview.of(calendar, start, end, account)
    failed: list[Problem] = []
    items = _noting_problems(found, failed)
    if output == "json":
        _print_json(items)
    else:
        from scheduler import tables  # rich: a JSON list needs none of it

        tables.preview_table(found.occurrences, items, start, end)
    print_problems(sorted(set(failed), key=str), sys.stderr)
    return EXIT_USER if failed else EXIT_OK


def _noting_problems(items: Iterable[PreviewItem], failed: list[Problem]) -> Iterator[PreviewItem]:
    """The items as they come, each caption that cannot be rendered added to ``failed``."""
    for item in items:
        if item.problem is not None:
            failed.append(item.problem)
        yield item


def _print_json(items: Iterable[PreviewItem]) -> None:
    """The items as a JSON list, written an item at a time as each is rendered; the text is
    what ``json.dumps(list, ensure_ascii=False, indent=2)`` makes of the whole list."""
    out, opening = Chunks(sys.stdout), "[\n"
    for item in items:
        out.write(opening + "  " + _indented(item.as_dict(), "  "))
        opening = ",\n"
    out.write("[]\n" if opening == "[\n" else "\n]\n")
    out.flush()


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode


def _indented(value: object, margin: str) -> str:
    """``value`` laid out as ``indent=2`` lays it out at ``margin``, each text, number and
    null written by json's C encoder: ``indent`` makes json use its pure-Python encoder for
    everything, twice as slow for a year's 9,000 items (0.24 s against 0.13)."""
    inner = margin + "  "
    if isinstance(value, dict) and value:
        fields = (f"{inner}{_SCALAR(key)}: {_indented(v, inner)}" for key, v in value.items())
        return "{\n" + ",\n".join(fields) + f"\n{margin}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + f"\n{margin}]"
    return _SCALAR(value)
