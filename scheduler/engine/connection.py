"""Waiting for the connection: an outage is not a failed try.

An attempt that ends ``Offline`` (nothing reached the platform) turns its endpoint offline in
the store (``Connections.lost``; the call that does so logs the one line "no connection …")
and its publication waits: a ``retry`` that no run takes while the endpoint is offline, and
that is not counted against the retry budget. Occurrences that fall due meanwhile are
recorded waiting too, without a try. Each run checks an offline endpoint once its check is
due (``CHECK_EVERY``, shared by every process through the store) with one small request
(``scheduler.adapters.network.probe``); the run that finds it back logs the one line "… is
back" and what waited goes out in the same run, oldest first, in each account's order. Any
attempt that reaches the platform ends the outage too. A wait that outlasts the post's grace
period ends ``missed``, with the outage in the reason (``claims``).

An account's endpoint is the host it always talks to (the Graph API). Some posts need a second
host beside it: a reel sent by resumable upload needs Instagram's upload host
(``rupload.facebook.com``). An attempt that cannot reach that host names it (``Offline.endpoint``)
and it is that host that is recorded offline and checked; while it is, only the posts that
need it wait (``outage_beside``: the adapter's ``endpoints_for`` says which), and the
account's other posts, and every other account, go on through the Graph API.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from scheduler.adapters.base import endpoint_of, endpoints_for, endpoints_of
from scheduler.adapters.network import Endpoint
from scheduler.calendar.expand import Occurrence
from scheduler.calendar.model import Account
from scheduler.engine.context import Context
from scheduler.engine.decide import WAITING, duration
from scheduler.errors import Offline, PublishError
from scheduler.i18n import _
from scheduler.store import Connection, local_time

log = logging.getLogger("jadwal")

# How often an offline endpoint is checked: once a minute, shared by every process through
# the store. Not more often: nothing is gained between two sweeps. Not less: a post that
# waited must go out within a minute of the connection's return, and a check costs one small
# request (nothing at all while the link is down). Just under the minute that separates two
# sweeps (or two ticks from cron), so that each of them finds the check due, whatever the
# moment the connection was lost.
CHECK_EVERY = timedelta(seconds=55)
PLATFORM_NAMES = {"instagram": "Instagram", "facebook": "Facebook"}


def endpoint_for(ctx: Context, account: Account) -> Endpoint | None:
    try:
        return endpoint_of(ctx.adapter_for(account))
    except PublishError:  # e.g. no token: its attempts say so; it has nothing to wait for
        return None


def reconnect(ctx: Context, now: datetime) -> dict[str, Connection]:
    """Check the offline endpoints whose check is due; the accounts still cut off, each with
    its endpoint's outage."""
    # What this process saw in earlier runs may be stale (another process may have found the
    # connection back): the store says what is offline now; this run adds what it meets.
    ctx.offline.clear()
    ctx.outages = {}
    offline = ctx.store.connections.offline()
    if not offline:
        return {}  # the usual case: one read per run
    endpoints = _endpoints(ctx)
    for key in list(offline):
        endpoint = endpoints.get(key)
        if endpoint is None or not ctx.store.connections.take_check(key, now, CHECK_EVERY):
            continue
        why = ctx.probe(endpoint)
        if why is None:
            _back(ctx, key, now)
            del offline[key]
        else:
            said = _("no connection to {name}: {why}").format(name=_(endpoint.name), why=why)
            ctx.store.connections.still_lost(key, said)
    ctx.outages = dict(offline)
    cut_off = {}
    for account in ctx.calendar.accounts.values():
        found = _key(ctx, account)
        if found is not None and found in offline:
            cut_off[account.name] = offline[found]
    return cut_off


def cut_off(ctx: Context, occurrence: Occurrence) -> str | None:
    """Why a claim should not even be tried: an attempt of this run found its account's
    endpoint, or a host beside it that this post needs, offline a moment ago (the queue
    behind it waits, untried); else None."""
    if not ctx.offline:
        return None
    key = _key(ctx, occurrence.account)
    if key is not None and key in ctx.offline:
        return _(WAITING) + ctx.offline[key]
    for endpoint in _beside(ctx, occurrence):
        if endpoint.key in ctx.offline:
            return _(WAITING) + ctx.offline[endpoint.key]
    return None


