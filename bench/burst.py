"""Benchmark 2, a burst: 1,000 posts on 100 Facebook Pages, all due in the same minute.

By default one real ``jadwal daemon`` (a separate process, not a dry run, SQLite store)
publishes to the fake Graph API of ``tests/fakegraph.py`` on 127.0.0.1, which answers every
call after ``--latency`` seconds (1 s by default). The daemon is what is measured, because its
wake-ups are part of the story: a wake-up job per occurrence (1,000 at the same second, four
executor threads), each calling ``publish_due``, plus the sweep every minute. The posts are
written as operators write them, ``at: 'YYYY-MM-DD HH:MM'``, all at the same minute, ten
per account; each is a text post, so two Graph calls (``POST /{page}/feed``, then
``GET /{post}`` for the permalink).

Figures, one JSON line:
- ``seconds_to_all_published``: from the minute to the last publication recorded in the
  store (target: at most 60 s);
- ``per_account_order_kept``: for every account, the order in which the fake received its
  posts equals the scheduled order (time, then post id: the order the engine promises);
- the parallelism the fake saw: most Graph calls in flight at once, overall and for one
  account (more than 1 means two posts of one account were being published together);
- Graph calls per post; attempts, attempts started twice (two holders of one claim) and
  attempts never closed; every post at the fake exactly once.

``python bench/burst.py`` runs it (about 4 minutes with today's engine). For diagnosis,
``--in-process`` replaces the daemon with ``publish_due`` calls in this process (the first
call claims and publishes everything, as one wake-up at the minute would) and ``--workers N``
overrides the engine's ``MAX_WORKERS``; ``--latency``, ``--posts`` and ``--accounts`` shrink
the run; ``--keep DIR`` keeps the calendar, the daemon's log and the database. Exits 1 when
not every post was published within 15 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakegraph import FakeGraph, _Server  # noqa: E402  (needs ROOT on the path)

JADWAL = [sys.executable, "-m", "scheduler"]
JAKARTA = ZoneInfo("Asia/Jakarta")
TOKEN = "EAAGburstBENCHtoken0123456789abcdef"
FIRST_PAGE = 5000
LEAD = 20.0  # seconds for the daemon to start before the minute
TARGET = 60.0
GIVE_UP = 900.0  # seconds after the minute: report what was reached, don't wait forever


class CountingGraph(FakeGraph):
    """The fake Graph API, counting the calls it is serving at the same moment."""

    def __init__(self) -> None:
        super().__init__()
        self.counting = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.per_page: Counter[str] = Counter()
        self.max_per_page = 0

    def start(self) -> CountingGraph:
        # Meta takes every connection; the fake's listen backlog (socketserver's 5) would
        # refuse some when 100 accounts connect at once, and a refused publish is "unknown".
        _Server.request_queue_size = 1024
        super().start()
        return self

    def _serve(self, handler: Any) -> None:
        page = _page_of(handler.path)
        self._enter(page)
        try:
            super()._serve(handler)
        finally:
            with self.counting:
                self.in_flight -= 1
                self.per_page[page] -= 1

    def _enter(self, page: str) -> None:
        with self.counting:
            self.in_flight += 1
            self.per_page[page] += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.max_per_page = max(self.max_per_page, self.per_page[page])


def _page_of(path: str) -> str:
    """``/v25.0/5001/feed`` and ``/v25.0/5001_1000…`` (a post) both belong to page 5001."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    return parts[1].split("_", 1)[0] if len(parts) > 1 else ""


@dataclass(frozen=True)
class Burst:
    posts: int
    accounts: int
    minute: datetime

    def post_id(self, index: int) -> str:
        return f"b{index:04d}"

    def account(self, index: int) -> int:
        return index % self.accounts

    def caption(self, index: int) -> str:
        return f"Info {self.post_id(index)} untuk halaman {FIRST_PAGE + self.account(index)}"

    def calendar(self) -> str:
        local = self.minute.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M")
        lines = ["version: 1", "timezone: Asia/Jakarta", "rules: {min_posts_per_week: 0}"]
        lines.append("accounts:")
        lines += [
            f"  fb{a}: {{platform: facebook, page_id: '{FIRST_PAGE + a}', token: '${{TOKEN}}'}}"
            for a in range(self.accounts)
        ]
        lines.append("posts:")
        for i in range(self.posts):
            lines += [
                f"  - id: {self.post_id(i)}",
                f"    accounts: [fb{self.account(i)}]",
                f"    at: '{local}'",
                f"    caption: '{self.caption(i)}'",
            ]
        return "\n".join(lines) + "\n"

    def scheduled_order(self) -> dict[str, list[str]]:
        """Page → captions in time-then-id order (all at one time: the id decides)."""
        order: dict[str, list[str]] = defaultdict(list)
        for i in range(self.posts):
            order[str(FIRST_PAGE + self.account(i))].append(self.caption(i))
        return order


def next_minute(after: datetime) -> datetime:
    return after.replace(second=0, microsecond=0) + timedelta(minutes=1)


