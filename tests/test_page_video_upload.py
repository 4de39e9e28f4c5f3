"""Facebook Page video by Meta's Resumable Upload API (``user_token`` and ``app_id`` on the
account): an upload session of the app, the bytes (resumed after a cut), then the post by its
handle; ``check``, the dry run and ``accounts check`` say the same."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scheduler import cli
from scheduler.adapters import adapter_factory
from scheduler.adapters.base import Draft, Progress
from scheduler.adapters.dryrun import DryRunAdapter
from scheduler.calendar import Calendar, load_calendar
from scheduler.errors import Transient
from tests.conftest import WriteCalendar
from tests.fakegraph import FakeGraph
from tests.netproxy import Link
from tests.test_check import errors
from tests.test_mediaprep import FTYP, box, mvhd
from tests.test_verdicts import AT

TOKEN = "EAAGpagevideoPAGEtoken0123456789abcd"
USER_TOKEN = "EAAGpagevideoUSERtoken0123456789abcd"
APP_ID, PAGE = "880001", "1001"
VIDEO_BYTES = 300_000
ACCOUNT = (
    f"{{platform: facebook, page_id: '{PAGE}', token: '${{PAGE_TOKEN}}', "
    "app_id: '${META_APP_ID}', user_token: '${META_USER_TOKEN}'}"
)


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    fake.add_token(TOKEN, pages=[PAGE])
    fake.add_token(USER_TOKEN, kind="user")
    fake.add_app_role(APP_ID, USER_TOKEN)
    fake.clock = lambda: AT
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("PAGE_TOKEN", TOKEN)
    monkeypatch.setenv("META_APP_ID", APP_ID)
    monkeypatch.setenv("META_USER_TOKEN", USER_TOKEN)
    monkeypatch.setenv("COLUMNS", "250")  # one table row per line
    yield fake
    fake.stop()
    assert not fake.server_errors, fake.server_errors[0]


def video_calendar(write_calendar: WriteCalendar, account: str = ACCOUNT) -> Calendar:
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n  fb: {account}\n"
        "rules: {min_posts_per_week: 0}\nposts:\n"
        "  - id: video\n    accounts: [fb]\n    at: '2027-03-01 09:00'\n"
        "    caption: Kerja bakti di balai desa\n    media: [media/kerja.mp4]\n"
    )
    moov = box(b"moov", mvhd(1000, 20_000) + box(b"trak"))
    video = FTYP + moov + box(b"mdat", os.urandom(VIDEO_BYTES))
    (path.parent / "media" / "kerja.mp4").write_bytes(video)
    return load_calendar(path)


def the_draft(calendar: Calendar) -> Draft:
    return Draft(
        key="video/fb/20270301T0200Z",
        post_id="video",
        account="fb",
        platform="facebook",
        at=AT,
        caption="Kerja bakti di balai desa",
        media=(calendar.folder / "media" / "kerja.mp4",),
    )


def publish(calendar: Calendar) -> str:
    adapter = adapter_factory(calendar, None)(calendar.accounts["fb"])
    return adapter.publish(the_draft(calendar), Progress()).platform_post_id


def calls(graph: FakeGraph) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in graph.requests]


def test_a_page_video_goes_in_an_upload_session_then_is_published_by_its_handle(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    calendar = video_calendar(write_calendar)
    video = (calendar.folder / "media" / "kerja.mp4").read_bytes()
    post_id = publish(calendar)

    started, sent, posted = graph.requests[:3]
    assert (started["method"], started["path"]) == ("POST", f"/v25.0/{APP_ID}/uploads")
    assert started["params"] == {
        "file_name": "kerja.mp4",
        "file_length": str(len(video)),
        "file_type": "video/mp4",
    }
    assert started["auth"] == "header"
    assert (sent["method"], sent["path"], sent["params"]) == (
        "POST",
        "/v25.0/upload:000001",
        {"file_offset": "0"},
    )
    assert (posted["method"], posted["path"]) == ("POST", f"/v25.0/{PAGE}/videos")
    assert posted["params"]["fbuploader_video_file_chunk"].startswith("4:sha256:")
    assert "source" not in posted["params"]
    (post,) = graph.posts
    assert post["object_id"] == post_id and post["kind"] == "fb_video"  # the video id
    assert post["text"] == "Kerja bakti di balai desa"
    assert post["media"] == ["sha256:" + hashlib.sha256(video).hexdigest()]


def test_a_cut_upload_resumes_from_the_sessions_offset(
    graph: FakeGraph, write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    calendar = video_calendar(write_calendar)
    video = (calendar.folder / "media" / "kerja.mp4").read_bytes()
    # Connections in order: the session's start, then the upload (cut), then the rest.
    states = iter(["up", "cut_upload"])
    link = Link(graph.url, schedule=lambda: next(states, "up"))
    link.cut_after = VIDEO_BYTES // 2
    monkeypatch.setenv("JADWAL_GRAPH_URL", link.url)
    try:
        publish(calendar)
    finally:
        link.stop()

    uploads = [
        (r["method"], r["params"]["file_offset"])
        for r in graph.requests
        if r["path"].startswith("/v25.0/upload:")
    ]
    first, asked, resumed = uploads
    assert first == ("POST", "0") and asked == ("GET", None)
    assert 0 < int(resumed[1]) < len(video) and resumed[0] == "POST"
    assert graph.upload_sessions == 1
    (post,) = graph.posts
    assert post["media"] == ["sha256:" + hashlib.sha256(video).hexdigest()]


def test_a_refused_upload_session_publishes_nothing_and_never_shows_the_user_token(
    graph: FakeGraph, write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    calendar = video_calendar(write_calendar)
    graph.fail_next(1, code=1, message=f"Upload failed OAuth {USER_TOKEN}", path_contains="uploads")

    with pytest.raises(Transient) as raised:
        publish(calendar)
    assert USER_TOKEN not in raised.value.message
    assert "[secret]" in raised.value.message
    assert graph.posts == []


def test_check_and_the_dry_run_say_the_video_goes_by_resumable_upload(
    graph: FakeGraph, write_calendar: WriteCalendar
) -> None:
    calendar = video_calendar(write_calendar)
    assert errors(calendar.path) == []
    adapter = DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["fb"]
    )
    adapter.publish(the_draft(calendar), Progress())
    written = adapter.path_for(the_draft(calendar)).read_text()
    assert "  - media/kerja.mp4: sent to Facebook by resumable upload\n" in written
    assert graph.requests == []


def accounts_check(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, list[str]]:
    code = cli.run(["accounts", "check", "--calendar", str(path)])
    out = capsys.readouterr().out
    assert TOKEN not in out and USER_TOKEN not in out
    cells = [line.split("│")[3:5] for line in out.splitlines() if line.count("│") == 5]
    return code, [f"{check.strip()}: {result.strip()}" for check, result in cells]


def test_accounts_check_names_the_app_and_the_person_the_videos_go_as(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    calendar = video_calendar(write_calendar)
    code, found = accounts_check(capsys, calendar.path)
    assert code == 0
    assert found[-1] == (
        f"videos: ok sent by Meta's Resumable Upload API of app Aplikasi {APP_ID} as "
        "Fake User (user_token)"
    )


def test_accounts_check_fails_a_user_token_that_no_longer_works(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    calendar = video_calendar(write_calendar)
    graph.add_token(USER_TOKEN, kind="user", valid=False)
    code, found = accounts_check(capsys, calendar.path)
    assert code == 1
    assert found[-1] == (
        "videos: FIX user_token: the token is no longer valid: issue a new one and update the "
        "secret"
    )


def test_without_a_user_token_accounts_check_warns_of_the_undocumented_upload(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    account = f"{{platform: facebook, page_id: '{PAGE}', token: '${{PAGE_TOKEN}}'}}"
    calendar = video_calendar(write_calendar, account)
    code, found = accounts_check(capsys, calendar.path)
    assert code == 0
    assert found[-1] == (
        "videos: warning Page videos are uploaded with the post, which Meta's Video API guide "
        "no longer describes: add app_id and user_token to send them by the Resumable Upload API"
    )


def test_a_user_token_without_the_app_id_is_a_calendar_error(
    write_calendar: WriteCalendar,
) -> None:
    path = write_calendar(
        "version: 1\naccounts:\n  fb: {platform: facebook, page_id: '1', "
        "token: '${T}', user_token: '${U}'}\nposts: []\n"
    )
    assert errors(path) == [
        f"{path}:3:57: error: account 'fb' has user_token but no app_id: Meta's Resumable "
        "Upload API for Page videos needs the app's id too (or remove user_token)"
    ]


def test_the_app_id_beside_a_user_token_needs_no_app_secret(
    write_calendar: WriteCalendar,
) -> None:
    path = write_calendar(
        "version: 1\naccounts:\n  fb: {platform: facebook, page_id: '1', "
        "token: '${T}', app_id: '${A}', user_token: '${U}'}\nposts: []\n"
    )
    assert errors(path) == []
