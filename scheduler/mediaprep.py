"""Media preparation before upload: images made into what each platform takes, videos checked.

Limits, from Meta's IG User Media reference (``POST /<IG_USER_ID>/media``: "Image
Specifications", "Reel Specifications", "Story Video Specifications") and Facebook's
one-request (non-resumable) video upload, which is how the Facebook adapter sends videos:

- Instagram images: JPEG, "8 MB maximum", aspect ratio "within a 4:5 to 1.91:1 range",
  "Maximum width: 1440 (will be scaled down to the maximum if necessary)";
- Instagram reels: "Duration: 15 mins maximum, 3 seconds minimum", "File size: 300MB maximum";
- Instagram story videos: "Duration: 60 seconds maximum, 3 seconds minimum",
  "File size: 100MB maximum";
- Facebook: photos up to 10 MB; Page videos in one request up to 1 GB and 20 minutes.

Meta writes "MB" without saying whether it means 10^6 or 2^20 bytes. The decimal reading is
the smaller one, so a file passed here is never refused for a few bytes.

Pillow is imported inside the functions: every command imports this module, most never
touch an image.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

from scheduler.errors import Rejected
from scheduler.files import write_atomic
from scheduler.media import VIDEO_SUFFIXES

if TYPE_CHECKING:
    from PIL.Image import Image

# Part of every cache name: bump it when the conversion changes, so old copies are not reused.
CACHE_VERSION = "mediaprep-1"
PLATFORMS = ("instagram", "facebook")

IG_MAX_BYTES = 8_000_000
IG_MAX_WIDTH = 1440
FB_MAX_BYTES = 10_000_000
# What Facebook takes as it is (an MPO is a JPEG with extra pictures appended).
FB_KEEP_FORMATS = frozenset({"JPEG", "MPO", "PNG"})
# The first quality is the one we want; the rest are only tried while the file is too big.
QUALITIES = (90, 85, 80, 75, 70, 60, 50, 40)
WHITE = (255, 255, 255)
ORIENTATION = 0x0112
HEIC_SUFFIXES = frozenset({".heic", ".heif"})


class MediaError(Rejected):
    """A media file that cannot be prepared; the message names the file and what to do.

    A ``Rejected``: the engine records the post as failed (a person must fix the file)
    instead of treating it as an adapter crash that might have published something.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)


# -- images -----------------------------------------------------------------------------------


def prepare_image(path: Path, cache_dir: Path, platform: str) -> Path:
    """``path`` if the platform takes it as it is, else a converted JPEG in ``cache_dir``.

    The original is only ever read. The copy is named after the source bytes and the
    settings, so a second call finds it and encodes nothing.
    """
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r} (expected one of {', '.join(PLATFORMS)})")
    data = _read(path)
    target = cache_dir / f"{_cache_key(data, platform)}.jpg"
    if target.exists():
        return target  # converted before from these very bytes with these very settings
    image = _decode(data, path)
    if _fits(image, len(data), platform):
        return path
    write_atomic(target, _convert(image, platform, path))
    return target


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise MediaError(f"{path}: file not found. Check the media path in calendar.yaml.") from exc
    except OSError as exc:
        raise MediaError(
            f"{path}: cannot be read ({exc.strerror or exc}). "
            "Check that the file exists and that jadwal may read it."
        ) from exc


def _cache_key(data: bytes, platform: str) -> str:
    settings = (
        f"{CACHE_VERSION}|{platform}|{IG_MAX_BYTES}|{IG_MAX_WIDTH}|{FB_MAX_BYTES}|{QUALITIES}"
    )
    digest = hashlib.sha256(settings.encode())
    digest.update(data)
    return digest.hexdigest()[:40]


def _decode(data: bytes, path: Path) -> Image:
    from PIL import Image, UnidentifiedImageError

    _register_optional_openers()
    try:
        image = Image.open(io.BytesIO(data))
        image.load()  # decode now: a truncated file fails here, not halfway through an upload
    # Pillow's decoders raise many types on malformed input (OSError, SyntaxError,
    # struct.error, DecompressionBombError...); for the user every one means "unreadable".
    except Exception as exc:
        unknown = isinstance(exc, UnidentifiedImageError)
        reason = "not an image format jadwal can read" if unknown else str(exc) or repr(exc)
        raise MediaError(
            f"{path}: cannot be read as an image ({reason}). {_fix_hint(path)}"
        ) from exc
    return image


