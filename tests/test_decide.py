"""What a failed attempt means: ``decide``'s table, one row per case, and its log lines."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.engine.decide import WAIT_LIMIT, RetryPolicy, decide, log_decision
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
from scheduler.store import Outcome, State, Transition

NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
POLICY = RetryPolicy()  # 25 tries at most, backoff from 1 minute, capped at 30 minutes
MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


@dataclass(frozen=True)
class Row:
    error: PublishError
    state: State
    outcome: Outcome
    message: str
    delay: tuple[timedelta, timedelta] | None  # bounds of next_attempt_at - NOW; None: no retry
    attempt: int = 1
    failures: int = 1  # this try included
    late: timedelta = timedelta(minutes=5)
    pause: bool = False
    waiting: bool = False  # waits for the connection


GRACE = timedelta(hours=6)


QUOTA = QuotaExhausted("publishing limit", resets_at=NOW + 5 * HOUR, code=9, subcode=2207042)
LIMIT = Throttled("rate limited", retry_after=2 * HOUR, code=4)
FEEDBACK = Throttled("Feedback required", retry_after=timedelta(seconds=1))

TABLE = {
    "unknown: looked up, never resent": Row(
        OutcomeUnknown("read timeout after upload"),
        State.UNKNOWN,
        Outcome.UNKNOWN,
        "OutcomeUnknown: read timeout after upload",
        None,
    ),
    "unknown even at the retry budget": Row(
        OutcomeUnknown("lost response"),
        State.UNKNOWN,
        Outcome.UNKNOWN,
        "OutcomeUnknown: lost response",
        None,
        failures=5,
    ),
    "auth error pauses the account": Row(
        AuthError("token invalid", code=190),
        State.RETRY,
        Outcome.PAUSED,
        "AuthError: (#190) token invalid",
        (timedelta(0), timedelta(0)),
        pause=True,
    ),
    "auth error pauses even days late": Row(
        AuthError("token invalid", code=190),
        State.RETRY,
        Outcome.PAUSED,
        "AuthError: (#190) token invalid",
        (timedelta(0), timedelta(0)),
        late=3 * WAIT_LIMIT,
        pause=True,
    ),
    "quota waits for its reset": Row(
        QUOTA,
        State.RETRY,
        Outcome.QUOTA,
        "QuotaExhausted: (#9/2207042) publishing limit",
        (5 * HOUR, 5 * HOUR),
    ),
    "quota without a reset time waits retry_after": Row(
        QuotaExhausted("limit reached"),
        State.RETRY,
        Outcome.QUOTA,
        "QuotaExhausted: limit reached",
        (HOUR, HOUR),
    ),
    "quota does not use up attempts": Row(
        QUOTA,
        State.RETRY,
        Outcome.QUOTA,
        "QuotaExhausted: (#9/2207042) publishing limit",
        (5 * HOUR, 5 * HOUR),
        attempt=9,
        failures=5,
    ),
    "quota after the wait limit fails": Row(
        QUOTA,
        State.FAILED,
        Outcome.FAILED,
        "still waiting 48h after its time: QuotaExhausted: (#9/2207042) publishing limit",
        None,
        late=WAIT_LIMIT,
    ),
    "throttled waits at least retry_after": Row(
        LIMIT, State.RETRY, Outcome.THROTTLED, "Throttled: (#4) rate limited", (2 * HOUR, 2 * HOUR)
    ),
    "throttled backs off by attempt when retry_after is short": Row(
        FEEDBACK,
        State.RETRY,
        Outcome.THROTTLED,
        "Throttled: Feedback required",
        (2 * MINUTE, 6 * MINUTE),
        attempt=3,
    ),
    "throttled has no attempt limit, only the cap": Row(
        FEEDBACK,
        State.RETRY,
        Outcome.THROTTLED,
        "Throttled: Feedback required",
        (15 * MINUTE, 45 * MINUTE),
        attempt=12,
        failures=5,
        late=WAIT_LIMIT - MINUTE,
    ),
    "throttled after the wait limit fails": Row(
        FEEDBACK,
        State.FAILED,
        Outcome.FAILED,
        "still waiting 48h01m after its time: Throttled: Feedback required",
        None,
        late=WAIT_LIMIT + MINUTE,
    ),
    "transient retries with backoff": Row(
        Transient("connection reset"),
        State.RETRY,
        Outcome.RETRY,
        "Transient: connection reset",
        (30 * timedelta(seconds=1), 90 * timedelta(seconds=1)),
    ),
    "transient backs off by failures, not attempts": Row(
        Transient("timeout", code=2),
        State.RETRY,
        Outcome.RETRY,
        "Transient: (#2) timeout",
        (4 * MINUTE, 12 * MINUTE),
        attempt=7,
        failures=4,
    ),
    "transient backoff is capped at 30 minutes": Row(
        Transient("service unavailable", code=1),
        State.RETRY,
        Outcome.RETRY,
        "Transient: (#1) service unavailable",
        (15 * MINUTE, 45 * MINUTE),
        attempt=9,
        failures=9,
        late=2 * HOUR,
    ),
    "transient: an hour-long incident does not use up a 6-hour grace": Row(
        Transient("server error", code=2),
        State.RETRY,
        Outcome.RETRY,
        "Transient: (#2) server error",
        (15 * MINUTE, 45 * MINUTE),
        attempt=8,
        failures=8,
        late=70 * MINUTE,
    ),
    "transient's last try is at the end of the grace period": Row(
        Transient("timeout"),
        State.RETRY,
        Outcome.RETRY,
        "Transient: timeout",
        (2 * MINUTE, 2 * MINUTE),
        attempt=12,
        failures=12,
        late=GRACE - 2 * MINUTE,
    ),
    "transient gives up when the grace period is over": Row(
        Transient("timeout"),
        State.FAILED,
        Outcome.FAILED,
        "gave up after 12 attempts, 6h after its time (grace 6h): Transient: timeout",
        None,
        attempt=12,
        failures=12,
        late=GRACE,
    ),
    "transient at the backstop gives up": Row(
        Transient("timeout"),
        State.FAILED,
        Outcome.FAILED,
        "gave up after 25 attempts: Transient: timeout",
        None,
        attempt=25,
        failures=25,
    ),
    "offline waits for the connection and is not a try": Row(
        Offline("no connection to the Graph API: could not connect; nothing was sent"),
        State.RETRY,
        Outcome.OFFLINE,
        "waiting for the connection: no connection to the Graph API: could not connect; "
        "nothing was sent",
        (timedelta(0), timedelta(0)),
        attempt=30,
        failures=25,
        waiting=True,
    ),
    "rejected fails at once": Row(
        Rejected("aspect ratio not supported", code=36003, subcode=2207009),
        State.FAILED,
        Outcome.FAILED,
        "Rejected: (#36003/2207009) aspect ratio not supported",
        None,
    ),
    "any other publishing error fails at once": Row(
        PublishError("bad request", code=100),
        State.FAILED,
        Outcome.FAILED,
        "PublishError: (#100) bad request",
        None,
    ),
}


@pytest.mark.parametrize("row", TABLE.values(), ids=TABLE.keys())
def test_decide(row: Row) -> None:
    t = decide(row.error, row.attempt, row.failures, row.late, GRACE, POLICY, NOW)
    assert (t.state, t.outcome, t.error_message) == (row.state, row.outcome, row.message)
    assert (t.error_code, t.pause, t.waiting) == (row.error.code_text, row.pause, row.waiting)
    assert (t.platform_post_id, t.permalink) == (None, None)
    if row.delay is None:
        assert t.next_attempt_at is None
    else:
        assert t.next_attempt_at is not None
        low, high = row.delay
        assert low <= t.next_attempt_at - NOW <= high


def test_the_retry_budget_counts_failures_including_this_one() -> None:
    policy = RetryPolicy(max_attempts=3)
    outcomes = [decide(Transient("x"), n, n, MINUTE, GRACE, policy, NOW).state for n in (1, 2, 3)]
    assert outcomes == [State.RETRY, State.RETRY, State.FAILED]


LOGS = {
    "unknown": (
        Transition(State.UNKNOWN, Outcome.UNKNOWN, "OutcomeUnknown: lost response"),
        logging.WARNING,
        "unknown p/fb/1: OutcomeUnknown: lost response; it will be looked up, not re-sent",
    ),
    "paused": (
        Transition(State.RETRY, Outcome.PAUSED, "AuthError: (#190) x", "190", NOW, pause=True),
        logging.ERROR,
        "ACCOUNT PAUSED fb: AuthError: (#190) x. Nothing more is published for it until "
        "'jadwal accounts resume fb' (after fixing the login or token).",
    ),
    "quota": (
        Transition(State.RETRY, Outcome.QUOTA, "QuotaExhausted: q", None, NOW),
        logging.WARNING,
        "retry p/fb/1 at 2027-03-01 09:00 WIB: QuotaExhausted: q",
    ),
    "throttled": (
        Transition(State.RETRY, Outcome.THROTTLED, "Throttled: t", None, NOW),
        logging.WARNING,
        "retry p/fb/1 at 2027-03-01 09:00 WIB (throttled): Throttled: t",
    ),
    "retry": (
        Transition(State.RETRY, Outcome.RETRY, "Transient: r", None, NOW),
        logging.WARNING,
        "retry p/fb/1 at 2027-03-01 09:00 WIB after attempt 2: Transient: r",
    ),
    "failed": (
        Transition(State.FAILED, Outcome.FAILED, "gave up after 5 attempts: Transient: r"),
        logging.ERROR,
        "failed p/fb/1: gave up after 5 attempts: Transient: r",
    ),
}


@pytest.mark.parametrize(("transition", "level", "line"), LOGS.values(), ids=LOGS.keys())
def test_each_decision_logs_one_line(
    transition: Transition, level: int, line: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="jadwal"):
        log_decision(transition, "p/fb/1", "fb", 2, ZoneInfo("Asia/Jakarta"))  # as read locally
    assert [(r.levelno, r.getMessage()) for r in caplog.records] == [(level, line)]
