"""Village internet, in process: the engine through a flaky link (``tests.netproxy``) to the
fake Graph API, ``tick`` after ``tick`` as cron runs it, on a clock the test holds.

Each tick is a new engine context with new adapters, as each ``jadwal tick`` process is; all
they share is the store. The link's state is set before each tick from the scenario's
schedule (an outage, a link that flaps), so hours of village internet take seconds.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.adapters import adapter_factory
from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.database import open_store
from scheduler.engine import Context, Report, publish_due
from scheduler.history import lateness
from scheduler.store import Publication, Store
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.helpers import set_created_at, wait_until
from tests.netproxy import Link

TOKEN = "EAAGoutageTOKEN0123456789abcdef012"
AT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta
MINUTE = timedelta(minutes=1)
PAGES = {"fb1": "1001", "fb2": "1002", "fb3": "1003"}
IG = {"ig1": ("17841", "2001"), "ig2": ("17842", "2002")}
LOST = "no connection to the Graph API"
BACK = "is back after"


def accounts_yaml() -> str:
    token = "token: '${META_TOKEN}'"
    lines = [f"  {n}: {{platform: facebook, page_id: '{p}', {token}}}\n" for n, p in PAGES.items()]
    lines += [
        f"  {n}: {{platform: instagram, ig_user_id: '{u}', page_id: '{s}', {token}}}\n"
        for n, (u, s) in IG.items()
    ]
    return "".join(lines)


def calendar_text(posts: list[tuple[str, str, datetime]], grace: str = "6h") -> str:
    body = "".join(
        f"  - id: {post_id}\n    accounts: [{account}]\n    at: '{at.isoformat()}'\n"
        f"    caption: 'Pengumuman {post_id} [{post_id}]'\n"
        + ("    media: [media/posyandu.jpg]\n" if account in IG else "")
        for post_id, account, at in posts
    )
    return (
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n{accounts_yaml()}media: {{staging: facebook_page}}\n"
        f"rules: {{min_posts_per_week: 0, grace: {grace}}}\nposts:\n{body}"
    )


@dataclass
class Village:
    fake: FakeGraph
    link: Link
    store: Store
    calendar: Calendar
    now: datetime = AT
    ticks: int = 0
    reports: list[Report] = field(default_factory=list)

    def tick(self, when: datetime) -> Report:
        """One ``jadwal tick`` at ``when``: a new context, adapters and owner; the same store."""
        self.now = when
        self.ticks += 1
        ctx = Context(
            calendar=self.calendar,
            store=self.store,
            owner=f"village:tick:{self.ticks}",
            adapter_for=adapter_factory(self.calendar, None),
        )
        ctx.clock = lambda: self.now
        report = publish_due(ctx, when)
        self.reports.append(report)
        return report

    def run(self, start: datetime, end: datetime, state: Callable[[datetime], str]) -> None:
        """A tick every minute from ``start`` to ``end``, the link as ``state`` says then."""
        when = start
        while when <= end:
            self.link.state = state(when)
            self.tick(when)
            when += MINUTE

    def rows(self) -> dict[str, Publication]:
        return {row.post_id: row for row in self.store.history()}

    def public(self, post_id: str) -> list[dict[str, object]]:
        return [p for p in self.fake.posts if f"[{post_id}]" in str(p.get("text"))]


Make = Callable[..., Village]


@pytest.fixture
def village(
    write_calendar: WriteCalendar, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Make]:
    yield from villages(write_calendar, database_url, monkeypatch)


@pytest.fixture
def sqlite_village(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Make]:
    """For what only SQLite has: ``jadwal backup`` and restoring its copy."""
    yield from villages(write_calendar, f"sqlite:///{tmp_path / 'jadwal.db'}", monkeypatch)


def villages(
    write_calendar: WriteCalendar, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Make]:
    fake = FakeGraph(container_delay=0.0).start()
    staging = [s for _, s in IG.values()]
    fake.add_token(TOKEN, pages=[*PAGES.values(), *staging], ig_users=[u for u, _ in IG.values()])
    link = Link(fake.url)
    monkeypatch.setenv("JADWAL_GRAPH_URL", link.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    stores: list[Store] = []

    def make(posts: list[tuple[str, str, datetime]], grace: str = "6h") -> Village:
        calendar = load_calendar(write_calendar(calendar_text(posts, grace)))
        store = open_store(database_url)
        stores.append(store)
        made = Village(fake, link, store, calendar)
        fake.clock = lambda: made.now  # one clock for jadwal and the platform
        return made

    yield make
    for store in stores:
        store.close()
    link.stop()
    fake.stop()
    assert not fake.server_errors, fake.server_errors[0]


def outage(start: datetime, end: datetime) -> Callable[[datetime], str]:
    return lambda when: "refuse" if start <= when < end else "up"


def lines(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if text in r.getMessage()]


def test_a_three_hour_outage_inside_the_grace_period_publishes_each_post_once_on_return(
    village: Make, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jadwal")
    posts = [("apel", "fb1", AT), ("posyandu", "ig1", AT), ("rapat", "fb2", AT + 30 * MINUTE)]
    v = village(posts)
    down, up = AT - 5 * MINUTE, AT + timedelta(hours=3) - 5 * MINUTE  # 08:55 to 11:55
    v.run(AT - 10 * MINUTE, up - MINUTE, outage(down, up))
    rows = v.rows()
    assert {r.state for r in rows.values()} == {"retry"}
    assert v.fake.posts == []
    assert lateness(rows["rapat"], v.calendar.timezone) == (
        "waiting for the connection since 2027-03-01 09:30 WIB"
    )
    assert rows["rapat"].attempts == 0  # due while offline: recorded waiting, never tried
    assert all(r.failed == 0 for r in v.reports)
    v.run(up, up + 15 * MINUTE, outage(down, up))
    rows = v.rows()
    assert {post_id: r.state for post_id, r in rows.items()} == dict.fromkeys(
        ("apel", "posyandu", "rapat"), "published"
    )
    assert [len(v.public(p)) for p, _, _ in posts] == [1, 1, 1]
    for row in rows.values():
        assert row.published_at is not None and row.published_at - up <= MINUTE
    assert lateness(rows["apel"], v.calendar.timezone) == (
        "published 2h55m late: waited 2h55m for the connection"
    )
    assert len(lines(caplog, LOST)) == 1  # one line when it was lost, whatever waited
    assert len(lines(caplog, BACK)) == 1
    assert lines(caplog, BACK)[0].startswith(
        f"connection to the Graph API (127.0.0.1:{v.link.port})"
    )


def test_an_outage_past_the_grace_period_is_missed_with_the_outage_as_the_reason(
    village: Make,
) -> None:
    v = village([("apel", "fb1", AT)])
    down, up = AT - 5 * MINUTE, AT + timedelta(hours=7)
    v.run(AT - MINUTE, up + 10 * MINUTE, outage(down, up))
    [row] = v.rows().values()
    assert row.state == "missed"
    assert row.error_message == (
        "no connection to Facebook from 2027-03-01 09:00 to 15:00 WIB, when its grace period "
        "(6h) ended; nothing was sent"
    )
    assert row.waited_seconds == 6 * 3600
    assert v.fake.posts == []  # nothing is sent once the connection is back


def test_a_flapping_link_publishes_every_post_once_in_each_accounts_order(village: Make) -> None:
    """An hour of 30 seconds up, 2 minutes down; 50 posts on 5 accounts, one a minute."""
    names = [*PAGES, *IG]
    posts = [
        (f"p{i:02d}", names[i % 5], AT + i * MINUTE + timedelta(seconds=i % 3 * 20))
        for i in range(50)
    ]
    v = village(posts)

    def flapping(when: datetime) -> str:
        if when >= AT + timedelta(hours=1):
            return "up"
        return "up" if (when - AT).total_seconds() % 150 < 30 else "refuse"

    when = AT
    while when <= AT + timedelta(hours=1, minutes=20):
        v.link.state = flapping(when)
        v.tick(when)
        when += timedelta(seconds=30)
    rows = v.rows()
    assert {r.state for r in rows.values()} == {"published"}, {
        k: (r.state, r.error_message) for k, r in rows.items() if r.state != "published"
    }
    assert all(len(v.public(p)) == 1 for p, _, _ in posts)
    for account in names:
        mine = [p for p, a, _ in posts if a == account]
        order = [p for post in v.fake.posts for p in mine if f"[{p}]" in str(post.get("text"))]
        assert order == mine, account
    assert all(r.failed == 0 for r in v.reports)


def test_a_connection_cut_after_the_request_was_sent_is_unknown_then_found_never_twice(
    village: Make,
) -> None:
    v = village([("apel", "fb1", AT)])
    v.link.state = "cut"  # the post reaches the platform; its answer is lost
    v.tick(AT)
    [row] = v.rows().values()
    assert row.state == "unknown"
    assert len(v.public("apel")) == 1
    v.run(AT + MINUTE, AT + 10 * MINUTE, lambda _: "up")
    [row] = v.rows().values()
    assert row.state == "published"
    assert len(v.public("apel")) == 1


def test_a_database_lost_after_a_post_went_out_finds_it_instead_of_sending_it_again(
    village: Make, tmp_path: Path
) -> None:
    v = village([("apel", "fb1", AT)])
    v.run(AT, AT, lambda _: "up")
    assert len(v.public("apel")) == 1
    v.store.close()
    fresh = tmp_path / "fresh.db"  # the laptop's disk was replaced an hour later
    v.store = open_store(f"sqlite:///{fresh}")
    set_created_at(v.store, AT + timedelta(hours=1))
    v.run(AT + timedelta(hours=1), AT + timedelta(hours=1, minutes=5), lambda _: "up")
    [row] = v.rows().values()
    assert row.state == "published"
    assert row.permalink
    assert len(v.public("apel")) == 1


def test_a_backup_taken_while_publishing_restores_to_a_store_that_publishes_nothing_twice(
    sqlite_village: Make, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The copy holds one post mid-publication and misses one published after it: both are
    looked up on the platform, found, and not sent again."""
    from scheduler.backup import backup

    posts = [("apel", "fb1", AT), ("kerja-bakti", "fb2", AT), ("rapat", "fb1", AT + 10 * MINUTE)]
    v = sqlite_village(posts)
    live = tmp_path / "jadwal.db"
    v.fake.slow_next(3.0, path_contains="1002/feed")  # published, then answered late
    ticking = threading.Thread(target=v.tick, args=(AT,))
    ticking.start()
    assert wait_until(
        lambda: (
            v.rows().get("kerja-bakti", None) is not None
            and v.rows()["kerja-bakti"].state == "publishing"
        )
    )
    copy = backup(f"sqlite:///{live}", tmp_path / "backup.db", now=AT + timedelta(seconds=30))
    ticking.join()
    v.run(AT + 10 * MINUTE, AT + 10 * MINUTE, lambda _: "up")
    assert [len(v.public(p)) for p, _, _ in posts] == [1, 1, 1]
    v.store.close()  # the disk dies; last night's copy is put back
    shutil.copyfile(copy.target, live)
    v.store = open_store(f"sqlite:///{live}")
    v.run(AT + 20 * MINUTE, AT + 30 * MINUTE, lambda _: "up")
    rows = v.rows()
    assert {p: r.state for p, r in rows.items()} == dict.fromkeys(
        ("apel", "kerja-bakti", "rapat"), "published"
    )
    assert [len(v.public(p)) for p, _, _ in posts] == [1, 1, 1]  # nothing twice
    assert len(lines(caplog, "this database is a backup taken into use")) == 1