def _fix_hint(path: Path) -> str:
    if path.suffix.lower() in HEIC_SUFFIXES:
        return (
            "HEIC photos need the pillow-heif package installed; "
            "or export the photo as JPEG on the phone or computer."
        )
    return "Open it in an image editor and save it again as JPEG or PNG, or replace the file."


@cache
def _register_optional_openers() -> None:
    # HEIC (iPhone photos) is readable only when pillow-heif happens to be installed.
    try:
        heif = importlib.import_module("pillow_heif")
    except ImportError:
        return
    heif.register_heif_opener()


def _fits(image: Image, size: int, platform: str) -> bool:
    if _orientation(image) != 1:
        return False  # the platform would show it on its side
    if platform == "facebook":
        return image.format in FB_KEEP_FORMATS and size <= FB_MAX_BYTES
    width, height = image.size
    return (
        image.format == "JPEG"  # not MPO: Meta refuses "extended JPEG formats"
        and image.mode in ("RGB", "L")  # a CMYK JPEG is still "JPEG", and shows wrongly
        and size <= IG_MAX_BYTES
        and width <= IG_MAX_WIDTH
        and _ratio_ok(width, height)
    )


def _ratio_ok(width: int, height: int) -> bool:
    # 4:5 <= width/height <= 1.91:1, in integers so that exactly 4:5 or 1.91:1 passes.
    return width * 5 >= height * 4 and width * 100 <= height * 191


def _orientation(image: Image) -> int:
    try:
        value = image.getexif().get(ORIENTATION, 1)
    except Exception:  # a broken EXIF block: there is no rotation we could apply either
        return 1
    return value if isinstance(value, int) and 2 <= value <= 8 else 1


def _convert(image: Image, platform: str, path: Path) -> bytes:
    from PIL import ImageOps

    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    rgb = _to_srgb(upright, icc if isinstance(icc, bytes) else None)
    data = _instagram_jpeg(rgb) if platform == "instagram" else _facebook_jpeg(rgb)
    if data is None:
        raise MediaError(
            f"{path}: cannot be made small enough for {platform}. "
            "Reduce its size in an image editor and try again."
        )
    return data


def _to_srgb(image: Image, icc: bytes | None) -> Image:
    """RGB in sRGB: transparency flattened on white, other colour spaces converted."""
    if _has_alpha(image):
        image = _on_white(image)
    elif image.mode.startswith("I;16"):
        # 16-bit greyscale: a plain conversion clips everything above 255 to white.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if icc:
        converted = _icc_to_srgb(image, icc)
        if converted is not None:
            return converted
    return image.convert("RGB")


def _has_alpha(image: Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _on_white(image: Image) -> Image:
    from PIL import Image

    rgba = image.convert("RGBA")
    canvas = Image.new("RGB", rgba.size, WHITE)
    canvas.paste(rgba, mask=rgba.getchannel("A"))
    return canvas


def _icc_to_srgb(image: Image, icc: bytes) -> Image | None:
    try:
        from PIL import ImageCms
    except ImportError:  # Pillow built without LittleCMS: the plain conversion will do
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, srgb, outputMode="RGB")
    # A broken profile, or one that doesn't match the pixels (a grey profile on an image we
    # flattened to RGB): the plain conversion is still a fair picture.
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _instagram_jpeg(image: Image) -> bytes | None:
    width = IG_MAX_WIDTH
    while width >= 16:
        data = _encode_within(_framed(image, width), IG_MAX_BYTES)
        if data is not None:
            return data
        width = width * 3 // 4  # even the lowest quality is too big: only fewer pixels help
    return None


