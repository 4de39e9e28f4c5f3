"""The instagrapi adapter on instagrapi's default transport, libcurl through curl_cffi over
HTTPS and HTTP/2, the way a production daemon sends: instagrapi's own code down to the bytes
on the wire, against a local stand-in for Instagram (``tests.h2server``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from instagrapi import Client

from scheduler.adapters.base import Progress
from scheduler.adapters.instagrapi.adapter import InstagrapiAdapter
from scheduler.adapters.instagrapi.session import save_session, session_path
from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.errors import OutcomeUnknown
from tests.conftest import WriteCalendar
from tests.h2server import Answer, H2Server, h2_server
from tests.helpers import VIDEO_SIZE, real_mp4
from tests.test_instagram_private import (
    AT,
    CALENDAR,
    CAPTION,
    RESENT,
    SESSIONID,
    USER_ID,
    draft,
    feed,
    media_item,
)

CONFIGURE = "/api/v1/media/configure/"


@pytest.fixture(autouse=True)
def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """instagrapi sleeps before every request, and 60 s before re-sending after a 408."""
    monkeypatch.setattr("time.sleep", lambda _seconds: None)


@pytest.fixture
def calendar(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Calendar:
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path / "sessions"))
    return load_calendar(write_calendar(CALENDAR))


def instagram(configure: list[tuple[int, dict[str, object]] | None]) -> Answer:
    """Instagram's answers: the feed, photo uploads, and ``configure`` in turn."""

    def answer(path: str, earlier: int) -> tuple[int, bytes] | None:
        if path == CONFIGURE:
            said = configure[min(earlier, len(configure) - 1)]
            return None if said is None else (said[0], json.dumps(said[1]).encode())
        if path.startswith("/rupload_igphoto/"):
            return 200, b'{"upload_id": "1", "status": "ok"}'
        if path.startswith(f"/api/v1/feed/user/{USER_ID}/"):
            return 200, json.dumps(feed()).encode()
        return 404, b'{"status": "fail", "message": "not here"}'

    return answer


def curl_adapter(
    calendar: Calendar, server: H2Server, monkeypatch: pytest.MonkeyPatch
) -> InstagrapiAdapter:
    import instagrapi.config

    monkeypatch.setattr(instagrapi.config, "API_DOMAIN", f"127.0.0.1:{server.port}")
    # requests lets these override a session's own CA file: the stand-in's must count.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    account = calendar.accounts["desa-ig"]
    signed_in = Client()
    signed_in.authorization_data = {"ds_user_id": USER_ID, "sessionid": SESSIONID}
    signed_in.set_tls_verify(str(server.certificate))  # trust the stand-in's certificate
    save_session(signed_in, session_path(account))
    adapter = InstagrapiAdapter(calendar, account)  # the daemon's client: the curl transport
    assert adapter.client().private_transport == "curl"
    return adapter


POSTED = {"media": media_item("3301234567890123456", "DAbC123xYz", CAPTION, AT), "status": "ok"}


