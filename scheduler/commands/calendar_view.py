"""``jadwal calendar``: a month of the calendar as a grid in the terminal, or as JSON.

The states come from the history when there is one; looking never creates a database
(``existing_options_store``), so before the first publication every post is planned.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK, known_account
from scheduler.runtime import Options, existing_options_store
from scheduler.views.grid import print_grid
from scheduler.views.month import as_dict, month_view


def now() -> datetime:
    """The moment that decides this month and what is already missed (a function, so that a
    test can set it)."""
    return datetime.now(UTC)


def calendar_view(options: Options, month: date | None, account: str | None, output: str) -> int:
    """Print ``month`` (its first day; default: this month in the calendar's time zone)."""
    calendar = load_calendar(options.calendar_path)
    known_account(calendar, account)
    moment = now()
    first = month or moment.astimezone(calendar.timezone).date()
    store = existing_options_store(options)
    view = month_view(calendar, first.year, first.month, store, account, moment)
    if output == "json":
        print(json.dumps(as_dict(view), ensure_ascii=False, indent=2))
    else:
        print_grid(view)
    return EXIT_OK
