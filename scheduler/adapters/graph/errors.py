"""Graph API failures as jadwal's errors (``scheduler.errors``), most specific first.

``translate`` takes what facebook-sdk or requests raised; ``classify`` reads Meta's error code
and subcode, as Meta's tables say (Graph API "Handling Errors"; Instagram Platform "Error
Codes"; both cited in docs/platforms.md). A failure that cannot have reached Meta (no
connection) is ``Offline``; a lost answer is ``Transient`` for a call that is safe to repeat and
``OutcomeUnknown`` for the one that publishes, which is never retried blindly.

A code jadwal has never seen is neither a permanent refusal nor silence: it is tried again
like a platform error, within the post's grace period, so a post that keeps meeting it fails
when the grace period ends. An error answer means Meta refused the call, so even on the
publishing call nothing went out (as with codes 1 and 2); a lost answer is what is unknown.
Its message says so, so that a person can tell it apart in ``jadwal history``.
"""

from __future__ import annotations

import re
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
from scheduler.i18n import _

# Instagram's -1/-2 rows all say "try again" (2207001, 2207003, 2207020, 2207032, 2207053),
# most of them with a new container: every attempt makes its own, so a retry never reuses one.
TRANSIENT_CODES = {1, 2, -1, -2}
# 24: the container is gone or expired (2207006, 2207008): "generate a new container".
NEW_CONTAINER_CODES = {24}
PERMANENT = {(1, 2207057)}  # a thumbnail offset outside the video: code 1, but not a retry
THROTTLED_CODES = {4, 17, 32, 613, 80001, 80002, 341}
COOLDOWN_CODES = {368}
NOT_READY = {(9007, 2207027)}
QUOTA = {(9, 2207042)}
AUTH_CODES = {190, 102}
PERMISSION_CODES = {10, *range(200, 300)}
CAPABILITY = 3  # "API Method: capability or permissions issue"
RESTRICTED = {(25, 2207050)}  # the Instagram account is inactive, checkpointed or restricted
# What Meta documents as a bad request or bad media: fixing the post is the only way.
REJECTED_CODES = {100, 352, 9004, 36000, 36001, 36003, 36004, 1609005}
DUPLICATE = 506
# On an ERROR container ``status`` carries only the subcode: the code it goes with, from the
# Instagram table, so that it is classified like the same error answered by a call.
SUBCODE_CODE = {
    2207001: -1, 2207003: -2, 2207020: -2, 2207032: -1, 2207053: -1, 2207057: 1,
    2207051: 4, 2207042: 9, 2207006: 24, 2207008: 24, 2207050: 25, 2207023: 100,
    2207028: 100, 2207035: 100, 2207036: 100, 2207037: 100, 2207040: 100, 2207026: 352,
    2207052: 9004, 2207027: 9007, 2207004: 36000, 2207005: 36001, 2207009: 36003,
    2207010: 36004,
}  # fmt: skip


def translate(exc: BaseException, *, safe: bool, needs: tuple[str, ...] = ()) -> PublishError:
    """One library exception → one of jadwal's errors (see the module docstring); ``needs``
    are the permissions the account's calls need, named when Meta says one is missing."""
    from facebook import GraphAPIError

    if isinstance(exc, GraphAPIError):
        return _from_graph_error(exc, safe=safe, needs=needs)
    why = unreached(exc)
    if why is not None:
        said = _("no connection to the Graph API: {why}; nothing was sent")
        return Offline(said.format(why=why), why)
    if isinstance(exc, requests.Timeout | requests.ConnectionError):
        what = _("no answer from the Graph API (timeout or dropped connection)")
        return _unsafe(what, safe)
    if isinstance(exc, requests.RequestException | ValueError | KeyError):
        what = _("the Graph API sent an answer that is not JSON")
        return _unsafe(what, safe)
    return OutcomeUnknown(_("unexpected error: {name}").format(name=type(exc).__name__))


def _unsafe(what: str, safe: bool) -> PublishError:
    """A request that is safe to repeat is tried again; one that may have published is
    looked up first."""
    if safe:
        return Transient(what)
    return OutcomeUnknown(_("{what}; it may have been published").format(what=what))


