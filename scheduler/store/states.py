"""The words the store keeps: a publication's states, an attempt's outcomes, and a transition.

The values are the strings written in ``publications.state`` and ``attempts.outcome`` (and
read by ``jadwal history`` and the run reports), so they never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

LEASE = timedelta(seconds=60)


class State(StrEnum):
    """Where a publication is: claimed → publishing → published | retry | failed | unknown;
    missed and skipped are recorded without publishing. A post made by hand (``platform:
    whatsapp``) goes claimed → publishing → awaiting (the operator was reminded) → published
    (``jadwal done``) or missed (not confirmed within its grace period)."""

    CLAIMED = "claimed"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"
    MISSED = "missed"
    SKIPPED = "skipped"
    AWAITING = "awaiting"


STATES = tuple(state.value for state in State)
ACTIVE = (State.CLAIMED, State.PUBLISHING)  # held by an owner, under a lease


class Outcome(StrEnum):
    """How an attempt ended (``attempts.outcome``), or what a run reports for a publication."""

    PUBLISHED = "published"
    RETRY = "retry"  # a transient error: counts against the retry budget
    OFFLINE = "offline"  # no connection: nothing reached the platform; waits, not a try
    QUOTA = "quota"  # waits for the publishing quota's window; not a failure
    THROTTLED = "throttled"  # waits out a rate limit; not a failure
    PAUSED = "paused"  # an auth error: the account waits for a person
    FAILED = "failed"
    UNKNOWN = "unknown"
    INTERRUPTED = "interrupted"  # the publisher died mid-attempt
    SKIPPED = "skipped"
    MISSED = "missed"
    LOST = "lost"  # another publisher took the claim over: nothing was sent, nothing written
    AWAITING = "awaiting"  # a post for a person to make: they are reminded, it awaits them


@dataclass(frozen=True)
class Transition:
    """Where an attempt leaves its publication: the row's next state and what it carries,
    the attempt's outcome, whether the account pauses (with ``error_message`` as the
    reason), and whether it waits for the connection (``waiting``: a retry that goes out when
    the endpoint answers again). ``Store.settle`` applies it in one transaction."""

    state: State
    outcome: Outcome
    error_message: str | None = None
    error_code: str | None = None
    next_attempt_at: datetime | None = None
    pause: bool = False
    waiting: bool = False
    platform_post_id: str | None = None
    permalink: str | None = None


@dataclass(frozen=True)
class Started:
    """An attempt that began: its number, and the failed tries before it (the ones that
    count against the retry budget; waits for rate limits and quotas don't)."""

    number: int
    failures: int


@dataclass(frozen=True)
class Sent:
    """What an attempt sends, as it sends it: the rendered caption, the media (JSON: a list
    of ``{"path", "sha256"}``), the post's category and kind (``carousel`` for a feed post
    of several media) and the calendar's revision. Kept on the row by each attempt, so the
    one that went out is what the report reads, whatever the calendar says later."""

    caption: str
    media: str
    category: str | None
    kind: str
    revision: str | None
