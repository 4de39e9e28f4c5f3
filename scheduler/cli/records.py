"""The commands over the store's records: ``calendar``, ``history``, ``resolve``, ``done``
and ``backup``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.options import (
    AccountOption,
    CalendarArg,
    DbOption,
    DryRunOption,
    State,
    TableFormat,
    TextFormat,
    day_option,
    month_option,
    store_options,
)
from scheduler.i18n import N_, _


def month(
    calendar: CalendarArg = None,
    first: Annotated[
        date | None,
        month_option(
            "--month",
            help=N_("The month to show (YYYY-MM)."),
            show_default=N_("this month"),
            metavar="<month>",
        ),
    ] = None,
    account: AccountOption = None,
    db: DbOption = None,
    output: Annotated[TextFormat, typer.Option("--format", help=N_("text or json."))] = "text",
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=N_("Show the states of the dry-run history instead.")),
    ] = False,
) -> int:
    """Show a month of the calendar as a grid, Monday first, with each post's state.

    Each day: its posts (state, local time, title), its holidays and observances.
    A week below rules.min_posts_per_week is marked under it, for each account.
    The states come from the history when there is one; none is created.
    """
    from scheduler.commands.calendar_view import calendar_view

    return calendar_view(store_options(calendar, db, dry_run), first, account, output)


def history(
    calendar: CalendarArg = None,
    since: Annotated[
        date | None, day_option("--since", help=N_("Only from this day (YYYY-MM-DD)."))
    ] = None,
    state: Annotated[
        State | None,
        typer.Option(
            help=N_(
                "Only this state: published, retry, failed, unknown, missed, skipped, claimed, "
                "publishing, awaiting."
            ),
            metavar="<state>",  # the help lists the states; eight in the metavar crowd it out
        ),
    ] = None,
    output: Annotated[TableFormat, typer.Option("--format", help=N_("table or json."))] = "table",
    db: DbOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help=N_("Read the dry-run history instead of the real one.")),
    ] = False,
) -> int:
    """What happened: every publication with its state, attempts, link or error."""
    from scheduler.commands.records import history

    return history(store_options(calendar, db, dry_run), since, state, output)


def resolve(
    key: Annotated[str, typer.Argument(help=N_("The publication's key (see jadwal history)."))],
    calendar: CalendarArg = None,
    published: Annotated[
        str | None, typer.Option("--published", help=N_("It did go out: the post's URL."))
    ] = None,
    not_published: Annotated[
        bool, typer.Option("--not-published", help=N_("It did not go out: publish it again."))
    ] = False,
    db: DbOption = None,
    dry_run: DryRunOption = False,
) -> int:
    """Settle a publication whose outcome is unknown, after looking at the account."""
    from scheduler.commands.records import resolve

    if (published is None) == (not not_published):
        raise typer.BadParameter(_("give exactly one of --published URL or --not-published"))
    return resolve(store_options(calendar, db, dry_run), key, published)


def done(
    key: Annotated[str, typer.Argument(help=N_("The publication's key (in its reminder)."))],
    calendar: CalendarArg = None,
    link: Annotated[
        str | None,
        typer.Option("--link", help=N_("Where it was posted (an http(s) URL): its permalink.")),
    ] = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
) -> int:
    """Record a post made by hand (WhatsApp) after its reminder as published."""
    from scheduler.commands.records import done

    if link is not None and not link.startswith(("https://", "http://")):
        raise typer.BadParameter(
            _("must be an address starting with https:// or http://"), param_hint="--link"
        )
    return done(store_options(calendar, db, dry_run), key, link)


def backup(
    target: Annotated[
        Path,
        typer.Argument(metavar="FILE", help=N_("Where to write the copy (replaced if it exists).")),
    ],
    calendar: CalendarArg = None,
    db: DbOption = None,
) -> int:
    """Copy the history to FILE, consistently, even while the daemon publishes (SQLite).

    Run it from cron or a systemd timer every night; docs/deploy.md says how to restore.
    """
    from scheduler.commands.backup import backup

    return backup(store_options(calendar, db, False), target)


def notify_queue(calendar: CalendarArg = None, db: DbOption = None) -> int:
    """Show the notifications that are queued and those that failed to send."""
    from scheduler.commands.notify import queue

    return queue(store_options(calendar, db, False))


def notify_test(calendar: CalendarArg = None) -> int:
    """Send a test message to every notify URL of the calendar and print what each answered."""
    from scheduler.commands.notify import test

    return test(store_options(calendar, None, False))
