"""``jadwal login ACCOUNT``: sign in to Instagram once, with a person at the terminal
(password, two-factor or challenge code), and save the session the daemon reuses."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

import requests
from instagrapi import exceptions as ig

from scheduler.adapters.credentials import secret_for
from scheduler.adapters.instagrapi.errors import NETWORK, THROTTLED, reason
from scheduler.adapters.instagrapi.redact import client_secrets, mask_logs
from scheduler.adapters.instagrapi.session import ClientFactory, save_session, session_path
from scheduler.adapters.instagrapi.wire import Wire
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import AuthError, JadwalError

log = logging.getLogger(__name__)


class Prompt(Protocol):
    """How ``login_account`` asks the person at the terminal (the CLI wraps typer.prompt)."""

    def __call__(self, text: str, hide: bool = False) -> str: ...


def login_account(
    calendar: Calendar,
    account: Account,
    prompt: Prompt,
    *,
    session_dir: Path | None = None,
    client_factory: ClientFactory | None = None,
) -> Path:
    """Sign in interactively (password, two-factor or challenge code) and save the session.

    An existing session file is loaded first so Instagram keeps seeing the same device; if
    that session still works for this account, no password is sent at all.
    """
    username = (account.username or "").strip().lstrip("@")
    if not username:
        raise JadwalError(f"account {account.name} has no username in the calendar")
    path = session_path(account, session_dir)
    password = _password(calendar, account) or prompt("Password: ", hide=True)
    client = (client_factory or _interactive_client)()
    mask_logs(client, password)
    _interactive(client, account, prompt)
    if path.is_file():
        _reuse_device(client, path)
    Wire(client.private)
    try:
        _sign_in(client, username, password, prompt)
    except JadwalError:
        raise
    except Exception as exc:
        secrets = (password, *client_secrets(client))
        raise JadwalError(_login_problem(exc, account.name, secrets)) from exc
    save_session(client, path)
    return path


def _interactive_client() -> Any:
    from instagrapi import Client

    return Client()  # a person is there: challenges may ask for a code (see _interactive)


def _interactive(client: Any, account: Account, prompt: Prompt) -> None:
    def code(username: str, choice: object = None) -> str:
        return prompt(f"Security code Instagram sent to @{username} ({choice}): ").strip()

    def new_password(username: str) -> str:
        raise JadwalError(
            f"Instagram requires a new password for @{username}: change it in the Instagram "
            f"app, update the password secret, then run 'jadwal login {account.name}' again"
        )

    client.challenge_code_handler = code
    client.change_password_handler = new_password


def _reuse_device(client: Any, path: Path) -> None:
    try:
        client.load_settings(path)
    except Exception:  # unreadable: sign in as a new device instead
        log.warning("ignoring the unreadable saved session %s", path)


def _sign_in(client: Any, username: str, password: str, prompt: Prompt) -> None:
    saved = bool(client.user_id)
    if saved and _signed_in_as(client) == username.lower():
        return  # the saved session still works: no password is sent
    try:
        # relogin: instagrapi's login() would otherwise accept any working saved session,
        # even one for another account.
        client.login(username, password, relogin=saved)
    except ig.TwoFactorRequired:
        code = prompt("Two-factor code: ").strip()
        client.login(username, password, verification_code=code)


def _signed_in_as(client: Any) -> str | None:
    try:
        return str(client.account_info().username).lower()
    except (ig.ClientError, requests.RequestException):  # expired or unreachable: sign in
        return None


def _password(calendar: Calendar, account: Account) -> str | None:
    try:
        return secret_for(calendar, account, "password")
    except AuthError:  # named but not set here: ask instead
        return None


def _login_problem(exc: BaseException, who: str, secrets: tuple[str, ...]) -> str:
    said = reason(exc, secrets)
    again = f"run 'jadwal login {who}' again"
    if isinstance(exc, ig.TwoFactorRequired):
        return f"the two-factor code was not accepted: {again} with a fresh code"
    if isinstance(exc, ig.BadPassword | ig.BadCredentials):
        return (
            f"Instagram rejected the sign-in ({said}). Check the password; if it is right, "
            f"sign in once in the Instagram app on this network, then {again}"
        )
    if isinstance(exc, ig.ChallengeError | ig.CaptchaChallengeRequired):
        return (
            f"Instagram wants to verify this sign-in ({said}): open the Instagram app, "
            f"confirm it was you, then {again}"
        )
    if isinstance(exc, (ig.FeedbackRequired, *THROTTLED)):
        return f"Instagram is limiting sign-ins ({said}): wait an hour or two, then {again}"
    if isinstance(exc, NETWORK):
        return f"could not reach Instagram ({said}): check the internet connection, then {again}"
    return f"signing in failed ({said}): {again}"
