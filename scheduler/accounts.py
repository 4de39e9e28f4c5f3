"""``jadwal accounts check``: can each account publish right now, and if not, what to fix; an
account paused after a login or token error is resumed once its checks all pass (a person's
stop, ``jadwal pause``, is never lifted here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scheduler.adapters import REGISTRY
from scheduler.adapters.base import CheckResult
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import JadwalError, PublishError
from scheduler.i18n import _

if TYPE_CHECKING:
    from scheduler.store import Store


@dataclass(frozen=True)
class AccountReport:
    account: Account
    results: list[CheckResult]

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.ok for r in self.results)


def check_account(calendar: Calendar, account: Account) -> AccountReport:
    try:
        adapter = REGISTRY[account.route](calendar, account)
        results = adapter.check()
    except PublishError as exc:
        results = [CheckResult("credentials", False, exc.message)]
    return AccountReport(account, results)


def check_accounts(calendar: Calendar, only: str | None = None) -> list[AccountReport]:
    if only is not None and only not in calendar.accounts:
        raise JadwalError(_("account '{only}' is not in the calendar").format(only=only))
    return [
        check_account(calendar, a)
        for name, a in sorted(calendar.accounts.items())
        if only is None or name == only
    ]


def resume_passing(store: Store, reports: list[AccountReport]) -> list[str]:
    """Resume each account paused after an error whose checks all pass: what paused it has
    been fixed. A stop a person issued (``Store.stops``) is theirs to lift, whatever the
    checks say, so it is left alone.

    Returns the names resumed.
    """
    paused = store.paused()
    resumed = [r.account.name for r in reports if r.ok and r.account.name in paused]
    for name in resumed:
        store.unpause(name)
    return resumed
