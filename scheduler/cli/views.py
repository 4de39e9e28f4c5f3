"""The commands that show the calendar outside the terminal: ``site`` (to people, in a
browser) and ``ical`` (to calendar apps)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.options import CalendarArg, DbOption, day_option, store_options
from scheduler.i18n import N_


def site(
    outdir: Annotated[
        Path,
        typer.Argument(
            metavar="OUTDIR",
            help=N_(
                "The folder to write the site into (created if needed; files jadwal did "
                "not write are left alone)."
            ),
        ),
    ],
    calendar: CalendarArg = None,
    first: Annotated[
        date | None,
        day_option(
            "--from",
            help=N_("First day (YYYY-MM-DD); the site starts with its month."),
            show_default=N_("the first day of last month"),
        ),
    ] = None,
    last: Annotated[
        date | None,
        day_option(
            "--to",
            help=N_("Last day (YYYY-MM-DD); the site ends with its month."),
            show_default=N_("the end of the month three months ahead"),
        ),
    ] = None,
    db: DbOption = None,
) -> int:
    """Write a static web calendar: month grids and lists, and each post as it will look
    on Instagram and Facebook with its state and what 'jadwal check' says of it.

    The folder works offline, from file:// or any web server; open OUTDIR/index.html.
    """
    from scheduler.commands.site import site

    return site(store_options(calendar, db, dry_run=False), outdir, first, last)


def ical(
    calendar: CalendarArg = None,
    first: Annotated[
        date | None,
        day_option(
            "--from",
            help=N_("First day (YYYY-MM-DD, inclusive)."),
            show_default=N_("the first day of last month"),
        ),
    ] = None,
    last: Annotated[
        date | None,
        day_option(
            "--to",
            help=N_("Last day (YYYY-MM-DD, inclusive)."),
            show_default=N_("the last day of the third month from now"),
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help=N_(
                "Write the feed to this file in one step (e.g. calendar.ics where a web "
                "server serves it)."
            ),
            show_default=N_("print it"),
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
