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
from scheduler.i18n import _

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
        raise JadwalError(
            _("account {account} has no username in the calendar").format(account=account.name)
        )
    path = session_path(account, session_dir)
    password = _password(calendar, account) or prompt(_("Password: "), hide=True)
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
        asked = _("Security code Instagram sent to @{username} ({choice}): ")
        return prompt(asked.format(username=username, choice=choice)).strip()

    def new_password(username: str) -> str:
        said = _(
            "Instagram requires a new password for @{username}: change it in the Instagram "
            "app, update the password secret, then run 'jadwal login {account}' again"
        )
        raise JadwalError(said.format(username=username, account=account.name))

    client.challenge_code_handler = code
    client.change_password_handler = new_password


def _reuse_device(client: Any, path: Path) -> None:
    try:
        client.load_settings(path)
    except Exception:  # unreadable: sign in as a new device instead
        log.warning(_("ignoring the unreadable saved session {path}").format(path=path))


def _sign_in(client: Any, username: str, password: str, prompt: Prompt) -> None:
    saved = bool(client.user_id)
    if saved and _signed_in_as(client) == username.lower():
        return  # the saved session still works: no password is sent
    try:
        # relogin: instagrapi's login() would otherwise accept any working saved session,
        # even one for another account.
        client.login(username, password, relogin=saved)
    except ig.TwoFactorRequired:
        code = prompt(_("Two-factor code: ")).strip()
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
    return _login_text(exc).format(said=reason(exc, secrets), account=who)


def _login_text(exc: BaseException) -> str:
    """What to tell the person of a failed sign-in, to be formatted with what Instagram
    said and the account's name."""
    if isinstance(exc, ig.TwoFactorRequired):
        return _(
            "the two-factor code was not accepted: run 'jadwal login {account}' again with a "
            "fresh code"
        )
    if isinstance(exc, ig.BadPassword | ig.BadCredentials):
        return _(
            "Instagram rejected the sign-in ({said}). Check the password; if it is right, sign "
            "in once in the Instagram app on this network, then run 'jadwal login {account}' "
            "again"
        )
    if isinstance(exc, ig.ChallengeError | ig.CaptchaChallengeRequired):
        return _(
            "Instagram wants to verify this sign-in ({said}): open the Instagram app, confirm "
            "it was you, then run 'jadwal login {account}' again"
        )
    if isinstance(exc, (ig.FeedbackRequired, *THROTTLED)):
        return _(
            "Instagram is limiting sign-ins ({said}): wait an hour or two, then run "
            "'jadwal login {account}' again"
        )
    if isinstance(exc, NETWORK):
        return _(
            "could not reach Instagram ({said}): check the internet connection, then run "
            "'jadwal login {account}' again"
        )
    return _("signing in failed ({said}): run 'jadwal login {account}' again")
