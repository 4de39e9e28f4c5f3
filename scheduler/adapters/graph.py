"""The Graph API client shared by the Facebook Page and Instagram (Graph) adapters.

facebook-sdk does the HTTP; this module fixes what it can't do on its own:
- the base URL is configurable (``JADWAL_GRAPH_URL`` or ``graph.url``; tests point it at a
  fake on 127.0.0.1): facebook-sdk always prefixes ``https://graph.facebook.com/``, so the
  session we hand it rewrites that prefix;
- the API version is set after construction (facebook-sdk only validates versions up to 3.1);
- the token travels in the ``Authorization`` header, never in a URL that could end up in a
  log or an exception message;
- every failure becomes one of ``scheduler.adapters.errors``, keeping Meta's code, subcode and
  message. ``safe`` says whether the call may be repeated (reads, container creation,
  unpublished uploads); a lost answer to an unsafe call (publishing) is ``OutcomeUnknown``,
  never a retry.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import requests

from scheduler.adapters.base import Progress
from scheduler.errors import (
    AuthError,
    OutcomeUnknown,
    PublishError,
    QuotaExhausted,
    Rejected,
    Throttled,
    Transient,
)
from scheduler.secrets import scrub

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
SDK_PREFIX = "https://graph.facebook.com/"
TIMEOUT = 60.0

TRANSIENT_CODES = {1, 2}
THROTTLED_CODES = {4, 17, 32, 613, 80001, 80002, 341}
COOLDOWN_CODES = {368}
NOT_READY = {(9007, 2207027)}
QUOTA = {(9, 2207042)}
AUTH_CODES = {190, 102}
PERMISSION_CODES = {10, *range(200, 300)}
DUPLICATE = 506


def graph_url(configured: str | None) -> str:
    return (os.environ.get("JADWAL_GRAPH_URL") or configured or DEFAULT_GRAPH_URL).rstrip("/")


class GraphSession(requests.Session):
    """Sends facebook-sdk's requests to ``base_url`` with the token in a header."""

    def __init__(self, base_url: str, token: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.headers["Authorization"] = f"Bearer {token}"

    def request(
        self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        text = url.decode() if isinstance(url, bytes) else url
        if text.startswith(SDK_PREFIX):
            text = f"{self.base_url}/{text[len(SDK_PREFIX) :]}"
        return super().request(method, text, *args, **kwargs)


class Graph:
    def __init__(
        self,
        token: str,
        base_url: str,
        version: str,
        timeout: float | None = None,
        session: requests.Session | None = None,
    ) -> None:
        from facebook import GraphAPI

        self._token = token
        self.session = session or GraphSession(base_url, token)
        # No version at construction: facebook-sdk rejects anything newer than 3.1.
        self.api = GraphAPI(timeout=timeout or TIMEOUT, session=self.session)
        self.api.version = version if version.startswith("v") else f"v{version}"

    def token_info(self) -> dict[str, Any]:
        """``/debug_token`` for this client's own token."""
        data = self.get("debug_token", input_token=self._token).get("data")
        return data if isinstance(data, dict) else {}

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        return self._call(path, safe=True, args=params)

    def post(
        self, path: str, data: dict[str, Any], *, files: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A call that makes nothing public (a container, an unpublished photo): safe to
        repeat, so a lost answer is ``Transient``."""
        return self._call(path, safe=True, post_args=data, files=files)

    def publish(
        self,
        path: str,
        data: dict[str, Any],
        progress: Progress,
        *,
        files: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The call that makes a post public: confirmed with the engine first, and a lost
        answer is ``OutcomeUnknown``, never a retry."""
        progress.confirm()
        return self._call(path, safe=False, post_args=data, files=files)

    def _call(
        self,
        path: str,
        *,
        safe: bool,
        args: dict[str, Any] | None = None,
        post_args: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            result = self.api.request(
                f"{self.api.version}/{path.lstrip('/')}",
                args=args,
                post_args=post_args,
                files=files,
            )
        except Exception as exc:
            error = translate(exc, safe=safe)
            if self._token and self._token in repr(getattr(exc, "result", exc)) + str(exc):
                # Keep Meta's echo of the token out of chained tracebacks (crash logs, logs).
                raise self._scrubbed(error) from None
            raise error from exc
        if not isinstance(result, dict):
            raise self._scrubbed(translate(ValueError("unexpected answer"), safe=safe))
        return result

    def _scrubbed(self, error: PublishError) -> PublishError:
        # Meta never echoes tokens, but a proxy's error page might: never let one through.
        error.message = scrub(error.message, [self._token])
        error.args = (error.message,)
        return error


def translate(exc: BaseException, *, safe: bool) -> PublishError:
    """One library exception → one of jadwal's errors (see the module docstring)."""
    from facebook import GraphAPIError

    if isinstance(exc, GraphAPIError):
        return _from_graph_error(exc, safe=safe)
    if isinstance(exc, requests.ConnectTimeout) or _refused(exc):
        return Transient("could not connect to the Graph API (nothing was sent)")
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        what = "no answer from the Graph API (timeout or dropped connection)"
        return Transient(what) if safe else OutcomeUnknown(f"{what}; it may have been published")
    if isinstance(exc, requests.RequestException | ValueError | KeyError):
        what = "the Graph API sent an answer that is not JSON"
        return Transient(what) if safe else OutcomeUnknown(f"{what}; it may have been published")
    return OutcomeUnknown(f"unexpected error: {type(exc).__name__}")


def _refused(exc: BaseException) -> bool:
    """The connection was never made, so the request cannot have reached Meta."""
    from urllib3.exceptions import NewConnectionError

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def _from_graph_error(exc: Any, *, safe: bool) -> PublishError:
    error = exc.result.get("error") if isinstance(exc.result, dict) else None
    if not isinstance(error, dict):
        # facebook-sdk raises with no code for an HTML page (a proxy's 502) or a bad body.
        what = "the Graph API answered with an error page instead of JSON"
        return Transient(what) if safe else OutcomeUnknown(f"{what}; it may have been published")
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    message = str(error.get("error_user_msg") or error.get("message") or "unknown error")
    return classify(code, subcode, message, bool(error.get("is_transient")))


def classify(
    code: int | None, subcode: int | None, message: str, is_transient: bool = False
) -> PublishError:
    if code == DUPLICATE:
        return OutcomeUnknown(
            f"duplicate: an earlier attempt probably succeeded ({message})", code, subcode
        )
    if (code, subcode) in QUOTA:
        return QuotaExhausted(message, None, code, subcode)
    if (code, subcode) in NOT_READY:
        return Throttled(message, timedelta(minutes=1), code, subcode)
    if code in COOLDOWN_CODES or subcode == 2207051:
        return Throttled(message, timedelta(hours=6), code, subcode)
    if code in THROTTLED_CODES:
        return Throttled(message, timedelta(minutes=15), code, subcode)
    if is_transient or code in TRANSIENT_CODES:
        return Transient(message, code, subcode)
    if code in AUTH_CODES:
        return AuthError(
            f"{message}; issue a new token, update the secret, then run 'jadwal accounts check'",
            code,
            subcode,
        )
    if code in PERMISSION_CODES:
        return AuthError(
            f"{message}; grant the missing permission to the app, then run 'jadwal accounts check'",
            code,
            subcode,
        )
    return Rejected(message, code, subcode)


def _int(value: object) -> int | None:
    try:
        return int(value) if value is not None else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
