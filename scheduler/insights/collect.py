"""One collection run: read every insight that is due, keep what was read, and say so.

For each account with something due (``slots``): claim each reading in the store (another
collector on the same database then leaves it alone), ask the adapter for all of them at
once (``adapters.metrics``), keep the readings and mark their claims done in one
transaction, and release the claims of what failed so that it is tried again on a later
run. Nothing here can stop or delay publishing: every failure stays inside the run, is
logged once per account (a lasting problem, such as a missing permission, once until it
changes: ``Store.insights.set_problem``), and throttling holds every read back for as long
as Meta asks (``Store.insights.hold``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from scheduler.adapters.base import Adapter, insights_reader
from scheduler.adapters.metrics import Readings, Target
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import AuthError, PublishError, Throttled
from scheduler.i18n import _, ngettext
from scheduler.insights.slots import HORIZON, MANUAL, STORY_LIFE, due_slot, followers_due
from scheduler.insights.slots import followers_key as followers_claim
from scheduler.store import Store
from scheduler.store.insights import EVERY_ACCOUNT, Sent
from scheduler.store.tables import FollowerReading, InsightReading

log = logging.getLogger("jadwal")

READABLE = ("facebook", "instagram:graph", "instagram:login", "instagram:instagrapi")


@dataclass
class Plan:
    """What one account needs read now."""

    account: Account
    posts: list[tuple[Target, str]] = field(default_factory=list)  # (target, slot)
    followers: str | None = None  # the day's slot, when its follower count is due
    urgent: bool = False


@dataclass
class Summary:
    posts: int = 0  # post readings kept
    followers: int = 0  # follower readings kept
    failed: int = 0  # readings that could not be made (tried again later)
    accounts: int = 0  # accounts read
    held: bool = False  # throttled: the run stopped early

    def text(self) -> str:
        """``12 post readings and 2 follower counts kept from 2 accounts; 1 failed (tried
        again later)``, the line a run ends with."""
        said: list[str] = []
        if self.posts or self.followers:
            posts = ngettext("{n} post reading", "{n} post readings", self.posts)
            counts = ngettext("{n} follower count", "{n} follower counts", self.followers)
            kept = ngettext(
                "{what} kept from {n} account", "{what} kept from {n} accounts", self.accounts
            )
            what = _("{posts} and {counts}").format(
                posts=posts.format(n=self.posts), counts=counts.format(n=self.followers)
            )
            said.append(kept.format(what=what, n=self.accounts))
        if self.failed:
            failed = ngettext(
                "{n} reading failed (tried again later)",
                "{n} readings failed (tried again later)",
                self.failed,
            )
            said.append(failed.format(n=self.failed))
        if self.held:
            said.append(_("reads hold off for now: Meta asked to slow down"))
        return "; ".join(said) or _("nothing was due")


def plan(
    calendar: Calendar, store: Store, now: datetime, manual: bool = False, only: str | None = None
) -> list[Plan]:
    """The accounts to read now, each with what is due (``manual``: every post still
    readable, as slot ``manual``), in the calendar's order of accounts."""
    rows = [r for r in store.insights.published(now - HORIZON) if only in (None, r.account)]
    taken = {} if manual else store.insights.taken([r.key for r in rows])
    plans = {name: Plan(account) for name, account in calendar.accounts.items()
             if account.route in READABLE and only in (None, name)}  # fmt: skip
    # A row sent before publications kept their kind: the calendar's post says it.
    kinds = {post.id: post.kind for post in calendar.posts}
    for row in rows:
        found = plans.get(row.account)
        if found is not None:
            kind = row.kind or kinds.get(row.post_id)
            _plan_post(found, row, kind, taken.get(row.key, set()), now, manual)
    _plan_followers(store, plans, now, manual)
    return [p for p in plans.values() if p.urgent or (manual and (p.posts or p.followers))]


def _plan_post(
    found: Plan, row: Sent, kind: str | None, taken: set[str], now: datetime, manual: bool
) -> None:
    at = row.published_at
    target = Target(row.key, row.platform_post_id, kind, at)
    if manual:
        if kind != "story" or now < at + STORY_LIFE:
            found.posts.append((target, MANUAL))
        return
    due = due_slot(at, kind, taken, now)
    if due is not None:
        found.posts.append((target, due.slot))
        found.urgent = found.urgent or due.urgent


def _plan_followers(store: Store, plans: dict[str, Plan], now: datetime, manual: bool) -> None:
    last = store.insights.last_followers()
    taken = store.insights.taken([followers_claim(name) for name in plans])
    for name, found in plans.items():
        if manual:
            found.followers = MANUAL
            continue
        due = followers_due(last.get(name), now)
        if due is not None and due.slot not in taken.get(followers_claim(name), set()):
            found.followers = due.slot
            found.urgent = found.urgent or due.urgent


def collect(
    calendar: Calendar,
    store: Store,
    adapter_for: Callable[[Account], Adapter],
    owner: str,
    clock: Callable[[], datetime],
    *,
    manual: bool = False,
    only: str | None = None,
    keep_going: Callable[[], bool] = lambda: True,
    tell: Callable[[str], None] = lambda _text: None,
) -> Summary:
    """Read what is due now (see the module docstring); ``keep_going`` is asked before each
    account (the daemon stops when a publication comes due), ``tell`` hears the progress."""
    now = clock()
    summary = Summary()
    held = store.insights.access()
    if not manual and _held(held.get(EVERY_ACCOUNT), now):
        summary.held = True
        return summary
    for found in plan(calendar, store, now, manual, only):
        if not keep_going():
            break
        if not manual and _held(held.get(found.account.name), now):
            continue
        if _read_account(store, adapter_for, owner, clock, found, summary, tell):
            summary.held = True
            break
    return summary


