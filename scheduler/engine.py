"""The publishing engine: ``publish_due(ctx, now)`` decides what is due and publishes it.

Every entry point — the daemon's timers and sweep, ``jadwal tick`` from cron — calls this one
function, and it is safe to call any number of times from any number of processes: work is
taken only through the store's atomic claims, so a second caller finds nothing left to do.

What it does, in order:
1. claims whose owner died (lease expired) are settled: ``publishing`` → ``unknown``,
   ``claimed`` → ``retry`` (nothing was sent yet);
2. ``unknown`` rows are reconciled by asking the platform (``Adapter.find``); a platform that
   can't tell leaves them for a person (``jadwal resolve``);
3. approved occurrences with ``at ≤ now`` and ``now - at ≤ grace`` are claimed and published;
   older ones that nobody published are recorded ``missed`` (drafts: ``skipped``);
4. ``retry`` rows whose time came are claimed and published again.
The publish call itself is never repeated after an unknown outcome: that is how double posts
happen. Per account, publications run one at a time in time order; accounts run in parallel.
"""

from __future__ import annotations

import logging
import random
import threading
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from scheduler.adapters.base import Adapter, Draft, Progress, caption_hash
from scheduler.calendar.expand import Occurrence, expand, find_occurrence
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import (
    AuthError,
    CalendarError,
    ClaimLost,
    OutcomeUnknown,
    PublishError,
    QuotaExhausted,
    Throttled,
    Transient,
)
from scheduler.render import Renderer, RenderError
from scheduler.store import LEASE, Publication, Store

log = logging.getLogger("jadwal")

LOOKBACK = timedelta(days=7)  # how far back an unrecorded occurrence is reported as missed
MAX_WORKERS = 64  # accounts published in parallel; each waits on the network, not the CPU
WAIT_LIMIT = timedelta(days=2)  # rate limits and quotas wait; a post this late has lost its point


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=1)

    def delay(self, attempt: int, error: PublishError) -> timedelta:
        backoff: timedelta = min(self.cap, self.base * (1 << max(0, attempt - 1)))
        backoff *= random.uniform(0.5, 1.5)  # jitter: many accounts don't retry in lockstep
        if isinstance(error, Throttled):
            return max(backoff, error.retry_after)
        return backoff


