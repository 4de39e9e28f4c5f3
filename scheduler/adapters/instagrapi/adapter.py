"""The instagrapi adapter (``InstagrapiAdapter``): publish, find and check for one account,
over the session file ``jadwal login`` saved (see the package docstring)."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scheduler.adapters.base import CheckResult, Draft, Lookup, Progress, Published, verdict
from scheduler.adapters.instagrapi.errors import translate
from scheduler.adapters.instagrapi.insights import read_insights
from scheduler.adapters.instagrapi.lookup import find_post, find_story
from scheduler.adapters.instagrapi.redact import client_secrets
from scheduler.adapters.instagrapi.session import (
    SESSION_DIR_VARIABLE,
    ClientFactory,
    daemon_client,
    load_client,
    save_session,
    session_path,
)
from scheduler.adapters.instagrapi.upload import upload
from scheduler.adapters.instagrapi.wire import Wire
from scheduler.adapters.metrics import Readings, Target
from scheduler.adapters.network import Endpoint
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import ClaimLost, PublishError
from scheduler.files import FileStamp, file_stamp
from scheduler.i18n import _
from scheduler.platforms.images import prepare_media

log = logging.getLogger(__name__)

# instagrapi's private API host: what a connection check asks (any answer means reachable).
ENDPOINT = Endpoint("Instagram", "https://i.instagram.com/")


class InstagrapiAdapter:
    def __init__(
        self,
        calendar: Calendar,
        account: Account,
        *,
        session_dir: Path | None = None,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.calendar = calendar
        self.account = account
        self.name = account.name
        self.session = session_path(account, session_dir)
        self.factory = client_factory or daemon_client
        self._loaded: Any = None
        self._loaded_from: FileStamp | None = None
        self._wire: Wire | None = None
        self.endpoint = ENDPOINT

    # -- session ---------------------------------------------------------------------------

    def client(self) -> Any:
        """The signed-in client, loaded from the saved session on first use and again
        whenever the file changed: after ``jadwal login`` a running daemon (which keeps its
        adapters) must use the new session, not overwrite it with the expired one."""
        stamp = file_stamp(self.session)  # save_session replaces the file: a new stamp
        if self._loaded is None or stamp != self._loaded_from:
            self._loaded = None
            self._loaded = load_client(self.session, self.account, self.factory)
            self._wire = Wire(self._loaded.private)
            self._loaded_from = stamp
        return self._loaded

    def _save(self, client: Any) -> None:
        """Keep the refreshed cookies; a failure here must not undo a publication."""
        try:
            save_session(client, self.session)
        except OSError as exc:
            said = _("{account}: could not update the saved session: {why}")
            log.warning(said.format(account=self.name, why=exc.strerror))
            return
        self._loaded_from = file_stamp(self.session)  # our own write: nothing to reload

    def _secrets(self) -> tuple[str, ...]:
        return () if self._loaded is None else client_secrets(self._loaded)

    @contextmanager
    def _translated(self, publishing: bool) -> Iterator[None]:
        """instagrapi's and the network's failures as jadwal's errors; ``publishing``: whether
        the configure request may have gone out (a lookup never publishes)."""
        try:
            yield
        except (PublishError, ClaimLost):
            raise
        except Exception as exc:
            sent = publishing and self._wire is not None and self._wire.configure_sent
            translated = translate(exc, self.name, sent, self._secrets())
            if translated is None:
                raise
            raise translated from exc

    # -- publish ---------------------------------------------------------------------------

    def publish(self, draft: Draft, progress: Progress) -> Published:
        # Nothing to save: no platform-side id exists before configure.
        plan = verdict(self.calendar, self.account, draft)
        client = self.client()
        # Feed images become JPEGs the feed takes (4:5 to 1.91:1); story images keep their
        # 9:16 shape (instagrapi fits JPEG, PNG and WebP itself); videos go as they are,
        # each with its cover frame (``upload``).
        cache = self.calendar.media_cache_dir
        media = prepare_media(plan.media, cache)
        assert self._wire is not None
        self._wire.watch(progress.confirm)
        with self._translated(publishing=True):
            uploaded = upload(client, plan, media, draft.caption, cache)
        self._save(client)
        return self._published(uploaded, draft.kind)

    def _published(self, media: Any, kind: str) -> Published:
        post_id = str(media.pk or media.id)
        if kind == "story":
            username = self.account.username or ""
            return Published(post_id, f"https://www.instagram.com/stories/{username}/{post_id}/")
        return Published(post_id, f"https://www.instagram.com/p/{media.code}/")

    # -- find ------------------------------------------------------------------------------

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        client = self.client()
        with self._translated(publishing=False):
            user_id = self._user_id(client)
            if draft.kind == "story":
                lookup = find_story(client, user_id, draft.sent_after)
            else:
                lookup = find_post(client, user_id, draft)
        self._save(client)
        return lookup

    def insights(self, targets: list[Target], followers: bool) -> Readings:
        """The posts' likes, comments and views, and the followers (``instagrapi.insights``)."""
        client = self.client()
        with self._translated(publishing=False):
            readings = read_insights(client, self._user_id(client), targets, followers)
        self._save(client)
        return readings

    def _user_id(self, client: Any) -> str:
        if client.user_id:
            return str(client.user_id)
        return str(client.user_id_from_username(self.account.username))

    # -- check -----------------------------------------------------------------------------

    def check(self) -> list[CheckResult]:
        results = [self._check_file()]
        if not self.session.is_file():
            return results
        results.append(self._check_location())
        try:
            client = self.client()
            info = client.account_info()
        except PublishError as exc:
            return [*results, CheckResult("login", False, exc.message)]
        except Exception as exc:
            translated = translate(exc, self.name, False, self._secrets())
            detail = (
                translated.message
                if translated
                else _("Instagram answered unexpectedly: try again later")
            )
            return [*results, CheckResult("login", False, detail)]
        self._save(client)
        return [*results, self._check_user(str(info.username))]

    def _check_file(self) -> CheckResult:
        path = self.session
        if not path.is_file():
            said = _("no saved session: run 'jadwal login {account}'")
            return CheckResult("session", False, said.format(account=self.name))
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            said = _("{path} is readable by others (mode {mode}): chmod 600 it")
            return CheckResult("session", False, said.format(path=path, mode=f"{mode:o}"))
        return CheckResult("session", True, f"{path} (mode 600)")

    def _check_location(self) -> CheckResult:
        folder = self.calendar.folder.resolve()
        if self.session.resolve().is_relative_to(folder):
            said = _(
                "the session is inside the calendar folder and could be committed: set "
                "{variable} to a folder outside it and run 'jadwal login {account}'"
            )
            detail = said.format(variable=SESSION_DIR_VARIABLE, account=self.name)
            return CheckResult("session location", False, detail)
        return CheckResult("session location", True, _("outside the calendar folder"))

    def _check_user(self, username: str) -> CheckResult:
        expected = (self.account.username or "").lstrip("@").lower()
        if expected and username.lower() != expected:
            said = _(
                "the saved session is for @{username}, the calendar says @{expected}: "
                "run 'jadwal login {account}'"
            )
            detail = said.format(username=username, expected=expected, account=self.name)
            return CheckResult("login", False, detail)
        said = _("signed in as @{username}")
        return CheckResult("login", True, said.format(username=username))
