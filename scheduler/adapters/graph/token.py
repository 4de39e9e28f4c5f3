"""How ``jadwal accounts check`` words a Graph API check that could not finish, or a token
that no longer works; which permissions are read, and how, is ``graph.permissions``."""

from __future__ import annotations

from scheduler.errors import Offline, PublishError, Throttled, Transient
from scheduler.i18n import N_, _

INVALID = N_("the token is no longer valid: issue a new one and update the secret")
# What a check that could not finish was checking, as its line says "the … was not checked".
CHECKED = {
    "token": N_("the token was not checked"),
    "page": N_("the page was not checked"),
    "account": N_("the account was not checked"),
    "user token": N_("the user token was not checked"),
    "permissions": N_("the permissions were not checked"),
}


def check_failure(exc: PublishError, checked: str) -> str:
    """What a check that could not finish tells the operator, in words, never a class name.

    A network problem is not a token problem: telling someone offline to issue a new token
    sends them to the wrong fix, so what could not be reached says that ``checked`` (the
    token, the page, the account: a key of ``CHECKED``) was not checked at all. No connection
    (nothing reached Meta: ``Offline``) and no answer (a request that went out) are told apart
    too: the first is this office's internet, the second more often Meta's. Meta's own words
    are quoted as Meta wrote them.
    """
    unchecked = _(CHECKED[checked])
    if isinstance(exc, Throttled):
        said = _("the Graph API asks to wait ({said}): try again later; {unchecked}")
        return said.format(said=exc.message, unchecked=unchecked)
    if isinstance(exc, Offline):
        said = _(
            "no connection to the Graph API ({reason}): check the internet connection; {unchecked}"
        )
        return said.format(reason=exc.reason, unchecked=unchecked)
    if isinstance(exc, Transient) and exc.code is None:
        said = _("the Graph API did not answer ({said}): try again in a few minutes; {unchecked}")
        return said.format(said=exc.message, unchecked=unchecked)
    code = f"(#{exc.code_text}) " if exc.code_text else ""
    if isinstance(exc, Transient):
        said = _(
            "the Graph API had a temporary problem ({said}): try again in a few minutes; "
            "{unchecked}"
        )
        return said.format(said=f"{code}{exc.message}", unchecked=unchecked)
    return f"{code}{exc.message}"
