"""Fault injection, in process: the engine against a fake Graph API that misbehaves.

The clock is held by the test and moved past each ``next_attempt_at``; ``publish_due`` is
called again and again until nothing waits. Transient failures (codes 1 and 2,
``is_transient``, HTML 5xx pages, answers lost after the work was done, answers that come after
the client's timeout) and rate limits
(4, 17, 613, 80001, 4/2207051) are injected at random, seeded: each post must still go out
exactly once within its retry budget. The rate is per publication attempt (30 %, one failing
call each), not per call: an Instagram attempt makes six calls that can fail, and at 30 % a
call only one attempt in eight would get through, so no budget could be met. Permanent errors
end ``failed`` after one attempt with Meta's message; an expired token (190) pauses the
account; the publishing quota defers.

``JADWAL_FAULT_SEED`` (read at import: the fixtures clear ``JADWAL_*``) replays a run.
"""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from scheduler.adapters import adapter_factory
from scheduler.adapters.graph import client as graph_client
from scheduler.calendar import load_calendar
from scheduler.database import open_store
from scheduler.engine import Context, RetryPolicy, publish_due
from scheduler.store import Publication, Store
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph

SEED = int(os.environ.get("JADWAL_FAULT_SEED") or 20261123)
TOKEN = "EAAGfaultTOKEN0123456789abcdef0123"
AT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta
MAX_ATTEMPTS = 6
FAULT_RATE = 0.3  # per publication attempt: one Graph call of it fails
MAX_ROUNDS = 400
CLIENT_TIMEOUT = 0.5  # seconds; jadwal's is 60, shortened so that a stalled answer costs 1 s
MARKER = re.compile(r"\[fault-(\w+)\]")


@dataclass(frozen=True)
class Account:
    name: str
    node: str  # the Page, or the Instagram user
    staging: str | None = None  # Instagram: the Page its images are staged on

    @property
    def instagram(self) -> bool:
        return self.staging is not None

    def yaml(self) -> str:
        if self.staging is None:
            return f"  {self.name}: {{platform: facebook, page_id: '{self.node}', {TOKEN_REF}}}\n"
        return (
            f"  {self.name}: {{platform: instagram, ig_user_id: '{self.node}', "
            f"page_id: '{self.staging}', {TOKEN_REF}}}\n"
        )

    def safe_paths(self) -> tuple[str, ...]:
        """Calls the adapter may repeat: a lost answer is a plain retry."""
        if self.staging is None:
            return ()
        return (
            f"{self.node}/content_publishing_limit",
            f"{self.staging}/photos",
            f"{self.node}/media",  # the container (or the lookup's listing)
        )

    def publish_paths(self) -> tuple[str, ...]:
        """The call that makes the post public: never repeated blindly."""
        if self.staging is None:
            return (f"{self.node}/feed", f"{self.node}/photos")
        return (f"{self.node}/media_publish",)

    def mentioned(self, path: str) -> bool:
        return any(node and f"/{node}" in path for node in (self.node, self.staging))


TOKEN_REF = "token: '${META_TOKEN}'"
FB1, FB2 = Account("fb1", "1001"), Account("fb2", "1002")
IG1, IG2 = Account("ig1", "17841", "2001"), Account("ig2", "17842", "2002")
ACCOUNTS = (FB1, FB2, IG1, IG2)
IMAGES = ("posyandu.jpg", "kerja-bakti.jpg", "sop-ktp-1.jpg", "ucapan.png")


# -- calendars ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    post_id: str
    account: Account
    at: datetime
    image: str | None

    def yaml(self) -> str:
        text = (
            f"  - id: {self.post_id}\n    accounts: [{self.account.name}]\n"
            f"    at: '{self.at.isoformat()}'\n"
            f"    caption: 'Pengumuman {self.post_id} [fault-{self.post_id}]'\n"
        )
        return text + (f"    media: [media/{self.image}]\n" if self.image else "")

    def safe_paths(self) -> tuple[str, ...]:
        return self.account.safe_paths()

    def publish_paths(self) -> tuple[str, ...]:
        """The one call that makes this post public."""
        paths = self.account.publish_paths()
        if self.account.instagram:
            return paths
        return paths[1:] if self.image else paths[:1]


