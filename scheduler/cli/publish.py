"""The commands that publish: ``daemon``, ``tick`` and ``post``."""

from __future__ import annotations

from typing import Annotated

import typer

from scheduler.cli.options import (
    AccountOption,
    CalendarArg,
    CalendarOption,
    DbOption,
    DryRunOption,
    VerboseOption,
    store_options,
)
from scheduler.i18n import N_, _


def daemon(
    calendar: CalendarArg = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
    instance: Annotated[
        str | None, typer.Option(help=N_("Name of this daemon when several run on one machine."))
    ] = None,
    verbose: VerboseOption = False,
) -> int:
    """Run the publisher: publishes every post at its time until stopped (SIGTERM, Ctrl-C).

    Reloads when calendar.yaml, a template or .env changes; logs one line per event.
    """
    from scheduler.commands.publish import daemon

    return daemon(store_options(calendar, db, dry_run), instance, verbose)


def tick(
    calendar: CalendarArg = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help=N_(
                "With --dry-run: pretend it is this time ('YYYY-MM-DD HH:MM'), to rehearse a day."
            ),
            show_default=False,
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> int:
    """Publish what is due now and exit (for cron, every minute).

    Exit status 0 when nothing failed, 2 when a publication failed. Running it twice, or
    beside a daemon, publishes nothing twice.
    """
    from scheduler.commands.publish import tick

    if now is not None and not dry_run:
        raise typer.BadParameter(
            _("only with --dry-run: live posts go out at the real time"), param_hint="--now"
        )
    return tick(store_options(calendar, db, dry_run), now, verbose)


def post(
    post_id: Annotated[str, typer.Argument(help=N_("The post's id in the calendar."))],
    calendar: CalendarOption = None,
    account: AccountOption = None,
    at: Annotated[
        str | None,
        typer.Option(
            help=N_("The occurrence to publish ('YYYY-MM-DD HH:MM'); default: the next one.")
        ),
    ] = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help=N_("Don't ask for confirmation."))
    ] = False,
    again: Annotated[
        bool,
        typer.Option(
            "--again", help=N_("Publish even though this occurrence was already handled.")
        ),
    ] = False,
) -> int:
    """Publish one post now, after showing its caption and asking for confirmation."""
    from scheduler.commands.publish import post

    confirm = None if yes else typer.confirm  # looked up now, so a test can answer for a person
    return post(store_options(calendar, db, dry_run), post_id, account, at, again, confirm)
