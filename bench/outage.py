"""Benchmark 3, village internet: what an office waits for when the connection drops or crawls.

Whole processes (``python -m scheduler daemon`` / ``tick``, SQLite) publish to the fake Graph
API of ``tests/fakegraph.py`` through the TCP proxy of ``tests/netproxy.py``. One JSON line
per scenario:

- ``daemon``: ``--posts`` Facebook text posts on 4 Pages and one Instagram image (Graph API,
  Page staging), due 20 s after the daemon starts; the link refuses from 5 s before they are
  due until ``--outage`` seconds after. Lateness runs from the link's return to the fake's
  receipt of each post (``fake``) and to its ``published_at`` in the store (``store``);
- ``tick``: the same with ``jadwal tick`` as a fresh process every 60 s (cron), no daemon;
- ``slow``: one Facebook photo, a ~5 MB JPEG of noise (it does not compress; Facebook takes
  JPEGs up to 10 MB as they are), through the link at ``--rate`` kB/s with the real daemon
  and lease, while ``jadwal tick`` runs every 10 s beside it (a second publisher).

Also: each post at the fake exactly once, the store's states and attempts, the log lines "no
connection to" / "is back after" (one each) and "failed". ``--only`` runs one scenario,
``--keep DIR`` keeps their folders. Exits 1 when a post went out twice or never.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from tests.fakegraph import FakeGraph  # noqa: E402  (needs ROOT on the path)
from tests.netproxy import Link, noise_jpeg  # noqa: E402

JADWAL = [sys.executable, "-m", "scheduler"]
JAKARTA = ZoneInfo("Asia/Jakarta")
TOKEN = "EAAGoutageBENCHtoken0123456789abcdef"
PAGES = ["7001", "7002", "7003", "7004"]
IG_USER = "17841700"
LEAD = 20.0  # seconds from the start to the posts' time
REFUSE_BEFORE = 5.0  # the link goes down this long before the posts are due
CRON_EVERY = 60.0
SLOW_TICK_EVERY = 10.0
AFTER_RETURN = 300.0  # give up this long after the connection is back
MIN_PHOTO_BYTES = 4_500_000  # a 2400×2400 noise JPEG at quality 90 is about 5.2 MB
IG_CAPTION = "Foto kegiatan di Instagram"
PHOTO_CAPTION = "Kerja bakti, foto besar"
SCENARIOS = ("daemon", "tick", "slow")
LOG_LINES = {"lost": "no connection to", "back": "is back after", "failed": "failed"}


class StampedGraph(FakeGraph):
    """The fake Graph API, noting when each public post arrived (caption → moments)."""

    def __init__(self) -> None:
        super().__init__(container_delay=0.1)
        self.received: dict[str, list[datetime]] = {}

    def _stamp(self, text: str) -> None:
        self.received.setdefault(text, []).append(datetime.now(UTC))

    def _add_fb_post(self, post_id: str, kind: str, page: str, text: str, *rest: Any) -> None:
        super()._add_fb_post(post_id, kind, page, text, *rest)
        self._stamp(text)

    def _add_ig_media(self, container: Any) -> str:
        media_id = super()._add_ig_media(container)
        self._stamp(container.caption)
        return media_id


class CountingLink(Link):
    """The proxy, counting the bytes towards the platform and waiting for an answer as long as
    it takes (netproxy's upstream gives up after 30 s, before a slow upload is even all in)."""

    bytes_up = 0

    def _pump(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        with contextlib.suppress(OSError):  # already reset: nothing to count or wait for
            if sink.getpeername()[1] == self.upstream[1]:
                source = _Counted(source, self)  # type: ignore[assignment]
            else:
                source.settimeout(None)
        super()._pump(source, sink, limit)


class _Counted:
    """A client's socket whose reads are added to its link's ``bytes_up``."""

    def __init__(self, sock: socket.socket, link: CountingLink) -> None:
        self.sock, self.link = sock, link

    def recv(self, size: int) -> bytes:
        data = self.sock.recv(size)
        self.link.bytes_up += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


def caption(index: int) -> str:
    return f"Info p{index:02d} untuk halaman {PAGES[index % len(PAGES)]}"


def calendar_text(due: datetime, posts: int, instagram: bool, photo: bool) -> str:
    at = due.astimezone(JAKARTA).isoformat()
    lines = ["version: 1", "timezone: Asia/Jakarta", "rules: {min_posts_per_week: 0}"]
    lines += ["media: {staging: facebook_page}", "accounts:"]
    token = "token: '${META_TOKEN}'"
    lines += [
        f"  fb{i}: {{platform: facebook, page_id: '{p}', {token}}}" for i, p in enumerate(PAGES)
    ]
    lines.append(
        f"  ig: {{platform: instagram, ig_user_id: '{IG_USER}', page_id: '{PAGES[0]}', {token}}}"
    )
    post = "  - {{id: {}, accounts: [{}], at: '{}', caption: '{}'{}}}"
    lines.append("posts:")
    lines += [post.format(f"p{i:02d}", f"fb{i % 4}", at, caption(i), "") for i in range(posts)]
    if instagram:
        lines.append(post.format("foto-ig", "ig", at, IG_CAPTION, ", media: [media/ig.jpg]"))
    if photo:
        lines.append(
            post.format("foto-besar", "fb0", at, PHOTO_CAPTION, ", media: [media/besar.jpg]")
        )
    return "\n".join(lines) + "\n"


def expected_captions(posts: int, instagram: bool, photo: bool) -> list[str]:
    return [caption(i) for i in range(posts)] + [IG_CAPTION] * instagram + [PHOTO_CAPTION] * photo


def jadwal(folder: Path, command: str, url: str, log: str) -> subprocess.Popen[bytes]:
    """``jadwal COMMAND calendar.yaml`` as a new process, its output appended to ``log`` (a
    file: a full pipe would block it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JADWAL_")}
    env |= {"JADWAL_GRAPH_URL": url, "META_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"}
    with (folder / log).open("ab") as out:
        argv = [*JADWAL, command, "calendar.yaml"]
        return subprocess.Popen(argv, cwd=folder, stdout=out, stderr=subprocess.STDOUT, env=env)


def stop_daemon(daemon: subprocess.Popen[bytes]) -> None:
    daemon.send_signal(signal.SIGTERM)  # it finishes the publication in flight, then exits
    daemon.wait(timeout=120)


def run_tick(folder: Path, url: str) -> None:
    """One ``jadwal tick``, as cron starts it."""
    jadwal(folder, "tick", url, "ticks.log").wait(timeout=600)


def at_moment(moment: datetime, link: Link, state: str) -> threading.Timer:
    """The link turns ``state`` at ``moment`` (a timer: a tick may be running then)."""
    delay = max(0.0, (moment - datetime.now(UTC)).total_seconds())
    timer = threading.Timer(delay, setattr, (link, "state", state))
    timer.daemon = True
    timer.start()
    return timer


@contextlib.contextmanager
def opened(folder: Path) -> Iterator[Any]:
    from scheduler.database import open_store

    store = open_store(f"sqlite:///{folder / '.jadwal' / 'jadwal.db'}")
    try:
        yield store
    finally:
        store.close()


def published_count(folder: Path) -> int:
    if not (folder / ".jadwal" / "jadwal.db").exists():
        return 0
    with opened(folder) as store:
        return len(store.history(state="published"))


def store_rows(folder: Path) -> tuple[list[Any], list[Any]]:
    from sqlmodel import select

    from scheduler.store import Attempt

    with opened(folder) as store, store.session() as session:
        return store.history(), list(session.exec(select(Attempt)))


def spread(seconds: list[float]) -> dict[str, float | None]:
    if not seconds:
        return dict.fromkeys(("min", "median", "max"))
    low, mid, high = min(seconds), statistics.median(seconds), max(seconds)
    return {"min": round(low, 1), "median": round(mid, 1), "max": round(high, 1)}


def once_figures(graph: StampedGraph, captions: list[str]) -> dict[str, Any]:
    sent = Counter({text: len(times) for text, times in graph.received.items()})
    return {
        "every_post_once": all(sent[text] == 1 for text in captions) and len(sent) == len(captions),
        "sent_twice": sum(1 for n in sent.values() if n > 1),
        "never_sent": sum(1 for text in captions if sent[text] == 0),
    }


def log_counts(folder: Path, log: str, prefix: str = "log") -> dict[str, int]:
    path = folder / log
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path.exists() else []
    return {f"{prefix}_{name}": sum(n in line for line in lines) for name, n in LOG_LINES.items()}


def outage_figures(
    folder: Path, graph: StampedGraph, back: datetime, captions: list[str], log: str
) -> dict[str, Any]:
    rows, attempts = store_rows(folder)
    received = [t for times in graph.received.values() for t in times]
    stored = [r.published_at for r in rows if r.published_at is not None]
    return {
        "lateness_after_return_s": {
            "fake": spread([(t - back).total_seconds() for t in received]),
            "store": spread([(t - back).total_seconds() for t in stored]),
        },
        **once_figures(graph, captions),
        "states": dict(Counter(r.state for r in rows)),
        "attempts": len(attempts),
        "waited_s_median": spread([float(r.waited_seconds) for r in rows])["median"],
        **log_counts(folder, log),
    }


def prepare(folder: Path, due: datetime, posts: int, photo: bool) -> tuple[StampedGraph, list[str]]:
    """The fake, the calendar and its media: the text posts and the IG image, or the photo."""
    graph = StampedGraph()
    graph.start()
    graph.add_token(TOKEN, pages=PAGES, ig_users=[IG_USER])
    text = calendar_text(due, posts, not photo, photo)
    (folder / "calendar.yaml").write_text(text, encoding="utf-8")
    noise_jpeg(folder / "media" / ("besar.jpg" if photo else "ig.jpg"), 2400 if photo else 1080)
    return graph, expected_captions(posts, not photo, photo)


def outage(options: argparse.Namespace, mode: str, folder: Path) -> dict[str, Any]:
    """``daemon`` or ``tick`` through a link that refuses while the posts fall due."""
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=LEAD)
    back = due + timedelta(seconds=options.outage)
    graph, captions = prepare(folder, due, options.posts, photo=False)
    link = CountingLink(graph.url)
    down = at_moment(due - timedelta(seconds=REFUSE_BEFORE), link, "refuse")
    timers = [down, at_moment(back, link, "up")]
    give_up = back + timedelta(seconds=AFTER_RETURN)
    try:
        if mode == "daemon":
            daemon_through(folder, link.url, len(captions), give_up)
        else:
            tick_every(folder, link.url, CRON_EVERY, len(captions), give_up)
        log = "daemon.log" if mode == "daemon" else "ticks.log"
        figures = outage_figures(folder, graph, back, captions, log)
    finally:
        for timer in timers:
            timer.cancel()
        link.stop()
        graph.stop()
    head = {"bench": "outage", "scenario": mode, "posts": len(captions)}
    return head | {"outage_s": options.outage, **figures}


def daemon_through(folder: Path, url: str, total: int, give_up: datetime) -> None:
    daemon = jadwal(folder, "daemon", url, "daemon.log")
    try:
        while published_count(folder) < total and datetime.now(UTC) < give_up:
            time.sleep(0.5)
        time.sleep(2)  # its last log lines
    finally:
        stop_daemon(daemon)


def tick_every(folder: Path, url: str, every: float, total: int, give_up: datetime) -> int:
    """A tick every ``every`` seconds from now until everything is published; how many."""
    started, ticks = time.monotonic(), 0
    while datetime.now(UTC) < give_up:
        run_tick(folder, url)
        ticks += 1
        if published_count(folder) >= total:
            break
        time.sleep(max(0.0, started + ticks * every - time.monotonic()))
    return ticks


def slow(options: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """One ~5 MB photo through a slow link, the daemon publishing, ticks running beside it."""
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=LEAD)
    graph, captions = prepare(folder, due, 0, photo=True)
    photo = folder / "media" / "besar.jpg"
    size = photo.stat().st_size
    assert size >= MIN_PHOTO_BYTES, size
    link = CountingLink(graph.url)
    link.rate = options.rate * 1000
    give_up = due + timedelta(seconds=3 * size / link.rate + AFTER_RETURN)
    daemon = jadwal(folder, "daemon", link.url, "daemon.log")
    try:
        while not (folder / ".jadwal" / "jadwal.db").exists():  # the daemon makes it
            time.sleep(0.2)
        ticks = tick_every(folder, link.url, SLOW_TICK_EVERY, 1, give_up)
        time.sleep(size / link.rate)  # an upload still in flight arrives meanwhile, or not
    finally:
        stop_daemon(daemon)
        link.stop()
        graph.stop()
    sent = next((p["media"] for p in graph.posts if p["text"] == captions[0]), None)
    digest = "sha256:" + hashlib.sha256(photo.read_bytes()).hexdigest()
    head = {"bench": "outage", "scenario": "slow", "rate_kB_s": options.rate}
    return head | {
        "photo_bytes": size,
        "sent_as_is": sent == [digest],
        "bytes_through_link": link.bytes_up,
        "ticks_beside": ticks,
        **slow_figures(folder, graph, captions),
    }


def since(start: datetime | None, end: datetime | None) -> float | None:
    return round((end - start).total_seconds(), 1) if start and end else None


def slow_figures(folder: Path, graph: StampedGraph, captions: list[str]) -> dict[str, Any]:
    rows, attempts = store_rows(folder)
    attempts.sort(key=lambda a: a.started_at)
    tried = [(a.owner.split(":")[1], a) for a in attempts]  # host:daemon, host:tick:PID
    start, end = (attempts[0].started_at, attempts[0].finished_at) if attempts else (None, None)
    spans = [(b.started_at, b.finished_at or b.started_at) for b in attempts]
    return {
        "upload_s": since(start, end),  # the first attempt, from its start to its end
        "public_after_s": [since(start, t) for t in graph.received.get(captions[0], [])],
        **once_figures(graph, captions),
        "states": dict(Counter(r.state for r in rows)),
        "attempts": [f"{who}: {a.outcome}" for who, a in tried],
        "tick_took_a_live_claim": any(  # started while another attempt was still open
            who == "tick" and any(s < a.started_at < e for s, e in spans) for who, a in tried
        ),
        **log_counts(folder, "ticks.log", "ticks_log"),
        **log_counts(folder, "daemon.log"),
    }


def run(options: argparse.Namespace, scenario: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            if scenario == "slow":
                figures = slow(options, folder)
            else:
                figures = outage(options, scenario, folder)
            print(json.dumps(figures), flush=True)
            return figures
        finally:
            if options.keep is not None:
                shutil.copytree(folder, options.keep / scenario, dirs_exist_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=SCENARIOS)
    parser.add_argument("--outage", type=float, default=180.0, help="seconds the link refuses")
    parser.add_argument("--posts", type=int, default=20, help="Facebook text posts")
    parser.add_argument("--rate", type=float, default=50.0, help="kB/s of the slow link")
    parser.add_argument("--keep", type=Path, help="copy each scenario's folder here")
    options = parser.parse_args()
    results = [run(options, s) for s in ([options.only] if options.only else SCENARIOS)]
    if not all(figures["every_post_once"] for figures in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
