"""instagrapi session files: where they live, how they are written (0600, atomically), and how
the daemon loads a client from one without ever signing in with a password."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from instagrapi import exceptions as ig

from scheduler.adapters.instagrapi.redact import mask_logs
from scheduler.calendar.model import Account
from scheduler.errors import AuthError
from scheduler.files import write_atomic
from scheduler.i18n import _

SESSION_DIR_VARIABLE = "JADWAL_SESSION_DIR"

ClientFactory = Callable[[], Any]


def session_dir() -> Path:
    configured = os.environ.get(SESSION_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".config" / "jadwal" / "sessions"


def session_path(account: Account, folder: Path | None = None) -> Path:
    return (folder or session_dir()) / f"{account.name}.json"


def save_session(client: Any, path: Path) -> None:
    """Write the client's settings atomically, readable only by the owner.

    The settings hold the session cookie, which is as good as the password: the file is
    created 0600 (never world-readable, not even for an instant) and replaced in one step so
    a crash or a second daemon never leaves half a file.
    """
    fresh = not path.parent.exists()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if fresh:
        path.parent.chmod(0o700)  # mkdir's mode is reduced by the umask, never widened
    write_atomic(path, json.dumps(client.get_settings(), indent=2).encode("utf-8"), mode=0o600)


def daemon_client() -> Any:
    from instagrapi import Client

    # A challenge must become an error, never a prompt: in a daemon input() blocks forever.
    return Client(with_challenge_flow=False)


def load_client(path: Path, account: Account, factory: ClientFactory) -> Any:
    """A client signed in from the saved session at ``path``; ``AuthError`` (a person must
    run ``jadwal login``) when there is none, it can't be read or it is signed out."""
    relogin = _("run 'jadwal login {account}'").format(account=account.name)
    if not path.is_file():
        said = _("no saved session for {account}: {relogin}")
        raise AuthError(said.format(account=account.name, relogin=relogin))
    client = factory()
    mask_logs(client)
    try:
        client.load_settings(path)
    except Exception as exc:  # the file's content must not reach a message
        said = _("the saved session for {account} ({path}) can't be read ({name}): {relogin}")
        raise AuthError(
            said.format(account=account.name, path=path, name=type(exc).__name__, relogin=relogin)
        ) from exc
    if not client.user_id:
        said = _("the saved session for {account} is not signed in: {relogin}")
        raise AuthError(said.format(account=account.name, relogin=relogin))
    # load_settings alone restores cookies and the Authorization header: no login() call,
    # which would fall back to a fresh password login when the session is rejected.
    client.username = account.username
    _harden(client)
    return client


def _no_person(*_args: object) -> str:
    raise ig.ChallengeRequired(_("Instagram asked for a verification code and nobody is there"))


def _harden(client: Any) -> None:
    """Whatever the factory made: no interactive challenge flow, no resent publish."""
    client.with_challenge_flow = False
    client.challenge_code_handler = _no_person
    client.change_password_handler = _no_person
    # With the plain requests transport instagrapi retries POSTs on 5xx; a resent configure
    # can publish twice. The engine decides about retries (the default curl transport has none).
    client.set_retry_config(session_retry_total=0)
