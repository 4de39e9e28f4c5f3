"""What holds an account back in one run: the automatic pauses and the stops people issued.

A pause (``account_pauses``) is the engine's: a login or token error, lifted by ``jadwal
accounts resume`` or by ``accounts check`` once the checks pass; its posts wait. A stop is a
person's (``jadwal pause``): lifted only by ``jadwal resume`` or its ``--until``; whatever
could have gone out while it was in force is recorded ``skipped`` with its reason and never
sent after it by surprise. Each stop is logged once when a run first honours it, and once
when it has ended.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from scheduler.engine.context import Context
from scheduler.i18n import _
from scheduler.store import Connection, Stop, local_time

log = logging.getLogger("jadwal")


@dataclass(frozen=True)
class Held:
    """The accounts paused after an error, the stops a run must honour, and the accounts
    whose connection is lost (each with its endpoint's outage)."""

    paused: frozenset[str]
    stops: tuple[Stop, ...]
    offline: dict[str, Connection] = field(default_factory=dict)

    def stop_between(self, account: str, start: datetime, end: datetime) -> Stop | None:
        """The first stop of ``account`` in force at some moment from ``start`` to ``end``:
        what was due then could have gone out during it."""
        return next((s for s in self.stops if s.covers(account) and s.overlaps(start, end)), None)


def held(
    ctx: Context, since: datetime, now: datetime, offline: dict[str, Connection] | None = None
) -> Held:
    """The pauses, the stops in force at ``since`` or later (the new ones are logged), and
    the accounts cut off (``offline``, from ``connection.reconnect``)."""
    stops = tuple(ctx.store.stops.recent(ended_after=since))
    for stop in stops:
        if stop.account is None or stop.account in ctx.calendar.accounts:
            _log_once(ctx, stop, now)
    return Held(frozenset(ctx.store.paused()), stops, offline or {})


def stopped_now(ctx: Context, account: str) -> str | None:
    """Why ``account`` must not publish at this moment (its stop, described), or None."""
    stop = ctx.store.stops.in_force(account, ctx.clock())
    return None if stop is None else stop.describe(ctx.calendar.timezone)


def resume_command(stop: Stop) -> str:
    return "jadwal resume" + (f" {stop.account}" if stop.account else "")


def _log_once(ctx: Context, stop: Stop, now: datetime) -> None:
    assert stop.id is not None  # a row read from the store
    tz = ctx.calendar.timezone
    if stop.in_force(now):
        if stop.logged is None and ctx.store.stops.note(stop.id, None, "stopped"):
            said = _(
                "{stop}. Posts due meanwhile are recorded as skipped, not sent later; "
                "'{command}' lifts it."
            )
            stopped = _("STOPPED {target}").format(target=stop.target)
            log.warning(said.format(stop=stop.describe(tz, stopped), command=resume_command(stop)))
    elif stop.logged == "stopped" and ctx.store.stops.note(stop.id, "stopped", "ended"):
        log.info(_("RESUMED {target}: {ended}").format(target=stop.target, ended=ended(stop, tz)))


def ended(stop: Stop, tz: tzinfo) -> str:
    """``the stop set by budi@… at … (why) was lifted by ani@… at …``, or ended at its time."""
    assert stop.end is not None
    what = f"{stop.origin(tz)} ({stop.reason})"
    if stop.lifted_at is not None and stop.lifted_at == stop.end:
        said = _("{what} was lifted by {who} at {when}")
        return said.format(what=what, who=stop.lifted_by, when=local_time(stop.lifted_at, tz))
    said = _("{what} ended at {when}, the time it was given")
    return said.format(what=what, when=local_time(stop.end, tz))
