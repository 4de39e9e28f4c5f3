"""``jadwal preview``: the posts of a window, rendered, as a table or JSON."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from scheduler import tables
from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK, EXIT_USER, known_account, option_value, print_problems
from scheduler.preview import check_window, window
from scheduler.preview import preview as build_preview


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
    items = build_preview(calendar, start, end, account)
    if output == "json":
        print(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=2))
    else:
        tables.preview_table(items, start, end)
    failed = [i.problem for i in items if i.problem is not None]
    print_problems(sorted(set(failed), key=str), sys.stderr)
    return EXIT_USER if failed else EXIT_OK