def calendar_text(posts: list[Planned]) -> str:
    return (
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n{''.join(a.yaml() for a in ACCOUNTS)}"
        "media: {staging: facebook_page}\n"
        "rules: {min_posts_per_week: 0, grace: 6h}\n"
        f"posts:\n{''.join(p.yaml() for p in posts)}"
    )


def one(post_id: str, account: Account, minutes: int = 0, image: str | None = None) -> Planned:
    if account.instagram and image is None:
        image = "posyandu.jpg"
    return Planned(post_id, account, AT + timedelta(minutes=minutes), image)


# -- the bench: engine, store, fake, clock ----------------------------------------------------


@dataclass
class Bench:
    fake: FakeGraph
    store: Store
    ctx: Context
    now: datetime = AT

    def tick(self, when: datetime) -> None:
        self.now = when
        publish_due(self.ctx, when)

    def row(self, post: Planned) -> Publication:
        [row] = [r for r in self.store.history() if r.post_id == post.post_id]
        return row

    def public(self, post: Planned) -> list[dict[str, object]]:
        return [p for p in self.fake.posts if f"[fault-{post.post_id}]" in str(p["text"])]

    def calls_for(self, account: Account) -> int:
        return sum(account.mentioned(r["path"]) for r in self.fake.requests)


Make = Callable[..., Bench]  # (posts, text=calendar_text): the posts, and their calendar


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    monkeypatch.setattr(graph_client, "TIMEOUT", CLIENT_TIMEOUT)
    fake = FakeGraph(container_delay=0.0).start()
    pages = [a.node for a in ACCOUNTS if not a.instagram] + [
        a.staging for a in ACCOUNTS if a.staging
    ]
    fake.add_token(TOKEN, pages=pages, ig_users=[a.node for a in ACCOUNTS if a.instagram])
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    yield fake
    fake.stop()
    assert not fake.server_errors, fake.server_errors[0]


@pytest.fixture
def bench(graph: FakeGraph, write_calendar: WriteCalendar, database_url: str) -> Iterator[Make]:
    stores: list[Store] = []

    def make(posts: list[Any], text: Callable[[list[Any]], str] = calendar_text) -> Bench:
        calendar = load_calendar(write_calendar(text(posts)))
        store = open_store(database_url)
        stores.append(store)
        ctx = Context(
            calendar=calendar,
            store=store,
            owner="faults",
            adapter_for=adapter_factory(calendar, None),
            retry=RetryPolicy(max_attempts=MAX_ATTEMPTS, base=timedelta(seconds=1)),
        )
        made = Bench(graph, store, ctx)
        ctx.clock = graph.clock = lambda: made.now  # one clock for jadwal and the platform
        return made

    yield make
    for store in stores:
        store.close()


# -- random faults --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A Graph API error answer to inject."""

    code: int
    message: str = "An unexpected error has occurred. Please retry your request later."
    subcode: int | None = None
    is_transient: bool | None = None
    status: int = 400

    def inject(self, fake: FakeGraph, path: str) -> None:
        fake.fail_next(
            1,
            code=self.code,
            subcode=self.subcode,
            message=self.message,
            status=self.status,
            is_transient=self.is_transient,
            path_contains=path,
        )


TRANSIENT = (
    Answer(1),
    Answer(2, "Service temporarily unavailable", is_transient=True),
    Answer(1, "An unknown error has occurred.", status=500),
    Answer(-1, "Unexpected error", is_transient=True),
)
THROTTLED = (
    Answer(4, "(#4) Application request limit reached"),
    Answer(17, "(#17) User request limit reached"),
    Answer(613, "Calls to this api have exceeded the rate limit."),
    Answer(80001, "There have been too many calls to this Page account."),
    Answer(4, "Action is blocked: try again later.", subcode=2207051),
)


