"""Choosing and claiming what is due at ``now``; everything claimed here is this run's work.

- occurrences with no row yet: approved ones at most ``grace`` late are claimed (an INSERT
  that only one publisher wins); older ones are recorded ``missed``, drafts ``skipped``;
  a one-off post moved after it was published is recorded ``skipped``, not sent again;
- ``retry`` rows whose time came are taken over (a guarded UPDATE), or ``skipped`` when
  their post left the calendar or became a draft.
Accounts that are paused are left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import datetime, timedelta

from scheduler.calendar.expand import Occurrence
from scheduler.engine.context import Context, Report
from scheduler.engine.decide import duration
from scheduler.store import State

log = logging.getLogger("jadwal")

LOOKBACK = timedelta(days=7)  # how far back an unrecorded occurrence is reported as missed
DRAFT = "a draft when its time came"
REMOVED = "removed from the calendar (or made a draft) before it was published"


def claim_due(ctx: Context, now: datetime, report: Report) -> list[Occurrence]:
    """Claim what is due (new occurrences, then retries); record what will never be sent."""
    paused = set(ctx.store.paused())
    return _claim_new(ctx, now, report, paused) + _claim_retries(ctx, now, report, paused)


def _claim_new(
    ctx: Context, now: datetime, report: Report, paused: Collection[str]
) -> list[Occurrence]:
    grace = ctx.calendar.rules.grace
    # Occurrences from before the store existed were not ours to publish: not "missed".
    since = max(now - LOOKBACK, min(ctx.store.created_at(), now) - grace)
    candidates = ctx.occurrences(since, now)
    known = ctx.store.known_keys([o.key for o in candidates])
    claimed = []
    for occurrence in candidates:
        if occurrence.key in known:
            continue
        taken = _take_new(ctx, occurrence, now, paused)
        if taken is State.CLAIMED:
            claimed.append(occurrence)
        elif taken is not None:
            report.add(taken)
    return claimed


def _take_new(
    ctx: Context, occurrence: Occurrence, now: datetime, paused: Collection[str]
) -> State | None:
    """The row this run gave an occurrence that had none: claimed, skipped, missed, or none
    (left for later, or another publisher was first)."""
    late = now - occurrence.at > ctx.calendar.rules.grace
    if occurrence.post.status != "approved":
        return _record(ctx, occurrence, now, State.SKIPPED, DRAFT) if late else None
    if late:
        return _missed(ctx, occurrence, now)
    if occurrence.account.name in paused:
        return None
    moved = _moved_after_publication(ctx, occurrence)
    if moved is not None:
        if _record(ctx, occurrence, now, State.SKIPPED, moved) is None:
            return None
        log.warning("skipped %s: %s", occurrence.key, moved)
        return State.SKIPPED
    return State.CLAIMED if ctx.store.claim(occurrence, ctx.owner, now) else None


def _record(
    ctx: Context, occurrence: Occurrence, now: datetime, state: State, why: str
) -> State | None:
    return state if ctx.store.record(occurrence, now, state, why) else None


def _missed(ctx: Context, occurrence: Occurrence, now: datetime) -> State | None:
    grace = duration(ctx.calendar.rules.grace)
    why = f"not published within the grace period ({grace}) after its time"
    recorded = _record(ctx, occurrence, now, State.MISSED, why)
    if recorded is not None:
        log.warning("missed %s (due %s)", occurrence.key, occurrence.at.isoformat())
    return recorded


def _moved_after_publication(ctx: Context, occurrence: Occurrence) -> str | None:
    """Why a one-off post whose time was edited after it went out is not sent again."""
    if occurrence.post.schedule.at is None:
        return None  # a series has many occurrences: a new time is a new occurrence
    earlier = ctx.store.earlier_row(occurrence.post.id, occurrence.account.name, occurrence.key)
    if earlier is None:
        return None
    return (
        f"not sent again: this post was already handled at "
        f"{earlier.scheduled_at.astimezone(ctx.calendar.timezone):%Y-%m-%d %H:%M} "
        f"({earlier.state}); its time was changed afterwards"
    )


def _claim_retries(
    ctx: Context, now: datetime, report: Report, paused: Collection[str]
) -> list[Occurrence]:
    claimed = []
    for row in ctx.store.in_state(State.RETRY):
        if row.account in paused or (row.next_attempt_at and row.next_attempt_at > now):
            continue
        occurrence = ctx.find(row.key)
        if occurrence is None or occurrence.post.status != "approved":
            if ctx.store.skip_retry(row.key, ctx.owner, now, REMOVED):
                log.info("skipped %s: removed from the calendar or turned into a draft", row.key)
                report.add(State.SKIPPED)
            continue
        if ctx.store.claim_retry(row.key, ctx.owner, now):
            claimed.append(occurrence)
    return claimed
