"""Choosing and claiming what is due at ``now``; everything claimed here is this run's work.

- occurrences with no row yet: approved ones at most ``grace`` late are claimed (an INSERT
  that only one publisher wins); older ones are recorded ``missed``, drafts ``skipped``;
  a one-off post moved after it was published is recorded ``skipped``, not sent again;
- ``retry`` rows whose time came are taken over (a guarded UPDATE), or ``skipped`` when
  their post left the calendar or became a draft;
- ``awaiting`` rows (posts by hand) that nobody confirmed within their grace are ``missed``.
Accounts paused after an error are left alone: their posts wait. So do the accounts whose
connection is lost (``connection``): their due posts are recorded waiting for it, untried,
and missed when the wait outlasts the grace period. An occurrence the store can't know about
(a new or restored database, ``blind``) is recorded ``unknown``, to be looked up before
anything is sent. What could have gone out
while a person's stop was in force (its time or its retry's came during the stop, or the
stop came while it was still within its grace period) is recorded ``skipped`` with the
stop's reason, late or not (``stops``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from scheduler.calendar.expand import Occurrence
from scheduler.engine.blind import Blind, blind_window
from scheduler.engine.connection import missed_reason, outage_beside
from scheduler.engine.context import Context, Report
from scheduler.engine.decide import WAITING, duration
from scheduler.engine.reconcile import reconcile_row
from scheduler.engine.stops import Held, held
from scheduler.i18n import N_, _
from scheduler.store import Connection, Outcome, Publication, State, local_time

log = logging.getLogger("jadwal")

LOOKBACK = timedelta(days=7)  # how far back an unrecorded occurrence is reported as missed
# Kept in the store as the run's language says them (``every_language`` reads them back).
DRAFT = N_("a draft when its time came")
REMOVED = N_("removed from the calendar (or made a draft) before it was published")


def claim_due(
    ctx: Context, now: datetime, report: Report, offline: dict[str, Connection] | None = None
) -> list[Occurrence]:
    """Claim what is due (new occurrences, then retries); record what will never be sent,
    what waits for the connection (``offline``: the accounts cut off) and what must first be
    looked up because the store can't know it (``blind``)."""
    # Occurrences from before the store existed were not ours to publish: not "missed".
    known = ctx.store.memory.read()  # one read: the look-back's start and the blind window
    since = max(now - LOOKBACK, min(known.created_at, now) - ctx.calendar.rules.grace)
    holds = held(ctx, since, now, offline)
    _lapse_awaiting(ctx, now, report)
    new = _claim_new(ctx, since, now, report, holds, blind_window(ctx, now, known))
    return new + _claim_retries(ctx, now, report, holds)


def _claim_new(
    ctx: Context, since: datetime, now: datetime, report: Report, holds: Held, blind: Blind | None
) -> list[Occurrence]:
    candidates = ctx.occurrences(since, now)
    known = ctx.store.known_keys([o.key for o in candidates])
    claimed = []
    for occurrence in candidates:
        if occurrence.key in known:
            continue
        taken = _take_new(ctx, occurrence, now, holds, blind)
        if taken is State.CLAIMED:
            claimed.append(occurrence)
        elif taken is not None:
            report.add(taken)
    return claimed


def _take_new(
    ctx: Context, occurrence: Occurrence, now: datetime, holds: Held, blind: Blind | None
) -> str | None:
    """The row this run gave an occurrence that had none: claimed, skipped, missed, waiting
    for the connection, unknown (to be looked up), or none (left for later, or another
    publisher was first)."""
    grace = ctx.calendar.rules.grace
    late = now - occurrence.at > grace
    if occurrence.post.status != "approved":
        return _record(ctx, occurrence, now, State.SKIPPED, _(DRAFT)) if late else None
    # Stopped if it could have gone out while a stop was in force: within its grace period.
    stop = holds.stop_between(
        occurrence.account.name, occurrence.at, min(now, occurrence.at + grace)
    )
    if stop is not None:
        return _skipped(ctx, occurrence, now, stop.describe(ctx.calendar.timezone))
    outage = holds.offline.get(occurrence.account.name) or outage_beside(ctx, occurrence)
    if late:
        return _missed(ctx, occurrence, now, outage)
    if occurrence.account.name in holds.paused:
        return None
    if blind is not None and blind.covers(occurrence.at):
        return _look_up_first(ctx, occurrence, now, blind, ask=outage is None)
    if outage is not None:
        return _wait(ctx, occurrence, now, outage)
    moved = _moved_after_publication(ctx, occurrence)
    if moved is not None:
        return _skipped(ctx, occurrence, now, moved)
    return State.CLAIMED if ctx.store.claim(occurrence, ctx.owner, now) else None


def _record(
    ctx: Context, occurrence: Occurrence, now: datetime, state: State, why: str
) -> State | None:
    return state if ctx.store.record(occurrence, now, state, why) else None


def _skipped(ctx: Context, occurrence: Occurrence, now: datetime, why: str) -> State | None:
    if _record(ctx, occurrence, now, State.SKIPPED, why) is None:
        return None
    log.warning(_("skipped {key}: {why}").format(key=occurrence.key, why=why))
    return State.SKIPPED


def _missed(
    ctx: Context, occurrence: Occurrence, now: datetime, outage: Connection | None = None
) -> State | None:
    grace = ctx.calendar.rules.grace
    why = _("not published within the grace period ({grace}) after its time")
    why = why.format(grace=duration(grace))
    lost = outage.offline_since if outage is not None else None
    if lost is not None and lost <= occurrence.at + grace:  # offline when its grace ended
        since = max(lost, occurrence.at)
        why = missed_reason(ctx, occurrence.platform, since, occurrence.at, now)
    recorded = _record(ctx, occurrence, now, State.MISSED, why)
    if recorded is not None:
        due = local_time(occurrence.at, ctx.calendar.timezone)
        log.warning(_("missed {key} (due {due})").format(key=occurrence.key, due=due))
    return recorded


