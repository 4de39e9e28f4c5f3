"""Posts the store cannot know about: a new database, or one restored from a backup.

A database that is new knows nothing of what went out before it was created, and a restored
backup nothing of what went out after the backup was taken: a post due then, still inside
its grace period, may already be public. Such an occurrence is not claimed but recorded
``unknown``, so ``reconcile`` looks it up on the platform (``Adapter.find``) before anything
is sent, exactly as after an attempt whose answer was lost. The moments come from the store
(``scheduler.store.memory``); the first publishing run on a restored backup also turns its
unfinished rows ``unknown``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from scheduler.engine.context import Context
from scheduler.i18n import _
from scheduler.store import local_time
from scheduler.store.memory import Remembered

log = logging.getLogger("jadwal")


@dataclass(frozen=True)
class Blind:
    """The stretch of time the store has no record of (from the beginning when ``start`` is
    None), and why, in the words the history shows."""

    start: datetime | None
    end: datetime
    why: str

    def covers(self, at: datetime) -> bool:
        return (self.start is None or self.start <= at) and at < self.end


def blind_window(ctx: Context, now: datetime, known: Remembered) -> Blind | None:
    """What the store can't know at ``now`` (from the moments it remembers, ``known``); None
    when it knows everything that matters."""
    tz = ctx.calendar.timezone
    looking = _("looking on the platform before publishing")
    if known.backed_up_at is not None:
        taken = local_time(known.backed_up_at, tz)
        why = _(
            "restored from a backup taken at {taken}: it may have gone out after it; {looking}"
        ).format(taken=taken, looking=looking)
        restored = known.restored_at or _restore(ctx, now, why)
        return Blind(known.backed_up_at - ctx.calendar.rules.grace, restored, why)
    if known.created_at <= now:  # a rehearsal of an earlier moment has nothing to miss
        created = local_time(known.created_at, tz)
        why = _("the database is newer than this post (created {created}); {looking}")
        why = why.format(created=created, looking=looking)
        return Blind(None, known.created_at, why)
    return None


def _restore(ctx: Context, now: datetime, why: str) -> datetime:
    restored = ctx.store.memory.restore(now, why)
    if restored == now:
        log.warning(
            _(
                "this database is a backup taken into use: what it had not finished, and what was "
                "due since the backup, is looked up on the platform before anything is sent"
            )
        )
    return restored
