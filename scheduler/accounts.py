"""``jadwal accounts check``: can each account publish right now, and if not, what to fix."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.adapters import REGISTRY
from scheduler.adapters.base import CheckResult
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import PublishError


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
    return [
        check_account(calendar, a)
        for name, a in sorted(calendar.accounts.items())
        if only is None or name == only
    ]


def accounts_table(reports: list[AccountReport], resumed: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="jadwal accounts check", title_justify="left", show_lines=True)
    for column in ("account", "platform", "check", "result"):
        table.add_column(column, overflow="fold")
    for report in reports:
        account = report.account
        via = f" ({account.via})" if account.via else ""
        for index, result in enumerate(report.results):
            mark = "[green]ok[/green]" if result.ok else "[red]FIX[/red]"
            table.add_row(
                account.name if index == 0 else "",
                account.platform + via if index == 0 else "",
                result.item,
                f"{mark} {_escape(result.detail)}",
            )
    Console().print(table)
    for name in resumed:
        Console().print(f"{name}: was paused; resumed now that its checks pass")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
