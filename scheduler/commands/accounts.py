"""``jadwal accounts check`` and ``accounts resume``: can the accounts publish; resuming them."""

from __future__ import annotations

from scheduler import tables
from scheduler.accounts import check_accounts, resume_passing
from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK, EXIT_USER
from scheduler.errors import JadwalError
from scheduler.runtime import Options, open_options_store


def check(options: Options, account: str | None) -> int:
    """Check each account (or only ``account``), resume the paused ones that pass, print a
    table; 1 if any account can't publish."""
    reports = check_accounts(load_calendar(options.calendar_path), account)
    resumed = resume_passing(open_options_store(options), reports)
    tables.accounts_table(reports, resumed)
    return EXIT_OK if all(r.ok for r in reports) else EXIT_USER


def resume(options: Options, account: str) -> int:
    if not open_options_store(options).unpause(account):
        raise JadwalError(f"account '{account}' is not paused")
    print(f"{account}: resumed; waiting posts go out at the next tick")
    return EXIT_OK
