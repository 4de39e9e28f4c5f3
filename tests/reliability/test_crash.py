"""Crash injection: the real daemon, killed with SIGKILL at chosen moments and started again.

One calendar of 48 Facebook and Instagram (Graph) posts falls due over 75 seconds (photos, texts,
and videos by both resumable uploads among them); the daemon
publishes them to a fake Graph API in this process (answers delayed 0.05-0.2 s). It is killed
hundreds of times: right after it starts, while it makes its claims, while Instagram
containers are created and polled, the moment a post goes public (before or just after the
answer reached it, always before the store recorded it), right after a transient error, and
while a retry is in flight.
Then a last daemon runs until everything is settled and is stopped with SIGTERM. Most kills
come within a second of a start (imports alone take ~0.7 s), which keeps 30 kills (the
default, so that the whole suite stays under 15 minutes; the figures in docs/performance.md
ran 200 and 1,000) in about two minutes. The kill moments are drawn anew on each run, so
runs add up to more.

Every post must be public exactly once, the store must say so with the platform's permalink,
and nothing may be left ``publishing``, ``claimed`` or ``unknown``: the daemon reconciles
interrupted publications itself.

Run with ``-n 0 -s`` to see the figures. ``JADWAL_CRASH_KILLS`` (default 30,
so that the whole suite keeps under 15 minutes; the kill moments are drawn anew each run) and
``JADWAL_CRASH_SEED`` are read at import: the test fixtures clear every ``JADWAL_*`` variable.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import pytest

from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("JADWAL_CRASH_KILLS") or 30)
SEED = int(os.environ.get("JADWAL_CRASH_SEED") or random.SystemRandom().randrange(1 << 32))

TOKEN = "EAAGcrashTOKEN0123456789abcdef0123"
# fb1 sends its videos by Meta's Resumable Upload API; ig1's reels go by Instagram's resumable
# upload (no public URL): the two routes whose bytes go before the publishing call.
USER_TOKEN, APP_ID = "EAAGcrashUSER0123456789abcdef01234", "880001"
VIDEOS = {"fb1": "feed", "ig1": "reel"}  # account -> the kind its video posts are
VIDEO = "klip.mp4"
JAKARTA = ZoneInfo("Asia/Jakarta")
POSTS = 48  # 12 per account
SPREAD = 75.0  # seconds over which the posts fall due
FIRST_DUE = 2.0  # seconds after the calendar is written
POLL = 0.003
TARGET_TIMEOUT = 6.0  # a targeted kill that sees no event by then kills anyway (an Instagram
# container is first read 2 s after it is made, as Meta advises: its post goes out after ~3.5 s)
FAULT_WINDOW = 30.0  # transient errors only early on: a retry waits 30-90 s (default policy)
MAX_FAULTS = 8
SETTLE_TIMEOUT = 120.0
MARKER = re.compile(r"\[crash-(k\d+)\]")

# account -> (page or Instagram user, staging page, endpoints a transient error may hit)
ACCOUNTS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "fb1": ("1001", None, ("1001/feed", "1001/photos", f"{APP_ID}/uploads", "1001/videos")),
    "fb2": ("1002", None, ("1002/feed", "1002/photos")),
    "ig1": ("17841", "2001", ("17841/content_publishing_limit", "2001/photos", "17841/media_pu")),
    "ig2": ("17842", "2002", ("17842/content_publishing_limit", "2002/photos", "17842/media_pu")),
}
# Small pictures: a Facebook photo's lookup waits as long as its upload could still be arriving
# on the slowest link (seconds per 20 kB), which the shipped 45 kB photos would make longer
# than a targeted kill waits for the next publication.
IMAGES = ("satu.jpg", "dua.jpg", "tiga.png")
MODES = {  # kill moment -> weight, while there is work to do
    "start": 40,
    "claim": 10,
    "container": 10,
    "publish": 18,
    "fault": 12,
    "retry": 5,
    "live": 5,
}


# -- the calendar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    post_id: str
    account: str
    at: datetime


def plan(rng: random.Random, start: datetime) -> list[Planned]:
    names = list(ACCOUNTS)
    step = SPREAD / POSTS
    return [
        Planned(
            f"k{i:02d}",
            names[i % len(names)],
            (start + timedelta(seconds=FIRST_DUE + i * step + rng.uniform(0, step))).replace(
                microsecond=0
            ),
        )
        for i in range(POSTS)
    ]


def calendar_text(posts: list[Planned], rng: random.Random) -> str:
    uploads = {"fb1": ", app_id: '${META_APP_ID}', user_token: '${META_USER_TOKEN}'"}
    accounts = "".join(
        f"  {name}: {{platform: facebook, page_id: '{node}', token: '${{META_TOKEN}}'"
        f"{uploads.get(name, '')}}}\n"
        if staging is None
        else f"  {name}: {{platform: instagram, ig_user_id: '{node}', page_id: '{staging}', "
        "token: '${META_TOKEN}'}\n"
        for name, (node, staging, _) in ACCOUNTS.items()
    )
    return (
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n{accounts}"
        "media: {staging: facebook_page}\n"
        "rules: {min_posts_per_week: 0, grace: 1h}\n"
        f"posts:\n{''.join(post_entry(p, rng) for p in posts)}"
    )


def post_entry(post: Planned, rng: random.Random) -> str:
    text = (
        f"  - id: {post.post_id}\n    accounts: [{post.account}]\n"
        f"    at: '{post.at.astimezone(JAKARTA).isoformat()}'\n"
        f"    caption: 'Kabar desa nomor {post.post_id[1:]} [crash-{post.post_id}]'\n"
    )
    instagram = ACCOUNTS[post.account][1] is not None
    if post.account in VIDEOS and rng.random() < 0.35:
        text += f"    kind: {VIDEOS[post.account]}\n    media: [media/{VIDEO}]\n"
    elif instagram or rng.random() < 0.5:  # Facebook: half photos, half text
        text += f"    media: [media/{rng.choice(IMAGES)}]\n"
    return text


def small_pictures(folder: Path) -> None:
    from PIL import Image

    from tests.test_mediaprep import FTYP, box, mvhd

    for number, name in enumerate(IMAGES):
        Image.new("RGB", (400, 400), (40 * number, 120, 200)).save(folder / name)
    # A 20-second MP4 as jadwal reads it (its header), small: uploaded in a moment.
    moov = box(b"moov", mvhd(1000, 20_000) + box(b"trak"))
    (folder / VIDEO).write_bytes(FTYP + moov + box(b"mdat", bytes(range(256)) * 64))


# -- reading the store beside the daemon ------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str
    post_id: str
    state: str
    attempts: int
    error_code: str | None
    next_attempt_at: datetime | None
    updated_at: str
    platform_post_id: str | None
    permalink: str | None
    error_message: str | None


class StoreView:
    """Plain sqlite3 reads of the daemon's database (WAL: never in the daemon's way)."""

    COLUMNS = (
        "key, post_id, state, attempts, error_code, next_attempt_at, updated_at, "
        "platform_post_id, permalink, error_message"
    )

    def __init__(self, path: Path) -> None:
        self.path = path

    def rows(self) -> list[Row]:
        if not self.path.exists():
            return []
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            found = connection.execute(f"SELECT {self.COLUMNS} FROM publications").fetchall()
        except sqlite3.OperationalError:
            return []  # not migrated yet: the first daemon was killed early
        finally:
            connection.close()
        return [_row(values) for values in found]

    def states(self) -> Counter[str]:
        return Counter(row.state for row in self.rows())

    def claim_marks(self) -> set[tuple[str, str]]:
        return {(r.key, r.updated_at) for r in self.rows() if r.state == "claimed"}


def _row(values: tuple[Any, ...]) -> Row:
    key, post_id, state, attempts, code, next_at, updated, post, link, message = values
    when = datetime.fromisoformat(next_at).replace(tzinfo=UTC) if next_at else None
    return Row(key, post_id, state, attempts, code, when, updated, post, link, message)


# -- the daemon process ---------------------------------------------------------------------


@dataclass
class Daemon:
    calendar: Path
    env: dict[str, str]
    log: IO[str]
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        self.starts += 1
        self.log.write(f"--- start {self.starts}\n")
        self.log.flush()
        self.process = subprocess.Popen(
            [*JADWAL, "daemon", str(self.calendar)],
            cwd=self.calendar.parent,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        process = self._running()
        process.kill()
        process.communicate(timeout=30)
        if process.returncode != -9:
            raise AssertionError(f"daemon exited by itself ({process.returncode}) before a kill")

    def terminate(self) -> int:
        process = self._running()
        process.terminate()
        process.communicate(timeout=60)
        return process.returncode

    def reap(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.communicate(timeout=30)

    def _running(self) -> subprocess.Popen[bytes]:
        assert self.process is not None
        return self.process


def wait_for(predicate: Callable[[], bool], seconds: float, alive: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        if not alive():
            return False
        time.sleep(POLL)
    return False


# -- the kills ------------------------------------------------------------------------------


@dataclass
class Crasher:
    daemon: Daemon
    fake: FakeGraph
    view: StoreView
    posts: list[Planned]
    rng: random.Random
    began: float = field(default_factory=time.monotonic)
    kills: Counter[str] = field(default_factory=Counter)
    faults: int = 0
    interrupted: set[tuple[str, str]] = field(default_factory=set)  # left ``publishing``
    most_unknown: int = 0
    window_closed: bool = False
    discarded: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def once(self) -> None:
        mode = self.choose()
        latency = self.rng.uniform(0.05, 0.2)
        self.fake.latency = latency
        began = time.monotonic()
        public = len(self.fake.posts)
        hit = getattr(self, f"_{mode}")(latency)
        self.daemon.kill()
        if mode == "publish" and hit:
            mode = f"publish {self.fake.posts[public]['kind']}"
        self.kills[f"{mode}{'' if hit else ' (timed out)'}"] += 1
        kind = mode.split()[0]
        self.seconds[kind] = self.seconds.get(kind, 0.0) + time.monotonic() - began
        rows = self.view.rows()
        self.interrupted |= {(r.key, r.updated_at) for r in rows if r.state == "publishing"}
        doubtful = sum(r.state in ("publishing", "unknown") for r in rows)
        self.most_unknown = max(self.most_unknown, doubtful)

    def choose(self) -> str:
        """A targeted moment while there is work; quick kills at start-up otherwise."""
        rows = self.view.rows()
        if not self._work_pending(rows):
            return "start"
        retrying = any(_due_retry(r) for r in rows)
        if retrying and self.rng.random() < 0.8:
            return "retry"  # rare and short-lived: catch it while it lasts
        if self._faulting() and self.rng.random() < 0.35:
            return "fault"
        mode = self.rng.choices(list(MODES), weights=list(MODES.values()))[0]
        if mode == "fault" and not self._faulting():
            mode = "publish"
        if mode == "retry" and not retrying:
            return "start"
        if mode == "publish" and not self._to_publish(rows):
            # Only lookups left (the posts are public already): waiting for a new post to go
            # public would only time out.
            return "start"
        return mode

    def _to_publish(self, rows: list[Row]) -> bool:
        """A post due, not yet public on the platform, whose next start may send it."""
        public = {_marker(p["text"]) for p in self.fake.posts}
        by_post = {r.post_id: r for r in rows}
        soon = _soon()
        for post in self.posts:
            row = by_post.get(post.post_id)
            sendable = row is None or row.state != "retry" or _due(row)
            if post.at <= soon and post.post_id not in public and sendable:
                return True
        return False

    def _work_pending(self, rows: list[Row]) -> bool:
        """Something a start would do now (a retry waiting for its time is not)."""
        soon = _soon()
        known = {r.post_id for r in rows}
        if any(p.at <= soon and p.post_id not in known for p in self.posts):
            return True
        return any(r.state in ("claimed", "publishing", "unknown") or _due(r) for r in rows)

    def _faulting(self) -> bool:
        if time.monotonic() - self.began < FAULT_WINDOW and self.faults < MAX_FAULTS:
            return True
        if not self.window_closed:
            # A fault left over would make a retried post fail twice: 60-180 s more to wait.
            self.discarded += self.fake.clear_faults()
            self.window_closed = True
        return False

    def _start(self, _latency: float) -> bool:
        self.daemon.start()
        time.sleep(self.rng.uniform(0.02, 0.9))  # imports, loading, the first claims
        return True

    def _claim(self, _latency: float) -> bool:
        before = self.view.claim_marks()
        self.daemon.start()
        return self._until(lambda: bool(self.view.claim_marks() - before))

    def _container(self, latency: float) -> bool:
        seen = len(self.fake.requests)
        self.daemon.start()
        hit = self._until(lambda: any(_container_call(r) for r in self.fake.requests[seen:]))
        time.sleep(self.rng.uniform(0, latency))
        return hit

    def _publish(self, latency: float) -> bool:
        public = len(self.fake.posts)
        self.daemon.start()
        hit = self._until(lambda: len(self.fake.posts) > public)
        if hit and self.rng.random() < 0.5:
            # The answer has arrived; the permalink lookup runs: still nothing recorded.
            time.sleep(latency + self.rng.uniform(0, latency * 0.8))
        return hit

    def _fault(self, _latency: float) -> bool:
        path = self._fault_path()
        if path is None:
            return self._publish(_latency)
        seen = len(self.fake.requests)
        code = self.rng.choice((1, 2))
        self.fake.fail_next(1, code=code, is_transient=code == 2, path_contains=path)
        self.faults += 1
        self.daemon.start()
        hit = self._until(lambda: any(path in r["path"] for r in self.fake.requests[seen:]))
        time.sleep(self.rng.uniform(0, 0.3))  # the retry is being recorded
        if not hit:
            # Met later, it could fail a post a second time: a 60-180 s wait (default policy).
            self.discarded += self.fake.clear_faults()
        return hit

    def _retry(self, latency: float) -> bool:
        """A publication retried after a transient error is in flight."""
        self.daemon.start()
        hit = self._until(
            lambda: any(r.state == "publishing" and r.error_code for r in self.view.rows())
        )
        time.sleep(self.rng.uniform(0, latency * 3))
        return hit

    def _live(self, _latency: float) -> bool:
        self.daemon.start()
        time.sleep(self.rng.uniform(1.5, 4.0))
        return True

    def _until(self, predicate: Callable[[], bool]) -> bool:
        return wait_for(predicate, TARGET_TIMEOUT, self.daemon.alive)

    def _fault_path(self) -> str | None:
        """An endpoint of an account with a post due and not yet out."""
        now = _soon()
        out = {r.post_id for r in self.view.rows() if r.state == "published"}
        waiting = [p for p in self.posts if p.at <= now and p.post_id not in out]
        if not waiting:
            return None
        return self.rng.choice(ACCOUNTS[self.rng.choice(waiting).account][2])


def _due(row: Row) -> bool:
    when = row.next_attempt_at
    return row.state == "retry" and (when is None or when <= _soon())


def _due_retry(row: Row) -> bool:
    """A retry after an error, whose time has come: the next start publishes it again."""
    return _due(row) and bool(row.error_code)


def _soon() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=1)


def _container_call(request: dict[str, Any]) -> bool:
    creating = request["method"] == "POST" and str(request["path"]).endswith("/media")
    polling = request["params"].get("fields") == "status_code,status"
    return bool(creating or polling)


# -- settling and checking ------------------------------------------------------------------


def wait_for_due_retries(view: StoreView) -> float:
    """Seconds waited until every retry's time has come (the last daemon's first sweep)."""
    began = time.monotonic()
    pending = [r.next_attempt_at for r in view.rows() if r.state == "retry" and r.next_attempt_at]
    if pending:
        time.sleep(max(0.0, (max(pending) - datetime.now(UTC)).total_seconds() + 0.5))
    return time.monotonic() - began


def settled(view: StoreView, fake: FakeGraph, posts: list[Planned]) -> bool:
    rows = view.rows()
    done = {r.post_id for r in rows if r.state == "published"}
    return len(rows) == len(posts) == len(done) and len(fake.posts) >= len(posts)


def check(view: StoreView, fake: FakeGraph, posts: list[Planned]) -> None:
    public = Counter(_marker(p["text"]) for p in fake.posts)
    doubles = {k: n for k, n in public.items() if n > 1}
    assert not doubles, f"posted more than once: {doubles}"
    missing = {p.post_id for p in posts} - set(public)
    assert not missing, f"never posted: {sorted(missing)}"
    assert len(fake.posts) == len(posts)
    by_id = {_marker(p["text"]): p for p in fake.posts}
    rows = view.rows()
    assert Counter(r.state for r in rows) == {"published": len(posts)}
    for row in rows:
        out = by_id[row.post_id]
        assert row.permalink == out["permalink"], row.key
        # A Page video is known by its video id, or by its Page post's when a lookup found it.
        assert row.platform_post_id in (out["id"], out.get("object_id")), row.key


def _marker(text: str) -> str:
    found = MARKER.search(text)
    assert found, f"a post jadwal did not write: {text!r}"
    return found.group(1)


def log_counts(path: Path) -> dict[str, int]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return {
        "found after unknown": text.count("found on the platform after an unknown outcome"),
        "absent, resent": text.count("the platform has no such post"),
        "retries scheduled": len(re.findall(r"WARNING retry \S+ at ", text)),
    }


def started(path: Path, count: int) -> bool:
    """The daemon of the ``count``-th start logged that it runs (its signals are handled)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return "INFO started:" in text.rpartition(f"--- start {count}\n")[2]


