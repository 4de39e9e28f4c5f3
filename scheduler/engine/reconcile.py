"""Settling ``unknown`` rows by asking the platform whether the post exists (``Adapter.find``).

Found: the row is ``published``. Absent: it becomes a ``retry`` and is sent once more. The
platform can't tell, the caption changed since the attempt, or the post left the calendar:
the row stays ``unknown`` for the next run or a person (``jadwal resolve``), with the reason
written in the row and logged once.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from scheduler.adapters.base import Lookup, caption_hash
from scheduler.calendar.expand import Occurrence
from scheduler.engine.context import Context, Report
from scheduler.errors import PublishError
from scheduler.render import RenderError
from scheduler.store import Outcome, Publication, State

log = logging.getLogger("jadwal")


def reconcile(ctx: Context, now: datetime, report: Report) -> None:
    """Settle ``unknown`` rows by asking the platform whether the post exists."""
    for row in ctx.store.in_state(State.UNKNOWN):
        occurrence = ctx.find(row.key)
        if occurrence is None:
            continue  # gone from the calendar: a person decides (jadwal resolve)
        lookup = _look_up(ctx, row, occurrence)
        if lookup is not None and _settle(ctx, row.key, lookup, now):
            report.add(Outcome.PUBLISHED)


def _look_up(ctx: Context, row: Publication, occurrence: Occurrence) -> Lookup | None:
    """What the platform says of the row's post; None when it wasn't asked or couldn't be."""
    try:
        caption = ctx.renderer.render(occurrence)
        if row.caption_hash and caption_hash(caption) != row.caption_hash:
            # The text changed since the attempt: a lookup by caption could miss the
            # post that did go out, and a resend would double it. A person decides.
            _still_unknown(ctx, row.key, "the caption changed since it was sent")
            return None
        draft = replace(ctx.draft(occurrence, caption), claimed_at=row.created_at)
        return ctx.adapter_for(occurrence.account).find(draft, row.container_id)
    except (PublishError, RenderError) as exc:
        log.warning("unknown %s: lookup failed (%s); will try again", row.key, exc)
    except Exception:  # an adapter bug must not stop everything else from publishing
        log.exception("unknown %s: lookup crashed; will try again", row.key)
    return None


def _settle(ctx: Context, key: str, lookup: Lookup, now: datetime) -> bool:
    """Write what the lookup found; True when the post turned out to be published."""
    if lookup.state == "published" and lookup.published is not None:
        found = lookup.published
        if not ctx.store.resolve(key, now, found.permalink or "", found.platform_post_id):
            return False
        log.info(
            "published %s → %s (found on the platform after an unknown outcome)",
            key,
            found.permalink or found.platform_post_id,
        )
        return True
    if lookup.state == "not_published":
        if ctx.store.resolve(key, now, None, reason="the platform has no such post"):
            log.info("retry %s: the platform has no such post, so it is safe to send", key)
    else:
        _still_unknown(ctx, key, f"looked on the platform: {lookup.detail}")
    return False


def _still_unknown(ctx: Context, key: str, why: str) -> None:
    """Say in the row's history why it is still unsettled, and in the log once."""
    why = f"{why}; looked up again on every run, or settle it with 'jadwal resolve'"
    if ctx.store.note_unknown(key, why):
        log.warning("unknown %s: %s", key, why)
