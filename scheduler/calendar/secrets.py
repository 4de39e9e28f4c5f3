"""The values a calendar's output must never show: what ``scrub`` blanks in a message, a
notification or a page of the site."""

from __future__ import annotations

from scheduler.calendar.model import Calendar
from scheduler.secrets import environment, secret_values


def secrets_of(calendar: Calendar) -> list[str]:
    """Every value that must never be sent: the secret-looking variables, the accounts'
    secrets and the notify URLs (whatever their variables are called)."""
    env = environment(calendar.folder)
    named = [env[ref.variable] for a in calendar.accounts.values() for ref in a.secrets
             if ref.variable in env]  # fmt: skip
    urls = [env[entry.variable] for entry in calendar.notify if entry.variable in env]
    return [*secret_values(calendar.folder), *named, *urls]
