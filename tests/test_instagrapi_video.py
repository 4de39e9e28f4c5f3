"""Videos through instagrapi's real upload code — ``clip_upload``, ``video_upload_to_story``
and ``album_upload`` with a real MP4 made by ffmpeg for the test — with ``responses``
standing in for Instagram (the saved session's ``requests`` transport). Reels and carousel
videos go with the cover frame jadwal takes (``platforms.frames``), never one made by
MoviePy, which is not installed; a story sends none."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import responses
from PIL import Image

from scheduler.adapters.base import Progress
from scheduler.adapters.dryrun import DryRunAdapter
from scheduler.adapters.instagrapi.adapter import InstagrapiAdapter
from scheduler.calendar.model import Calendar
from scheduler.errors import Rejected
from scheduler.platforms.destination import Destination
from scheduler.platforms.frames import cover_frame
from scheduler.platforms.rules import plan
from tests import test_instagram_private as private
from tests.helpers import VIDEO_SIZE, real_mp4
from tests.test_instagram_private import (
    API,
    AT,
    CAPTION,
    STORIES,
    USER_ID,
    draft,
    feed,
    media_item,
)

# The signed-in adapter and its fake Instagram, as the other instagrapi tests have them.
adapter, calendar, instagram = private.adapter, private.calendar, private.instagram
saved_session, sessions = private.saved_session, private.sessions
_no_input, _no_waiting = private._no_input, private._no_waiting

RUPLOAD_VIDEO = re.compile(r"https://i\.instagram\.com/rupload_igvideo/.+")
RUPLOAD_PHOTO = re.compile(r"https://i\.instagram\.com/rupload_igphoto/.+")
UPLOAD_SETTINGS = re.compile(r"https://i\.instagram\.com/upload_settings/.+")
CLIPS = f"{API}media/configure_to_clips/"
STORY = f"{API}media/configure_to_story/"
SIDECAR = f"{API}media/configure_sidecar/"
NO_FFMPEG_SAID = (
    "taking its cover frame needs the ffmpeg program, which is not installed here: install it "
    "(apt install ffmpeg, or pip install 'jadwal[video]'), or give a reel a cover image"
)
TRANSCODING = {"message": "Transcode not finished yet.", "status": "fail"}
WIDTH, HEIGHT = VIDEO_SIZE


@pytest.fixture
def video(calendar: Calendar) -> Path:
    path = calendar.folder / "media" / "senam.mp4"
    path.write_bytes(real_mp4())
    return path


def no_ffmpeg(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with neither ffmpeg on its PATH nor imageio-ffmpeg installed."""
    monkeypatch.setattr("shutil.which", lambda _name: None)
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # import fails: ImportError


def video_item(pk: str, code: str, **extra: Any) -> dict[str, Any]:
    versions = [{"url": "https://example.com/v.mp4", "width": WIDTH, "height": HEIGHT, "type": 101}]
    return media_item(pk, code, CAPTION, AT, media_type=2, video_versions=versions, **extra)


def video_uploads_ok(instagram: responses.RequestsMock) -> None:
    instagram.add(responses.POST, UPLOAD_SETTINGS, json={"status": "ok"})
    instagram.add(responses.GET, RUPLOAD_VIDEO, json={"offset": 0, "status": "ok"})
    instagram.add(responses.POST, RUPLOAD_VIDEO, json={"status": "ok"})
    instagram.add(responses.POST, RUPLOAD_PHOTO, json={"upload_id": "1", "status": "ok"})


def rupload_params(call: Any) -> dict[str, Any]:
    return dict(json.loads(call.request.headers["X-Instagram-Rupload-Params"]))


def video_upload_id(instagram: responses.RequestsMock) -> str:
    posts = [c for c in instagram.calls if "rupload_igvideo" in c.request.url]
    ids = {rupload_params(c).get("upload_id") for c in posts if c.request.method == "POST"}
    assert len(ids) == 1
    return str(ids.pop())


def thumbnail_sent(instagram: responses.RequestsMock, upload_id: str) -> Image.Image:
    """The still image uploaded with the video (the photo upload carrying its upload id)."""
    [call] = [
        c
        for c in instagram.calls
        if "rupload_igphoto" in c.request.url and rupload_params(c)["upload_id"] == upload_id
    ]
    return Image.open(io.BytesIO(call.request.body))


def shape(size: tuple[int, int]) -> float:
    return round(size[0] / size[1], 2)


def assert_jadwals_frame(
    calendar: Calendar, video: Path, instagram: responses.RequestsMock
) -> None:
    """The video went with a still image, the frame jadwal took, not instagrapi's."""
    thumbnail_sent(instagram, video_upload_id(instagram))
    assert cover_frame(video, calendar.media_cache_dir).is_file()
    # instagrapi's own thumbnail would have been written next to the video, in the repository.
    assert not Path(f"{video}.jpg").exists()


