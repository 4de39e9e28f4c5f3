"""``jadwal insights`` as cron runs it, ``accounts check`` on what insights need, the daemon's
collection job giving way to publishing, and two collectors on one PostgreSQL database."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler import cli
from scheduler.adapters import adapter_factory
from scheduler.calendar import load_calendar
from scheduler.daemon import Daemon
from scheduler.database import open_store
from scheduler.engine import Context, publish_due
from scheduler.store import Store
from scheduler.store.tables import InsightReading, Publication
from tests.commands import JADWAL
from tests.conftest import ROOT, WriteCalendar
from tests.fakegraph import DEFAULT_SCOPES, FakeGraph
from tests.helpers import set_created_at
from tests.test_accounts_permissions import lines

TOKEN = "EAAGcanaryCLItoken0123456789abcdef"
PAGE, IG = "1001", "17841"
JAKARTA = ZoneInfo("Asia/Jakarta")
INSIGHT_SCOPES = (*DEFAULT_SCOPES, "instagram_manage_insights", "read_insights")
ACCOUNTS = (
    f"accounts:\n  fb: {{platform: facebook, page_id: '{PAGE}', token: '${{META_TOKEN}}'}}\n"
    f"  ig: {{platform: instagram, ig_user_id: '{IG}', page_id: '{PAGE}', "
    "token: '${META_TOKEN}'}\n"
)
CALENDAR = (
    f"version: 1\ntimezone: Asia/Jakarta\n{ACCOUNTS}"
    "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\nposts: []\n"
)


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG], scopes=INSIGHT_SCOPES)
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    monkeypatch.setenv("COLUMNS", "250")
    yield fake
    fake.stop()
    assert not fake.server_errors, fake.server_errors
    assert not fake.deprecated_asked


def published(store: Store, account: str, platform_id: str, at: datetime) -> str:
    key = f"{platform_id}/{account}"
    platform = "facebook" if account == "fb" else "instagram"
    row = Publication(key=key, post_id=platform_id, account=account, platform=platform,
                      scheduled_at=at, state="published", created_at=at, updated_at=at,
                      platform_post_id=platform_id, published_at=at, kind="feed")  # fmt: skip
    assert store.claim_new(row)
    return key


def seeded(graph: FakeGraph, path: Path, url: str, each: int = 1) -> list[str]:
    """``each`` published posts of each account, an hour old (their 1h reading is due)."""
    store = open_store(url)
    at = datetime.now(UTC) - timedelta(hours=1, minutes=1)
    try:
        keys = [published(store, "fb", graph.seed_page_post(PAGE), at) for _ in range(each)]
        return keys + [published(store, "ig", graph.seed_media(IG), at) for _ in range(each)]
    finally:
        store.close()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_insights_reads_what_is_due_says_so_and_exits_0_then_2_when_reads_fail(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_calendar(CALENDAR)
    url = f"sqlite:///{path.parent / '.jadwal' / 'jadwal.db'}"
    (path.parent / ".jadwal").mkdir()
    seeded(graph, path, url)

    code, out, err = run(capsys, "insights", str(path), "--dry-run")
    assert code == 0 and graph.requests == []  # a dry run contacts nothing
    assert out == (
        "fb: 1 post (1h: 1), followers\nig: 1 post (1h: 1), followers\n"
        "jadwal insights: dry run: 4 readings are due; nothing was contacted\n"
    )

    code, out, err = run(capsys, "insights", str(path))
    assert code == 0
    assert out == "jadwal insights: 2 post readings and 2 follower counts kept from 2 accounts\n"
    assert "jadwal insights: fb: reading 1 post\n" in err
    assert "jadwal insights: ig: reading 1 post\n" in err

    code, out, _ = run(capsys, "insights", str(path))
    assert (code, out) == (0, "jadwal insights: nothing was due\n")

    graph.add_token(TOKEN, pages=[PAGE], ig_users=[IG], scopes=DEFAULT_SCOPES)
    store = open_store(url)
    at = datetime.now(UTC) - timedelta(hours=2)
    published(store, "fb", graph.seed_page_post(PAGE), at)
    store.close()
    code, out, err = run(capsys, "insights", str(path))
    assert code == 2
    assert out == "jadwal insights: 1 reading failed (tried again later)\n"
    assert "fb: insights can't be read: (#10) This endpoint requires the 'read_insights' " in err


def test_insights_now_reads_every_post_again(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_calendar(CALENDAR)
    (path.parent / ".jadwal").mkdir()
    url = f"sqlite:///{path.parent / '.jadwal' / 'jadwal.db'}"
    keys = seeded(graph, path, url)
    for _ in range(2):
        code, out, _err = run(capsys, "insights", str(path), "--now", "--account", "ig")
        assert code == 0
        assert out == "jadwal insights: 1 post reading and 1 follower count kept from 1 account\n"
    store = open_store(url)
    assert [r.slot for r in store.insights.readings(keys)[keys[1]]] == ["manual", "manual"]
    store.close()


def test_accounts_check_says_once_that_a_small_page_has_no_insights(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.set_page_likes(PAGE, 42)
    path = write_calendar(
        f"version: 1\ntimezone: Asia/Jakarta\naccounts:\n  a: {{platform: facebook, "
        f"page_id: '{PAGE}', token: '${{META_TOKEN}}'}}\nrules: {{min_posts_per_week: 0}}\n"
        "posts: []\n"
    )
    code, found = lines(capsys, path)
    assert code == 0
    assert found[-2:] == [
        ("page", f"ok Fake Page {PAGE} ({PAGE})"),
        (
            "insights",
            "warning the Page has fewer than 100 likes, and Meta gives no insights for it: "
            "views, reach and clicks stay empty; likes, comments and shares are read from the "
            "posts",
        ),
    ]


def test_a_missing_insights_permission_never_stops_publishing(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    from scheduler.insights.collect import collect

    graph.add_token(TOKEN, pages=[PAGE], scopes=("pages_manage_posts", "pages_read_engagement"))
    local = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(JAKARTA)
    path = write_calendar(
        f"version: 1\ntimezone: Asia/Jakarta\naccounts:\n  fb: {{platform: facebook, "
        f"page_id: '{PAGE}', token: '${{META_TOKEN}}'}}\nrules: {{min_posts_per_week: 0}}\n"
        f"posts:\n  - id: rapat\n    accounts: [fb]\n    at: '{local:%Y-%m-%d %H:%M}'\n"
        "    caption: 'Rapat warga'\n"
    )
    calendar = load_calendar(path)
    store = open_store(f"sqlite:///{path.parent / 'jadwal.db'}")
    set_created_at(store, datetime.now(UTC) - timedelta(days=1))
    ctx = Context(calendar, store, "t", adapter_factory(calendar, None))
    later = datetime.now(UTC) + timedelta(hours=1, minutes=5)
    publish_due(ctx)
    summary = collect(calendar, store, ctx.adapter_for, "t", lambda: later)
    assert summary.failed == 1 and "fb" in store.insights.problems()
    assert [p["text"] for p in graph.posts] == ["Rapat warga"]
    assert [p["text"] for p in graph.posts] == ["Rapat warga"]  # it went out, insights or not
    store.close()


def test_the_daemons_collection_job_gives_way_to_a_publication_that_is_due(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    def calendar_at(minutes: int) -> Path:
        local = (datetime.now(UTC) + timedelta(minutes=minutes)).astimezone(JAKARTA)
        return write_calendar(
            f"version: 1\ntimezone: Asia/Jakarta\n{ACCOUNTS}"
            "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\n"
            f"posts:\n  - id: rapat\n    accounts: [fb]\n    at: '{local:%Y-%m-%d %H:%M}'\n"
            "    caption: 'Rapat warga'\n"
        )

    path = calendar_at(3)
    url = f"sqlite:///{path.parent / 'jadwal.db'}"
    keys = seeded(graph, path, url)
    store = open_store(url)

    def daemon_for(path: Path) -> Daemon:
        calendar = load_calendar(path)
        return Daemon(path, calendar, lambda c: Context(c, store, "d", adapter_factory(c, None)))

    daemon_for(path).collect_insights()
    assert store.insights.readings(keys) == {} and graph.requests == []
    daemon_for(calendar_at(30)).collect_insights()
    assert set(store.insights.readings(keys)) == set(keys)
    store.close()


def test_two_collectors_on_postgresql_read_each_slot_once(
    graph: FakeGraph, write_calendar: WriteCalendar, postgres_url: str
) -> None:
    path = write_calendar(CALENDAR)
    keys = seeded(graph, path, postgres_url, each=15)
    graph.latency = 0.05  # long enough for the two to overlap
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [*JADWAL, "insights", str(path), "--db", postgres_url]
    both = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]  # fmt: skip
    results = [p.communicate(timeout=120) for p in both]
    assert [p.returncode for p in both] == [0, 0], results
    store = open_store(postgres_url)
    try:
        readings = store.insights.readings(keys)
        assert set(readings) == set(keys)
        slots = Counter((r.key, r.slot) for rows in readings.values() for r in rows)
        assert set(slots.values()) == {1}
        assert [len(store.insights.followers(a)) for a in ("fb", "ig")] == [1, 1]
        assert all(isinstance(r, InsightReading) for rows in readings.values() for r in rows)
    finally:
        store.close()
