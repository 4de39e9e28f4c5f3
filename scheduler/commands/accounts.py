"""``jadwal accounts check`` and ``accounts resume``: can the accounts publish; resuming them.

Neither starts a history: with no database yet, no account is paused and none is stopped.
A person's stop (``jadwal pause``) is never lifted here; both commands say when one still
holds an account back, so that "resumed" is never read as "publishing again".
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from scheduler import tables
from scheduler.accounts import check_accounts, resume_passing
from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK, EXIT_USER
from scheduler.engine.stops import resume_command
from scheduler.errors import JadwalError
from scheduler.i18n import N_, _
from scheduler.runtime import Options, existing_options_store
from scheduler.store import Store


def check(options: Options, account: str | None) -> int:
    """Check each account (or only ``account``), resume the paused ones that pass, print a
    table; 1 if any account can't publish."""
    calendar = load_calendar(options.calendar_path)
    reports = check_accounts(calendar, account)
    store = existing_options_store(options)
    resumed = [] if store is None else resume_passing(store, reports)
    tables.accounts_table(reports, resumed)
    if store is not None:
        for report in reports:
            note = still_stopped(store, report.account.name, calendar.timezone)
            if note:
                print(f"{report.account.name}: {note}")
    return EXIT_OK if all(r.ok for r in reports) else EXIT_USER


def resume(options: Options, account: str) -> int:
    calendar = load_calendar(options.calendar_path)
    if account not in calendar.accounts:
        raise JadwalError(_("account '{account}' is not in the calendar").format(account=account))
    store = existing_options_store(options)
    note = None if store is None else still_stopped(store, account, calendar.timezone)
    if store is None or not store.unpause(account):
        raise JadwalError(
            _("account '{account}' is not paused").format(account=account)
            + (_("; it is {note}").format(note=note) if note else "")
        )
    print(_("{account}: resumed; {note}").format(account=account, note=note or _(AFTER)))
    return EXIT_OK


AFTER = N_("waiting posts go out at the next tick")


def still_stopped(store: Store, account: str, tz: ZoneInfo) -> str | None:
    """``still stopped by jadwal pause (…); 'jadwal resume ACCOUNT' lifts it``, or None."""
    stop = store.stops.in_force(account, datetime.now(UTC))
    if stop is None:
        return None
    said = _("still stopped by jadwal pause ({stop}); '{command}' lifts it")
    return said.format(stop=stop.describe(tz), command=resume_command(stop))
