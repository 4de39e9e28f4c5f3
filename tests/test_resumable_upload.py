"""Instagram video without a public URL: the resumable upload, against the fake Graph API and
its upload host, directly and through a link that cuts the upload half way."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests

from scheduler import i18n
from scheduler.adapters import adapter_factory
from scheduler.adapters.base import Progress
from scheduler.adapters.dryrun import DryRunAdapter
from scheduler.adapters.graph.resumable import ANSWER_TIMEOUT, ResumableUpload
from scheduler.adapters.network import Endpoint, upload_seconds
from scheduler.calendar import Calendar
from scheduler.check import check_calendar
from scheduler.errors import Offline, Transient
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.netproxy import Link
from tests.test_mediaprep import FTYP, box, mvhd
from tests.test_verdicts import AT, IG, PAGE, TOKEN, Case, draft, write_case

REEL = Case("reel, no public URL", "graph-no-route", "reel", ("klip.mp4",), None)
VIDEO_BYTES = 300_000


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=0.0).start()
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG])
    fake.clock = lambda: AT
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("JADWAL_RUPLOAD_URL", fake.url)
    monkeypatch.setenv("TOKEN", TOKEN)
    yield fake
    fake.stop()


def reel_calendar(write_calendar: WriteCalendar, graph: FakeGraph) -> tuple[Calendar, bytes]:
    """A reel with no media route at all, its video big enough to be cut half way."""
    calendar = write_case(write_calendar, graph, REEL)
    video = calendar.folder / "media" / "klip.mp4"
    moov = box(b"moov", mvhd(1000, 20_000) + box(b"trak"))
    video.write_bytes(FTYP + moov + box(b"mdat", os.urandom(VIDEO_BYTES)))
    return calendar, video.read_bytes()


def uploads(graph: FakeGraph) -> list[tuple[str, Any, Any]]:
    return [
        (r["method"], r["params"]["offset"], r["params"]["file_size"])
        for r in graph.requests
        if r["path"].startswith("/ig-api-upload/")
    ]


def publish(calendar: Calendar) -> None:
    adapter = adapter_factory(calendar, None)(calendar.accounts["acc"])
    adapter.publish(draft(calendar, REEL), Progress())


def test_check_accepts_a_reel_without_a_public_url(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    calendar, _ = reel_calendar(write_calendar, graph)
    assert [p for p in check_calendar(calendar.path, date(2027, 2, 1)) if p.is_error] == []


def test_a_reel_without_a_public_url_is_uploaded_whole_and_published_once(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    calendar, video = reel_calendar(write_calendar, graph)
    publish(calendar)

    (created,) = [r for r in graph.requests if r["path"] == f"/v25.0/{IG}/media"]
    assert created["params"]["upload_type"] == "resumable"
    assert "video_url" not in created["params"]
    assert uploads(graph) == [("POST", "0", str(len(video)))]
    (post,) = graph.posts
    assert post["kind"] == "ig_reel"
    assert post["media"] == ["sha256:" + hashlib.sha256(video).hexdigest()]


def test_an_upload_cut_half_way_resumes_from_the_platforms_offset(
    graph: FakeGraph, write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    calendar, video = reel_calendar(write_calendar, graph)
    states = iter(["cut_upload"])
    link = Link(graph.url, schedule=lambda: next(states, "up"))
    link.cut_after = VIDEO_BYTES // 2
    monkeypatch.setenv("JADWAL_RUPLOAD_URL", link.url)
    try:
        publish(calendar)
    finally:
        link.stop()

    first, asked, resumed = uploads(graph)
    assert first == ("POST", "0", str(len(video)))
    assert asked[0] == "GET"
    kept = int(resumed[1])
    assert 0 < kept < len(video)  # neither restarted nor already complete
    assert resumed == ("POST", str(kept), str(len(video)))
    (post,) = graph.posts
    assert post["media"] == ["sha256:" + hashlib.sha256(video).hexdigest()]


def test_an_upload_host_that_refuses_connections_is_offline(
    graph: FakeGraph, write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    calendar, _ = reel_calendar(write_calendar, graph)
    monkeypatch.setenv("JADWAL_RUPLOAD_URL", "http://127.0.0.1:9")  # nothing listens

    with pytest.raises(Offline) as raised:
        publish(calendar)
    assert raised.value.message == "127.0.0.1:9: could not connect (connection refused)"
    # The host that was not reached is the one to record offline, not the Graph API.
    assert raised.value.endpoint == Endpoint("the Instagram upload host", "http://127.0.0.1:9/")
    assert raised.value.endpoint.key == "127.0.0.1:9"
    assert graph.posts == []


def test_an_upload_host_that_answers_nothing_is_offline_after_one_question(
    tmp_path: Path,
) -> None:
    """A black hole: the upload's answer never comes, nor the answer to how far it got."""
    asked: list[str] = []

    class Session:
        def post(self, address: str, **kwargs: Any) -> Any:
            asked.append("POST")
            raise requests.ReadTimeout("read timed out")

        def get(self, address: str, **kwargs: Any) -> Any:
            asked.append("GET")
            raise requests.ReadTimeout("read timed out")

    video = tmp_path / "v.mp4"
    video.write_bytes(bytes(1000))
    with pytest.raises(Offline) as raised:
        ResumableUpload(TOKEN, "v25.0", "https://up.example", Session()).send("77", video)
    assert asked == ["POST", "GET"]  # not four uploads into the void
    assert raised.value.message == "up.example: no answer"
    assert raised.value.endpoint == Endpoint("the Instagram upload host", "https://up.example/")


