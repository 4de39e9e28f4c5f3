"""What a failed attempt means, as data: ``decide`` turns an error into the next transition.

``decide`` is a pure function of the error, the attempt's number and failures, how late the
post is, the retry policy and the time (only the policy's jitter is random), so the whole
table is tested row by row (``tests/test_decide.py``):

=================  ==========================  =======  ===========  ==========================
error              when                        state    outcome      next attempt
=================  ==========================  =======  ===========  ==========================
OutcomeUnknown     always                      unknown  unknown      none: looked up, not resent
AuthError          always (the account pauses) retry    paused       now (once resumed)
QuotaExhausted     less than WAIT_LIMIT late   retry    quota        when the quota resets
Throttled          less than WAIT_LIMIT late   retry    throttled    backoff, ≥ retry_after
Transient          under the retry budget      retry    retry        backoff with jitter
Transient          at the budget               failed   failed       "gave up after N attempts"
Throttled, Quota   WAIT_LIMIT late or later    failed   failed       "still waiting …"
Rejected, others   always                      failed   failed       none
=================  ==========================  =======  ===========  ==========================

Waits for rate limits and quotas don't use up attempts; only failed tries count.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from scheduler.errors import (
    AuthError,
    OutcomeUnknown,
    PublishError,
    QuotaExhausted,
    Throttled,
    Transient,
)
from scheduler.store import Outcome, State, Transition, local_time

log = logging.getLogger("jadwal")

WAIT_LIMIT = timedelta(days=2)  # rate limits and quotas wait; a post this late has lost its point


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=1)

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
    policy: RetryPolicy,
    now: datetime,
) -> Transition:
    """Where attempt number ``attempt`` ends after ``error``; ``failures`` counts the failed
    tries so far, this one included, and ``late`` is how long after its time the post is."""
    message, code = error.describe(), error.code_text
    if isinstance(error, OutcomeUnknown):
        return Transition(State.UNKNOWN, Outcome.UNKNOWN, message, code)
    if isinstance(error, AuthError):
        # Waits as a retry, but the run reports it: a person must act.
        return Transition(State.RETRY, Outcome.PAUSED, message, code, now, pause=True)
    waiting = late < WAIT_LIMIT
    if isinstance(error, QuotaExhausted) and waiting:
        return Transition(State.RETRY, Outcome.QUOTA, message, code, error.when(now))
    if isinstance(error, Throttled) and waiting:
        # A rate limit or a block says "wait", not "this failed": no limit on attempts,
        # only on how late the post may become.
        when = now + policy.delay(attempt, error)
        return Transition(State.RETRY, Outcome.THROTTLED, message, code, when)
    if _retryable(error) and failures < policy.max_attempts:
        when = now + policy.delay(failures, error)
        return Transition(State.RETRY, Outcome.RETRY, message, code, when)
    return Transition(State.FAILED, Outcome.FAILED, _why_failed(error, failures, late), code)


def _retryable(error: PublishError) -> bool:
    return isinstance(error, Transient) and not isinstance(error, Throttled)


def _why_failed(error: PublishError, failures: int, late: timedelta) -> str:
    message = error.describe()
    if isinstance(error, Throttled | QuotaExhausted):
        return f"still waiting {duration(late)} after its time: {message}"
    if isinstance(error, Transient):
        return f"gave up after {failures} attempts: {message}"
    return message


def log_decision(transition: Transition, key: str, account: str, attempt: int, tz: tzinfo) -> None:
    """The one log line for a decision, at the level an operator needs; times in ``tz``."""
    t, message = transition, transition.error_message
    when = local_time(t.next_attempt_at, tz) if t.next_attempt_at else ""
    if t.outcome is Outcome.UNKNOWN:
        log.warning("unknown %s: %s; it will be looked up, not re-sent", key, message)
    elif t.outcome is Outcome.PAUSED:
        log.error(
            "ACCOUNT PAUSED %s: %s. Nothing more is published for it until "
            "'jadwal accounts resume %s' (after fixing the login or token).",
            account,
            message,
            account,
        )
    elif t.outcome is Outcome.QUOTA:
        log.warning("retry %s at %s: %s", key, when, message)
    elif t.outcome is Outcome.THROTTLED:
        log.warning("retry %s at %s (throttled): %s", key, when, message)
    elif t.outcome is Outcome.RETRY:
        log.warning("retry %s at %s after attempt %d: %s", key, when, attempt, message)
    else:
        log.error("failed %s: %s", key, message)


def duration(value: timedelta) -> str:
    """``6h``, ``48h01m``: how operators read a delay."""
    hours, rest = divmod(int(value.total_seconds()), 3600)
    minutes = rest // 60
    return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