def _from_graph_error(exc: Any, *, safe: bool, needs: tuple[str, ...]) -> PublishError:
    error = exc.result.get("error") if isinstance(exc.result, dict) else None
    if not isinstance(error, dict):
        # facebook-sdk raises with no code for an HTML page (a proxy's 502) or a bad body.
        what = _("the Graph API answered with an error page instead of JSON")
        return _unsafe(what, safe)
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    message = str(error.get("error_user_msg") or error.get("message") or "unknown error")
    transient = bool(error.get("is_transient"))
    return classify(code, subcode, message, transient, needs=needs)


def classify(
    code: int | None,
    subcode: int | None,
    message: str,
    is_transient: bool = False,
    *,
    needs: tuple[str, ...] = (),
) -> PublishError:
    """Meta's code and subcode → jadwal's error (the table in docs/platforms.md)."""
    if code == DUPLICATE:
        said = _(
            "{message}; Facebook refuses a text this Page posted recently (the same text twice "
            "in a row): nothing was posted"
        )
        return Rejected(said.format(message=message), code, subcode)
    if (code, subcode) in PERMANENT:
        return Rejected(message, code, subcode)
    if (code, subcode) in QUOTA:
        return QuotaExhausted(message, None, code, subcode)
    wait = _wait(code, subcode)
    if wait is not None:
        return Throttled(message, wait, code, subcode)
    if is_transient or code in TRANSIENT_CODES or code in NEW_CONTAINER_CODES:
        return Transient(message, code, subcode)
    fix = _access_fix(code, subcode, needs)
    if fix is not None:
        said = _("{message}; {fix}, then run 'jadwal accounts check'")
        return AuthError(said.format(message=message, fix=fix), code, subcode)
    if code in REJECTED_CODES:
        return Rejected(message, code, subcode)
    return _never_seen(code, subcode, message)


def container_error(status_code: str, status: str) -> PublishError:
    """A container that ended ``ERROR`` or ``EXPIRED`` instead of FINISHED. The subcode in
    ``status`` decides, like the same error answered by a call; an expired container (not
    published within 24 hours) or an error without a subcode is made again on the next try."""
    said = _("Instagram could not process the media ({status})")
    detail = status or _("no detail")
    what = said.format(status=f"{status_code}: {detail}")
    found = re.search(r"\b(22\d{5})\b", status)
    subcode = int(found.group(1)) if found else None
    again = _("{what}; a new container is made on the next try").format(what=what)
    if status_code == "EXPIRED" or subcode is None:
        return Transient(again)
    code = SUBCODE_CODE.get(subcode)
    error = classify(code, subcode, what)
    if type(error) is Transient and code is not None:
        return Transient(again, code, subcode)
    return error


def _never_seen(code: int | None, subcode: int | None, message: str) -> PublishError:
    known = f"{code}/{subcode}" if subcode else str(code)
    said = _(
        "{message} (Meta's code {known} is not one jadwal knows: tried again like a platform error)"
    )
    return Transient(said.format(message=message, known=known), code, subcode)


def _wait(code: int | None, subcode: int | None) -> timedelta | None:
    """How long Meta wants us to hold off, for the codes that mean "not now"."""
    if (code, subcode) in NOT_READY:
        return timedelta(minutes=1)
    if code in COOLDOWN_CODES or subcode == 2207051:
        return timedelta(hours=6)
    if code in THROTTLED_CODES:
        return timedelta(minutes=15)
    return None


def _access_fix(code: int | None, subcode: int | None, needs: tuple[str, ...]) -> str | None:
    """What a person must do about a token, permission or account error."""
    if (code, subcode) in RESTRICTED:
        return _(
            "the Instagram account is inactive, checkpointed or restricted: sign in to the "
            "Instagram app and complete what it asks"
        )
    if code in AUTH_CODES:
        return _("issue a new token, update the secret")
    if code == CAPABILITY and needs:
        said = _("the app lacks the capability or permission this call needs ({names}): grant it")
        return said.format(names=", ".join(needs))
    if code == CAPABILITY:
        return _("the app lacks the capability or permission this call needs: grant it")
    if code in PERMISSION_CODES:
        return _("grant the missing permission to the app")
    return None


def _int(value: object) -> int | None:
    try:
        return int(value) if value is not None else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
