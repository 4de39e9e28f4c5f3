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
                said = _(
                    "account {account}: ${{{variable}}} is not set: export it or add it to {path}"
                )
                problem = said.format(account=account.name, variable=exc.variable, path=exc.dotenv)
                raise AuthError(problem) from None
    return None


def token_for(calendar: Calendar, account: Account) -> str:
    token = secret_for(calendar, account, "token")
    if token is None:
        said = _(
            "account {account} has no token: add 'token: ${{VARIABLE}}' to it in calendar.yaml "
            "and put the value in the environment or .env"
        )
        raise AuthError(said.format(account=account.name))
    return token
