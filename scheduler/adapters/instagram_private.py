"""Instagram through instagrapi's private API (``via: instagrapi``), for accounts without a
Facebook Page: feed photo, carousel, reel, story.

The daemon never signs in with a password. ``jadwal login ACCOUNT`` signs in once (password,
two-factor code) and saves instagrapi's session settings to ``$JADWAL_SESSION_DIR`` or
``~/.config/jadwal/sessions/ACCOUNT.json`` — outside the calendar repository, mode 0600. The
adapter loads that file and reuses it; an expired session, a challenge or a two-factor prompt
pauses the account (``AuthError``) until a person runs ``jadwal login`` again. Fresh password
logins from a server are what makes Instagram raise challenges and block accounts.

Publishing is an upload (``rupload_*``: publishes nothing) followed by a configure request
(``media/configure*``: publishes). Which of the two a failure happened in decides what it
means: before configure nothing can be public, so a network failure is safe to retry; from
configure on, Instagram may have published it, so the outcome is unknown and ``find`` settles
it by caption. instagrapi does not say which step failed, so the adapter watches the requests
its session sends.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import requests
from instagrapi import exceptions as ig

from scheduler.adapters.base import CheckResult, Draft, Lookup, Progress, Published, caption_hash
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import (
    AuthError,
    ClaimLost,
    JadwalError,
    OutcomeUnknown,
    PublishError,
    Rejected,
    Throttled,
    Transient,
)
from scheduler.files import FileStamp, file_stamp, write_atomic
from scheduler.platforms.media import VIDEO_SUFFIXES
from scheduler.secrets import SecretMissing, resolve, scrub

log = logging.getLogger(__name__)

SESSION_DIR_VARIABLE = "JADWAL_SESSION_DIR"
RECENT = 20  # media per page of the profile feed read back by ``find``
LOOKUP_PAGES = 5  # then the row stays ``unknown``: fewer requests, fewer challenges
HTTP_TIMEOUT = (15.0, 120.0)  # connect, read: instagrapi sends private requests without one
COOLDOWN = timedelta(hours=2)  # rate limits: retrying sooner prolongs them
FEEDBACK_COOLDOWN = timedelta(hours=12)  # "action blocked": Instagram's blocks last hours to days
CLOCK_SLACK = timedelta(hours=1)  # a post taken this long before the draft's time is not it
STORY_LIFETIME = timedelta(hours=20)  # stories vanish after 24 h: older ones can't be checked
MAX_MESSAGE = 300

ClientFactory = Callable[[], Any]


class Prompt(Protocol):
    """How ``login_account`` asks the person at the terminal (the CLI wraps typer.prompt)."""

    def __call__(self, text: str, hide: bool = False) -> str: ...


# -- session files ------------------------------------------------------------------------


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


def _daemon_client() -> Any:
    from instagrapi import Client

    # A challenge must become an error, never a prompt: in a daemon input() blocks forever.
    return Client(with_challenge_flow=False)


def _no_person(*_: object) -> str:
    raise ig.ChallengeRequired("Instagram asked for a verification code and nobody is there")


def _harden(client: Any) -> None:
    """Whatever the factory made: no interactive challenge flow, no resent publish."""
    client.with_challenge_flow = False
    client.challenge_code_handler = _no_person
    client.change_password_handler = _no_person
    # With the plain requests transport instagrapi retries POSTs on 5xx; a resent configure
    # can publish twice. The engine decides about retries (the default curl transport has none).
    client.set_retry_config(session_retry_total=0)


def client_secrets(client: Any) -> tuple[str, ...]:
    """What in a client's state is as good as a password: the session cookie, the
    Authorization header (which encodes it) and the CSRF token."""
    sessionid = client.sessionid or ""
    authorization = client.authorization or ""
    found = (
        sessionid,
        unquote(sessionid),
        authorization,
        authorization.rsplit(":", 1)[-1],
        client.cookie_dict.get("csrftoken") or "",
    )
    return tuple(value for value in found if len(value) >= 8)


class _Masking(logging.LoggerAdapter[logging.Logger]):
    """instagrapi's loggers for one client. At DEBUG instagrapi logs whole response bodies:
    secrets are masked before a record reaches any handler."""

    def __init__(self, logger: logging.Logger, secrets: Callable[[], tuple[str, ...]]) -> None:
        super().__init__(logger, {})
        self.secrets = secrets

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        if not self.isEnabledFor(level):
            return
        try:
            text = str(msg) % args if args else str(msg)
        except (TypeError, ValueError):
            text = " ".join(str(part) for part in (msg, *args))
        failure = _exception(kwargs.pop("exc_info", None))
        if failure is not None:  # a traceback carries messages too: mask it as text
            text += "\n" + "".join(traceback.format_exception(failure)).rstrip()
        self.logger.log(level, "%s", scrub(text, self.secrets()), **kwargs)


def _exception(exc_info: object) -> BaseException | None:
    if exc_info is True:
        return sys.exception()
    if isinstance(exc_info, BaseException):
        return exc_info
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        return exc_info[1] if isinstance(exc_info[1], BaseException) else None
    return None


def _mask_logs(client: Any, *extra: str) -> None:
    def secrets() -> tuple[str, ...]:
        return (*extra, *client_secrets(client))

    client.logger = _Masking(logging.getLogger("instagrapi"), secrets)
    client.private_request_logger = _Masking(logging.getLogger("private_request"), secrets)
    client.public_request_logger = _Masking(logging.getLogger("public_request"), secrets)


class _Wire:
    """Watches the client's private requests session: every request gets a timeout, the
    publishing step (configure) is confirmed with the engine before it goes out, and
    ``configure_sent`` records that it did."""

    def __init__(self, session: Any) -> None:
        self.configure_sent = False
        self.confirm: Callable[[], None] = Progress().confirm
        self._send = session.send
        session.send = self.send

    def send(self, request: Any, **kwargs: Any) -> Any:
        if "/media/configure" in urlsplit(str(request.url)).path:
            self.confirm()  # raises ClaimLost: instagrapi lets it through, nothing is sent
            self.configure_sent = True
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = HTTP_TIMEOUT  # village internet: never hang the daemon
        return self._send(request, **kwargs)


# -- the adapter ---------------------------------------------------------------------------


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
        self.factory = client_factory or _daemon_client
        self._loaded: Any = None
        self._loaded_from: FileStamp | None = None
        self._wire: _Wire | None = None

    # -- session ---------------------------------------------------------------------------

    def client(self) -> Any:
        """The signed-in client, loaded from the saved session on first use and again
        whenever the file changed: after ``jadwal login`` a running daemon (which keeps its
        adapters) must use the new session, not overwrite it with the expired one."""
        stamp = file_stamp(self.session)  # save_session replaces the file: a new stamp
        if self._loaded is None or stamp != self._loaded_from:
            self._loaded = None
            self._loaded = self._load()
            self._loaded_from = stamp
        return self._loaded

    def _load(self) -> Any:
        relogin = f"run 'jadwal login {self.name}'"
        if not self.session.is_file():
            raise AuthError(f"no saved session for {self.name}: {relogin}")
        client = self.factory()
        _mask_logs(client)
        try:
            client.load_settings(self.session)
        except Exception as exc:  # the file's content must not reach a message
            raise AuthError(
                f"the saved session for {self.name} ({self.session}) can't be read "
                f"({type(exc).__name__}): {relogin}"
            ) from exc
        if not client.user_id:
            raise AuthError(f"the saved session for {self.name} is not signed in: {relogin}")
        # load_settings alone restores cookies and the Authorization header: no login() call,
        # which would fall back to a fresh password login when the session is rejected.
        client.username = self.account.username
        _harden(client)
        self._wire = _Wire(client.private)
        return client

    def _save(self, client: Any) -> None:
        """Keep the refreshed cookies; a failure here must not undo a publication."""
        try:
            save_session(client, self.session)
        except OSError as exc:
            log.warning("%s: could not update the saved session: %s", self.name, exc.strerror)
            return
        self._loaded_from = file_stamp(self.session)  # our own write: nothing to reload

    def _fail(self, exc: Exception) -> PublishError | None:
        sent = self._wire is not None and self._wire.configure_sent
        return translate(exc, self.name, sent, self._secrets())

    def _secrets(self) -> tuple[str, ...]:
        return () if self._loaded is None else client_secrets(self._loaded)

    # -- publish ---------------------------------------------------------------------------

    def publish(self, draft: Draft, progress: Progress) -> Published:
        # Nothing to save: no platform-side id exists before configure.
        client = self.client()
        media = self._prepared(draft)
        assert self._wire is not None
        self._wire.configure_sent = False
        self._wire.confirm = progress.confirm
        try:
            uploaded = self._upload(client, draft, media)
        except (PublishError, ClaimLost):
            raise
        except Exception as exc:
            translated = self._fail(exc)
            if translated is None:
                raise
            raise translated from exc
        self._save(client)
        return self._published(uploaded, draft.kind)

    def _prepared(self, draft: Draft) -> list[Path]:
        # Feed images are made into JPEGs Instagram's feed takes (4:5 to 1.91:1). Stories and
        # reel covers are 9:16: framing them for the feed would add bars, and instagrapi fits
        # them itself (JPEG, PNG or WebP).
        if draft.kind in ("story", "reel"):
            return list(draft.media)
        return [m if _is_video(m) else self._prepare_image(m) for m in draft.media]

    def _prepare_image(self, path: Path) -> Path:
        try:
            from scheduler.platforms.images import prepare_image
        except ImportError:  # media preparation not available: send the file as it is
            return path
        return prepare_image(path, self.calendar.media_cache_dir, "instagram")

    def _upload(self, client: Any, draft: Draft, media: list[Path]) -> Any:
        videos = [m for m in media if _is_video(m)]
        images = [m for m in media if not _is_video(m)]
        if not media:
            raise Rejected("an Instagram post needs at least one image or video")
        if draft.kind == "story":
            if videos:
                return client.video_upload_to_story(videos[0], draft.caption)
            return client.photo_upload_to_story(images[0], draft.caption)
        if draft.kind == "reel" or (videos and len(media) == 1):
            if not videos:
                raise Rejected("a reel needs a video (.mp4 or .mov)")
            thumbnail = images[0] if images else None
            return client.clip_upload(videos[0], draft.caption, thumbnail=thumbnail)
        if len(media) == 1:
            return client.photo_upload(images[0], draft.caption)
        return client.album_upload(media, draft.caption)

    def _published(self, media: Any, kind: str) -> Published:
        post_id = str(media.pk or media.id)
        if kind == "story":
            username = self.account.username or ""
            return Published(post_id, f"https://www.instagram.com/stories/{username}/{post_id}/")
        return Published(post_id, f"https://www.instagram.com/p/{media.code}/")

    # -- find ------------------------------------------------------------------------------

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        client = self.client()
        try:
            user_id = self._user_id(client)
            if draft.kind == "story":
                lookup = _story_lookup(_recent_stories(client, user_id), draft.sent_after)
            else:
                lookup = _post_lookup(_recent_posts(client, user_id), draft)
        except PublishError:
            raise
        except Exception as exc:
            translated = translate(exc, self.name, False, self._secrets())
            if translated is None:
                raise
            raise translated from exc
        self._save(client)
        return lookup

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
            detail = translated.message if translated else f"unexpected {type(exc).__name__}"
            return [*results, CheckResult("login", False, detail)]
        self._save(client)
        return [*results, self._check_user(str(info.username))]

    def _check_file(self) -> CheckResult:
        path = self.session
        if not path.is_file():
            return CheckResult(
                "session", False, f"no saved session: run 'jadwal login {self.name}'"
            )
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            return CheckResult(
                "session", False, f"{path} is readable by others (mode {mode:o}): chmod 600 it"
            )
        return CheckResult("session", True, f"{path} (mode 600)")

    def _check_location(self) -> CheckResult:
        folder = self.calendar.folder.resolve()
        if self.session.resolve().is_relative_to(folder):
            return CheckResult(
                "session location",
                False,
                f"the session is inside the calendar folder and could be committed: set "
                f"{SESSION_DIR_VARIABLE} to a folder outside it and run 'jadwal login {self.name}'",
            )
        return CheckResult("session location", True, "outside the calendar folder")

    def _check_user(self, username: str) -> CheckResult:
        expected = (self.account.username or "").lstrip("@").lower()
        if expected and username.lower() != expected:
            return CheckResult(
                "login",
                False,
                f"the saved session is for @{username}, the calendar says @{expected}: "
                f"run 'jadwal login {self.name}'",
            )
        return CheckResult("login", True, f"signed in as @{username}")


# -- find helpers --------------------------------------------------------------------------


def _recent_posts(client: Any, user_id: str) -> Iterator[dict[str, Any]]:
    """The profile feed, newest first, one page at a time (at most ``LOOKUP_PAGES``)."""
    max_id = ""
    for _ in range(LOOKUP_PAGES):
        # Not user_medias(): instagrapi's v1 feed readers log and swallow network and HTTP
        # errors (returning fewer or no media), which would turn "can't tell" into "not
        # published".
        answer = dict(
            client.private_request(
                f"feed/user/{user_id}/",
                params={
                    "max_id": max_id,
                    "count": RECENT,
                    "rank_token": client.rank_token,
                    "ranked_content": "true",
                },
            )
        )
        yield answer
        max_id = str(answer.get("next_max_id") or "")
        if not answer.get("more_available") or not max_id:
            return


def _recent_stories(client: Any, user_id: str) -> list[dict[str, Any]]:
    from instagrapi import config

    answer = client.private_request(
        f"feed/user/{user_id}/story/",
        params={"supported_capabilities_new": json.dumps(config.SUPPORTED_CAPABILITIES)},
    )
    return list((answer.get("reel") or {}).get("items") or [])


def _post_lookup(pages: Iterable[dict[str, Any]], draft: Draft) -> Lookup:
    wanted = caption_hash(draft.caption)
    since = (draft.sent_after - CLOCK_SLACK).timestamp()
    read = 0
    for answer in pages:
        items: list[dict[str, Any]] = list(answer.get("items") or [])
        read += len(items)
        for item in items:
            # An older post with the same text (a weekly greeting) is not this occurrence.
            if _taken_at(item) >= since and caption_hash(_caption(item)) == wanted:
                post_id = str(item.get("pk") or item.get("id"))
                return Lookup("published", Published(post_id, _permalink(item)))
        # Pinned posts come first whatever their age: they say nothing about how far back we
        # read.
        times = [_taken_at(i) for i in items if not i.get("timeline_pinned_user_ids")]
        if not answer.get("more_available") or (times and min(times) < since):
            return Lookup("not_published", detail=f"not among the {read} latest posts")
    return Lookup("unknown", detail=f"not among the {read} most recent posts; older ones not read")


def _story_lookup(items: list[dict[str, Any]], at: datetime) -> Lookup:
    if datetime.now(UTC) - at > STORY_LIFETIME:
        return Lookup("unknown", detail="stories disappear after 24 hours: check by hand")
    since = (at - CLOCK_SLACK).timestamp()
    newer = [i for i in items if _taken_at(i) >= since]
    if not newer:
        return Lookup("not_published", detail="no story since the planned time")
    # Stories carry no caption to match: one posted by hand looks the same as ours.
    return Lookup("unknown", detail=f"{len(newer)} story(ies) since the planned time")


def _caption(item: dict[str, Any]) -> str:
    return str((item.get("caption") or {}).get("text") or "")


def _taken_at(item: dict[str, Any]) -> float:
    try:
        return float(item.get("taken_at") or 0)
    except (TypeError, ValueError):
        return 0.0


def _permalink(item: dict[str, Any]) -> str | None:
    code = item.get("code")
    return f"https://www.instagram.com/p/{code}/" if code else None


def _is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES


# -- error translation ---------------------------------------------------------------------

_AUTH = (
    ig.ChallengeError,  # ChallengeRequired and the challenge forms
    ig.CaptchaChallengeRequired,
    ig.TwoFactorRequired,
    ig.BadPassword,
    ig.BadCredentials,
    ig.LoginRequired,
    ig.ClientLoginRequired,
    ig.ClientUnauthorizedError,
    ig.ReloginAttemptExceeded,
    ig.AccountSuspended,
    ig.SentryBlock,
    ig.ProxyAddressIsBlocked,
)
_THROTTLED = (ig.PleaseWaitFewMinutes, ig.RateLimitError, ig.ClientThrottledError)
_NETWORK = (
    requests.RequestException,
    ig.ClientConnectionError,
    ig.ClientRequestTimeout,
    ig.ClientIncompleteReadError,
    ig.ClientJSONDecodeError,
)
_BAD_MEDIA = (ValueError, OSError, RuntimeError, AssertionError)  # unreadable or unsupported


def translate(
    exc: BaseException, who: str, sent: bool, secrets: tuple[str, ...] = ()
) -> PublishError | None:
    """jadwal's error for an instagrapi or network failure, most specific first; ``None``
    for an unexpected error before anything was sent (the caller re-raises it).

    ``sent`` says whether the configure request (the one that publishes) went out. Codes stay
    empty: instagrapi has HTTP statuses, not the Graph API's error codes the history shows.
    """
    reason = _reason(exc, secrets)
    status = _status(exc)
    if isinstance(exc, _AUTH):
        return AuthError(_auth_message(exc, who, reason))
    if isinstance(exc, ig.FeedbackRequired):
        return _throttled(who, reason, FEEDBACK_COOLDOWN)
    if isinstance(exc, _THROTTLED) or status == 429:
        return _throttled(who, reason, COOLDOWN)
    if _is_configure_error(exc):
        return OutcomeUnknown(_maybe_message(who, reason))
    if isinstance(exc, _NETWORK) or (status is not None and status >= 500):
        if sent:
            return OutcomeUnknown(_maybe_message(who, reason))
        return Transient(f"could not reach Instagram for {who} ({reason}); will try again")
    if isinstance(exc, ig.ClientError):
        return Rejected(f"Instagram refused the post for {who}: {reason}")
    if sent:  # e.g. a configure answer instagrapi could not parse: it may well be public
        return OutcomeUnknown(_maybe_message(who, reason))
    if isinstance(exc, _BAD_MEDIA):
        return Rejected(f"cannot upload the media for {who}: {reason}")
    return None


def _auth_message(exc: BaseException, who: str, reason: str) -> str:
    relogin = f"run 'jadwal login {who}'"
    if isinstance(exc, ig.ChallengeError | ig.CaptchaChallengeRequired):
        return (
            f"Instagram wants to verify the sign-in of {who} ({reason}): open the Instagram "
            f"app, confirm it was you, then {relogin}"
        )
    if isinstance(exc, ig.TwoFactorRequired):
        return f"Instagram asks for a two-factor code for {who}: {relogin}"
    if isinstance(exc, ig.BadPassword | ig.BadCredentials):
        return f"Instagram rejected the login of {who}: check the password, then {relogin}"
    if isinstance(exc, ig.AccountSuspended | ig.SentryBlock | ig.ProxyAddressIsBlocked):
        return (
            f"Instagram blocked {who} ({reason}): sort it out in the Instagram app, then {relogin}"
        )
    return f"the saved Instagram session of {who} expired or was signed out ({reason}): {relogin}"


def _throttled(who: str, reason: str, wait: timedelta) -> Throttled:
    hours = int(wait.total_seconds() // 3600)
    return Throttled(
        f"Instagram is limiting {who} ({reason}); jadwal waits {hours} h before trying again. "
        "Don't post from this account by hand meanwhile: it prolongs the block",
        wait,
    )


def _maybe_message(who: str, reason: str) -> str:
    return (
        f"Instagram did not confirm the post for {who} after the upload ({reason}). "
        "Instagram may have published it; it will be checked before anything is sent again"
    )


def _is_configure_error(exc: BaseException) -> bool:
    # PhotoConfigureError, VideoConfigureStoryError, AlbumConfigureError, ClipConfigureError, …
    names = (cls.__name__ for cls in type(exc).__mro__)
    return any(n.endswith(("ConfigureError", "ConfigureStoryError")) for n in names)


def _status(exc: BaseException) -> int | None:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def _reason(exc: BaseException, secrets: tuple[str, ...]) -> str:
    # ChallengeRequired's message is advice to programmers; Instagram's own word is shorter.
    said = getattr(exc, "raw_message", None) or getattr(exc, "message", None) or exc
    text = str(said).strip() or type(exc).__name__
    if type(exc).__name__ not in text:
        text = f"{type(exc).__name__}: {text}"
    text = " ".join(scrub(text, secrets).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


# -- jadwal login --------------------------------------------------------------------------


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
    _mask_logs(client, password)
    _interactive(client, account, prompt)
    if path.is_file():
        _reuse_device(client, path)
    _Wire(client.private)
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
    for ref in account.secrets:
        if ref.key == "password":
            try:
                return resolve(calendar.folder, ref.variable)
            except SecretMissing:
                return None  # not set here: ask instead
    return None


def _login_problem(exc: BaseException, who: str, secrets: tuple[str, ...]) -> str:
    reason = _reason(exc, secrets)
    again = f"run 'jadwal login {who}' again"
    if isinstance(exc, ig.TwoFactorRequired):
        return f"the two-factor code was not accepted: {again} with a fresh code"
    if isinstance(exc, ig.BadPassword | ig.BadCredentials):
        return (
            f"Instagram rejected the sign-in ({reason}). Check the password; if it is right, "
            f"sign in once in the Instagram app on this network, then {again}"
        )
    if isinstance(exc, ig.ChallengeError | ig.CaptchaChallengeRequired):
        return (
            f"Instagram wants to verify this sign-in ({reason}): open the Instagram app, "
            f"confirm it was you, then {again}"
        )
    if isinstance(exc, (ig.FeedbackRequired, *_THROTTLED)):
        return f"Instagram is limiting sign-ins ({reason}): wait an hour or two, then {again}"
    if isinstance(exc, _NETWORK):
        return f"could not reach Instagram ({reason}): check the internet connection, then {again}"
    return f"signing in failed ({reason}): {again}"
