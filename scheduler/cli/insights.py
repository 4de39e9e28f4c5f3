"""``jadwal insights``: collect the posts' insights that are due (for cron users)."""

from __future__ import annotations

from typing import Annotated

import typer

from scheduler.cli.options import (
    AccountOption,
    CalendarArg,
    DbOption,
    VerboseOption,
    store_options,
)
from scheduler.i18n import N_


def insights(
    calendar: CalendarArg = None,
    db: DbOption = None,
    now: Annotated[
        bool,
        typer.Option(
            "--now", help=N_("Read every published post still readable now (slot 'manual').")
        ),
    ] = False,
    account: AccountOption = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help=N_("Only list what is due: contacts nothing, writes nothing.")
        ),
    ] = False,
    verbose: VerboseOption = False,
) -> int:
    """Read the published posts' insights that are due now, and the accounts' followers.

    Posts are read about 1 hour, 1 day, 7 days and 28 days after publication. Exit status
    0 when every reading was made, 2 when some failed (they are tried again on a later run).
    The daemon collects on its own; this command is for cron (every 15 minutes).
    """
    from scheduler.commands.insights import insights

    return insights(store_options(calendar, db, dry_run), now, account, verbose)
