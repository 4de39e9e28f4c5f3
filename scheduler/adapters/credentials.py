"""Secrets for adapters, resolved when an adapter is made and never kept anywhere else."""

from __future__ import annotations

from scheduler.calendar.model import Account, Calendar
from scheduler.errors import AuthError
from scheduler.i18n import _
from scheduler.secrets import SecretMissing, resolve


def secret_for(calendar: Calendar, account: Account, key: str) -> str | None:
    """The value of the account's ``key: ${VAR}`` secret; ``None`` when it names none."""
    for ref in account.secrets:
        if ref.key == key:
            try:
                return resolve(calendar.folder, ref.variable)
            except SecretMissing as exc:
                # Missing credentials need a person, like an expired token: pause the account.
                said = _("account {account}: {problem}")
                raise AuthError(said.format(account=account.name, problem=exc)) from None
    return None


def token_for(calendar: Calendar, account: Account) -> str:
    token = secret_for(calendar, account, "token")
    if token is None:
        raise AuthError(
            f"account {account.name} has no token: add 'token: ${{VARIABLE}}' to "
            "it in calendar.yaml and put the value in the environment or .env"
        )
    return token