def outage_beside(ctx: Context, occurrence: Occurrence) -> Connection | None:
    """The outage of a host beside its account's endpoint that ``occurrence`` needs (the
    upload host of a reel sent by resumable upload), as ``reconnect`` found it; else None.
    Only such posts wait for that host: the account's others go on through the Graph API."""
    if not ctx.outages:
        return None  # the usual case: nothing is asked of the adapter
    for endpoint in _beside(ctx, occurrence):
        if endpoint.key in ctx.outages:
            return ctx.outages[endpoint.key]
    return None


def _beside(ctx: Context, occurrence: Occurrence) -> tuple[Endpoint, ...]:
    try:
        adapter = ctx.adapter_for(occurrence.account)
    except PublishError:
        return ()
    media = tuple(ctx.calendar.folder / m.path for m in occurrence.post.media)
    return endpoints_for(adapter, occurrence.post.kind, media)


def lost(ctx: Context, account: Account, now: datetime, error: Offline) -> None:
    """An attempt for ``account`` found no connection: the endpoint it could not reach (the
    error's, when the adapter names one beside its own; else the account's) is offline
    (said once)."""
    found = error.endpoint
    endpoint = found if isinstance(found, Endpoint) else endpoint_for(ctx, account)
    if endpoint is None:
        return
    ctx.offline[endpoint.key] = error.message
    key, check = endpoint.key, now + CHECK_EVERY
    if ctx.store.connections.lost(key, endpoint.name, now, error.message, check):
        lost = _(
            "no connection to {name} since {since} ({where}: {reason}). Posts wait for it and go "
            "out as soon as it is back, within their grace period; checking once a minute"
        )
        log.warning(
            lost.format(
                name=_(endpoint.name),
                since=local_time(now, ctx.calendar.timezone),
                where=key,
                reason=error.reason,
            )
        )


def reached(ctx: Context, account: Account, now: datetime) -> None:
    """An attempt for ``account`` reached its platform: an outage it was in has ended."""
    key = _key(ctx, account)
    if key is not None:
        _back(ctx, key, now)


def _back(ctx: Context, key: str, now: datetime) -> None:
    ctx.offline.pop(key, None)
    ended = ctx.store.connections.back(key)
    if ended is None or ended.offline_since is None:
        return
    back = _(
        "connection to {name} ({where}) is back after {after} (lost at {since}); "
        "publishing what waited"
    )
    log.info(
        back.format(
            name=_(ended.name),
            where=key,
            after=duration(now - ended.offline_since),
            since=local_time(ended.offline_since, ctx.calendar.timezone),
        )
    )


def _key(ctx: Context, account: Account) -> str | None:
    endpoint = endpoint_for(ctx, account)
    return endpoint.key if endpoint is not None else None


def _endpoints(ctx: Context) -> dict[str, Endpoint]:
    """Every host the calendar's accounts may need, by key: what an outage can be of."""
    found: dict[str, Endpoint] = {}
    for account in ctx.calendar.accounts.values():
        try:
            endpoints = endpoints_of(ctx.adapter_for(account))
        except PublishError:
            continue
        found.update((e.key, e) for e in endpoints)
    return found


def missed_reason(
    ctx: Context, platform: str, since: datetime | None, at: datetime, now: datetime
) -> str:
    """``no connection to Instagram from 2026-12-05 08:55 to 15:00 WIB, when its grace period
    (6h) ended; nothing was sent``: why a post that waited for the connection was missed."""
    grace = ctx.calendar.rules.grace
    tz = ctx.calendar.timezone
    start, end = (since or at).astimezone(tz), min(now, at + grace).astimezone(tz)
    until = f"{end:%H:%M %Z}" if start.date() == end.date() else f"{end:%Y-%m-%d %H:%M %Z}"
    said = _(
        "no connection to {name} from {start} to {until}, when its grace period ({grace}) "
        "ended; nothing was sent"
    )
    return said.format(
        name=PLATFORM_NAMES.get(platform, platform),
        start=f"{start:%Y-%m-%d %H:%M}",
        until=until,
        grace=duration(grace),
    )