@dataclass
class Context:
    """Everything one engine run needs; the daemon keeps one per loaded calendar."""

    calendar: Calendar
    store: Store
    owner: str
    adapter_for: Callable[[Account], Adapter]
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    renderer: Renderer = field(init=False)
    _expanded: dict[tuple[str, str], list[Occurrence]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.renderer = Renderer(self.calendar)
        problems = self.renderer.compile_templates()
        if problems:
            raise CalendarError(problems)

    def occurrences(self, since: datetime, until: datetime) -> list[Occurrence]:
        """Occurrences with ``since <= at <= until``; each day range is expanded once."""
        tz = self.calendar.timezone
        first, last = since.astimezone(tz).date(), until.astimezone(tz).date()
        with self._lock:
            found = self._expanded.get((first.isoformat(), last.isoformat()))
            if found is None:
                found = expand(self.calendar, first, last)
                if len(self._expanded) >= 4:  # a few windows (today's, the look-back): flat memory
                    self._expanded.pop(next(iter(self._expanded)))
                self._expanded[(first.isoformat(), last.isoformat())] = found
        # ``expand`` returns occurrences sorted by time: cut the window out by bisection.
        start = bisect_left(found, since, key=_at)
        end = bisect_right(found, until, key=_at)
        return found[start:end]

    def find(self, key: str) -> Occurrence | None:
        return find_occurrence(self.calendar, key)


def _at(occurrence: Occurrence) -> datetime:
    return occurrence.at


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1

    @property
    def failed(self) -> int:
        """Publications a person must look at: failed, or waiting on a paused account."""
        return self.counts["failed"] + self.counts["paused"]

    def summary(self) -> str:
        order = ("published", "retry", "paused", "failed", "unknown", "missed", "skipped")
        parts = [f"{self.counts[name]} {name}" for name in order if self.counts[name]]
        return ", ".join(parts) or "nothing due"


def publish_due(ctx: Context, now: datetime | None = None) -> Report:
    """Publish everything due at ``now`` that nobody has taken; see the module docstring."""
    now = now or ctx.clock()
    report = Report()
    ctx.store.check_file()
    for key in ctx.store.release_dead_claims(now):
        log.warning("unknown %s: its publisher stopped mid-publication; checking the platform", key)
    reconcile(ctx, now, report)
    with _CLAIMING:  # claim and queue as one step, so runs queue in the order they claimed
        work = _claim_new(ctx, now, report) + _claim_retries(ctx, now, report)
        _QUEUE.enter(work)
    _run(ctx, work, report)
    return report


def _claim_new(ctx: Context, now: datetime, report: Report) -> list[Occurrence]:
    grace = ctx.calendar.rules.grace
    # Occurrences from before the store existed were not ours to publish: not "missed".
    since = max(now - LOOKBACK, min(ctx.store.created_at(), now) - grace)
    candidates = ctx.occurrences(since, now)
    known = ctx.store.known_keys([o.key for o in candidates])
    paused = ctx.store.paused()
    claimed = []
    for occurrence in candidates:
        if occurrence.key in known:
            continue
        late = now - occurrence.at > grace
        if occurrence.post.status != "approved":
            if late and record(ctx, occurrence, now, "skipped", "a draft when its time came"):
                report.add("skipped")
            continue
        if late:
            if record(
                ctx,
                occurrence,
                now,
                "missed",
                f"not published within the grace period ({_duration(grace)}) after its time",
            ):
                log.warning("missed %s (due %s)", occurrence.key, occurrence.at.isoformat())
                report.add("missed")
            continue
        if occurrence.account.name in paused:
            continue
        if _moved_after_publication(ctx, occurrence, now):
            report.add("skipped")
            continue
        if record(ctx, occurrence, now, "claimed", None):
            claimed.append(occurrence)
    return claimed


def _moved_after_publication(ctx: Context, occurrence: Occurrence, now: datetime) -> bool:
    """A one-off post whose time was edited after it went out is not sent a second time."""
    if occurrence.post.schedule.at is None:
        return False  # a series has many occurrences: a new time is a new occurrence
    earlier = ctx.store.earlier_row(occurrence.post.id, occurrence.account.name, occurrence.key)
    if earlier is None:
        return False
    message = (
        f"not sent again: this post was already handled at "
        f"{earlier.scheduled_at.astimezone(ctx.calendar.timezone):%Y-%m-%d %H:%M} "
        f"({earlier.state}); its time was changed afterwards"
    )
    if record(ctx, occurrence, now, "skipped", message):
        log.warning("skipped %s: %s", occurrence.key, message)
        return True
    return False


def record(
    ctx: Context, occurrence: Occurrence, now: datetime, state: str, message: str | None
) -> bool:
    """Insert the occurrence's row in ``state`` (``claimed`` carries our owner and a lease);
    False when the key already exists: someone else took it, or it was already handled."""
    active = state == "claimed"
    row = Publication(
        key=occurrence.key,
        post_id=occurrence.post.id,
        account=occurrence.account.name,
        platform=occurrence.platform,
        scheduled_at=occurrence.at,
        state=state,
        owner=ctx.owner if active else None,
        lease_until=now + LEASE if active else None,
        error_message=message,
        created_at=now,
        updated_at=now,
    )
    return ctx.store.claim_new(row)


def _claim_retries(ctx: Context, now: datetime, report: Report) -> list[Occurrence]:
    paused = ctx.store.paused()
    claimed = []
    for row in ctx.store.in_state("retry"):
        if row.account in paused or (row.next_attempt_at and row.next_attempt_at > now):
            continue
        occurrence = ctx.find(row.key)
        if occurrence is None or occurrence.post.status != "approved":
            if _skip_removed(ctx, row, now):
                report.add("skipped")
            continue
        if ctx.store.claim_existing(row.key, ctx.owner, now, ("retry",)):
            claimed.append(occurrence)
    return claimed


def _skip_removed(ctx: Context, row: Publication, now: datetime) -> bool:
    if not ctx.store.claim_existing(row.key, ctx.owner, now, ("retry",)):
        return False
    log.info("skipped %s: removed from the calendar or turned into a draft", row.key)
    return ctx.store.finish(
        row.key,
        ctx.owner,
        now,
        "skipped",
        "skipped",
        error_message="removed from the calendar (or made a draft) before it was published",
    )


def _run(ctx: Context, work: list[Occurrence], report: Report) -> None:
    by_account: dict[str, list[Occurrence]] = defaultdict(list)
    for occurrence in sorted(work, key=lambda o: o.at):
        by_account[occurrence.account.name].append(occurrence)
    if not by_account:
        return
    workers = min(MAX_WORKERS, len(by_account))
    # Claims waiting their turn keep their lease too: otherwise, after a minute, this very
    # process would see them as dead and claim them a second time.
    with (
        _lease_kept(ctx, [o.key for o in work]),
        ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish") as pool,
    ):
        for outcomes in pool.map(lambda items: _run_account(ctx, items), by_account.values()):
            for outcome in outcomes:
                report.add(outcome)


class _AccountQueue:
    """In one process, an account's publications go out one at a time in time order, even
    when two runs (a wake-up and the next second's) each claimed some of them."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.waiting: dict[str, list[tuple[datetime, str]]] = defaultdict(list)

    def enter(self, items: list[Occurrence]) -> None:
        with self.changed:
            for occurrence in items:
                self.waiting[occurrence.account.name].append((occurrence.at, occurrence.key))
                self.waiting[occurrence.account.name].sort()

    def forget(self, items: list[Occurrence]) -> None:
        with self.changed:
            for occurrence in items:
                queue = self.waiting[occurrence.account.name]
                if (occurrence.at, occurrence.key) in queue:
                    queue.remove((occurrence.at, occurrence.key))
            self.changed.notify_all()

    @contextmanager
    def turn(self, occurrence: Occurrence) -> Iterator[None]:
        mine = (occurrence.at, occurrence.key)
        queue = self.waiting[occurrence.account.name]
        with self.changed:
            self.changed.wait_for(lambda: queue[0] == mine)
        try:
            yield
        finally:
            with self.changed:
                queue.remove(mine)
                self.changed.notify_all()


_QUEUE = _AccountQueue()
_CLAIMING = threading.Lock()


def _run_account(ctx: Context, items: list[Occurrence]) -> list[str]:
    outcomes = []
    try:
        for occurrence in items:
            with _QUEUE.turn(occurrence):
                if occurrence.account.name in ctx.store.paused():
                    _release(ctx, occurrence)
                    continue
                outcomes.append(publish_claimed(ctx, occurrence))
    finally:
        _QUEUE.forget(items)  # after an error, later runs must not wait for these forever
    return outcomes


def _release(ctx: Context, occurrence: Occurrence) -> None:
    now = ctx.clock()
    ctx.store.finish(
        occurrence.key,
        ctx.owner,
        now,
        "retry",
        "released",
        next_attempt_at=now,
        error_message=f"account {occurrence.account.name} is paused",
    )


def draft_for(ctx: Context, occurrence: Occurrence, caption: str) -> Draft:
    folder = ctx.calendar.folder
    return Draft(
        key=occurrence.key,
        post_id=occurrence.post.id,
        account=occurrence.account.name,
        platform=occurrence.platform,
        at=occurrence.at,
        caption=caption,
        media=tuple(folder / m.path for m in occurrence.post.media),
        kind=occurrence.post.kind,
        link=occurrence.post.link,
    )


def publish_claimed(ctx: Context, occurrence: Occurrence) -> str:
    """Publish one occurrence this owner has claimed; returns the state it ended in."""
    key, owner = occurrence.key, ctx.owner
    try:
        caption = ctx.renderer.render(occurrence)
    except RenderError as exc:
        log.error("failed %s: the caption can't be rendered: %s", key, exc.problem)
        return _fail(ctx, key, "failed", f"caption: {exc.problem}", None)
    draft = draft_for(ctx, occurrence, caption)
    attempt = ctx.store.start_publishing(key, owner, ctx.clock(), caption_hash(caption))
    if attempt == 0:
        return "lost"  # another publisher took over the claim: it is theirs now
    try:
        adapter = ctx.adapter_for(occurrence.account)
        progress = Progress(
            save=lambda cid: ctx.store.save_container(key, owner, cid, ctx.clock()),
            confirm=lambda: _confirm(ctx, key),
        )
        with _lease_kept(ctx, [key]):
            done = adapter.publish(draft, progress)
    except ClaimLost:
        # Nothing was sent; the row is another publisher's now, so it is not touched.
        log.warning("lost %s: this process was paused past its claim; not sent", key)
        return "lost"
    except PublishError as exc:
        return _after_error(ctx, occurrence, attempt, exc)
    except Exception as exc:  # an adapter bug: it may have posted, so never resend blindly
        log.exception("unknown %s: unexpected error in the %s adapter", key, occurrence.platform)
        return _fail(ctx, key, "unknown", f"unexpected error: {type(exc).__name__}: {exc}", None)
    ctx.store.finish(
        key,
        owner,
        ctx.clock(),
        "published",
        "published",
        platform_post_id=done.platform_post_id,
        permalink=done.permalink,
        error_code=None,
        error_message=None,
        next_attempt_at=None,
    )
    log.info("published %s → %s", key, done.permalink or done.platform_post_id)
    return "published"


def _confirm(ctx: Context, key: str) -> None:
    if not ctx.store.confirm(key, ctx.owner, ctx.clock()):
        raise ClaimLost(key)


def _after_error(ctx: Context, occurrence: Occurrence, attempt: int, exc: PublishError) -> str:
    key, now = occurrence.key, ctx.clock()
    if isinstance(exc, OutcomeUnknown):
        log.warning("unknown %s: %s; it will be looked up, not re-sent", key, exc.describe())
        return _fail(ctx, key, "unknown", exc.describe(), exc.code_text)
    if isinstance(exc, AuthError):
        ctx.store.pause(occurrence.account.name, exc.describe(), now)
        log.error(
            "ACCOUNT PAUSED %s: %s. Nothing more is published for it until "
            "'jadwal accounts resume %s' (after fixing the login or token).",
            occurrence.account.name,
            exc.describe(),
            occurrence.account.name,
        )
        _retry_at(ctx, key, now, exc, "paused")
        return "paused"  # waits as a retry, but the run reports it: a person must act
    waiting = now - occurrence.at < WAIT_LIMIT
    if isinstance(exc, QuotaExhausted) and waiting:
        when = exc.when(now)
        log.warning("retry %s at %s: %s", key, when.isoformat(), exc.describe())
        return _retry_at(ctx, key, when, exc, "quota")
    if isinstance(exc, Throttled) and waiting:
        # A rate limit or a block says "wait", not "this failed": no limit on attempts,
        # only on how late the post may become.
        when = now + ctx.retry.delay(attempt, exc)
        log.warning("retry %s at %s (throttled): %s", key, when.isoformat(), exc.describe())
        return _retry_at(ctx, key, when, exc, "throttled")
    # Only failed tries count against the retry budget; waits for rate limits don't.
    failures = 1 + sum(a.outcome == "retry" for a in ctx.store.attempts(key)[:-1])
    if (
        isinstance(exc, Transient)
        and not isinstance(exc, Throttled)
        and (failures < ctx.retry.max_attempts)
    ):
        when = now + ctx.retry.delay(failures, exc)
        log.warning(
            "retry %s at %s after attempt %d: %s", key, when.isoformat(), attempt, exc.describe()
        )
        return _retry_at(ctx, key, when, exc, "retry")
    message = exc.describe()
    if isinstance(exc, Throttled | QuotaExhausted):
        message = f"still waiting {_duration(now - occurrence.at)} after its time: {message}"
    elif isinstance(exc, Transient):
        message = f"gave up after {failures} attempts: {message}"
    log.error("failed %s: %s", key, message)
    return _fail(ctx, key, "failed", message, exc.code_text)


def _retry_at(ctx: Context, key: str, when: datetime, exc: PublishError, outcome: str) -> str:
    ctx.store.finish(
        key,
        ctx.owner,
        ctx.clock(),
        "retry",
        outcome,
        next_attempt_at=when,
        error_code=exc.code_text,
        error_message=exc.describe(),
    )
    return "retry"


def _fail(ctx: Context, key: str, state: str, message: str, code: str | None) -> str:
    ctx.store.finish(
        key,
        ctx.owner,
        ctx.clock(),
        state,
        state,
        error_code=code,
        error_message=message,
        next_attempt_at=None,
    )
    return state


@contextmanager
def _lease_kept(ctx: Context, keys: list[str]) -> Iterator[None]:
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


def reconcile(ctx: Context, now: datetime, report: Report) -> None:
    """Settle ``unknown`` rows by asking the platform whether the post exists."""
    rows = ctx.store.in_state("unknown")
    if not rows:
        return
    for row in rows:
        occurrence = ctx.find(row.key)
        if occurrence is None:
            continue  # gone from the calendar: a person decides (jadwal resolve)
        try:
            caption = ctx.renderer.render(occurrence)
            if row.caption_hash and caption_hash(caption) != row.caption_hash:
                # The text changed since the attempt: a lookup by caption could miss the
                # post that did go out, and a resend would double it. A person decides.
                _still_unknown(ctx, row.key, "the caption changed since it was sent")
                continue
            draft = replace(draft_for(ctx, occurrence, caption), claimed_at=row.created_at)
            lookup = ctx.adapter_for(occurrence.account).find(draft, row.container_id)
        except (PublishError, RenderError) as exc:
            log.warning("unknown %s: lookup failed (%s); will try again", row.key, exc)
            continue
        except Exception:  # an adapter bug must not stop everything else from publishing
            log.exception("unknown %s: lookup crashed; will try again", row.key)
            continue
        if lookup.state == "published" and lookup.published is not None:
            found = lookup.published
            if ctx.store.resolve(row.key, now, found.permalink or "", found.platform_post_id):
                log.info(
                    "published %s → %s (found on the platform after an unknown outcome)",
                    row.key,
                    found.permalink or found.platform_post_id,
                )
                report.add("published")
        elif lookup.state == "not_published":
            if ctx.store.resolve(row.key, now, None, reason="the platform has no such post"):
                log.info("retry %s: the platform has no such post, so it is safe to send", row.key)
        else:
            _still_unknown(ctx, row.key, f"looked on the platform: {lookup.detail}")


def _still_unknown(ctx: Context, key: str, why: str) -> None:
    """Say in the row's history why it is still unsettled, and in the log once."""
    why = f"{why}; looked up again on every run, or settle it with 'jadwal resolve'"
    if ctx.store.note_unknown(key, why):
        log.warning("unknown %s: %s", key, why)


def _duration(value: timedelta) -> str:
    hours, rest = divmod(int(value.total_seconds()), 3600)
    minutes = rest // 60
    return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
