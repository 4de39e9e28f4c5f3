"""Settling ``unknown`` rows by asking the platform whether the post exists (``Adapter.find``).

Found: the row is ``published``. Absent: it becomes a ``retry`` and is sent once more. The
platform can't tell, the caption changed since the attempt, or the post left the calendar:
the row stays ``unknown`` for the next run or a person (``jadwal resolve``), with the reason
written in the row and logged once. A row whose answer was lost is looked up only once its
media could have arrived (``still_arriving``): on a slow link the upload may still be on its
way after the answer was given up on, and a lookup then would find nothing and send it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from scheduler.adapters.base import Lookup, arriving_seconds, caption_hash
from scheduler.calendar.expand import Occurrence
from scheduler.engine import connection
from scheduler.engine.context import Context, Report
from scheduler.engine.decide import log_decision
from scheduler.errors import AuthError, Offline, PublishError
from scheduler.i18n import _
from scheduler.render import RenderError
from scheduler.store import Outcome, Publication, State, Transition

log = logging.getLogger("jadwal")

MAX_ARRIVING = timedelta(minutes=10)


def reconcile(
    ctx: Context, now: datetime, report: Report, offline: Mapping[str, object] | None = None
) -> None:
    """Settle ``unknown`` rows by asking the platform whether the post exists; the rows of
    accounts cut off (``offline``) wait for the connection, those of paused accounts for a
    person."""
    waiting = set(offline or {}) | set(ctx.store.paused())
    for row in ctx.store.in_state(State.UNKNOWN):
        occurrence = ctx.find(row.key)
        if occurrence is None or row.account in waiting:
            continue  # gone from the calendar: a person decides (jadwal resolve)
        arrived_by = row.updated_at + still_arriving(ctx, row, occurrence)
        if now < arrived_by:
            report.come_back(arrived_by)  # its upload may still be on its way: look then
            continue
        settled = reconcile_row(ctx, row, occurrence, now)
        if settled is not None:
            report.add(settled)


def still_arriving(ctx: Context, row: Publication, occurrence: Occurrence) -> timedelta:
    """How long after an attempt's answer was lost its publishing request may still be
    arriving at the platform (from this machine's buffers, on a slow link), as its adapter
    says (``arriving_seconds``), at most ``MAX_ARRIVING``. Nothing for a row never tried."""
    if not row.attempts:
        return timedelta(0)
    media = tuple(ctx.calendar.folder / m.path for m in occurrence.post.media)
    try:
        seconds = arriving_seconds(ctx.adapter_for(occurrence.account), media)
    except PublishError:  # no adapter (e.g. no token): the lookup will say so
        seconds = 0.0
    return min(MAX_ARRIVING, timedelta(seconds=seconds))


def reconcile_row(
    ctx: Context, row: Publication, occurrence: Occurrence, now: datetime
) -> Outcome | None:
    """Look one ``unknown`` row up and settle it: ``published`` when it was found, ``paused``
    when its account can't be asked (a login or token error), else None (not found: it is a
    retry, due now; or it stays unknown)."""
    try:
        lookup = _look_up(ctx, row, occurrence)
    except AuthError as exc:
        return _pause(ctx, occurrence, now, exc)
    except Offline as exc:
        connection.lost(ctx, occurrence.account, now, exc)
        return None
    if lookup is not None and _settle(ctx, row.key, lookup, now):
        return Outcome.PUBLISHED
    return None


def _look_up(ctx: Context, row: Publication, occurrence: Occurrence) -> Lookup | None:
    """What the platform says of the row's post; None when it wasn't asked or couldn't be."""
    try:
        caption = ctx.renderer.render(occurrence)
        if row.caption_hash and caption_hash(caption) != row.caption_hash:
            # The text changed since the attempt: a lookup by caption could miss the
            # post that did go out, and a resend would double it. A person decides.
            _still_unknown(ctx, row.key, _("the caption changed since it was sent"))
            return None
        draft = replace(ctx.draft(occurrence, caption), claimed_at=_sent_after(row, occurrence))
        return ctx.adapter_for(occurrence.account).find(draft, row.container_id)
    except (AuthError, Offline):
        raise
    except (PublishError, RenderError) as exc:
        log.warning(
            _("unknown {key}: lookup failed ({error}); will try again").format(
                key=row.key, error=exc
            )
        )
    except Exception:  # an adapter bug must not stop everything else from publishing
        log.exception(_("unknown {key}: lookup crashed; will try again").format(key=row.key))
    return None


def _pause(ctx: Context, occurrence: Occurrence, now: datetime, exc: AuthError) -> Outcome:
    """The account can't even be asked: it pauses, as after a login or token error."""
    account = occurrence.account.name
    if account not in ctx.store.paused():
        ctx.store.pause(account, exc.describe(), now)
        transition = Transition(State.RETRY, Outcome.PAUSED, exc.describe(), pause=True)
        log_decision(transition, occurrence.key, account, 0, ctx.calendar.timezone)
    return Outcome.PAUSED


def _sent_after(row: Publication, occurrence: Occurrence) -> datetime:
    """The earliest moment the row's post can have gone out: its claim, for a row this store
    tried; its time, for one it never tried (a new or restored database: ``blind``)."""
    return row.created_at if row.attempts else min(row.created_at, occurrence.at)


def _settle(ctx: Context, key: str, lookup: Lookup, now: datetime) -> bool:
    """Write what the lookup found; True when the post turned out to be published."""
    if lookup.state == "published" and lookup.published is not None:
        found = lookup.published
        tried = ctx.store.attempts(key)
        sent = tried[-1].started_at if tried else None  # it went out during its last attempt
        link = found.permalink or ""
        if not ctx.store.resolve(key, now, link, found.platform_post_id, published_at=sent):
            return False
        text = _("published {key} → {link} (found on the platform after an unknown outcome)")
        log.info(text.format(key=key, link=found.permalink or found.platform_post_id))
        return True
    if lookup.state == "not_published":
        if ctx.store.resolve(key, now, None, reason=_("the platform has no such post")):
            log.info(
                _("retry {key}: the platform has no such post, so it is safe to send").format(
                    key=key
                )
            )
    else:
        _still_unknown(ctx, key, _("looked on the platform: {detail}").format(detail=lookup.detail))
    return False


def _still_unknown(ctx: Context, key: str, why: str) -> None:
    """Say in the row's history why it is still unsettled, and in the log once."""
    why = _("{why}; looked up again on every run, or settle it with 'jadwal resolve'").format(
        why=why
    )
    if ctx.store.note_unknown(key, why):
        log.warning(_("unknown {key}: {why}").format(key=key, why=why))