def test_curl_publishes_a_photo_through_instagrapi(
    calendar: Calendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with h2_server(tmp_path, instagram([(200, POSTED)])) as server:
        adapter = curl_adapter(calendar, server, monkeypatch)
        published = adapter.publish(draft(calendar), Progress())

    assert published.permalink == "https://www.instagram.com/p/DAbC123xYz/"
    assert server.paths.count(CONFIGURE) == 1


def test_curl_a_408_to_configure_is_never_sent_again(
    calendar: Calendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """instagrapi re-sends after HTTP 408 (60 s later): the first may have published."""
    answers = instagram([(408, {"message": "Request Timeout"}), (200, POSTED)])
    with h2_server(tmp_path, answers) as server:
        adapter = curl_adapter(calendar, server, monkeypatch)
        with pytest.raises(OutcomeUnknown) as caught:
            adapter.publish(draft(calendar), Progress())

    assert caught.value.message == RESENT.format(first="Instagram answered HTTP 408")
    assert server.paths.count(CONFIGURE) == 1


def test_curl_a_reset_answer_to_configure_is_unknown_and_not_sent_again(
    calendar: Calendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with h2_server(tmp_path, instagram([None, (200, POSTED)])) as server:
        adapter = curl_adapter(calendar, server, monkeypatch)
        with pytest.raises(OutcomeUnknown, match="may have published it"):
            adapter.publish(draft(calendar), Progress())

    assert server.paths.count(CONFIGURE) == 1


# -- video, on the same transport ------------------------------------------------------------

CLIPS = "/api/v1/media/configure_to_clips/"
STORY = "/api/v1/media/configure_to_story/"
SIDECAR = "/api/v1/media/configure_sidecar/"


def with_video(configured: dict[str, tuple[int, dict[str, object]]]) -> Answer:
    """Instagram's answers to a video's uploads (its bytes, then its cover as a photo) and
    to the configure call each kind ends with."""
    photos = instagram([(200, POSTED)])

    def answer(path: str, earlier: int) -> tuple[int, bytes] | None:
        if path in configured:
            status, said = configured[path]
            return status, json.dumps(said).encode()
        if path.startswith("/rupload_igvideo/"):
            return 200, b'{"offset": 0, "status": "ok"}'
        if path.startswith("/upload_settings/"):
            return 200, b'{"status": "ok"}'
        return photos(path, earlier)

    return answer


def video_item(pk: str, code: str) -> dict[str, object]:
    width, height = VIDEO_SIZE
    versions = [{"url": "https://example.com/v.mp4", "width": width, "height": height, "type": 101}]
    return media_item(pk, code, CAPTION, AT, media_type=2, video_versions=versions)


def sent(server: H2Server, start: str) -> list[bytes]:
    return [body for path, body in server.bodies if path.startswith(start) and body]


@pytest.mark.parametrize(
    ("kind", "media", "configure", "link", "covered"),
    [
        ("reel", ("senam.mp4",), CLIPS, "p/DReel81/", True),
        ("story", ("senam.mp4",), STORY, "stories/desa.maju/81/", False),
        ("feed", ("posyandu.jpg", "senam.mp4"), SIDECAR, "p/DAlbum83/", True),
    ],
)
def test_curl_sends_a_video_whole_with_jadwals_cover_and_configures_it_once(
    calendar: Calendar,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    media: tuple[str, ...],
    configure: str,
    link: str,
    covered: bool,
) -> None:
    """instagrapi's clip_upload, video_upload_to_story and album_upload on the transport a
    daemon uses: the video's bytes arrive whole, a JPEG cover goes with a reel's and an album's
    (jadwal's frame, not one instagrapi writes beside the video in the calendar's folder; a
    story's cover Instagram takes from the video), and the post is configured exactly once."""
    video = calendar.folder / "media" / "senam.mp4"
    video.write_bytes(real_mp4())
    item = video_item("81", link.split("/")[-2])
    said = {"media": item, "status": "ok"}
    if configure == SIDECAR:
        said = {"media": {**item, "media_type": 8, "carousel_media": [item]}, "status": "ok"}
    with h2_server(tmp_path, with_video({configure: (200, said)})) as server:
        adapter = curl_adapter(calendar, server, monkeypatch)
        published = adapter.publish(draft(calendar, *media, kind=kind), Progress())

    assert published.permalink == f"https://www.instagram.com/{link}"
    assert b"".join(sent(server, "/rupload_igvideo/")) == video.read_bytes()
    covers = [body for body in sent(server, "/rupload_igphoto/") if body.startswith(b"\xff\xd8")]
    assert len(covers) == (2 if kind == "feed" else 1 if covered else 0)  # an album's photo too
    assert not Path(f"{video}.jpg").exists()
    assert server.paths.count(configure) == 1
