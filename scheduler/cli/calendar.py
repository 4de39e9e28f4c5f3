"""The commands that need no database: ``check``, ``preview``, ``schema`` and ``version``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.options import (
    AccountOption,
    CalendarArg,
    TableFormat,
    TextFormat,
    calendar_path,
    day_option,
)
from scheduler.i18n import N_


def check(
    calendar: CalendarArg = None,
    output: Annotated[TextFormat, typer.Option("--format", help=N_("text or json."))] = "text",
    since: Annotated[
        date | None,
        day_option(
            "--today",
            help=N_(
                "Today for the checks (YYYY-MM-DD): the 12-week rhythm, holiday years, "
                "posts in the past."
            ),
            show_default=N_("today"),
        ),
    ] = None,
) -> int:
    """Validate the calendar without the network: schema, references, captions, media, rhythm.

    Prints one line per problem (PATH:LINE:COL: error|warning: MESSAGE), and notes of what
    on_holidays moves or skips (note: …). Exit status 0 when there are no errors (warnings
    and notes allowed), 1 otherwise.
    """
    from scheduler.commands.check import check

    return check(calendar_path(calendar), output, since)


def preview(
    calendar: CalendarArg = None,
    first: Annotated[
        date | None,
        day_option(
            "--from", help=N_("First day (YYYY-MM-DD, inclusive)."), show_default=N_("today")
        ),
    ] = None,
    last: Annotated[
        date | None,
        day_option(
            "--to",
            help=N_("Last day (YYYY-MM-DD, inclusive)."),
            show_default=N_("--from + 13 days"),
        ),
    ] = None,
    account: AccountOption = None,
    output: Annotated[TableFormat, typer.Option("--format", help=N_("table or json."))] = "table",
) -> int:
    """List the posts of a window in time order with their rendered captions."""
    from scheduler.commands.preview import preview

    return preview(calendar_path(calendar), first, last, account, output)


def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help=N_("Write it to this file (e.g. calendar.schema.json beside the calendar)."),
            show_default=N_("print it"),
        ),
    ] = None,
) -> int:
    """Print the JSON Schema of calendar.yaml, for completion and errors in editors.

    VS Code's YAML extension reads it from the calendar's first line:
        # yaml-language-server: $schema=./calendar.schema.json
    """
    from scheduler.commands.schema import schema

    return schema(out)


def version() -> int:
    """Print jadwal's version."""
    from scheduler.commands.version import version

    return version()
