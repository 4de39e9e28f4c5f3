"""``site.dir``: the publishers keep the static site fresh. A tick that published rewrites it
with the state just recorded; a tick with nothing to do leaves it alone; a site that can't be
written never fails the tick that published; the daemon redraws it after its sweeps."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler import cli
from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.daemonproc import DaemonProcess
from tests.fakegraph import FakeGraph

TOKEN = "EAAGrefreshTOKEN0123456789abcdef012"
JAKARTA = ZoneInfo("Asia/Jakarta")


def calendar(write_calendar: WriteCalendar, at: datetime, site: str = "situs") -> Path:
    return write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  fb-desa: {platform: facebook, page_id: '1001', token: '${FB_TOKEN}'}\n"
        f"rules: {{min_posts_per_week: 0}}\nsite: {{dir: {site}}}\n"
        "posts:\n  - id: rapat\n    accounts: [fb-desa]\n"
        f"    at: '{at.astimezone(JAKARTA):%Y-%m-%d %H:%M:%S}'\n    caption: Rapat desa\n"
    )


def words(page: Path) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page.read_text("utf-8"))))


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> FakeGraph:
    fake = FakeGraph().start()
    fake.add_token(TOKEN, pages=["1001"])
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("FB_TOKEN", TOKEN)
    yield fake  # type: ignore[misc]
    fake.stop()


def test_a_tick_that_published_rewrites_the_site_with_the_new_state(
    graph: FakeGraph, write_calendar: WriteCalendar, indonesian: None
) -> None:
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    path = calendar(write_calendar, due)
    site = path.parent / "situs"

    assert cli.run(["tick", str(path)]) == 0
    [page] = (site / "post").glob("rapat-*.html")
    [post] = graph.posts
    assert "fb-desa Facebook ✓ terbit · lihat unggahannya" in words(page)
    assert f'href="{post["permalink"]}"' in page.read_text("utf-8")
    assert (site / "calendar.ics").exists() and (site / "index.html").exists()

    (site / "index.html").unlink()
    assert cli.run(["tick", str(path)]) == 0  # nothing due: the site is left as it is
    assert not (site / "index.html").exists()


def test_a_site_that_cannot_be_written_never_fails_the_tick_that_published(
    graph: FakeGraph, write_calendar: WriteCalendar, capfd: pytest.CaptureFixture[str]
) -> None:
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    path = calendar(write_calendar, due, site="berkas.txt")
    (path.parent / "berkas.txt").write_text("not a folder")

    assert cli.run(["tick", str(path)]) == 0
    assert len(graph.posts) == 1
    folder = path.parent / "berkas.txt"
    assert (
        f"ERROR the site in {folder} was not refreshed: {folder} is a file, not a folder: "
        "choose a folder for the site; publishing goes on"
    ) in capfd.readouterr().err


def test_a_dry_run_redraws_nothing(graph: FakeGraph, write_calendar: WriteCalendar) -> None:
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    path = calendar(write_calendar, due)
    assert cli.run(["tick", str(path), "--dry-run"]) == 0
    assert not (path.parent / "situs").exists()


@pytest.mark.slow
def test_the_daemon_draws_the_site_at_start_and_after_it_publishes(
    graph: FakeGraph, write_calendar: WriteCalendar, indonesian: None
) -> None:
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=6)
    path = calendar(write_calendar, due)
    site = path.parent / "situs"
    daemon = DaemonProcess([*JADWAL, "daemon", str(path)], path.parent)
    try:
        assert daemon.wait_for(lambda: any((site / "post").glob("rapat-*.html")), 30)
        [page] = (site / "post").glob("rapat-*.html")
        assert "terjadwal" in words(page)  # drawn at the start, before the post was due
        assert daemon.wait_for(lambda: "✓ terbit" in words(page), 40), daemon.output()
    finally:
        daemon.stop()
    assert len(graph.posts) == 1
