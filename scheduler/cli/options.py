"""The arguments and options several commands share, and how their values are read.

Closed choices are ``Literal`` types, so ``--help`` lists them and a wrong value is Typer's
usage error (exit 2).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from scheduler.i18n import N_

if TYPE_CHECKING:
    from scheduler.runtime import Options

CALENDAR_HELP = N_("The calendar file (default: $JADWAL_CALENDAR or ./calendar.yaml).")


TextFormat = Literal["text", "json"]
TableFormat = Literal["table", "json"]
# The store's states, in the store's order (tests/test_cli_publish.py keeps the two the same):
# importing scheduler.store for them would cost SQLAlchemy on every start, --help included.
State = Literal[
    "claimed",
    "publishing",
    "published",
    "retry",
    "failed",
    "unknown",
    "missed",
    "skipped",
    "awaiting",
]


def day_option(name: str, help: str, **extra: Any) -> Any:
    """A YYYY-MM-DD option, read at parse time; a wrong one is a usage error naming it."""

    def read(text: str) -> date:
        from scheduler.calendar.values import parse_date  # not for --help

        return parse_date(text)

    return _parsed_option(name, help, read, **{"metavar": "YYYY-MM-DD", **extra})


def month_option(name: str, help: str, **extra: Any) -> Any:
    """A YYYY-MM option, read at parse time as the month's first day; a wrong one is a usage
    error naming it."""

    def read(text: str) -> date:
        from scheduler.calendar.values import parse_month

        return parse_month(text)

    return _parsed_option(name, help, read, **{"metavar": "YYYY-MM", **extra})


def _parsed_option(name: str, help: str, read: Callable[[str], date], **extra: Any) -> Any:
    def parse(text: str) -> date:
        try:
            return read(text)
        except ValueError as exc:  # the parser's message says what is wrong and what to write
            raise typer.BadParameter(str(exc), param_hint=name) from None

    return typer.Option(name, help=help, parser=parse, **extra)


CalendarArg = Annotated[Path | None, typer.Argument(help=CALENDAR_HELP, show_default=False)]
# ``post``, ``login`` and ``accounts check`` take an argument of their own first.
CalendarOption = Annotated[
    Path | None, typer.Option("--calendar", help=CALENDAR_HELP, show_default=False)
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=N_(
            "Database URL (default: $JADWAL_DATABASE_URL or SQLite in "
            ".jadwal/ beside the calendar)."
        ),
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help=N_(
            "Publish nothing: render, record in .jadwal/dryrun.db and "
            "write each post to .jadwal/dryrun/."
        ),
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help=N_("Log debugging detail."))]
AccountOption = Annotated[str | None, typer.Option(help=N_("Only this account."))]


def calendar_path(given: Path | None) -> Path:
    if given is not None:
        return given
    return Path(os.environ.get("JADWAL_CALENDAR") or "calendar.yaml")


def store_options(calendar: Path | None, db: str | None, dry_run: bool) -> Options:
    """What ``daemon``, ``tick``, ``post``, ``history``, ``resolve`` and ``accounts`` open."""
    from scheduler.runtime import Options  # the engine and the store: not for --help

    return Options(calendar_path=calendar_path(calendar), db=db, dry_run=dry_run)