def _wait(ctx: Context, occurrence: Occurrence, now: datetime, outage: Connection) -> str | None:
    """Due while its connection is lost: recorded waiting for it, untried (the outage itself
    was logged once, when it began)."""
    since = max(outage.offline_since or now, occurrence.at)
    lost = _("no connection to {name}").format(name=_(outage.name))
    why = _(WAITING) + (outage.reason or lost)
    return Outcome.OFFLINE if ctx.store.wait(occurrence, now, since, why) else None


def _look_up_first(
    ctx: Context, occurrence: Occurrence, now: datetime, blind: Blind, ask: bool
) -> str | None:
    """Recorded ``unknown`` and looked up at once (unless its connection is lost: ``ask``
    is False, and ``reconcile`` looks once it is back): found, it is ``published``; not
    found, a retry that the same run claims; else it waits for the next run or a person."""
    if _record(ctx, occurrence, now, State.UNKNOWN, blind.why) is None:
        return None
    log.info("%s: %s", occurrence.key, blind.why)
    if not ask:
        return State.UNKNOWN
    row = ctx.store.get(occurrence.key)
    settled = reconcile_row(ctx, row, occurrence, now) if row is not None else None
    if settled is not None:
        return settled
    row = ctx.store.get(occurrence.key)
    return State.UNKNOWN if row is not None and row.state == State.UNKNOWN else None


def _moved_after_publication(ctx: Context, occurrence: Occurrence) -> str | None:
    """Why a one-off post whose time was edited after it went out is not sent again."""
    if occurrence.post.schedule.at is None:
        return None  # a series has many occurrences: a new time is a new occurrence
    earlier = ctx.store.earlier_row(occurrence.post.id, occurrence.account.name, occurrence.key)
    if earlier is None:
        return None
    said = _(
        "not sent again: this post was already handled at {time} ({state}); its time was "
        "changed afterwards"
    )
    at = earlier.scheduled_at.astimezone(ctx.calendar.timezone)
    return said.format(time=f"{at:%Y-%m-%d %H:%M}", state=earlier.state)


def _lapse_awaiting(ctx: Context, now: datetime, report: Report) -> None:
    """Posts by hand that nobody confirmed (``jadwal done``) within their grace period are
    missed, like a post nobody published: the ``missed`` notification follows."""
    grace = ctx.calendar.rules.grace
    for row in ctx.store.by_hand.awaiting():
        if now - row.scheduled_at <= grace:
            continue
        why = _("not confirmed with jadwal done within the grace period ({grace})")
        why = why.format(grace=duration(grace))
        if ctx.store.by_hand.lapse(row.key, now, why):
            report.add(State.MISSED)
            log.warning(_("missed {key}: {why}").format(key=row.key, why=why))


def _claim_retries(ctx: Context, now: datetime, report: Report, holds: Held) -> list[Occurrence]:
    claimed = []
    for row in ctx.store.in_state(State.RETRY):
        if row.next_attempt_at and row.next_attempt_at > now:
            continue
        if _held_back(ctx, row, now, report, holds) or _waits(ctx, row, now, report, holds):
            continue
        occurrence = ctx.find(row.key)
        if occurrence is None or occurrence.post.status != "approved":
            if _skip_retry(ctx, row, now, report, _(REMOVED)):
                log.info(
                    _("skipped {key}: removed from the calendar or turned into a draft").format(
                        key=row.key
                    )
                )
            continue
        if ctx.store.claim_retry(row.key, ctx.owner, now):
            claimed.append(occurrence)
    return claimed


def _held_back(ctx: Context, row: Publication, now: datetime, report: Report, holds: Held) -> bool:
    """A retry whose time came that must not be tried: a stop was in force since then (it is
    skipped), or its account is paused after an error (it waits)."""
    stop = holds.stop_between(row.account, row.next_attempt_at or row.updated_at, now)
    if stop is None:
        return row.account in holds.paused
    why = stop.describe(ctx.calendar.timezone)
    if _skip_retry(ctx, row, now, report, why):
        log.warning(_("skipped {key}: {why}").format(key=row.key, why=why))
    return True


def _waits(ctx: Context, row: Publication, now: datetime, report: Report, holds: Held) -> bool:
    """A retry that waits for the connection: it goes on waiting while its endpoint is
    offline, and is missed once its grace period is over."""
    outage = holds.offline.get(row.account)
    if outage is None and ctx.outages:  # a host beside the account's that this post needs
        occurrence = ctx.find(row.key)
        outage = outage_beside(ctx, occurrence) if occurrence is not None else None
    if row.offline_since is None and outage is None:
        return False
    if now - row.scheduled_at > ctx.calendar.rules.grace:
        since = row.offline_since or (outage.offline_since if outage else None)
        why = missed_reason(ctx, row.platform, since, row.scheduled_at, now)
        if ctx.store.miss_waiting(row, now, why, row.scheduled_at + ctx.calendar.rules.grace):
            report.add(State.MISSED)
            log.warning(_("missed {key}: {why}").format(key=row.key, why=why))
        return True
    return outage is not None


def _skip_retry(ctx: Context, row: Publication, now: datetime, report: Report, why: str) -> bool:
    skipped = ctx.store.skip_retry(row.key, ctx.owner, now, why)
    if skipped:
        report.add(State.SKIPPED)
    return skipped
