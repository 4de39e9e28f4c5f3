"""``jadwal report``: the month's evaluation a supervisor signs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from scheduler.cli.options import CalendarArg, DbOption, store_options
from scheduler.i18n import N_

ReportFormat = Literal["html", "markdown", "csv", "json"]
RehearsalOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help=N_(
            "Report the dry run's history (.jadwal/dryrun.db) instead of the real one; the "
            "report says it is a rehearsal."
        ),
    ),
]


def report(
    calendar: CalendarArg = None,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help=N_("The month to report (YYYY-MM)."),
            show_default=N_("the last full month"),
            metavar="<month>",
        ),
    ] = None,
    output: Annotated[
        ReportFormat,
        typer.Option("--format", help=N_("html (to print and sign), markdown, csv or json.")),
    ] = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help=N_("Write the report to this file."),
            show_default=N_(
                "html: reports/laporan-YYYY-MM.html beside the calendar; the others: print it"
            ),
        ),
    ] = None,
    db: DbOption = None,
    dry_run: RehearsalOption = False,
) -> int:
    """Report a month per account and for the office: planned against published, late,
    failed and missed posts, the weekly rule, categories and kinds, and the public's response.

    Read from the history only: no database is created and no platform is asked.
    """
    from scheduler.commands.report import report as make

    return make(store_options(calendar, db, dry_run), month, output, out)
