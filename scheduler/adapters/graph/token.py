"""How ``jadwal accounts check`` words a Graph API check that could not finish, or a token
that no longer works; which permissions are read, and how, is ``graph.permissions``."""

from __future__ import annotations

from scheduler.errors import Offline, PublishError, Throttled, Transient

INVALID = "the token is no longer valid: issue a new one and update the secret"


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