@dataclass
class Injector:
    fake: FakeGraph
    rng: random.Random
    kinds: Counter[str] = field(default_factory=Counter)

    def maybe(self, post: Planned, attempts: int) -> None:
        """At most one fault per attempt, on a call it makes, so each is met in the same
        run (an attempt stops at its first fault); the last two attempts are left alone."""
        if attempts < MAX_ATTEMPTS - 2 and self.rng.random() < FAULT_RATE:
            self.inject(post)

    def inject(self, post: Planned) -> None:
        kinds = {"error": 4, "throttle": 2, "html": 2, "drop": 2, "timeout": 2}
        kind = self.rng.choices(list(kinds), list(kinds.values()))[0]
        safe, publish = post.safe_paths(), post.publish_paths()
        path = self.rng.choice(safe + publish)
        self.kinds[f"{kind}{'' if path in safe else ' (publish call)'}"] += 1
        if kind in ("error", "throttle"):
            self.rng.choice(TRANSIENT if kind == "error" else THROTTLED).inject(self.fake, path)
        elif kind == "html":
            status = self.rng.choice((500, 502, 503, 504))
            self.fake.html_error_next(1, status=status, path_contains=path)
        elif kind == "timeout":
            self.fake.slow_next(CLIENT_TIMEOUT * 2, path)
        else:
            self.fake.drop_after_accept_next(path)


def schedule(rng: random.Random, count: int) -> list[Planned]:
    posts = []
    for i in range(count):
        account = ACCOUNTS[i % len(ACCOUNTS)]
        image = rng.choice(IMAGES) if account.instagram or rng.random() < 0.5 else None
        posts.append(Planned(f"p{i:02d}", account, AT + timedelta(minutes=i), image))
    return posts


def next_moment(b: Bench, posts: list[Planned]) -> datetime:
    """Just past the next thing that waits: a retry's time, a post's time, a lookup."""
    rows = b.store.history()
    if any(r.state == "unknown" for r in rows):
        return b.now + timedelta(seconds=30)
    times = [r.next_attempt_at for r in rows if r.state == "retry" and r.next_attempt_at]
    known = {r.post_id for r in rows}
    times += [p.at for p in posts if p.post_id not in known and p.at > b.now]
    return max(min(times, default=b.now), b.now) + timedelta(seconds=1)


def quiet_before(b: Bench, moment: datetime) -> None:
    """Before anything's time has come, a run sends nothing at all."""
    if any(r.state == "unknown" for r in b.store.history()):
        return
    early = moment - timedelta(seconds=2)
    if early > b.now:
        calls = len(b.fake.requests)
        b.tick(early)
        assert len(b.fake.requests) == calls, f"a call before its time at {early}"


def settled(b: Bench, posts: list[Planned]) -> bool:
    done = {r.post_id for r in b.store.history() if r.state in ("published", "failed")}
    return all(p.post_id in done for p in posts)


def attempted(b: Bench, posts: list[Planned], moment: datetime) -> list[tuple[Planned, int]]:
    """The posts a run at ``moment`` will claim and publish, with their attempts so far.

    Not ``unknown`` ones: a lookup that finds the post makes no attempt, and a fault meant
    for it would be left over for another post's attempt.
    """
    rows = {r.post_id: r for r in b.store.history()}

    def due(post: Planned) -> bool:
        row = rows.get(post.post_id)
        if row is None:
            return post.at <= moment
        return row.state == "retry" and (row.next_attempt_at or moment) <= moment

    return [(p, rows[p.post_id].attempts if p.post_id in rows else 0) for p in posts if due(p)]


def run_until_settled(b: Bench, posts: list[Planned], injector: Injector) -> int:
    for rounds in range(1, MAX_ROUNDS):
        moment = AT if rounds == 1 else next_moment(b, posts)
        quiet_before(b, moment)
        for post, attempts in attempted(b, posts, moment):
            injector.maybe(post, attempts)
        b.tick(moment)
        if settled(b, posts):
            return rounds
    raise AssertionError(f"still not settled after {MAX_ROUNDS} runs")