def test_a_daemon_publishes_again_once_another_process_found_the_connection_back(
    village: Make,
) -> None:
    """The daemon keeps its context from run to run; a ``tick`` beside it (or a second
    daemon) may be the one whose check finds the connection back."""
    v = village([("apel", "fb1", AT), ("rapat", "fb1", AT + 10 * MINUTE)])
    daemon = Context(
        calendar=v.calendar,
        store=v.store,
        owner="village:daemon",
        adapter_for=adapter_factory(v.calendar, None),
    )
    daemon.clock = lambda: v.now
    v.link.state = "refuse"
    v.now = AT
    assert publish_due(daemon, AT).summary() == "1 waiting for the connection"
    v.link.state = "up"
    assert v.tick(AT + 2 * MINUTE).summary() == "1 published"  # the tick's check found it back
    v.now = AT + 10 * MINUTE
    assert publish_due(daemon, v.now).summary() == "1 published"
    assert [len(v.public(p)) for p in ("apel", "rapat")] == [1, 1]


def test_a_new_database_during_an_outage_looks_posts_up_once_the_connection_is_back(
    village: Make,
) -> None:
    v = village([("apel", "fb1", AT)])
    set_created_at(v.store, AT + 30 * MINUTE)  # a fresh install, half an hour after the post
    v.link.state = "refuse"
    v.run(AT + 30 * MINUTE, AT + 40 * MINUTE, lambda _: "refuse")
    [row] = v.rows().values()
    assert row.state == "unknown"  # it can't be looked up, so it is never sent unasked
    assert v.fake.posts == []
    v.run(AT + 41 * MINUTE, AT + 45 * MINUTE, lambda _: "up")
    [row] = v.rows().values()
    assert row.state == "published"
    assert len(v.public("apel")) == 1
