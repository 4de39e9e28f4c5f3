"""The Instagram Login token kept alive without a person (``via: instagram_login``).

Meta's reference (*Refresh Access Token*, Instagram Platform): a long-lived Instagram User
token lasts 60 days; ``GET graph.instagram.com/refresh_access_token?grant_type=
ig_refresh_token&access_token=…`` refreshes one that is at least 24 hours old and not expired,
answering ``access_token``, ``token_type`` and ``expires_in`` (seconds). So jadwal refreshes
when fewer than ``AHEAD`` days are left (or, for a token whose expiry it has not learnt yet,
24 hours after it first used it), at most once a day, and keeps the refreshed token in
``{account}.instagram-token.json`` beside instagrapi's sessions (``$JADWAL_SESSION_DIR``,
outside the calendar's git folder), mode 0600, written atomically.

The stored token is used instead of the calendar's ``${VAR}`` one while it descends from it
(the file keeps a fingerprint of the calendar token it was refreshed from): a person who puts
a new token in ``.env`` starts a new line, and the old file is forgotten. The token travels
as a query parameter, as documented: every message made here is scrubbed of it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from scheduler.adapters.network import unreached
from scheduler.errors import Offline, Transient
from scheduler.files import write_atomic
from scheduler.i18n import _
from scheduler.secrets import scrub

SESSION_DIR_VARIABLE = "JADWAL_SESSION_DIR"
AHEAD = timedelta(days=30)  # refresh once fewer days than this are left
MIN_AGE = timedelta(hours=24)  # Meta refreshes only tokens at least this old
DAILY = timedelta(hours=24)  # at most one refresh attempt a day
WARN_DAYS = 14  # accounts check warns this many days before expiry
TIMEOUT = 60.0
_IN_URL = re.compile(r"(access_token=)[^&\s\"']+")


class _NoTokenInUrls(logging.Filter):
    """urllib3 logs each request's URL at DEBUG: the refresh's carries the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _IN_URL.sub(r"\1[token]", str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(
                _IN_URL.sub(r"\1[token]", a) if isinstance(a, str) else a for a in args
            )
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_NoTokenInUrls())


def token_dir() -> Path:
    """Where instagrapi's sessions live too: ``$JADWAL_SESSION_DIR`` or
    ``~/.config/jadwal/sessions``, never inside the calendar's folder."""
    configured = os.environ.get(SESSION_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".config" / "jadwal" / "sessions"


def fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Kept:
    """What the token file holds (the token itself is never shown)."""

    origin: str  # fingerprint of the calendar token this one descends from
    access_token: str
    first_seen: str  # ISO time jadwal first used this line of tokens
    expires_at: str | None = None  # ISO; None until the first refresh says
    refreshed_at: str | None = None
    tried_at: str | None = None  # the last refresh attempt Meta answered
    failure: str | None = None  # Meta's message for that attempt, when it failed

    def expires(self) -> datetime | None:
        return datetime.fromisoformat(self.expires_at) if self.expires_at else None

    def expired(self, now: datetime) -> bool:
        expires = self.expires()
        return expires is not None and expires <= now

    def expires_soon(self, now: datetime) -> bool:
        """Within ``WARN_DAYS``: what accounts check warns of and notifications tell."""
        expires = self.expires()
        return expires is not None and (expires - now).days < WARN_DAYS

    def due(self, now: datetime) -> bool:
        """Whether a refresh is due at ``now``."""
        if self.tried_at and now - datetime.fromisoformat(self.tried_at) < DAILY:
            return False
        expires = self.expires()
        if expires is None:
            return now - datetime.fromisoformat(self.first_seen) >= MIN_AGE
        return now < expires and expires - now < AHEAD


class TokenKeeper:
    """One account's Instagram Login token: the one to use, and its refresh."""

    def __init__(
        self, account: str, calendar_token: str, base_url: str, folder: Path | None = None
    ) -> None:
        self.path = (folder or token_dir()) / f"{account}.instagram-token.json"
        self.calendar_token = calendar_token
        self.base_url = base_url
        self.session = requests.Session()

    def kept(self, now: datetime) -> Kept:
        """The stored line of tokens, or a new one from the calendar's token."""
        found = self._read()
        mine = fingerprint(self.calendar_token)
        if found is not None and mine in (found.origin, fingerprint(found.access_token)):
            return found
        return Kept(mine, self.calendar_token, now.isoformat())

    def token(self, now: datetime) -> str:
        return self.kept(now).access_token

    def refresh_if_due(self, now: datetime) -> Kept | None:
        """Refresh when due; the new record, or None when nothing was due. ``Offline`` when
        Meta could not be reached (not an attempt: tried again at the next run)."""
        kept = self.kept(now)
        if not kept.due(now):
            if not self.path.exists():
                self._write(kept)
            return None
        try:
            answer = self._ask(kept.access_token)
        except Transient as exc:
            kept = replace(kept, tried_at=now.isoformat(), failure=exc.message)
        else:
            expires = now + timedelta(seconds=int(answer.get("expires_in") or 0))
            kept = replace(
                kept,
                access_token=str(answer["access_token"]),
                expires_at=expires.isoformat(),
                refreshed_at=now.isoformat(),
                tried_at=now.isoformat(),
                failure=None,
            )
        self._write(kept)
        return kept

    def _ask(self, token: str) -> dict[str, Any]:
        url = f"{self.base_url}/refresh_access_token"
        params = {"grant_type": "ig_refresh_token", "access_token": token}
        try:
            answer = self.session.get(url, params=params, timeout=TIMEOUT)
        except requests.RequestException as exc:
            reason = unreached(exc)
            if reason is not None:
                raise Offline(f"graph.instagram.com: {reason}", reason) from None
            lost = _("no answer ({error})").format(error=type(exc).__name__)
            raise Transient(scrub(lost, [token])) from None
        try:
            body = answer.json()
        except ValueError:
            body = {}
        if answer.ok and isinstance(body, dict) and body.get("access_token"):
            return body
        error = body.get("error") if isinstance(body, dict) else None
        said = error.get("message") if isinstance(error, dict) else None
        text = f"HTTP {answer.status_code}: " + (said or _("no reason given"))
        raise Transient(scrub(text, [token]))

    def _read(self) -> Kept | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Kept(**data)
        except (OSError, ValueError, TypeError):
            return None

    def _write(self, kept: Kept) -> None:
        fresh = not self.path.parent.exists()
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if fresh:
            self.path.parent.chmod(0o700)
        write_atomic(self.path, json.dumps(asdict(kept), indent=2).encode("utf-8"), mode=0o600)