@pytest.mark.slow
def test_transient_faults_and_rate_limits_publish_each_post_once(
    bench: Make, graph: FakeGraph, database_url: str
) -> None:
    rng = random.Random(SEED)
    posts = schedule(rng, 48)
    b = bench(posts)
    injector = Injector(graph, rng)
    rounds = run_until_settled(b, posts, injector)
    rows = b.store.history()
    outcomes = Counter(a.outcome for r in rows for a in b.store.attempts(r.key))
    print(
        f"\nfaults ({database_url.split(':')[0]}, seed {SEED}): {len(posts)} posts, {rounds} runs,"
        f" {len(graph.requests)} Graph calls, clock moved {b.now - AT}\n"
        f"  injected: {sum(injector.kinds.values())} {dict(sorted(injector.kinds.items()))}\n"
        f"  attempts: {outcomes.total()} by outcome {dict(outcomes)}; per post "
        f"{dict(sorted(Counter(r.attempts for r in rows).items()))}"
    )
    assert Counter(r.state for r in rows) == {"published": len(posts)}, _problems(b, rows)
    public = Counter(_marker(str(p["text"])) for p in graph.posts)
    assert public == {p.post_id: 1 for p in posts}
    by_marker = {_marker(str(p["text"])): p for p in graph.posts}
    for row in rows:
        history = _history(b, row.key)
        if len(history) > 3:
            print(f"  {row.key}: {history}")
        failed = [outcome for outcome, _ in history if outcome != "throttled"]
        assert len(failed) <= MAX_ATTEMPTS, f"{row.key}: beyond its retry budget: {history}"
        out = by_marker[row.post_id]
        assert (row.platform_post_id, row.permalink) == (out["id"], out["permalink"]), row.key


def _marker(text: str) -> str:
    found = MARKER.search(text)
    assert found, text
    return found.group(1)


def _problems(b: Bench, rows: list[Publication]) -> str:
    return "\n".join(
        f"{r.key} {r.state} {r.error_message} {_history(b, r.key)}"
        for r in rows
        if r.state != "published"
    )


def _history(b: Bench, key: str) -> list[tuple[str | None, str | None]]:
    return [(a.outcome, a.error_code) for a in b.store.attempts(key)]


# -- permanent errors, an expired token, the quota --------------------------------------------

PERMANENT = [
    pytest.param(one("teks", FB1), "1001/feed", 100, None, "(#100) Invalid parameter", id="fb-100"),
    pytest.param(
        one("foto", FB1, image="posyandu.jpg"),
        "1001/photos",
        100,
        2061006,
        "(#100) Invalid parameter",
        id="fb-photo-100",
    ),
    pytest.param(
        one("rasio", IG1),
        "17841/media",
        36003,
        2207009,
        "The aspect ratio is not supported.",
        id="ig-36003",
    ),
    pytest.param(
        one("terbit", IG1),
        "17841/media_publish",
        100,
        33,
        "Unsupported post request.",
        id="ig-publish-100",
    ),
]


@pytest.mark.parametrize(("post", "path", "code", "subcode", "message"), PERMANENT)
def test_permanent_error_fails_after_one_attempt_with_metas_message(
    bench: Make,
    graph: FakeGraph,
    post: Planned,
    path: str,
    code: int,
    subcode: int | None,
    message: str,
) -> None:
    other = one("lain", FB2)
    b = bench([post, other])
    graph.fail_next(1, code=code, subcode=subcode, message=message, path_contains=path)
    b.tick(AT)
    row = b.row(post)
    expected_code = f"{code}/{subcode}" if subcode else str(code)
    assert (row.state, row.attempts, row.error_code) == ("failed", 1, expected_code)
    assert row.error_message == f"Rejected: (#{expected_code}) {message}"
    calls = b.calls_for(post.account)
    for later in (timedelta(minutes=5), timedelta(hours=2), timedelta(days=1)):
        b.tick(AT + later)
    assert b.calls_for(post.account) == calls, "a failed post was tried again"
    assert b.row(post).state == "failed" and b.public(post) == []
    assert b.row(other).state == "published" and len(b.public(other)) == 1


