"""Village internet on the second host: Instagram's upload host (``rupload.facebook.com``) down
while the Graph API answers, ``tick`` after ``tick`` on a clock the test holds (as in
``test_outage``), SQLite.

An Instagram reel without a public URL needs both hosts: its container is made on the Graph
API, its bytes go to the upload host (``adapters.graph.resumable``). A Facebook Page video by
Meta's Resumable Upload API needs only the Graph API (its upload sessions live there). The
upload host sits behind ``tests.netproxy``; the Graph API is reached directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.adapters import network
from scheduler.adapters.graph import polling, resumable
from scheduler.calendar import load_calendar
from scheduler.database import open_store
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.netproxy import Link
from tests.reliability.test_faults_routes import small_video
from tests.reliability.test_outage import Village

TOKEN = "EAAGuploadOUTAGEtoken0123456789abcdef"
USER_TOKEN = "EAAGuploadOUTAGEuser0123456789abcdef0"
APP_ID = "880002"
AT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta
MINUTE = timedelta(minutes=1)
DOWN, UP = AT - 5 * MINUTE, AT + timedelta(hours=3) - 5 * MINUTE  # 08:55 to 11:55 WIB
ACCOUNTS = (
    "  igr: {platform: instagram, ig_user_id: '17841', page_id: '2001', token: '${META_TOKEN}'}\n"
    "  fbv: {platform: facebook, page_id: '1001', token: '${META_TOKEN}', "
    "app_id: '${META_APP_ID}', user_token: '${META_USER_TOKEN}'}\n"
)


def post_yaml(post_id: str, account: str, at: datetime, kind: str, media: str | None) -> str:
    return (
        f"  - id: {post_id}\n    accounts: [{account}]\n    at: '{at.isoformat()}'\n"
        f"    kind: {kind}\n    caption: 'Pengumuman {post_id} [{post_id}]'\n"
        + (f"    media: [media/{media}]\n" if media else "")
    )


CALENDAR = (
    "version: 1\ntimezone: Asia/Jakarta\n"
    f"accounts:\n{ACCOUNTS}"
    "media: {staging: facebook_page}\n"  # the images; videos without a URL are uploaded
    "rules: {min_posts_per_week: 0, grace: 6h}\nposts:\n"
    + post_yaml("reel", "igr", AT, "reel", "klip.mp4")
    + post_yaml("foto", "igr", AT + 20 * MINUTE, "feed", "posyandu.jpg")
    + post_yaml("video", "fbv", AT, "feed", "klip.mp4")
    + post_yaml("teks", "fbv", AT + 30 * MINUTE, "feed", None)
)


@dataclass
class Office(Village):
    """``test_outage``'s ticks on a held clock, with the reel's containers counted."""

    def containers(self) -> int:
        """Instagram containers made: one for each try of the reel."""
        made = [r for r in self.fake.requests if r["path"].endswith("/17841/media")]
        return sum(1 for r in made if r["params"].get("media_type") == "REELS")

    def public(self, kind: str) -> list[dict[str, object]]:
        return [p for p in self.fake.posts if p["kind"] == kind]


@pytest.fixture
def office(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Office]:
    # Container reads a few hundredths of a second apart: the test's clock is not the sleeps'.
    monkeypatch.setattr(polling, "DEFAULT", polling.Schedule(first=0.02, cap=0.05, limit=3.0))
    # A black hole answers nothing: the waits for an answer are a second here, not a minute.
    monkeypatch.setattr(resumable, "ANSWER_TIMEOUT", 1.0)
    monkeypatch.setattr(resumable, "CONNECT_TIMEOUT", 1.0)
    monkeypatch.setattr(network, "PROBE_TIMEOUT", (1.0, 0.1))
    fake = FakeGraph(container_delay=0.0).start()
    fake.add_token(TOKEN, pages=["1001", "2001"], ig_users=["17841"])
    fake.add_token(USER_TOKEN, kind="user")
    fake.add_app_role(APP_ID, USER_TOKEN)
    link = Link(fake.url)  # the upload host's side of the village's connection
    for name, value in {
        "JADWAL_GRAPH_URL": fake.url,
        "JADWAL_RUPLOAD_URL": link.url,
        "META_TOKEN": TOKEN,
        "META_APP_ID": APP_ID,
        "META_USER_TOKEN": USER_TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    path = write_calendar(CALENDAR)
    (path.parent / "media").mkdir(exist_ok=True)
    (path.parent / "media" / "klip.mp4").write_bytes(small_video())
    store = open_store(f"sqlite:///{tmp_path / 'jadwal.db'}")
    made = Office(fake, link, store, load_calendar(path))
    fake.clock = lambda: made.now
    yield made
    store.close()
    link.stop()
    fake.stop()
    assert not fake.server_errors, fake.server_errors[0]


def outage(state: str) -> Callable[[datetime], str]:
    return lambda when: state if DOWN <= when < UP else "up"


def lines(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if text in r.getMessage()]


# A black hole answers no check either: each of its 175 checks waits for its timeout (0.1 s).
@pytest.mark.parametrize("state", ["refuse", pytest.param("blackhole", marks=pytest.mark.slow)])
def test_an_upload_host_down_for_hours_holds_only_the_reel_which_goes_out_once_on_its_return(
    office: Office, caplog: pytest.LogCaptureFixture, state: str
) -> None:
    caplog.set_level(logging.INFO, logger="jadwal")
    o = office
    o.run(AT - 10 * MINUTE, UP - MINUTE, outage(state))
    rows = o.rows()
    # The Page's video and text, and the Instagram account's photo, need only the Graph API:
    # they went out on time, while the reel waited for the upload host.
    for post_id in ("video", "teks", "foto"):
        assert rows[post_id].state == "published", post_id
        assert rows[post_id].published_at == rows[post_id].scheduled_at, post_id
    assert len(o.public("fb_video")) == 1
    assert len(o.public("ig_image")) == 1
    assert rows["reel"].state == "retry"
    assert rows["reel"].error_message is not None
    assert rows["reel"].error_message.startswith(
        f"waiting for the connection: 127.0.0.1:{o.link.port}: "
    )
    # One try found the host down; then the reel waited, untried, its budget untouched.
    assert o.containers() == 1
    assert [a.outcome for a in o.store.attempts(rows["reel"].key)] == ["offline"]
    assert o.public("ig_reel") == []
    assert all(r.failed == 0 for r in o.reports)

    o.run(UP, UP + 10 * MINUTE, outage(state))
    rows = o.rows()
    assert rows["reel"].state == "published"
    assert rows["reel"].published_at is not None and rows["reel"].published_at - UP <= MINUTE
    assert len(o.public("ig_reel")) == 1
    assert o.containers() == 2
    assert [a.outcome for a in o.store.attempts(rows["reel"].key)] == ["offline", "published"]

    where = f"127.0.0.1:{o.link.port}"
    why = {
        "refuse": "could not connect (connection refused)",
        "blackhole": "no answer",
    }[state]
    assert lines(caplog, "no connection to") == [
        f"no connection to the Instagram upload host since 2027-03-01 09:00 WIB ({where}: {why})."
        " Posts wait for it and go out as soon as it is back, within their grace period; "
        "checking once a minute"
    ]
    assert lines(caplog, "is back after") == [
        f"connection to the Instagram upload host ({where}) is back after 2h55m "
        "(lost at 2027-03-01 09:00 WIB); publishing what waited"
    ]


def test_an_upload_cut_half_way_then_an_outage_ends_with_one_reel(
    office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    o = office
    o.link.cut_after = len(small_video()) // 2
    o.link.state = "cut_upload"
    states = iter(["cut_upload"])  # the first upload is cut half way; then the host is gone
    o.link.schedule = lambda: next(states, "refuse")
    o.tick(AT)
    rows = o.rows()
    assert rows["reel"].state == "retry"
    assert o.public("ig_reel") == []
    o.link.schedule = None
    o.run(AT + MINUTE, AT + 30 * MINUTE, lambda _: "refuse")
    assert o.containers() == 1
    o.run(AT + 31 * MINUTE, AT + 40 * MINUTE, lambda _: "up")
    rows = o.rows()
    assert rows["reel"].state == "published"
    assert len(o.public("ig_reel")) == 1
    assert o.containers() == 2


def test_the_two_lines_of_an_upload_host_outage_in_indonesian(
    office: Office, caplog: pytest.LogCaptureFixture
) -> None:
    from scheduler import i18n

    caplog.set_level(logging.INFO, logger="jadwal")
    i18n.set_language("id")  # the conftest sets English back after each test
    o = office
    o.run(AT, AT + 20 * MINUTE, lambda when: "refuse" if when < AT + 10 * MINUTE else "up")
    assert len(o.public("ig_reel")) == 1
    where = f"127.0.0.1:{o.link.port}"
    assert lines(caplog, "koneksi ke") == [
        f"tidak ada koneksi ke server unggah video Instagram sejak 2027-03-01 09:00 WIB ({where}: "
        "tidak bisa tersambung (connection refused)). Unggahan menunggu dan terbit begitu koneksi "
        "kembali, selama masa tenggangnya; diperiksa sekali semenit",
        f"koneksi ke server unggah video Instagram ({where}) kembali setelah 10m (putus sejak "
        "2027-03-01 09:00 WIB); menerbitkan yang menunggu",
    ]
