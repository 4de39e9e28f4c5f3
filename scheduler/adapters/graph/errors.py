"""Graph API failures as jadwal's errors (``scheduler.errors``), most specific first.

``translate`` takes what facebook-sdk or requests raised; ``classify`` reads Meta's error code
and subcode. A failure that cannot have reached Meta (no connection) is ``Offline``; a lost
answer is ``Transient`` for a call that is safe to repeat and ``OutcomeUnknown`` for the one
that publishes, which is never retried blindly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import requests

from scheduler.adapters.network import unreached
from scheduler.errors import (
    AuthError,
    Offline,
    OutcomeUnknown,
    PublishError,
    QuotaExhausted,
    Rejected,
    Throttled,
    Transient,
)

TRANSIENT_CODES = {1, 2}
THROTTLED_CODES = {4, 17, 32, 613, 80001, 80002, 341}
COOLDOWN_CODES = {368}
NOT_READY = {(9007, 2207027)}
QUOTA = {(9, 2207042)}
AUTH_CODES = {190, 102}
PERMISSION_CODES = {10, *range(200, 300)}
DUPLICATE = 506


def translate(exc: BaseException, *, safe: bool) -> PublishError:
    """One library exception → one of jadwal's errors (see the module docstring)."""
    from facebook import GraphAPIError

    if isinstance(exc, GraphAPIError):
        return _from_graph_error(exc, safe=safe)
    why = unreached(exc)
    if why is not None:
        return Offline(f"no connection to the Graph API: {why}; nothing was sent", why)
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        what = "no answer from the Graph API (timeout or dropped connection)"
        return Transient(what) if safe else OutcomeUnknown(f"{what}; it may have been published")
    if isinstance(exc, requests.RequestException | ValueError | KeyError):
        what = "the Graph API sent an answer that is not JSON"
        return Transient(what) if safe else OutcomeUnknown(f"{what}; it may have been published")
    return OutcomeUnknown(f"unexpected error: {type(exc).__name__}")


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
    wait = _wait(code, subcode)
    if wait is not None:
        return Throttled(message, wait, code, subcode)
    if is_transient or code in TRANSIENT_CODES:
        return Transient(message, code, subcode)
    fix = _access_fix(code)
    if fix is not None:
        return AuthError(f"{message}; {fix}, then run 'jadwal accounts check'", code, subcode)
    return Rejected(message, code, subcode)


def _wait(code: int | None, subcode: int | None) -> timedelta | None:
    """How long Meta wants us to hold off, for the codes that mean "not now"."""
    if (code, subcode) in NOT_READY:
        return timedelta(minutes=1)
    if code in COOLDOWN_CODES or subcode == 2207051:
        return timedelta(hours=6)
    if code in THROTTLED_CODES:
        return timedelta(minutes=15)
    return None


def _access_fix(code: int | None) -> str | None:
    """What a person must do about a token or permission error."""
    if code in AUTH_CODES:
        return "issue a new token, update the secret"
    if code in PERMISSION_CODES:
        return "grant the missing permission to the app"
    return None


def _int(value: object) -> int | None:
    try:
        return int(value) if value is not None else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