def start_daemon(folder: Path, graph_url: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JADWAL_")}
    env |= {"JADWAL_GRAPH_URL": graph_url, "TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    with (folder / "daemon.log").open("wb") as log:  # a file: a full pipe would block it
        return subprocess.Popen(
            [*JADWAL, "daemon", "calendar.yaml"],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )


def stop_daemon(daemon: subprocess.Popen[bytes]) -> None:
    daemon.send_signal(signal.SIGTERM)
    try:
        daemon.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.communicate()


def wait_published(folder: Path, total: int, deadline: datetime) -> None:
    from scheduler.database import open_store

    store = open_store(f"sqlite:///{folder / '.jadwal' / 'jadwal.db'}")
    try:
        while datetime.now(UTC) < deadline:
            if len(store.history(state="published")) >= total:
                return
            time.sleep(0.5)
    finally:
        store.close()


def store_figures(folder: Path, start: datetime) -> dict[str, Any]:
    from sqlmodel import select

    from scheduler.database import open_store
    from scheduler.store import Attempt

    store = open_store(f"sqlite:///{folder / '.jadwal' / 'jadwal.db'}")
    try:
        states = Counter(row.state for row in store.history())
        with store.session() as session:
            attempts = list(session.exec(select(Attempt)))
    finally:
        store.close()
    numbers = Counter((a.key, a.number) for a in attempts)
    done = [a.finished_at for a in attempts if a.outcome == "published" and a.finished_at]
    starts = sorted((a.started_at - start).total_seconds() for a in attempts)
    return {
        "states": dict(states),
        "attempts": len(attempts),
        "attempts_started_twice": sum(1 for n in numbers.values() if n > 1),
        "attempts_left_open": sum(1 for a in attempts if a.finished_at is None),
        "seconds_to_all_published": (
            round((max(done) - start).total_seconds(), 1)
            if states.get("published") == sum(states.values()) and done
            else None
        ),
        "first_attempt_s": round(starts[0], 2) if starts else None,
        "median_attempt_start_s": round(starts[len(starts) // 2], 1) if starts else None,
    }


def order_figures(graph: CountingGraph, burst: Burst) -> dict[str, Any]:
    received: dict[str, list[str]] = defaultdict(list)
    for post in graph.posts:
        received[post["target"]].append(post["text"])
    expected = burst.scheduled_order()
    out_of_order = sorted(page for page, texts in expected.items() if received[page] != texts)
    sent = Counter(post["text"] for post in graph.posts)
    return {
        "per_account_order_kept": not out_of_order,
        "accounts_out_of_order": len(out_of_order),
        "every_post_once": set(sent.values()) == {1} and len(sent) == burst.posts,
    }


def daemon_run(folder: Path, burst: Burst, graph_url: str) -> datetime:
    """The real daemon; returns the moment the clock starts (the minute)."""
    daemon = start_daemon(folder, graph_url)
    try:
        wait_published(folder, burst.posts, burst.minute + timedelta(seconds=GIVE_UP))
    finally:
        stop_daemon(daemon)
    return burst.minute


def in_process_run(folder: Path, burst: Burst, graph_url: str, workers: int | None) -> datetime:
    """``publish_due`` calls in this process, as the daemon's wake-ups make them, with the
    engine's ``MAX_WORKERS`` overridden; returns the moment the first call started."""
    from scheduler import engine
    from scheduler.engine import publisher
    from scheduler.runtime import Options, load_for_publishing, owner_name

    os.environ |= {"JADWAL_GRAPH_URL": graph_url, "TOKEN": TOKEN}
    if workers is not None:
        publisher.MAX_WORKERS = workers
    ctx = load_for_publishing(Options(folder / "calendar.yaml"), owner_name("daemon", "bench"))
    started = datetime.now(UTC)
    try:
        while datetime.now(UTC) < started + timedelta(seconds=GIVE_UP):
            if not engine.publish_due(ctx).counts:
                break  # the first call publishes everything; a second finds nothing
    finally:
        ctx.store.close()
    return started


def run(options: argparse.Namespace) -> dict[str, Any]:
    graph = CountingGraph().start()
    graph.latency = options.latency
    graph.add_token(TOKEN, pages=[str(FIRST_PAGE + a) for a in range(options.accounts)])
    now = datetime.now(UTC)
    minute = now.replace(second=0, microsecond=0)  # in process: due already
    if not options.in_process:
        minute = next_minute(now + timedelta(seconds=LEAD))
    burst = Burst(options.posts, options.accounts, minute)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "calendar.yaml").write_text(burst.calendar(), encoding="utf-8")
            if options.in_process:
                start = in_process_run(folder, burst, graph.url, options.workers)
            else:
                start = daemon_run(folder, burst, graph.url)
            figures = store_figures(folder, start)
            if figures["seconds_to_all_published"] is None and not options.in_process:
                print((folder / "daemon.log").read_text()[-3000:], file=sys.stderr)
            if options.keep is not None:
                shutil.copytree(folder, options.keep, dirs_exist_ok=True)
    finally:
        graph.stop()
    return {
        "bench": "burst",
        "posts": options.posts,
        "accounts": options.accounts,
        "latency_s": options.latency,
        "mode": "in-process" if options.in_process else "daemon",
        "max_workers": _max_workers(),
        "seconds_to_all_published": figures.pop("seconds_to_all_published"),
        "target_s": TARGET,
        **order_figures(graph, burst),
        **figures,
        **graph_figures(graph, options.posts),
    }


def _max_workers() -> int:
    from scheduler.engine import publisher

    return publisher.MAX_WORKERS


def graph_figures(graph: CountingGraph, posts: int) -> dict[str, Any]:
    calls = len(graph.requests)
    return {
        "graph_calls": calls,
        "graph_calls_per_post": round(calls / posts, 2),
        "max_parallel_calls": graph.max_in_flight,
        "max_parallel_calls_one_account": graph.max_per_page,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=1.0, help="seconds per Graph call")
    parser.add_argument(
        "--keep", type=Path, help="copy the calendar, daemon log and database here afterwards"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="call publish_due here instead of running a daemon (for diagnosis)",
    )
    parser.add_argument(
        "--workers", type=int, help="with --in-process: override the engine's MAX_WORKERS"
    )
    args = parser.parse_args()
    figures = run(args)
    seconds = figures["seconds_to_all_published"]
    figures["target_met"] = seconds is not None and seconds <= TARGET
    print(json.dumps(figures), flush=True)
    if seconds is None:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
