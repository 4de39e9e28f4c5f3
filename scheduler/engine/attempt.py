"""One publication attempt, from a claim to where it ends, and the leases kept meanwhile.

``publish_claimed`` renders the caption, starts the attempt in the store (``claimed →
publishing``, written before the platform is called), hands the draft to the adapter (which
confirms the claim right before the request that makes the post public), and settles the row
with one ``Store.settle``: published (``awaiting`` for a post a person makes by hand), or
whatever ``decide`` makes of the error. A person's
stop of the account is looked for when the claim's turn comes and again in that last
confirmation: a claim it finds is settled ``skipped`` with the stop's reason, unsent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from scheduler.adapters.base import Handed, Progress, Published, caption_hash
from scheduler.calendar.expand import Occurrence
from scheduler.engine import connection
from scheduler.engine.context import Context
from scheduler.engine.decide import decide, log_decision
from scheduler.engine.stops import stopped_now
from scheduler.errors import ClaimLost, Offline, PublishError
from scheduler.i18n import _
from scheduler.render import RenderError
from scheduler.store import LEASE, Outcome, Started, State, Transition

log = logging.getLogger("jadwal")


def publish_work(ctx: Context, work: list[Occurrence]) -> list[Outcome]:
    """Publish what this run claimed, through the process's ``Publisher``."""
    if not work:
        return []
    # Claims waiting their turn keep their lease too: otherwise, after a minute, this very
    # process would see them as dead and claim them a second time.
    with lease_kept(ctx, [o.key for o in work]):
        return ctx.publisher.run(work, lambda occurrence: publish_in_turn(ctx, occurrence))


class Stopped(ClaimLost):
    """A person stopped the account while its post was on its way: nothing may be sent.
    A ``ClaimLost``, so that every adapter lets it through untranslated."""

    def __init__(self, key: str, why: str) -> None:
        super().__init__(key)
        self.why = why


def publish_in_turn(ctx: Context, occurrence: Occurrence) -> Outcome | None:
    """Publish a queued claim, unless its account was paused while it waited (it waits
    again, as a retry), its connection was lost meanwhile (it waits for it, untried), or it
    was stopped (``publish_claimed`` skips it)."""
    if occurrence.account.name in ctx.store.paused():
        why = _("account {account} is paused").format(account=occurrence.account.name)
        ctx.store.release(occurrence.key, ctx.owner, ctx.clock(), why)
        return None
    cut_off = connection.cut_off(ctx, occurrence)
    if cut_off is not None:
        ctx.store.release(occurrence.key, ctx.owner, ctx.clock(), cut_off, waiting=True)
        return Outcome.OFFLINE
    return publish_claimed(ctx, occurrence)


def publish_claimed(ctx: Context, occurrence: Occurrence) -> Outcome:
    """Publish one occurrence this owner has claimed; what the run reports for it."""
    key = occurrence.key
    why = stopped_now(ctx, occurrence.account.name)
    if why is not None:
        return _skip_stopped(ctx, key, why)
    try:
        caption = ctx.renderer.render(occurrence)
    except RenderError as exc:
        said = _("failed {key}: the caption can't be rendered: {problem}")
        log.error(said.format(key=key, problem=exc.problem))
        return _settle(ctx, key, _ended(State.FAILED, f"caption: {exc.problem}"))
    sent = ctx.snapshots.sent(ctx.calendar, occurrence, caption)
    started = ctx.store.start_publishing(key, ctx.owner, ctx.clock(), caption_hash(caption), sent)
    if started is None:
        return Outcome.LOST  # another publisher took over the claim: it is theirs now
    try:
        done = _send(ctx, occurrence, caption)
    except Stopped as exc:
        return _skip_stopped(ctx, key, exc.why)
    except ClaimLost:
        # Nothing was sent; the row is another publisher's now, so it is not touched.
        said = _("lost {key}: this process was paused past its claim; not sent")
        log.warning(said.format(key=key))
        return Outcome.LOST
    except PublishError as exc:
        return settle_error(ctx, occurrence, started, exc)
    except Exception as exc:  # an adapter bug: it may have posted, so never resend blindly
        said = _("unknown {key}: unexpected error in the {platform} adapter")
        log.exception(said.format(key=key, platform=occurrence.platform))
        message = _("unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}")
        return _settle(ctx, key, _ended(State.UNKNOWN, message))
    if isinstance(done, Handed):
        return _handed(ctx, occurrence)
    outcome = _settle(ctx, key, _published(done))
    connection.reached(ctx, occurrence.account, ctx.clock())
    log.info(
        _("published {key} → {link}").format(key=key, link=done.permalink or done.platform_post_id)
    )
    return outcome


