"""The emergency stop: ``pause`` and ``resume``."""

from __future__ import annotations

from typing import Annotated

import typer

from scheduler.cli.options import CalendarOption, DbOption, store_options
from scheduler.i18n import N_, _

BOTH = N_("give an account or --all, not both")

AllOption = Annotated[bool, typer.Option("--all", help=N_("Every account."))]
StopDryRun = Annotated[
    bool,
    typer.Option("--dry-run", help=N_("The rehearsals' stops (.jadwal/dryrun.db), not the real.")),
]


def pause(
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help=N_("Why; shown in the history, the log and every post it skips."),
            show_default=False,
        ),
    ],
    account: Annotated[
        str | None, typer.Argument(help=N_("The account to stop (or --all)."), show_default=False)
    ] = None,
    all_accounts: AllOption = False,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help=N_(
                "End the stop by itself at this time ('YYYY-MM-DD HH:MM', the calendar's zone)."
            ),
            show_default=False,
        ),
    ] = None,
    calendar: CalendarOption = None,
    db: DbOption = None,
    dry_run: StopDryRun = False,
) -> int:
    """Stop publishing now, for one account or every account (a disaster, a day of mourning).

    The daemon and tick honour it within a minute; posts due meanwhile are recorded as
    skipped with the reason, never sent later. 'jadwal resume' lifts it.
    """
    from scheduler.commands.stop import pause

    return pause(
        store_options(calendar, db, dry_run), _target(account, all_accounts), until, reason
    )


def resume(
    account: Annotated[
        str | None,
        typer.Argument(
            help=N_("The stopped account (default: the stop of every account)."), show_default=False
        ),
    ] = None,
    all_accounts: Annotated[
        bool, typer.Option("--all", help=N_("The stop of every account (the default)."))
    ] = False,
    calendar: CalendarOption = None,
    db: DbOption = None,
    dry_run: StopDryRun = False,
) -> int:
    """Lift a stop set with 'jadwal pause': of ACCOUNT, or the stop of every account.

    Stops of single accounts stay until each is lifted by name; posts skipped meanwhile stay
    skipped.
    """
    from scheduler.commands.stop import resume

    if account is not None and all_accounts:
        raise typer.BadParameter(_(BOTH), param_hint="ACCOUNT")
    return resume(store_options(calendar, db, dry_run), account)


def _target(account: str | None, all_accounts: bool) -> str | None:
    """The account to stop, or None for every account; stopping everything must be said."""
    if account is not None and all_accounts:
        raise typer.BadParameter(_(BOTH), param_hint="ACCOUNT")
    if account is None and not all_accounts:
        raise typer.BadParameter(
            _("say which account to stop, or --all to stop every account"), param_hint="ACCOUNT"
        )
    return account
