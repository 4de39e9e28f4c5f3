"""Media preparation: images made to fit each platform, videos checked from their MP4 boxes.

Every image and video here is generated in tmp_path; no binary is committed.
"""

from __future__ import annotations

import random
import struct
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageCms, ImageStat

from scheduler.errors import Rejected
from scheduler.platforms import images
from scheduler.platforms.images import MediaError, frame_size, prepare_image
from scheduler.platforms.limits import IG_FEED, TARGETS, ratio_ok
from scheduler.platforms.video import check_video

RED = (220, 20, 20)
BLUE = (20, 40, 200)
GREEN = (0, 160, 0)
WHITE = (255, 255, 255)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def noise(width: int, height: int, seed: int = 7) -> Image.Image:
    data = random.Random(seed).randbytes(width * height * 3)
    return Image.frombytes("RGB", (width, height), data)


def near(pixel: object, colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(int(a) - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


# -- images: Instagram ------------------------------------------------------------------------


def test_a_fitting_jpeg_is_returned_as_it_is(tmp_path: Path, cache: Path) -> None:
    photo = save(noise(1080, 1080), tmp_path / "kegiatan.jpg", quality=85)

    assert prepare_image(photo, cache, "instagram") == photo
    assert not cache.exists() or not any(cache.iterdir())


def test_a_png_with_transparency_becomes_a_jpeg_white_where_it_was_clear(
    tmp_path: Path, cache: Path
) -> None:
    logo = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    logo.paste((*GREEN, 255), (200, 0, 400, 400))
    source = save(logo, tmp_path / "logo.png")

    prepared = prepare_image(source, cache, "instagram")

    assert prepared.parent == cache and prepared.suffix == ".jpg"
    with Image.open(prepared) as out:
        assert (out.format, out.mode, out.size) == ("JPEG", "RGB", (400, 400))
        assert near(out.getpixel((100, 200)), WHITE, 3)
        assert near(out.getpixel((300, 200)), GREEN)


def infographic() -> Image.Image:
    """1080×2400, with marks at every edge: if any were cropped, a mark would go missing."""
    image = Image.new("RGB", (1080, 2400), (128, 128, 128))
    image.paste(RED, (0, 0, 1080, 200))
    image.paste(BLUE, (0, 2200, 1080, 2400))
    image.paste((0, 0, 0), (0, 0, 40, 2400))
    image.paste((0, 0, 0), (1040, 0, 1080, 2400))
    return image


def test_a_too_tall_infographic_is_padded_to_4_5_and_loses_nothing(
    tmp_path: Path, cache: Path
) -> None:
    original = infographic()
    source = save(original, tmp_path / "sop-layanan.png")

    with Image.open(prepare_image(source, cache, "instagram")) as out:
        assert out.size == (1440, 1800)
        assert out.width * 5 == out.height * 4  # exactly 4:5
        # Scaled by 0.75 to fit 1440 px wide once padded: the content is 810 px wide, centred.
        left = (1440 - 810) // 2
        centre = out.crop((left, 0, left + 810, 1800))
        assert mean_difference(centre, original.resize((810, 1800), Image.Resampling.LANCZOS)) < 3
        assert near(out.getpixel((720, 3)), RED)  # the top edge is still there
        assert near(out.getpixel((720, 1796)), BLUE)  # and the bottom one
        assert near(out.getpixel((left + 8, 900)), (0, 0, 0))  # and both sides
        assert near(out.getpixel((left + 810 - 8, 900)), (0, 0, 0))
        assert near(out.getpixel((100, 900)), WHITE, 3)  # the bars are white
        assert near(out.getpixel((1340, 900)), WHITE, 3)


def test_a_too_wide_image_is_padded_to_1_91_and_at_most_1440_wide(
    tmp_path: Path, cache: Path
) -> None:
    banner = Image.new("RGB", (3000, 1000), (240, 140, 20))
    source = save(banner, tmp_path / "banner.jpg", quality=90)

    with Image.open(prepare_image(source, cache, "instagram")) as out:
        assert out.width <= 1440
        assert out.width / out.height <= 1.91
        assert out.width / out.height == pytest.approx(1.91, abs=0.01)
        assert near(out.getpixel((720, 2)), WHITE, 3)  # bars top and bottom
        assert near(out.getpixel((720, out.height - 3)), WHITE, 3)
        assert near(out.getpixel((720, out.height // 2)), (240, 140, 20))
        assert near(out.getpixel((3, out.height // 2)), (240, 140, 20))  # no side cropped


def test_a_photo_with_exif_orientation_6_comes_out_upright(tmp_path: Path, cache: Path) -> None:
    # Stored on its side, as phones do: the left half shows at the top once turned upright.
    stored = Image.new("RGB", (500, 450), BLUE)
    stored.paste(RED, (0, 0, 250, 450))
    exif = Image.Exif()
    exif[0x0112] = 6
    source = save(stored, tmp_path / "foto.jpg", quality=90, exif=exif)

    with Image.open(prepare_image(source, cache, "instagram")) as out:
        assert out.size == (450, 500)
        assert near(out.getpixel((225, 60)), RED)
        assert near(out.getpixel((225, 440)), BLUE)
        assert out.getexif().get(0x0112) is None


def test_a_huge_noisy_image_ends_under_8_mb(tmp_path: Path, cache: Path) -> None:
    source = save(noise(4000, 3000), tmp_path / "besar.jpg", quality=100)
    assert source.stat().st_size > IG_FEED.max_bytes

    prepared = prepare_image(source, cache, "instagram")

    assert prepared.stat().st_size <= IG_FEED.max_bytes
    with Image.open(prepared) as out:
        assert out.size == (1440, 1080)


def test_quality_drops_until_the_file_fits(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Noise at 1440×1800 is about 2 MB at quality 90; a lower limit forces the loop to go on.
    monkeypatch.setitem(TARGETS, "instagram", replace(IG_FEED, max_bytes=1_500_000))
    source = save(noise(1440, 1800), tmp_path / "bising.png")

    prepared = prepare_image(source, cache, "instagram")

    assert prepared.stat().st_size <= 1_500_000
    with Image.open(prepared) as out:
        assert out.size == (1440, 1800)  # fewer bytes from a lower quality, not fewer pixels


def test_a_cmyk_jpeg_becomes_rgb(tmp_path: Path, cache: Path) -> None:
    source = save(Image.new("CMYK", (800, 800), (0, 255, 255, 0)), tmp_path / "cetak.jpg")

    with Image.open(prepare_image(source, cache, "instagram")) as out:
        assert out.mode == "RGB"
        assert near(out.getpixel((400, 400)), (255, 0, 0))


def test_an_embedded_icc_profile_is_converted_to_srgb(tmp_path: Path, cache: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = save(Image.new("RGB", (500, 500), RED), tmp_path / "profil.png", icc_profile=srgb)

    with Image.open(prepare_image(source, cache, "instagram")) as out:
        assert out.mode == "RGB"
        assert near(out.getpixel((250, 250)), RED)


def test_a_16_bit_grey_png_keeps_its_tones(tmp_path: Path, cache: Path) -> None:
    source = save(Image.new("I;16", (400, 400), 32768), tmp_path / "abu.png")

    with Image.open(prepare_image(source, cache, "instagram")) as out:
        assert near(out.getpixel((200, 200)), (128, 128, 128), 3)


def test_the_original_file_is_never_modified(tmp_path: Path, cache: Path) -> None:
    source = save(infographic(), tmp_path / "asli.png")
    before = source.read_bytes(), source.stat().st_mtime_ns

    prepare_image(source, cache, "instagram")
    prepare_image(source, cache, "facebook")

    assert (source.read_bytes(), source.stat().st_mtime_ns) == before


def test_a_second_call_reuses_the_cached_copy(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = save(infographic(), tmp_path / "ulang.png")
    first = prepare_image(source, cache, "instagram")
    written = first.stat().st_mtime_ns

    def no_encoding(*args: object) -> bytes:
        raise AssertionError("encoded again")

    monkeypatch.setattr(images, "_jpeg", no_encoding)
    assert prepare_image(source, cache, "instagram") == first
    assert first.stat().st_mtime_ns == written
    assert [p.name for p in cache.iterdir()] == [first.name]  # no temp file left behind


def test_the_cache_name_follows_content_and_platform(tmp_path: Path, cache: Path) -> None:
    one = save(infographic(), tmp_path / "satu.png")
    same = save(infographic(), tmp_path / "sama.png")
    other = save(Image.new("RGB", (100, 1000), RED), tmp_path / "lain.png")

    assert prepare_image(one, cache, "instagram") == prepare_image(same, cache, "instagram")
    assert prepare_image(one, cache, "instagram") != prepare_image(other, cache, "instagram")
    assert prepare_image(one, cache, "instagram") != prepare_image(one, cache, "facebook")


def test_a_corrupt_file_raises_media_error_naming_it(tmp_path: Path, cache: Path) -> None:
    broken = tmp_path / "pengumuman-rusak.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not a photo")

    with pytest.raises(MediaError, match=r"pengumuman-rusak\.jpg") as caught:
        prepare_image(broken, cache, "instagram")
    assert "save it again as JPEG or PNG" in str(caught.value)
    assert isinstance(caught.value, Rejected)  # the engine fails the post, no retry


def test_a_truncated_jpeg_raises_media_error(tmp_path: Path, cache: Path) -> None:
    whole = save(noise(1000, 1000), tmp_path / "utuh.jpg", quality=90).read_bytes()
    cut = tmp_path / "terpotong.jpg"
    cut.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(MediaError, match=r"terpotong\.jpg"):
        prepare_image(cut, cache, "instagram")


def test_a_missing_file_raises_media_error(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(MediaError, match=r"hilang\.jpg: file not found"):
        prepare_image(tmp_path / "hilang.jpg", cache, "instagram")


def test_an_unknown_platform_is_a_programming_error(tmp_path: Path, cache: Path) -> None:
    with pytest.raises(ValueError, match="twitter"):
        prepare_image(tmp_path / "x.jpg", cache, "twitter")


@given(st.integers(1, 20_000), st.integers(1, 20_000), st.sampled_from([1440, 1080, 810, 607]))
def test_every_frame_fits_instagram_and_holds_the_whole_picture(
    width: int, height: int, max_width: int
) -> None:
    frame_width, frame_height = frame_size(width, height, max_width)

    assert frame_width <= max_width
    assert ratio_ok(frame_width, frame_height)
    scale = min(1.0, frame_width / width, frame_height / height)
    assert round(width * scale) <= frame_width or width * scale < 1
    assert round(height * scale) <= frame_height or height * scale < 1


# -- images: Facebook -------------------------------------------------------------------------


def test_facebook_keeps_a_png_but_converts_a_webp(tmp_path: Path, cache: Path) -> None:
    png = save(infographic(), tmp_path / "poster.png")
    webp = save(infographic(), tmp_path / "poster.webp", quality=80)

    assert prepare_image(png, cache, "facebook") == png
    converted = prepare_image(webp, cache, "facebook")
    assert converted != webp and converted.parent == cache
    with Image.open(converted) as out:
        assert (out.format, out.size) == ("JPEG", (1080, 2400))  # no padding for Facebook


def test_facebook_turns_a_sideways_photo_upright(tmp_path: Path, cache: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    source = save(Image.new("RGB", (600, 400), RED), tmp_path / "miring.jpg", exif=exif)

    with Image.open(prepare_image(source, cache, "facebook")) as out:
        assert out.size == (400, 600)


# -- videos -----------------------------------------------------------------------------------


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mvhd(timescale: int, duration: int, version: int = 0) -> bytes:
    rest = bytes(80)  # rate, volume, matrix, next track id: not read
    if version == 1:
        return box(b"mvhd", struct.pack(">B3xQQIQ", 1, 0, 0, timescale, duration) + rest)
    return box(b"mvhd", struct.pack(">B3xIIII", 0, 0, 0, timescale, duration) + rest)


FTYP = box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2avc1mp41")


def mp4(
    path: Path, header: bytes | None = None, *, seconds: float = 30, mdat_first: bool = False
) -> Path:
    moov = box(b"moov", (header or mvhd(1000, round(seconds * 1000))) + box(b"trak"))
    mdat = box(b"mdat", bytes(64))
    path.write_bytes(FTYP + (mdat + moov if mdat_first else moov + mdat))
    return path


def video_errors(path: Path, platform: str, kind: str) -> list[str]:
    """What the platform would refuse in the video: every finding is an error here."""
    found = check_video(path, platform, kind)
    assert all(f.severity == "error" for f in found)
    return [f.message for f in found]


def test_a_reel_within_the_limits_has_no_problems(tmp_path: Path) -> None:
    assert check_video(mp4(tmp_path / "reel.mp4", seconds=30), "instagram", "reel") == []


def test_a_feed_video_is_checked_as_a_reel(tmp_path: Path) -> None:
    (problem,) = video_errors(mp4(tmp_path / "v.mp4", seconds=16 * 60), "instagram", "feed")
    assert "Instagram reels may last at most 15 min" in problem


def test_a_version_0_mvhd_too_short_for_a_reel(tmp_path: Path) -> None:
    video = mp4(tmp_path / "singkat.mp4", mvhd(600, 1200))  # 2 s

    (problem,) = video_errors(video, "instagram", "reel")
    assert problem.startswith("singkat.mp4 lasts 2 s")
    assert "at least 3 s" in problem


def test_a_version_1_mvhd_with_a_64_bit_duration(tmp_path: Path) -> None:
    # 10 MHz timescale: 1000 s is 10^10 ticks, more than 32 bits can hold.
    video = mp4(tmp_path / "panjang.mp4", mvhd(10_000_000, 10_000_000_000, version=1))

    (problem,) = video_errors(video, "instagram", "reel")
    assert "lasts 16 min 40 s" in problem and "at most 15 min" in problem
    assert check_video(video, "facebook", "feed") == []  # 20 min for Facebook


def test_story_videos_may_last_60_seconds(tmp_path: Path) -> None:
    assert check_video(mp4(tmp_path / "ok.mp4", seconds=59.5), "instagram", "story") == []
    (problem,) = video_errors(mp4(tmp_path / "lama.mp4", seconds=61), "instagram", "story")
    assert "Instagram story videos may last at most 60 s" in problem


def test_facebook_videos_may_last_20_minutes(tmp_path: Path) -> None:
    assert check_video(mp4(tmp_path / "rapat.mp4", seconds=19 * 60), "facebook", "feed") == []
    (problem,) = video_errors(mp4(tmp_path / "sidang.mp4", seconds=25 * 60), "facebook", "feed")
    assert "Facebook Page videos may last at most 20 min" in problem


def test_without_mvhd_the_duration_is_not_checked_and_the_video_passes(tmp_path: Path) -> None:
    video = tmp_path / "tanpa-mvhd.mp4"
    video.write_bytes(FTYP + box(b"moov", box(b"trak")) + box(b"mdat", bytes(16)))

    (warning,) = check_video(video, "instagram", "reel")
    assert warning.severity == "warning"
    assert "tanpa-mvhd.mp4 could not be checked" in warning.message
    assert "passed as is" in warning.message


@pytest.mark.parametrize(
    "header",
    [mvhd(1000, 0), mvhd(1000, 0xFFFF_FFFF), mvhd(0, 5000), box(b"mvhd", b"\x00\x00\x00\x00")],
    ids=["zero-duration", "unknown-duration", "zero-timescale", "short-box"],
)
def test_an_unreadable_duration_is_a_warning(tmp_path: Path, header: bytes) -> None:
    (warning,) = check_video(mp4(tmp_path / "aneh.mp4", header), "instagram", "reel")
    assert warning.severity == "warning"
    assert "could not be checked" in warning.message


def test_a_video_too_big_for_a_reel(tmp_path: Path) -> None:
    video = tmp_path / "besar.mp4"
    video.write_bytes(FTYP + box(b"moov", mvhd(1000, 60_000)) + struct.pack(">I4s", 0, b"mdat"))
    with video.open("r+b") as file:
        file.truncate(301_000_000)  # sparse: the mdat box runs to the end, nothing is written

    (problem,) = video_errors(video, "instagram", "reel")
    assert "besar.mp4 is 301.0 MB; Instagram reels take at most 300 MB" in problem
    (story,) = video_errors(video, "instagram", "story")
    assert "at most 100 MB" in story
    assert check_video(video, "facebook", "feed") == []


def test_a_64_bit_box_size_is_followed(tmp_path: Path) -> None:
    mdat = struct.pack(">I4sQ", 1, b"mdat", 16 + 32) + bytes(32)
    video = tmp_path / "besar64.mp4"
    video.write_bytes(FTYP + mdat + box(b"moov", mvhd(1000, 10_000)))

    assert check_video(video, "facebook", "feed") == []


def test_instagram_wants_the_moov_box_in_front(tmp_path: Path) -> None:
    video = mp4(tmp_path / "lambat.mp4", mdat_first=True)

    (problem,) = video_errors(video, "instagram", "reel")
    assert "-movflags +faststart" in problem
    assert check_video(video, "facebook", "feed") == []


def test_a_file_that_is_not_an_mp4(tmp_path: Path) -> None:
    fake = tmp_path / "video.mp4"
    fake.write_bytes(b"RIFF\x00\x10\x00\x00AVI LIST" + bytes(64))

    (problem,) = video_errors(fake, "instagram", "reel")
    assert "video.mp4 is not an MP4 or MOV video" in problem


def test_the_extension_must_be_mp4_or_mov(tmp_path: Path) -> None:
    video = mp4(tmp_path / "klip.avi")

    (problem,) = video_errors(video, "facebook", "feed")
    assert "klip.avi has the extension '.avi'" in problem


def test_an_old_quicktime_file_without_ftyp(tmp_path: Path) -> None:
    movie = tmp_path / "lama.mov"
    movie.write_bytes(box(b"wide") + box(b"moov", mvhd(600, 6000)) + box(b"mdat", bytes(16)))

    assert check_video(movie, "instagram", "reel") == []


def test_a_missing_video(tmp_path: Path) -> None:
    (problem,) = video_errors(tmp_path / "hilang.mp4", "instagram", "reel")
    assert problem.startswith("hilang.mp4 cannot be read")


def test_an_unknown_kind_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="carousel"):
        check_video(mp4(tmp_path / "x.mp4"), "instagram", "carousel")
