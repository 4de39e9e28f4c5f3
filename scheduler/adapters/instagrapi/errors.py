"""instagrapi and network failures as jadwal's errors (``scheduler.errors``), most specific
first, with messages that say what a person should do. Codes stay empty: instagrapi has HTTP
statuses, not the Graph API's error codes the history shows."""

from __future__ import annotations

from datetime import timedelta

import requests
from instagrapi import exceptions as ig

from scheduler.adapters.network import unreached
from scheduler.errors import (
    AuthError,
    Offline,
    OutcomeUnknown,
    PublishError,
    Rejected,
    ResendRefused,
    Throttled,
    Transient,
)
from scheduler.i18n import _
from scheduler.secrets import scrub

COOLDOWN = timedelta(hours=2)  # rate limits: retrying sooner prolongs them
FEEDBACK_COOLDOWN = timedelta(hours=12)  # "action blocked": Instagram's blocks last hours to days
MAX_MESSAGE = 300

AUTH = (
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
THROTTLED = (ig.PleaseWaitFewMinutes, ig.RateLimitError, ig.ClientThrottledError)
NETWORK = (
    requests.RequestException,
    ig.ClientConnectionError,
    ig.ClientRequestTimeout,
    ig.ClientIncompleteReadError,
    ig.ClientJSONDecodeError,
)
BAD_MEDIA = (ValueError, OSError, RuntimeError, AssertionError)  # unreadable or unsupported


def translate(
    exc: BaseException, who: str, sent: bool, secrets: tuple[str, ...] = ()
) -> PublishError | None:
    """jadwal's error for an instagrapi or network failure, most specific first; ``None``
    for an unexpected error before anything was sent (the caller re-raises it).

    ``sent`` says whether the configure request (the one that publishes) went out.
    """
    said = reason(exc, secrets)
    status = _status(exc)
    held = _held_back(exc, who, said, status)
    return held if held is not None else _failed(exc, who, said, status, sent)


def _held_back(exc: BaseException, who: str, said: str, status: int | None) -> PublishError | None:
    """Instagram wants a person, or wants us to wait: whichever step it happened in."""
    if isinstance(exc, AUTH):
        return AuthError(_auth_message(exc, who, said))
    if isinstance(exc, ig.FeedbackRequired):
        return _throttled(who, said, FEEDBACK_COOLDOWN)
    if isinstance(exc, THROTTLED) or status == 429:
        return _throttled(who, said, COOLDOWN)
    return None


def _failed(
    exc: BaseException, who: str, said: str, status: int | None, sent: bool
) -> PublishError | None:
    """Everything else: whether configure went out decides between a retry and a lookup."""
    if isinstance(exc, ResendRefused):  # instagrapi's own retry of configure, stopped
        return OutcomeUnknown(
            _maybe_message(
                who,
                _("{first}; jadwal sends the publishing request only once").format(first=exc.first),
            )
        )
    if _is_configure_error(exc):
        return OutcomeUnknown(_maybe_message(who, said))
    why = unreached(exc)
    if why is not None:  # even the configure request: it never left this machine
        said = _("no connection to Instagram for {who}: {why}; nothing was sent")
        return Offline(said.format(who=who, why=why), why)
    if isinstance(exc, NETWORK) or (status is not None and status >= 500):
        if sent:
            return OutcomeUnknown(_maybe_message(who, said))
        text = _("could not reach Instagram for {who} ({said}); will try again")
        return Transient(text.format(who=who, said=said))
    if isinstance(exc, ig.ClientError):
        return Rejected(
            _("Instagram refused the post for {who}: {said}").format(who=who, said=said)
        )
    if sent:  # e.g. a configure answer instagrapi could not parse: it may well be public
        return OutcomeUnknown(_maybe_message(who, said))
    if isinstance(exc, BAD_MEDIA):
        return Rejected(_("cannot upload the media for {who}: {said}").format(who=who, said=said))
    return None


def _auth_message(exc: BaseException, who: str, reason: str) -> str:
    if isinstance(exc, ig.ChallengeError | ig.CaptchaChallengeRequired):
        said = _(
            "Instagram wants to verify the sign-in of {who} ({reason}): open the Instagram "
            "app, confirm it was you, then run 'jadwal login {who}'"
        )
    elif isinstance(exc, ig.TwoFactorRequired):
        said = _("Instagram asks for a two-factor code for {who}: run 'jadwal login {who}'")
    elif isinstance(exc, ig.BadPassword | ig.BadCredentials):
        said = _(
            "Instagram rejected the login of {who}: check the password, then run "
            "'jadwal login {who}'"
        )
    elif isinstance(exc, ig.AccountSuspended | ig.SentryBlock | ig.ProxyAddressIsBlocked):
        said = _(
            "Instagram blocked {who} ({reason}): sort it out in the Instagram app, then run "
            "'jadwal login {who}'"
        )
    else:
        said = _(
            "the saved Instagram session of {who} expired or was signed out ({reason}): "
            "run 'jadwal login {who}'"
        )
    return said.format(who=who, reason=reason)


def _throttled(who: str, reason: str, wait: timedelta) -> Throttled:
    hours = int(wait.total_seconds() // 3600)
    said = _(
        "Instagram is limiting {who} ({reason}); jadwal waits {hours} h before trying again. "
        "Don't post from this account by hand meanwhile: it prolongs the block"
    )
    return Throttled(said.format(who=who, reason=reason, hours=hours), wait)


def _maybe_message(who: str, reason: str) -> str:
    said = _(
        "Instagram did not confirm the post for {who} after the upload ({reason}). "
        "Instagram may have published it; it will be checked before anything is sent again"
    )
    return said.format(who=who, reason=reason)


def _is_configure_error(exc: BaseException) -> bool:
    # PhotoConfigureError, VideoConfigureStoryError, AlbumConfigureError, ClipConfigureError, …
    names = (cls.__name__ for cls in type(exc).__mro__)
    return any(n.endswith(("ConfigureError", "ConfigureStoryError")) for n in names)


def _status(exc: BaseException) -> int | None:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def reason(exc: BaseException, secrets: tuple[str, ...]) -> str:
    """Instagram's own word for a failure, on one line, short, with ``secrets`` masked."""
    # ChallengeRequired's message is advice to programmers; Instagram's own word is shorter.
    said = getattr(exc, "raw_message", None) or getattr(exc, "message", None) or exc
    text = str(said).strip() or type(exc).__name__
    if type(exc).__name__ not in text:
        text = f"{type(exc).__name__}: {text}"
    text = " ".join(scrub(text, secrets).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
