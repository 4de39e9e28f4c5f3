"""The commands about the accounts: ``accounts check``, ``accounts resume`` and ``login``."""

from __future__ import annotations

from typing import Annotated

import typer

from scheduler.cli.options import (
    CalendarArg,
    CalendarOption,
    DbOption,
    DryRunOption,
    calendar_path,
    store_options,
)
from scheduler.i18n import N_


def check(
    account: Annotated[str | None, typer.Argument(help=N_("Only this account."))] = None,
    calendar: CalendarOption = None,
    db: DbOption = None,
) -> int:
    """Check each account can publish: token, page or user, permissions, quota, session.

    Exit status 1 if any account can't publish. A paused account whose checks pass resumes.
    """
    from scheduler.commands.accounts import check

    return check(store_options(calendar, db, False), account)


def resume(
    account: Annotated[str, typer.Argument(help=N_("The paused account."))],
    calendar: CalendarArg = None,
    db: DbOption = None,
    dry_run: DryRunOption = False,
) -> int:
    """Resume publishing for an account paused after a login or token error."""
    from scheduler.commands.accounts import resume

    return resume(store_options(calendar, db, dry_run), account)


def login(
    account: Annotated[str, typer.Argument(help=N_("An Instagram account with via: instagrapi."))],
    calendar: CalendarOption = None,
) -> int:
    """Sign in to an Instagram account (password, two-factor code) and save its session.

    The session is saved outside the calendar folder, readable only by you; the daemon only
    reuses saved sessions and never asks for a password.
    """
    from scheduler.commands.login import login

    return login(calendar_path(calendar), account, ask)


def ask(text: str, hide: bool = False) -> str:
    """Ask the person at the terminal (the prompt adds its own colon)."""
    return str(typer.prompt(text.rstrip(": "), hide_input=hide))