def _held(row: object, now: datetime) -> bool:
    until = getattr(row, "hold_until", None)
    return until is not None and now < until


def _read_account(
    store: Store,
    adapter_for: Callable[[Account], Adapter],
    owner: str,
    clock: Callable[[], datetime],
    found: Plan,
    summary: Summary,
    tell: Callable[[str], None],
) -> bool:
    """Claim, read and keep one account's due readings; True when Meta asked to hold off."""
    name = found.account.name
    try:
        reader = insights_reader(adapter_for(found.account))
    except Exception as exc:  # no token, no session: said once, read again on a later run
        error = _failure(exc, name)
        _report(store, name, clock(), Readings(followers_failed=error), 0)
        return False
    if reader is None:
        return False
    posts, followers = _claim(store, owner, clock(), found)
    if not posts and not followers:
        return False
    text = ngettext("{account}: reading {n} post", "{account}: reading {n} posts", len(posts))
    tell(text.format(account=name, n=len(posts)))
    summary.accounts += 1
    try:
        readings: Readings = reader([t for t, _s in posts], followers is not None)
    except Exception as exc:  # whatever it is, it stays here: publishing goes on
        error = _failure(exc, name)
        readings = Readings(failed={t.key: error for t, _s in posts}, followers_failed=error)
        if isinstance(exc, Throttled):
            readings.hold = exc.retry_after
    _keep(store, clock(), found, posts, followers, readings, summary)
    return readings.hold is not None


def _claim(
    store: Store, owner: str, now: datetime, found: Plan
) -> tuple[list[tuple[Target, str]], str | None]:
    """The planned readings this collector won (a ``manual`` one is never claimed)."""
    claim = store.insights.claim
    posts = [(t, s) for t, s in found.posts if s == MANUAL or claim(t.key, s, owner, now)]
    slot = found.followers
    if slot and slot != MANUAL and not claim(followers_claim(found.account.name), slot, owner, now):
        slot = None
    return posts, slot


def _failure(exc: Exception, account: str) -> PublishError:
    if isinstance(exc, PublishError):
        return exc
    log.exception(
        _("{account}: reading insights failed unexpectedly; publishing goes on").format(
            account=account
        )
    )
    return PublishError(_("unexpected error: {kind}").format(kind=type(exc).__name__))


def _keep(
    store: Store,
    now: datetime,
    found: Plan,
    posts: list[tuple[Target, str]],
    followers: str | None,
    readings: Readings,
    summary: Summary,
) -> None:
    name = found.account.name
    kept: list[InsightReading | FollowerReading] = []
    done: list[tuple[str, str]] = []
    failed: list[tuple[str, str]] = []
    for target, slot in posts:
        metrics = readings.posts.get(target.key)
        if metrics is None:
            failed.append((target.key, slot))
            continue
        kept.append(
            InsightReading(key=target.key, account=name, slot=slot, read_at=now, **metrics.values())
        )
        done.append((target.key, slot))
    if followers:
        if readings.followers_read:
            kept.append(FollowerReading(account=name, read_at=now, followers=readings.followers))
            done.append((followers_claim(name), followers))
        else:
            failed.append((followers_claim(name), followers))
    store.insights.keep(kept, [c for c in done if c[1] != MANUAL])
    store.insights.release([c for c in failed if c[1] != MANUAL])
    summary.posts += sum(1 for r in kept if isinstance(r, InsightReading))
    summary.followers += sum(1 for r in kept if isinstance(r, FollowerReading))
    summary.failed += len(failed)
    _report(store, name, now, readings, len(failed))


def _report(store: Store, name: str, now: datetime, readings: Readings, failed: int) -> None:
    """What went wrong, logged once: a lasting problem until it changes, the rest once per
    run and account, never once per post."""
    errors = [
        *readings.failed.values(),
        *([readings.followers_failed] if readings.followers_failed else []),
    ]
    lasting = next((e for e in errors if isinstance(e, AuthError)), None)
    problem = lasting.message if lasting is not None else readings.note
    if store.insights.set_problem(name, problem, now):
        if lasting is not None:
            text = _("{account}: insights can't be read: {why}; publishing goes on")
            log.warning(text.format(account=name, why=problem))
        elif problem is not None:
            log.info(_("{account}: {why}").format(account=name, why=problem))
        else:
            log.info(_("{account}: insights can be read again").format(account=name))
    if failed and lasting is None and errors:
        text = ngettext(
            "{account}: {n} insight reading failed ({why}); it is tried again later",
            "{account}: {n} insight readings failed ({why}); they are tried again later",
            failed,
        )
        log.warning(text.format(account=name, n=failed, why=errors[0].describe()))
    if readings.hold is not None:
        until = now + readings.hold
        store.insights.hold(EVERY_ACCOUNT, until)
        text = _("insight reads hold off until {until}: Meta asked to slow down")
        log.warning(text.format(until=f"{until:%Y-%m-%d %H:%M} UTC"))
