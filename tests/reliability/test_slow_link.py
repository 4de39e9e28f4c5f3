"""A slow link: an upload that takes longer than the claim's lease keeps its claim (the lease
heartbeat), so a second publisher running meanwhile never takes it over and nothing goes out
twice; an upload cut half way is sent again from the start, once.

The lease is shortened (3 s instead of 60) so that an upload at 50 kB/s outlasts it several
times in a few seconds; ``bench/outage.py`` runs the full-size case (5 MB at 50 kB/s through
the real daemon, with the real lease).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.adapters import adapter_factory
from scheduler.adapters.network import upload_seconds
from scheduler.calendar import load_calendar
from scheduler.database import open_store
from scheduler.engine import Context, Report, publish_due
from scheduler.store import Store
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.helpers import set_created_at, wait_until
from tests.netproxy import Link, noise_jpeg

TOKEN = "EAAGslowTOKEN0123456789abcdef01234"
LEASE = timedelta(seconds=3)
RATE = 50_000  # bytes a second


@pytest.fixture
def slow(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeGraph, Link, Store, Path]]:
    monkeypatch.setattr("scheduler.store.store.LEASE", LEASE)
    monkeypatch.setattr("scheduler.engine.attempt.LEASE", LEASE)
    fake = FakeGraph().start()
    fake.add_token(TOKEN, pages=["1001"])
    link = Link(fake.url)
    link.rate = RATE
    monkeypatch.setenv("JADWAL_GRAPH_URL", link.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=5)
    calendar = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  fb1: {platform: facebook, page_id: '1001', token: '${META_TOKEN}'}\n"
        "rules: {min_posts_per_week: 0}\nposts:\n"
        f"  - id: foto\n    accounts: [fb1]\n    at: '{at.isoformat()}'\n"
        "    caption: Kerja bakti\n    media: [media/besar.jpg]\n"
    )
    store = open_store(f"sqlite:///{tmp_path / 'jadwal.db'}")
    set_created_at(store, at - timedelta(hours=1))  # an old store: nothing to look up first
    yield fake, link, store, calendar
    store.close()
    link.stop()
    fake.stop()


def context(calendar: Path, store: Store, owner: str) -> Context:
    loaded = load_calendar(calendar)
    return Context(
        calendar=loaded, store=store, owner=owner, adapter_for=adapter_factory(loaded, None)
    )


def test_an_upload_slower_than_the_lease_keeps_its_claim(
    slow: tuple[FakeGraph, Link, Store, Path],
) -> None:
    fake, _, store, calendar = slow
    size = noise_jpeg(calendar.parent / "media" / "besar.jpg", 800)
    assert size / RATE > 3 * LEASE.total_seconds()  # the upload outlasts the lease 3 times
    first: list[Report] = []
    daemon = threading.Thread(
        target=lambda: first.append(publish_due(context(calendar, store, "daemon")))
    )
    daemon.start()
    assert wait_until(lambda: [r.owner for r in store.history()] == ["daemon"])
    other = context(calendar, store, "tick")
    seconds, seen = 0.0, []
    while daemon.is_alive():
        seen.append(publish_due(other))  # a second publisher, every half second
        daemon.join(0.5)
        seconds += 0.5
    assert first[0].summary() == "1 published"
    assert [r.summary() for r in seen if r.counts] == []  # it never took the claim
    [row] = store.history()
    assert (row.state, row.attempts) == ("published", 1)
    assert len(fake.posts) == 1
    assert seconds > 3 * LEASE.total_seconds()


def test_an_upload_cut_half_way_is_sent_again_from_the_start_once(
    slow: tuple[FakeGraph, Link, Store, Path],
) -> None:
    fake, link, store, calendar = slow
    size = noise_jpeg(calendar.parent / "media" / "besar.jpg", 200)
    link.rate = None
    link.state, link.cut_after = "cut_upload", size // 2
    report = publish_due(context(calendar, store, "tick-1"))
    assert report.summary() == "1 unknown"  # the photo upload is the call that publishes
    assert fake.posts == []
    link.state = "up"
    # Not looked up at once: what this machine had buffered could still be on its way.
    assert publish_due(context(calendar, store, "tick-2")).summary() == "nothing due"
    time.sleep(upload_seconds(size) + 0.2)
    report = publish_due(context(calendar, store, "tick-3"))  # looked up: absent, so sent
    assert report.summary() == "1 published"
    [row] = store.history()
    assert (row.state, row.attempts) == ("published", 2)
    [post] = fake.posts
    assert post.get("text") == "Kerja bakti"