def _facebook_jpeg(image: Image) -> bytes | None:
    from PIL import Image

    while min(image.size) >= 16:
        data = _encode_within(image, FB_MAX_BYTES)
        if data is not None:
            return data
        smaller = (image.width * 3 // 4, image.height * 3 // 4)
        image = image.resize(smaller, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return None


def _framed(image: Image, max_width: int) -> Image:
    """The whole picture, scaled down to fit, centred in a frame Instagram accepts.

    Padded, never cropped: an infographic loses nothing, it gains white bars.
    """
    from PIL import Image

    frame = _frame_size(image.width, image.height, max_width)
    scale = min(1.0, frame[0] / image.width, frame[1] / image.height)
    size = (
        max(1, min(frame[0], round(image.width * scale))),
        max(1, min(frame[1], round(image.height * scale))),
    )
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if size == frame:
        return image
    canvas = Image.new("RGB", frame, WHITE)
    canvas.paste(image, ((frame[0] - size[0]) // 2, (frame[1] - size[1]) // 2))
    return canvas


def _frame_size(width: int, height: int, max_width: int) -> tuple[int, int]:
    """At most ``max_width`` wide, aspect ratio from 4:5 to 1.91:1, never enlarging."""
    if width * 5 < height * 4:  # taller than 4:5: bars left and right
        frame_height = min(height, max_width * 5 // 4)
        return _ceil_div(frame_height * 4, 5), frame_height
    frame_width = min(width, max_width)
    frame_height = max(1, round(height * frame_width / width))
    # Wider than 1.91:1 gets bars top and bottom; the upper bound only undoes rounding.
    frame_height = max(frame_height, _ceil_div(frame_width * 100, 191))
    return frame_width, min(frame_height, frame_width * 5 // 4)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def _encode_within(image: Image, limit: int) -> bytes | None:
    for quality in QUALITIES:
        data = _jpeg(image, quality)
        if len(data) <= limit:
            return data
    return None


def _jpeg(image: Image, quality: int) -> bytes:
    # No EXIF is carried over: the orientation is already applied, and field photos often
    # carry the GPS position of whoever took them.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, progressive=True, optimize=True)
    return buffer.getvalue()


# -- videos -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VideoLimits:
    label: str
    max_bytes: int
    max_seconds: float
    min_seconds: float = 0.0


IG_REEL = VideoLimits("Instagram reels", 300_000_000, 15 * 60.0, 3.0)
IG_STORY = VideoLimits("Instagram story videos", 100_000_000, 60.0, 3.0)
FB_VIDEO = VideoLimits("Facebook Page videos", 1_000_000_000, 20 * 60.0)
# Boxes that may open a QuickTime file written before "ftyp" existed.
QUICKTIME_FIRST = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
MAX_BOXES = 10_000  # a corrupt file can't keep us walking for ever


def video_limits(platform: str, kind: str) -> VideoLimits:
    if platform == "facebook":
        return FB_VIDEO
    if platform == "instagram" and kind in ("feed", "reel"):
        return IG_REEL  # a single feed video is published as a reel (media_type VIDEO is gone)
    if platform == "instagram" and kind == "story":
        return IG_STORY
    raise ValueError(f"no video limits for platform {platform!r} and kind {kind!r}")


def check_video(path: Path, platform: str, kind: str) -> list[str]:
    """Sentences about what ``platform`` would refuse in this video; empty when it is fine.

    Only what is visible without ffmpeg: extension, container, size and duration. When the
    duration cannot be read the list holds one sentence starting with "Warning:".
    """
    limits = video_limits(platform, kind)
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            layout = _read_layout(file, size)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [f"{path.name} cannot be read ({reason}); check the media path in calendar.yaml."]
    problems = _container_problems(path, layout.boxes)
    problems += _size_problems(path.name, size, limits)
    if not _is_mp4(layout.boxes, path.suffix.lower()):
        return problems  # not an MP4 at all: nothing more can be read from it
    problems += _duration_problems(path.name, layout.seconds, limits)
    if platform == "instagram" and _moov_after_mdat(layout.boxes):
        problems.append(
            f"{path.name} has its index (the 'moov' box) after the video data; Instagram wants "
            "it at the front. Export it again with 'fast start' (ffmpeg: -movflags +faststart)."
        )
    return problems


class _Box(NamedTuple):
    kind: bytes
    start: int
    header: int
    end: int


@dataclass(frozen=True)
class _Layout:
    boxes: list[bytes]  # the top-level box types, in file order
    seconds: float | None


def _read_layout(file: IO[bytes], size: int) -> _Layout:
    top = list(_boxes(file, 0, size))
    moov = next((box for box in top if box.kind == b"moov"), None)
    seconds = _mvhd_seconds(file, moov) if moov else None
    return _Layout([box.kind for box in top], seconds)


def _boxes(file: IO[bytes], start: int, end: int) -> Iterator[_Box]:
    """The boxes between ``start`` and ``end``, read from their headers alone (seeking past
    the media data, so a 300 MB file costs a few reads)."""
    position = start
    for _ in range(MAX_BOXES):
        if position + 8 > end:
            return
        file.seek(position)
        head = file.read(8)
        if len(head) < 8:
            return  # the file is shorter than it was a moment ago
        size, kind = struct.unpack(">I4s", head)
        header = 8
        if size == 1:  # a 64-bit size follows the type
            large = file.read(8)
            if len(large) < 8:
                return
            (size,) = struct.unpack(">Q", large)
            header = 16
        elif size == 0:  # the last box runs to the end of its parent
            size = end - position
        if size < header:
            return  # corrupt: a box can't be smaller than its own header
        yield _Box(kind, position, header, min(end, position + size))
        position += size


def _mvhd_seconds(file: IO[bytes], moov: _Box) -> float | None:
    children = _boxes(file, moov.start + moov.header, moov.end)
    mvhd = next((box for box in children if box.kind == b"mvhd"), None)
    if mvhd is None:
        return None
    file.seek(mvhd.start + mvhd.header)
    body = file.read(min(32, mvhd.end - mvhd.start - mvhd.header))
    return _duration_from_mvhd(body)


def _duration_from_mvhd(body: bytes) -> float | None:
    # A full box: version (1 byte) and flags (3), then creation and modification times,
    # timescale and duration; the times and the duration are 32-bit in version 0, 64-bit in 1.
    if len(body) >= 20 and body[0] == 0:
        timescale, duration = struct.unpack_from(">II", body, 12)
        unknown = 0xFFFF_FFFF
    elif len(body) >= 32 and body[0] == 1:
        timescale, duration = struct.unpack_from(">IQ", body, 20)
        unknown = 0xFFFF_FFFF_FFFF_FFFF
    else:
        return None
    # 0 is what fragmented files write (the length lives in the fragments); all ones, "unknown".
    if timescale == 0 or duration in (0, unknown):
        return None
    return float(duration) / float(timescale)


def _is_mp4(boxes: list[bytes], suffix: str) -> bool:
    first = boxes[0] if boxes else None
    return first == b"ftyp" or (suffix == ".mov" and first in QUICKTIME_FIRST)


def _container_problems(path: Path, boxes: list[bytes]) -> list[str]:
    problems = []
    suffix = path.suffix.lower()
    if suffix not in VIDEO_SUFFIXES:
        problems.append(
            f"{path.name} has the extension '{suffix or '(none)'}'; videos must be MP4 or MOV "
            "files (.mp4, .mov)."
        )
    if not _is_mp4(boxes, suffix):
        problems.append(
            f"{path.name} is not an MP4 or MOV video (it does not start with an 'ftyp' box). "
            "Export it again as MP4 (H.264 video, AAC audio)."
        )
    return problems


def _size_problems(name: str, size: int, limits: VideoLimits) -> list[str]:
    if size <= limits.max_bytes:
        return []
    return [
        f"{name} is {size / 1e6:.1f} MB; {limits.label} take at most "
        f"{limits.max_bytes / 1e6:.0f} MB. Compress it (for example with HandBrake) or trim it."
    ]


def _duration_problems(name: str, seconds: float | None, limits: VideoLimits) -> list[str]:
    if seconds is None:
        return [
            f"Warning: the duration of {name} could not be checked (no readable 'mvhd' box); "
            "the video is passed as is."
        ]
    if seconds > limits.max_seconds:
        return [
            f"{name} lasts {_clock(seconds)}; {limits.label} may last at most "
            f"{_clock(limits.max_seconds)}. Trim it or split it into several posts."
        ]
    if seconds < limits.min_seconds:
        return [
            f"{name} lasts {_clock(seconds)}; {limits.label} must last at least "
            f"{_clock(limits.min_seconds)}."
        ]
    return []


def _moov_after_mdat(boxes: list[bytes]) -> bool:
    if b"moov" not in boxes or b"mdat" not in boxes:
        return False
    return boxes.index(b"moov") > boxes.index(b"mdat")


def _clock(seconds: float) -> str:
    if seconds <= 90:  # "60 s" reads better than "1 min" next to Meta's "60 seconds maximum"
        return f"{seconds:.1f} s".replace(".0 s", " s")
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