def test_a_reel_goes_out_through_clip_upload_with_a_frame_of_the_video(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    video: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    video_uploads_ok(instagram)
    instagram.add(
        responses.POST, CLIPS, json={"media": video_item("81", "DReel81"), "status": "ok"}
    )

    published = adapter.publish(draft(calendar, "senam.mp4", kind="reel"), Progress())

    assert published.permalink == "https://www.instagram.com/p/DReel81/"
    assert_jadwals_frame(calendar, video, instagram)
    cover = thumbnail_sent(instagram, video_upload_id(instagram))
    assert shape(cover.size) == shape((WIDTH, HEIGHT))  # the video's 9:16, rescaled
    assert capsys.readouterr().out == ""  # instagrapi's "Analyzing CLIP file" went to its log


def test_a_reel_with_an_image_has_that_image_as_its_cover(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    video: Path,
) -> None:
    video_uploads_ok(instagram)
    instagram.add(
        responses.POST, CLIPS, json={"media": video_item("82", "DReel82"), "status": "ok"}
    )
    cover = calendar.folder / "media" / "kerja-bakti.jpg"

    adapter.publish(draft(calendar, "senam.mp4", "kerja-bakti.jpg", kind="reel"), Progress())

    sent = thumbnail_sent(instagram, video_upload_id(instagram))
    with Image.open(cover) as original:
        assert shape(sent.size) == shape(original.size)
    assert not Path(f"{video}.jpg").exists()


def test_a_video_story_goes_out_through_video_upload_to_story(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    video: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Instagram takes a story's cover from the video: no frame, so no ffmpeg needed."""
    no_ffmpeg(monkeypatch)
    video_uploads_ok(instagram)
    instagram.add(responses.GET, STORIES, json={"items": [], "status": "ok"})
    story = video_item("83", "DStory83")
    instagram.add(responses.POST, STORY, json={"media": story, "status": "ok"})

    published = adapter.publish(draft(calendar, "senam.mp4", kind="story"), Progress())

    assert published.permalink == "https://www.instagram.com/stories/desa.maju/83/"
    assert [c for c in instagram.calls if "rupload_igphoto" in c.request.url] == []
    assert not Path(f"{video}.jpg").exists()


def test_a_carousel_with_a_video_goes_out_through_album_upload(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    video: Path,
) -> None:
    video_uploads_ok(instagram)
    instagram.add(responses.GET, re.compile(f"{API}feed/user/{USER_ID}/.*"), json=feed())
    album = media_item("84", "DAlbum84", CAPTION, AT, media_type=8)
    instagram.add(responses.POST, SIDECAR, json={"media": album, "status": "ok"})

    published = adapter.publish(draft(calendar, "posyandu.jpg", "senam.mp4"), Progress())

    assert published.permalink == "https://www.instagram.com/p/DAlbum84/"
    assert_jadwals_frame(calendar, video, instagram)
    assert "video_rupload" not in vars(adapter.client())  # the client is left as it was


def test_instagram_still_transcoding_is_configured_again(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    video: Path,
) -> None:
    """Its answer says nothing was published: the one repeat of configure let through."""
    video_uploads_ok(instagram)
    instagram.add(responses.POST, CLIPS, status=202, json=TRANSCODING)
    instagram.add(
        responses.POST, CLIPS, json={"media": video_item("85", "DReel85"), "status": "ok"}
    )

    published = adapter.publish(draft(calendar, "senam.mp4", kind="reel"), Progress())

    assert published.platform_post_id == "85"
    assert len([c for c in instagram.calls if c.request.url.startswith(CLIPS)]) == 2


def test_without_ffmpeg_a_video_without_a_cover_is_not_sent(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    video: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_ffmpeg(monkeypatch)

    with pytest.raises(Rejected) as caught:
        adapter.publish(draft(calendar, "senam.mp4", kind="reel"), Progress())

    assert caught.value.message == f"{video}: {NO_FFMPEG_SAID}"
    assert len(instagram.calls) == 0  # nothing was sent


def test_a_video_ffmpeg_cannot_read_is_not_sent(
    adapter: InstagrapiAdapter, calendar: Calendar, instagram: responses.RequestsMock
) -> None:
    broken = calendar.folder / "media" / "rusak.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)

    with pytest.raises(Rejected) as caught:
        adapter.publish(draft(calendar, "rusak.mp4", kind="reel"), Progress())

    assert caught.value.message.startswith(
        f"{broken}: no cover frame could be taken from the video ("
    )
    assert caught.value.message.endswith(
        "). Export it again as MP4, or give the post a cover image."
    )
    assert len(instagram.calls) == 0


def dry_run(calendar: Calendar) -> DryRunAdapter:
    return DryRunAdapter(
        calendar.folder / ".jadwal" / "dryrun", calendar, calendar.accounts["desa-ig"]
    )


def test_a_dry_run_of_a_reel_takes_the_frame_the_real_run_would(
    calendar: Calendar, video: Path
) -> None:
    adapter = dry_run(calendar)
    reel = draft(calendar, "senam.mp4", kind="reel")

    adapter.publish(reel, Progress())

    frame = cover_frame(video, calendar.folder / ".jadwal" / "dryrun" / "media")
    written = adapter.path_for(reel).read_text(encoding="utf-8")
    shown = frame.relative_to(calendar.folder).as_posix()
    assert f"  - media/senam.mp4: uploaded, with the frame {shown}\n" in written


def test_without_ffmpeg_the_dry_run_refuses_the_reel_as_the_real_run_does(
    adapter: InstagrapiAdapter,
    calendar: Calendar,
    instagram: responses.RequestsMock,
    video: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    no_ffmpeg(monkeypatch)
    reel = draft(calendar, "senam.mp4", kind="reel")
    with pytest.raises(Rejected) as real:
        adapter.publish(reel, Progress())

    with pytest.raises(Rejected) as dry:
        dry_run(calendar).publish(reel, Progress())

    assert dry.value.message == real.value.message


def test_check_warns_of_a_missing_ffmpeg_where_a_frame_is_needed(
    calendar: Calendar, video: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a warning: the machine that checks may not be the one that publishes."""
    no_ffmpeg(monkeypatch)
    where = Destination.of(calendar, calendar.accounts["desa-ig"])
    image = calendar.folder / "media" / "posyandu.jpg"

    carousel = plan(where, "feed", [image, video], CAPTION).findings
    with_cover = plan(where, "reel", [video, image], CAPTION).findings

    assert [(f.severity, f.message) for f in carousel] == [
        ("warning", f"media 'media/senam.mp4': {NO_FFMPEG_SAID}")
    ]
    assert with_cover == ()
