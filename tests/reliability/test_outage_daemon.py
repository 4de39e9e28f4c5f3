"""The real daemon on village internet: through a link that is down when its posts fall due
(``tests.netproxy``), and after its database was deleted. Real time, so slow tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.database import open_store
from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.daemonproc import DaemonProcess
from tests.fakegraph import FakeGraph
from tests.netproxy import Link

pytestmark = pytest.mark.slow

TOKEN = "EAAGdaemonOUTAGE0123456789abcdef012"
JAKARTA = ZoneInfo("Asia/Jakarta")
LOST = "no connection to the Graph API since"
BACK = "is back after"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    fake.add_token(TOKEN, pages=["1001", "1002"])
    yield fake
    fake.stop()


def calendar_text(due: datetime) -> str:
    local = due.astimezone(JAKARTA).isoformat()
    return (
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  fb1: {platform: facebook, page_id: '1001', token: '${META_TOKEN}'}\n"
        "  fb2: {platform: facebook, page_id: '1002', token: '${META_TOKEN}'}\n"
        "rules: {min_posts_per_week: 0}\nposts:\n"
        f"  - id: apel\n    accounts: [fb1, fb2]\n    at: '{local}'\n    caption: Apel pagi\n"
    )


def test_the_daemon_publishes_what_waited_within_a_minute_of_the_connection_returning(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    daemons: list[DaemonProcess],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    link = Link(graph.url)
    link.state = "refuse"
    # Due between two sweeps (the first runs at the start): the connection is lost then,
    # and its check falls between sweeps too.
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=20)
    calendar = write_calendar(calendar_text(due))
    monkeypatch.setenv("JADWAL_GRAPH_URL", link.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    daemon = DaemonProcess([*JADWAL, "daemon", str(calendar)], calendar.parent)
    daemons.append(daemon)
    try:
        assert daemon.wait_for(lambda: daemon.count(LOST) > 0, 45), daemon.output()
        time.sleep(15)
        assert graph.posts == []
        link.state = "up"
        back = time.monotonic()
        assert daemon.wait_for(lambda: len(graph.posts) == 2, 90), daemon.output()
        late = time.monotonic() - back
    finally:
        link.stop()
    print(f"\npublished {late:.1f} s after the connection returned")
    assert late <= 65  # within a minute (and the publication's own few seconds)
    assert sorted(p["target"] for p in graph.posts) == ["1001", "1002"]
    assert daemon.wait_for(lambda: daemon.count(BACK) == 1, 10), daemon.output()
    assert daemon.count(LOST) == 1, daemon.output()  # one line each, not one per post
    assert daemon.count("failed") == 0, daemon.output()


def test_a_deleted_database_and_a_restarted_daemon_find_the_post_instead_of_resending(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    daemons: list[DaemonProcess],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    calendar = write_calendar(calendar_text(due))
    monkeypatch.setenv("JADWAL_GRAPH_URL", graph.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    first = DaemonProcess([*JADWAL, "daemon", str(calendar)], calendar.parent)
    daemons.append(first)
    assert first.wait_for(lambda: len(graph.posts) == 2, 60), first.output()
    assert first.stop() == 0
    database = calendar.parent / ".jadwal" / "jadwal.db"
    for path in database.parent.glob("jadwal.db*"):
        path.unlink()  # the laptop's history is gone
    second = DaemonProcess([*JADWAL, "daemon", str(calendar)], calendar.parent)
    daemons.append(second)
    found = "(found on the platform after an unknown outcome)"
    assert second.wait_for(lambda: second.count(found) == 2, 60), second.output()
    assert second.count("the database is newer than this post") == 2
    time.sleep(2)
    assert len(graph.posts) == 2  # not sent again
    store = open_store(f"sqlite:///{database}")
    try:
        assert {row.state for row in store.history()} == {"published"}
    finally:
        store.close()