def test_the_wait_for_an_upload_grows_with_what_is_left_to_send(tmp_path: Path) -> None:
    sent: list[Any] = []

    class Session:
        def post(self, address: str, **kwargs: Any) -> Any:
            sent.append((address, kwargs["timeout"], kwargs["headers"]["offset"]))
            return type("Answer", (), {"ok": True, "json": lambda _: {"success": True}})()

    video = tmp_path / "v.mp4"
    video.write_bytes(bytes(400_000))
    ResumableUpload(TOKEN, "v25.0", "https://up.example", Session()).send("77", video)

    (address, timeout, offset) = sent[0]
    assert address == "https://up.example/ig-api-upload/v25.0/77"
    assert timeout[1] == ANSWER_TIMEOUT + upload_seconds(400_000)
    assert offset == "0"


def test_the_dry_run_says_the_video_goes_by_resumable_upload(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    calendar, _ = reel_calendar(write_calendar, graph)
    adapter = DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["acc"]
    )
    adapter.publish(draft(calendar, REEL), Progress())
    written = adapter.path_for(draft(calendar, REEL)).read_text()
    assert "  - media/klip.mp4: sent to Instagram by resumable upload\n" in written


def test_the_dry_run_says_it_in_indonesian(graph: FakeGraph, write_calendar: WriteCalendar) -> None:
    calendar, _ = reel_calendar(write_calendar, graph)
    i18n.set_language("id")  # the suite's conftest speaks English again after the test
    adapter = DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["acc"]
    )
    adapter.publish(draft(calendar, REEL), Progress())
    written = adapter.path_for(draft(calendar, REEL)).read_text()
    heads = [line.split("  ")[0] for line in written.splitlines()[:5]]
    assert heads == ["akun:", "waktu:", "kunci:", "bentuk:", "media:"]
    assert "\nbentuk:  reel\nmedia:\n" in written
    assert (
        "  - media/klip.mp4: dikirim ke Instagram lewat unggahan bertahap (resumable upload)\n"
        in written
    )
    assert adapter.check()[0].detail == f"menulis unggahan ke {adapter.folder}"


def test_an_upload_cut_every_time_ends_the_try_without_publishing(
    graph: FakeGraph, write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    calendar, _ = reel_calendar(write_calendar, graph)
    link = Link(graph.url, schedule=lambda: "cut_upload")
    link.cut_after = VIDEO_BYTES // 4
    monkeypatch.setenv("JADWAL_RUPLOAD_URL", link.url)
    try:
        with pytest.raises(Transient) as raised:
            publish(calendar)
    finally:
        link.stop()
    assert raised.value.message == f"the video upload to 127.0.0.1:{link.port} was cut 4 times"
    assert graph.posts == []


def test_a_refused_upload_says_why_without_the_token(tmp_path: Path) -> None:
    class Session:
        def post(self, address: str, **kwargs: Any) -> Any:
            body = {"debug_info": {"retriable": False, "message": f"bad header OAuth {TOKEN}"}}
            return type("Answer", (), {"ok": False, "status_code": 400, "json": lambda _: body})()

    video = tmp_path / "v.mp4"
    video.write_bytes(bytes(1000))
    with pytest.raises(Transient) as raised:
        ResumableUpload(TOKEN, "v25.0", "https://up.example", Session()).send("77", video)
    assert raised.value.message == "the video upload was refused (400): bad header OAuth [secret]"