def _send(ctx: Context, occurrence: Occurrence, caption: str) -> Published | Handed:
    key, owner = occurrence.key, ctx.owner

    def confirm() -> None:
        why = stopped_now(ctx, occurrence.account.name)
        if why is not None:
            raise Stopped(key, why)
        if not ctx.store.confirm(key, owner, ctx.clock()):
            raise ClaimLost(key)

    adapter = ctx.adapter_for(occurrence.account)
    progress = Progress(
        save=lambda cid: ctx.store.save_container(key, owner, cid, ctx.clock()), confirm=confirm
    )
    with lease_kept(ctx, [key]):
        return adapter.publish(ctx.draft(occurrence, caption), progress)


def _handed(ctx: Context, occurrence: Occurrence) -> Outcome:
    """A post for a person to make: recorded awaiting them. The reminder is made from this
    record by the notifier, after it is written, never here: a crash between the two leaves
    an awaiting row that the next look reminds of, once."""
    awaiting = _("awaiting {key}: to be posted by hand on {account}; then jadwal done {key}")
    log.info(awaiting.format(key=occurrence.key, account=occurrence.account.name))
    return _settle(ctx, occurrence.key, Transition(State.AWAITING, Outcome.AWAITING))


def _skip_stopped(ctx: Context, key: str, why: str) -> Outcome:
    log.warning(_("skipped {key}: {why}").format(key=key, why=why))
    return _settle(ctx, key, _ended(State.SKIPPED, why))


def _ended(state: State, message: str) -> Transition:
    """An end that no platform error code explains (a bad caption, an adapter bug)."""
    return Transition(state, Outcome(state), message)


def _published(done: Published) -> Transition:
    return Transition(
        State.PUBLISHED,
        Outcome.PUBLISHED,
        platform_post_id=done.platform_post_id,
        permalink=done.permalink,
    )


def settle_error(
    ctx: Context, occurrence: Occurrence, started: Started, exc: PublishError
) -> Outcome:
    """Settle an attempt that raised ``exc`` as ``decide`` says, and log it once."""
    now = ctx.clock()
    failures = started.failures + 1  # this try counts too
    grace = ctx.calendar.rules.grace
    transition = decide(exc, started.number, failures, now - occurrence.at, grace, ctx.retry, now)
    log_decision(
        transition,
        occurrence.key,
        occurrence.account.name,
        started.number,
        ctx.calendar.timezone,
    )
    outcome = _settle(ctx, occurrence.key, transition)
    if isinstance(exc, Offline):
        connection.lost(ctx, occurrence.account, now, exc)
    elif exc.code is not None:  # the platform answered: whatever it said, it is reachable
        connection.reached(ctx, occurrence.account, now)
    return outcome


def _settle(ctx: Context, key: str, transition: Transition) -> Outcome:
    ctx.store.settle(key, ctx.owner, ctx.clock(), transition)
    if transition.pause:
        return Outcome.PAUSED  # waits as a retry, but the run reports it: a person must act
    if transition.waiting:
        return Outcome.OFFLINE  # a retry too, waiting for the connection: not a failed try
    return Outcome(transition.state)


@contextmanager
def lease_kept(ctx: Context, keys: list[str]) -> Iterator[None]:
    """Renew the claims' leases while slow uploads run, so nobody takes them over."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(LEASE.total_seconds() / 3):
            ctx.store.renew(keys, ctx.owner, ctx.clock())

    thread = threading.Thread(target=beat, name="lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
