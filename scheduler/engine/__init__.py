"""The publishing engine: ``publish_due(ctx, now)`` decides what is due and publishes it.

Every entry point — the daemon's timers and sweep, ``jadwal tick`` from cron — calls this one
function, and it is safe to call any number of times from any number of processes: work is
taken only through the store's atomic claims, so a second caller finds nothing left to do.

What it does, in order:
1. claims whose owner died (lease expired) are settled: ``publishing`` → ``unknown``,
   ``claimed`` → ``retry`` (nothing was sent yet); an endpoint that was found offline is
   checked when its check is due, and its accounts wait while it stays so — ``connection``;
2. ``unknown`` rows are reconciled by asking the platform (``Adapter.find``); a platform that
   can't tell leaves them for a person (``jadwal resolve``) — ``reconcile``;
3. approved occurrences with ``at ≤ now`` and ``now - at ≤ grace`` are claimed; older ones
   that nobody published are recorded ``missed`` (drafts: ``skipped``); ``retry`` rows whose
   time came are claimed again; what falls in a person's emergency stop is recorded
   ``skipped`` with its reason; what a new or restored database can't know about is
   recorded ``unknown``, to be looked up first — ``claims``, ``stops``, ``blind``;
4. what was claimed is published — ``attempt``: each attempt is started in the store before
   the platform is called, the claim is confirmed right before the request that makes the
   post public, and the row is settled in one store call as ``decide`` says.
The publish call itself is never repeated after an unknown outcome: that is how double posts
happen. Per account, publications run one at a time in time order; accounts run in parallel
(``publisher``: one ``Publisher`` per process, shared by every calendar it loads).

Modules, from the top: ``claims``, ``reconcile`` and ``attempt`` (the steps), ``stops`` (what
a pause or a stop holds back), ``connection`` (waiting for the connection), ``blind`` (what
the store can't know), ``context`` (``Context``, ``Report``), ``publisher`` (the
per-account order), ``decide`` (what an error means: a pure table).
"""

from __future__ import annotations

import logging
from datetime import datetime

from scheduler.engine.attempt import publish_claimed, publish_work
from scheduler.engine.claims import claim_due
from scheduler.engine.connection import reconnect
from scheduler.engine.context import Context, Report
from scheduler.engine.decide import RetryPolicy, decide
from scheduler.engine.publisher import Publisher
from scheduler.engine.reconcile import reconcile
from scheduler.i18n import _

__all__ = [
    "Context",
    "Publisher",
    "Report",
    "RetryPolicy",
    "decide",
    "publish_claimed",
    "publish_due",
    "reconcile",
]

log = logging.getLogger("jadwal")


def publish_due(ctx: Context, now: datetime | None = None) -> Report:
    """Publish everything due at ``now`` that nobody has taken; see the module docstring."""
    now = now or ctx.clock()
    report = Report()
    ctx.store.check_file()
    for key in ctx.store.release_dead_claims(now):
        log.warning(
            _("unknown {key}: its publisher stopped mid-publication; checking the platform").format(
                key=key
            )
        )
    offline = reconnect(ctx, now)
    keep_tokens_alive(ctx, now)
    reconcile(ctx, now, report, offline)
    work = ctx.publisher.claim(lambda: claim_due(ctx, now, report, offline))
    for outcome in publish_work(ctx, work):
        report.add(outcome)
    return report


def keep_tokens_alive(ctx: Context, now: datetime) -> None:
    """Each account's upkeep (a token refreshed before it expires); a failure is logged and
    never keeps a post from going out: the account check and the next run see it."""
    from scheduler.adapters.base import keep_alive
    from scheduler.errors import PublishError

    for account in ctx.calendar.accounts.values():
        if account.route != "instagram:login":
            continue
        try:
            keep_alive(ctx.adapter_for(account), now)
        except PublishError as exc:
            log.warning(
                _("{account}: token upkeep failed: {message}").format(
                    account=account.name, message=exc.message
                )
            )