def diagnose(view: StoreView, log: Path) -> str:
    """The rows not published, and every log line about them."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    out = []
    for row in view.rows():
        if row.state != "published":
            out.append(f"{row.key}: {row.state} after {row.attempts} attempts: {row.error_message}")
            out += [f"    {line}" for line in lines if row.key in line]
    return "\n".join(out) or "\n".join(lines[-40:])


# -- the test -------------------------------------------------------------------------------


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=0.1).start()
    pages = [node for node, staging, _ in ACCOUNTS.values() if staging is None]
    staging = [s for _, s, _ in ACCOUNTS.values() if s is not None]
    users = [node for node, s, _ in ACCOUNTS.values() if s is not None]
    fake.add_token(TOKEN, pages=[*pages, *staging], ig_users=users)
    fake.add_token(USER_TOKEN, kind="user")
    fake.add_app_role(APP_ID, USER_TOKEN)
    yield fake
    fake.stop()


@pytest.fixture
def daemon_log(tmp_path: Path) -> Iterator[IO[str]]:
    with (tmp_path / "daemon.log").open("a", encoding="utf-8") as log:
        yield log


def test_sigkill_at_any_moment_publishes_each_post_exactly_once(
    graph: FakeGraph, write_calendar: WriteCalendar, daemon_log: IO[str], tmp_path: Path
) -> None:
    print(f"\ncrash test: seed {SEED} (JADWAL_CRASH_SEED), {KILLS} kills (JADWAL_CRASH_KILLS)")
    rng = random.Random(SEED)
    posts = plan(rng, datetime.now(UTC))
    calendar = write_calendar(calendar_text(posts, rng))
    small_pictures(calendar.parent / "media")
    env = {
        **os.environ,
        "JADWAL_GRAPH_URL": graph.url,
        "JADWAL_RUPLOAD_URL": graph.url,
        "META_TOKEN": TOKEN,
        "META_APP_ID": APP_ID,
        "META_USER_TOKEN": USER_TOKEN,
        "PYTHONUNBUFFERED": "1",
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    daemon = Daemon(calendar, env, daemon_log)
    view = StoreView(calendar.parent / ".jadwal" / "jadwal.db")
    crasher = Crasher(daemon, graph, view, posts, rng)
    log_path = tmp_path / "daemon.log"
    try:
        while sum(crasher.kills.values()) < KILLS:
            crasher.once()
        killing = time.monotonic() - crasher.began
        left = crasher.discarded + graph.clear_faults()
        graph.latency = 0.05
        waited = wait_for_due_retries(view)
        began = time.monotonic()
        daemon.start()
        ready = wait_for(lambda: started(log_path, daemon.starts), 30, daemon.alive)
        ok = ready and wait_for(lambda: settled(view, graph, posts), SETTLE_TIMEOUT, daemon.alive)
        settling = time.monotonic() - began
        code = daemon.terminate()
    finally:
        daemon.reap()
    states = view.states()
    print(f"  kills: {sum(crasher.kills.values())} {dict(sorted(crasher.kills.items()))}")
    spent = {mode: round(seconds) for mode, seconds in sorted(crasher.seconds.items())}
    print(f"  seconds spent per kind of kill: {spent}")
    print(f"  daemon starts: {daemon.starts}; posts due: {len(posts)}; public: {len(graph.posts)}")
    print(f"  kill phase {killing:.1f} s, retry wait {waited:.1f} s, settle {settling:.1f} s")
    print(f"  publications interrupted (left publishing → unknown): {len(crasher.interrupted)}")
    print(f"  most rows unknown/publishing at once: {crasher.most_unknown}")
    print(f"  transient errors injected: {crasher.faults} ({left} unused, discarded)")
    print(f"  daemon log: {log_counts(log_path)}")
    print(f"  final states: {dict(states)}; unknown at the end: {states['unknown']}")
    assert ok, (
        f"not settled after {SETTLE_TIMEOUT:.0f} s: {dict(states)}\n{diagnose(view, log_path)}"
    )
    assert code == 0, diagnose(view, log_path)
    assert not graph.server_errors, graph.server_errors[0]
    check(view, graph, posts)
    assert states["unknown"] == 0


def test_interrupted_attempts_do_not_use_up_the_retry_budget(
    graph: FakeGraph, write_calendar: WriteCalendar, daemon_log: IO[str], tmp_path: Path
) -> None:
    """Killed 4 times mid-publication (default budget: 5 attempts), then one transient error:
    the post waits for a retry; it is not given up (it was, before cd28199)."""
    post = Planned("k00", "ig1", datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1))
    calendar = write_calendar(calendar_text([post], random.Random(0)))
    small_pictures(calendar.parent / "media")
    env = {**os.environ, "JADWAL_GRAPH_URL": graph.url, "META_TOKEN": TOKEN}
    daemon = Daemon(calendar, env | {"XDG_STATE_HOME": str(tmp_path / "state")}, daemon_log)
    view = StoreView(calendar.parent / ".jadwal" / "jadwal.db")
    graph.latency = 0.2
    try:
        for _ in range(4):  # the default policy allows 5 attempts
            creating = _creates(graph)
            daemon.start()
            assert wait_for(creating, 30, daemon.alive), "no container was created"
            daemon.kill()  # before media_publish: nothing is public
        graph.fail_next(1, code=2, is_transient=True, path_contains="media_publish")
        daemon.start()
        assert wait_for(lambda: _settled_once(view), 30, daemon.alive)
        assert daemon.terminate() == 0
    finally:
        daemon.reap()
    [row] = view.rows()
    print(f"\ninterrupted 4 times, then one transient error: {row.state}: {row.error_message}")
    assert graph.posts == [] and row.attempts == 5
    assert row.state == "retry", f"one transient error, and the post is {row.state}"


def _creates(fake: FakeGraph) -> Callable[[], bool]:
    seen = len(fake.requests)
    return lambda: any(_container_call(r) for r in fake.requests[seen:])


def _settled_once(view: StoreView) -> bool:
    rows = view.rows()
    return bool(rows) and rows[0].attempts == 5 and rows[0].state in ("retry", "failed")
