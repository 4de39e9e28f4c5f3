"""The commands that show the calendar to other programs: ``ical``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.options import CalendarArg, DbOption, day_option, store_options


def ical(
    calendar: CalendarArg = None,
    first: Annotated[
        date | None,
        day_option(
            "--from",
            help="First day (YYYY-MM-DD, inclusive).",
            show_default="the first day of last month",
        ),
    ] = None,
    last: Annotated[
        date | None,
        day_option(
            "--to",
            help="Last day (YYYY-MM-DD, inclusive).",
            show_default="the last day of the third month from now",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the feed to this file in one step (e.g. calendar.ics where a web "
            "server serves it).",
            show_default="print it",
        ),
    ] = None,
    db: DbOption = None,
) -> int:
    """Print the posts as an iCalendar feed (.ics) to subscribe to in Google Calendar or Outlook.

    One event per post and time with each account's caption. What the feed said of each
    event is kept in the history, when there is one, so that a changed event is updated
    in the calendars subscribed to it.
    """
    from scheduler.commands.ical import ical

    return ical(store_options(calendar, db, False), first, last, out)
