"""What a failed attempt means, as data: ``decide`` turns an error into the next transition.

``decide`` is a pure function of the error, the attempt's number and failures, how late the
post is, its grace period, the retry policy and the time (only the policy's jitter is
random), so the whole table is tested row by row (``tests/test_decide.py``):

=================  ==========================  =======  ===========  ==========================
error              when                        state    outcome      next attempt
=================  ==========================  =======  ===========  ==========================
OutcomeUnknown     always                      unknown  unknown      none: looked up, not resent
AuthError          always (the account pauses) retry    paused       now (once resumed)
Offline            always (not a try)          retry    offline      when the connection is back
QuotaExhausted     less than WAIT_LIMIT late   retry    quota        when the quota resets
Throttled          less than WAIT_LIMIT late   retry    throttled    backoff, ≥ retry_after
Transient          inside the grace period     retry    retry        backoff with jitter, capped,
                   (and under max_attempts)                          at most at the grace's end
Transient          grace over, or backstop     failed   failed       "gave up after N attempts"
Throttled, Quota   WAIT_LIMIT late or later    failed   failed       "still waiting …"
Rejected, others   always                      failed   failed       none
=================  ==========================  =======  ===========  ==========================

Waits for rate limits, quotas and the connection don't use up attempts; only failed tries
count. Platform incidents (transient errors) are retried over the post's whole grace period,
with a backoff capped at ``RetryPolicy.cap``, so an hour-long incident does not fail a post
that had six hours; ``max_attempts`` is only a backstop. A wait for the connection that
outlasts the grace period is ended ``missed`` by the claims (``claims``), not here.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from scheduler.errors import (
    AuthError,
    Offline,
    OutcomeUnknown,
    PublishError,
    QuotaExhausted,
    Throttled,
    Transient,
)
from scheduler.i18n import N_, _, ngettext
from scheduler.store import Outcome, State, Transition, local_time

log = logging.getLogger("jadwal")

# How a publication that waits for the connection begins its reason (``tables`` takes it off
# whichever language wrote it).
WAITING = N_("waiting for the connection: ")
WAIT_LIMIT = timedelta(days=2)  # rate limits and quotas wait; a post this late has lost its point


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 25  # a backstop: the grace period is what ends the tries
    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(minutes=30)

    def delay(self, attempt: int, error: PublishError) -> timedelta:
        backoff: timedelta = min(self.cap, self.base * (1 << max(0, attempt - 1)))
        backoff *= random.uniform(0.5, 1.5)  # jitter: many accounts don't retry in lockstep
        if isinstance(error, Throttled):
            return max(backoff, error.retry_after)
        return backoff


def decide(
    error: PublishError,
    attempt: int,
    failures: int,
    late: timedelta,
    grace: timedelta,
    policy: RetryPolicy,
    now: datetime,
) -> Transition:
    """Where attempt number ``attempt`` ends after ``error``; ``failures`` counts the failed
    tries so far, this one included, ``late`` is how long after its time the post is, and
    ``grace`` how late it may go out."""
    message, code = error.describe(), error.code_text
    if isinstance(error, OutcomeUnknown):
        return Transition(State.UNKNOWN, Outcome.UNKNOWN, message, code)
    if isinstance(error, AuthError):
        # Waits as a retry, but the run reports it: a person must act.
        return Transition(State.RETRY, Outcome.PAUSED, message, code, now, pause=True)
    if isinstance(error, Offline):
        why = _(WAITING) + error.message
        return Transition(State.RETRY, Outcome.OFFLINE, why, None, now, waiting=True)
    waiting = late < WAIT_LIMIT
    if isinstance(error, QuotaExhausted) and waiting:
        return Transition(State.RETRY, Outcome.QUOTA, message, code, error.when(now))
    if isinstance(error, Throttled) and waiting:
        # A rate limit or a block says "wait", not "this failed": no limit on attempts,
        # only on how late the post may become.
        when = now + policy.delay(attempt, error)
        return Transition(State.RETRY, Outcome.THROTTLED, message, code, when)
    left = grace - late  # how long the grace period still runs
    if _retryable(error) and failures < policy.max_attempts and left > timedelta(0):
        when = now + min(policy.delay(failures, error), left)  # the last try at its end
        return Transition(State.RETRY, Outcome.RETRY, message, code, when)
    why = _why_failed(error, failures, late, grace)
    return Transition(State.FAILED, Outcome.FAILED, why, code)


def _retryable(error: PublishError) -> bool:
    return isinstance(error, Transient) and not isinstance(error, Throttled)


def _why_failed(error: PublishError, failures: int, late: timedelta, grace: timedelta) -> str:
    message = error.describe()
    if isinstance(error, Throttled | QuotaExhausted):
        said = _("still waiting {late} after its time: {message}")
        return said.format(late=duration(late), message=message)
    if not isinstance(error, Transient):
        return message
    if late >= grace:  # the grace period ran out (a long rate limit can use it all up)
        said = ngettext(
            "gave up after {count} attempt, {late} after its time (grace {grace}): {message}",
            "gave up after {count} attempts, {late} after its time (grace {grace}): {message}",
            failures,
        )
        return said.format(
            count=failures, late=duration(late), grace=duration(grace), message=message
        )
    said = ngettext(
        "gave up after {count} attempt: {message}",
        "gave up after {count} attempts: {message}",
        failures,
    )
    return said.format(count=failures, message=message)


def log_decision(transition: Transition, key: str, account: str, attempt: int, tz: tzinfo) -> None:
    """The one log line for a decision, at the level an operator needs; times in ``tz``."""
    t, message = transition, transition.error_message
    when = local_time(t.next_attempt_at, tz) if t.next_attempt_at else ""
    if t.outcome is Outcome.UNKNOWN:
        log.warning(
            _("unknown {key}: {message}; it will be looked up, not re-sent").format(
                key=key, message=message
            )
        )
    elif t.outcome is Outcome.PAUSED:
        paused = _(
            "ACCOUNT PAUSED {account}: {message}. Nothing more is published for it until "
            "'jadwal accounts resume {account}' (after fixing the login or token)."
        )
        log.error(paused.format(account=account, message=message))
    elif t.outcome is Outcome.OFFLINE:
        # One line per outage (``connection.lost``), not one per post per minute.
        log.debug("waiting %s: %s", key, message)
    elif t.outcome is Outcome.QUOTA:
        log.warning(
            _("retry {key} at {when}: {message}").format(key=key, when=when, message=message)
        )
    elif t.outcome is Outcome.THROTTLED:
        log.warning(
            _("retry {key} at {when} (throttled): {message}").format(
                key=key, when=when, message=message
            )
        )
    elif t.outcome is Outcome.RETRY:
        log.warning(
            _("retry {key} at {when} after attempt {attempt}: {message}").format(
                key=key, when=when, attempt=attempt, message=message
            )
        )
    else:
        log.error(_("failed {key}: {message}").format(key=key, message=message))


def duration(value: timedelta) -> str:
    """``6h``, ``48h01m``, ``25m``: how operators read a delay."""
    hours, rest = divmod(int(value.total_seconds()), 3600)
    minutes = rest // 60
    if not hours:
        return f"{minutes}m"
    return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
