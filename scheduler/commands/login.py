"""``jadwal login``: sign in to an Instagram account once, so the daemon can reuse the session.

Its own module because it alone needs instagrapi up front.
"""

from __future__ import annotations

from pathlib import Path

from scheduler.adapters.instagrapi.login import Prompt, login_account
from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK
from scheduler.errors import JadwalError
from scheduler.i18n import _


def login(path: Path, account: str, prompt: Prompt) -> int:
    """Sign in to ``account`` (asking through ``prompt``) and save its session."""
    calendar = load_calendar(path)
    found = calendar.accounts.get(account)
    if found is None or found.platform != "instagram" or found.via != "instagrapi":
        raise JadwalError(
            _(
                "'{account}' is not an Instagram account with via: instagrapi in the calendar"
            ).format(account=account)
        )
    saved = login_account(calendar, found, prompt)
    said = _("{account}: signed in; session saved to {saved} (readable only by you)")
    print(said.format(account=account, saved=saved))
    return EXIT_OK
