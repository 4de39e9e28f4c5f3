"""Whether a Graph API token can publish: valid, and carrying the permissions an adapter
needs (one line each of ``jadwal accounts check``)."""

from __future__ import annotations

from scheduler.adapters.base import CheckResult
from scheduler.adapters.graph.client import Graph
from scheduler.errors import AuthError, Offline, PublishError, Throttled, Transient


def check_failure(exc: PublishError, checked: str) -> str:
    """What a check that could not finish tells the operator, in words, never a class name.

    A network problem is not a token problem: telling someone offline to issue a new token
    sends them to the wrong fix, so what could not be reached says that ``checked`` (the
    token, the page, the account) was not checked at all. No connection (nothing reached
    Meta: ``Offline``) and no answer (a request that went out) are told apart too: the
    first is this office's internet, the second more often Meta's.
    """
    if isinstance(exc, Throttled):
        return (
            f"the Graph API asks to wait ({exc.message}): try again later; "
            f"the {checked} was not checked"
        )
    if isinstance(exc, Offline):
        return (
            f"no connection to the Graph API ({exc.reason}): check the internet connection; "
            f"the {checked} was not checked"
        )
    if isinstance(exc, Transient) and exc.code is None:
        return (
            f"the Graph API did not answer ({exc.message}): try again in a few minutes; "
            f"the {checked} was not checked"
        )
    code = f"(#{exc.code_text}) " if exc.code_text else ""
    if isinstance(exc, Transient):
        return (
            f"the Graph API had a temporary problem ({code}{exc.message}): try again in a "
            f"few minutes; the {checked} was not checked"
        )
    return f"{code}{exc.message}"


def check_token(graph: Graph, needed: tuple[str, ...]) -> list[CheckResult]:
    """The token is valid and carries the permissions publishing needs."""
    try:
        info = graph.token_info()
    except PublishError as exc:
        fix = "" if isinstance(exc, AuthError | Transient) else ": issue a new token"
        return [CheckResult("token", False, check_failure(exc, "token") + fix)]
    if not info.get("is_valid", False):
        return [
            CheckResult(
                "token",
                False,
                "the token is no longer valid: issue a new one and update the secret",
            )
        ]
    missing = [p for p in needed if p not in (info.get("scopes") or [])]
    return [
        CheckResult("token", True, "valid"),
        CheckResult(
            "permissions",
            not missing,
            "all granted" if not missing else f"missing: {', '.join(missing)}",
        ),
    ]