def test_expired_token_pauses_the_account_and_nothing_more_reaches_it(
    bench: Make, graph: FakeGraph
) -> None:
    first, second, third = one("satu", FB1), one("dua", FB1, 1), one("tiga", FB1, 2)
    other = one("lain", FB2, 1)
    b = bench([first, second, third, other])
    graph.fail_next(
        1,
        code=190,
        subcode=463,
        message="Error validating access token: Session has expired on Monday, 01-Mar-27.",
        path_contains="1001/",
    )
    b.tick(AT + timedelta(minutes=2))
    assert "fb1" in b.store.paused()
    row = b.row(first)
    assert row.attempts == 1 and row.state == "retry"
    assert row.error_message is not None
    assert row.error_message.startswith("AuthError: (#190/463) Error validating access token")
    assert [b.row(p).attempts for p in (second, third)] == [0, 0]
    calls = b.calls_for(FB1)
    for later in (timedelta(minutes=10), timedelta(hours=1), timedelta(hours=5)):
        b.tick(AT + later)
    assert b.calls_for(FB1) == calls, "requests reached a paused account"
    assert [p["target"] for p in graph.posts] == ["1002"]
    assert b.store.unpause("fb1")
    b.tick(AT + timedelta(hours=5, minutes=1))
    for post in (first, second, third, other):
        assert b.row(post).state == "published" and len(b.public(post)) == 1, post.post_id


def _quota_by_usage(graph: FakeGraph) -> None:
    graph.set_quota_usage(IG1.node, graph.quota_total)


def _quota_by_error(graph: FakeGraph) -> None:
    graph.fail_next(
        1,
        code=9,
        subcode=2207042,
        message="The account has reached its daily publishing limit.",
        path_contains="17841/media_publish",
    )


@pytest.mark.parametrize("exhaust", [_quota_by_usage, _quota_by_error], ids=["usage", "code-9"])
def test_quota_defers_publication_then_publishes_once(
    bench: Make, graph: FakeGraph, exhaust: Callable[[FakeGraph], None]
) -> None:
    post = one("kuota", IG1)
    b = bench([post])
    exhaust(graph)
    b.tick(AT)
    row = b.row(post)
    assert row.state == "retry" and row.next_attempt_at is not None
    assert row.next_attempt_at >= AT + timedelta(minutes=59)
    assert b.public(post) == []
    calls = len(graph.requests)
    b.tick(AT + timedelta(minutes=30))
    assert len(graph.requests) == calls, "asked again before the quota window passed"
    graph.set_quota_usage(IG1.node, 0)  # the 24-hour window moved on
    b.tick(row.next_attempt_at + timedelta(seconds=1))
    b.tick(row.next_attempt_at + timedelta(hours=1))
    assert b.row(post).state == "published"
    assert len(b.public(post)) == 1


def run_post(b: Bench, post: Planned, runs: int = 20) -> list[tuple[str | None, str | None]]:
    """Run at the post's time, then just past each of its retries; its attempts' outcomes."""
    b.tick(post.at)
    for _ in range(runs):
        row = b.row(post)
        if row.state != "retry" or row.next_attempt_at is None:
            break
        b.tick(row.next_attempt_at + SECOND)
    return _history(b, b.row(post).key)


SECOND = timedelta(seconds=1)


def test_rate_limits_do_not_use_up_the_retry_budget(bench: Make, graph: FakeGraph) -> None:
    post = one("sabar", FB1)
    b = bench([post])
    graph.fail_next(MAX_ATTEMPTS - 1, code=4, message="(#4) Application request limit reached")
    graph.fail_next(1, code=2, is_transient=True, message="Service temporarily unavailable")
    history = run_post(b, post)
    assert b.row(post).state == "published", history
    assert len(b.public(post)) == 1
