"""Images made into what a destination takes (``limits.ImageTarget``), before upload.

``prepare_image`` returns the original when it fits (``media.image_issues`` finds nothing:
the same rule ``jadwal check`` applies) and otherwise a converted JPEG in a cache folder,
named after the source's bytes and the target, so a second call encodes nothing. Feed images
are padded, never cropped, into Instagram's aspect ratio: an infographic loses nothing, it
gains white bars. The original is only ever read.

Pillow is imported inside the functions: most commands never touch an image.
"""

from __future__ import annotations

import hashlib
import importlib
import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.errors import Rejected
from scheduler.files import write_atomic
from scheduler.i18n import _
from scheduler.platforms.limits import TARGETS, ImageTarget
from scheduler.platforms.media import image_facts, image_issues

if TYPE_CHECKING:
    from PIL.Image import Image

    from scheduler.platforms.steps import MediaStep

# Part of every cache name: bump it when the conversion changes, so old copies are not reused.
CACHE_VERSION = "mediaprep-2"
# The first quality is the one we want; the rest are only tried while the file is too big.
QUALITIES = (90, 85, 80, 75, 70, 60, 50, 40)
WHITE = (255, 255, 255)
HEIC_SUFFIXES = frozenset({".heic", ".heif"})


class MediaError(Rejected):
    """A media file that cannot be prepared; the message names the file and what to do.

    A ``Rejected``: the engine records the post as failed (a person must fix the file)
    instead of treating it as an adapter crash that might have published something.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)


def prepare_media(steps: Sequence[MediaStep], cache_dir: Path) -> list[Path]:
    """Each file of a plan as it will be sent: images converted where they don't fit their
    target, everything else as it is."""
    return [
        prepare_image(step.path, cache_dir, step.target.name) if step.target else step.path
        for step in steps
    ]


def prepare_image(path: Path, cache_dir: Path, target: str) -> Path:
    """``path`` if ``target`` (a name in ``limits.TARGETS``) takes it as it is, else a
    converted JPEG in ``cache_dir``."""
    if target not in TARGETS:
        known = ", ".join(sorted(TARGETS))
        raise ValueError(f"unknown target {target!r} (expected one of {known})")
    wanted = TARGETS[target]
    data = _read(path)
    copy = cache_dir / f"{_cache_key(data, wanted)}.jpg"
    if copy.exists():
        return copy  # converted before from these very bytes for this very target
    image = _decode(data, path)
    if not image_issues(image_facts(image, len(data), path.suffix), wanted):
        return path
    write_atomic(copy, _convert(image, wanted, path))
    return copy


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise MediaError(
            _("{path}: file not found. Check the media path in calendar.yaml.").format(path=path)
        ) from exc
    except OSError as exc:
        raise MediaError(
            _(
                "{path}: cannot be read ({value}). Check that the file exists and that jadwal may "
                "read it."
            ).format(path=path, value=exc.strerror or exc)
        ) from exc


def _cache_key(data: bytes, target: ImageTarget) -> str:
    # Sorted: a frozenset's order changes from one process to the next.
    settings = (
        target.name,
        sorted(target.formats),
        target.max_bytes,
        target.max_width,
        target.framed,
        sorted(target.modes or ()),
    )
    digest = hashlib.sha256(f"{CACHE_VERSION}|{settings}|{QUALITIES}".encode())
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
        reason = _("not an image format jadwal can read") if unknown else str(exc) or repr(exc)
        raise MediaError(
            _("{path}: cannot be read as an image ({reason}). {fix_hint}").format(
                path=path, reason=reason, fix_hint=_fix_hint(path)
            )
        ) from exc
    return image


def _fix_hint(path: Path) -> str:
    if path.suffix.lower() in HEIC_SUFFIXES:
        return _(
            "HEIC photos need the pillow-heif package installed; or export the photo as JPEG on "
            "the phone or computer."
        )
    return _("Open it in an image editor and save it again as JPEG or PNG, or replace the file.")


@cache
def _register_optional_openers() -> None:
    # HEIC (iPhone photos) is readable only when pillow-heif happens to be installed.
    try:
        heif = importlib.import_module("pillow_heif")
    except ImportError:
        return
    heif.register_heif_opener()


def _convert(image: Image, target: ImageTarget, path: Path) -> bytes:
    from PIL import ImageOps

    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    rgb = _to_srgb(upright, icc if isinstance(icc, bytes) else None)
    data = _framed_jpeg(rgb, target) if target.framed else _scaled_jpeg(rgb, target)
    if data is None:
        raise MediaError(
            _(
                "{path}: cannot be made small enough for {value}. Reduce its size in an image "
                "editor and try again."
            ).format(path=path, value=target.name.split()[0])
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


def _framed_jpeg(image: Image, target: ImageTarget) -> bytes | None:
    width = target.max_width or image.width
    while width >= 16:
        data = _encode_within(_framed(image, width), target.max_bytes)
        if data is not None:
            return data
        width = width * 3 // 4  # even the lowest quality is too big: only fewer pixels help
    return None


def _scaled_jpeg(image: Image, target: ImageTarget) -> bytes | None:
    if target.max_width is not None and image.width > target.max_width:
        image = _shrunk(image, target.max_width, image.width)
    while min(image.size) >= 16:
        data = _encode_within(image, target.max_bytes)
        if data is not None:
            return data
        image = _shrunk(image, 3, 4)
    return None


def _shrunk(image: Image, numerator: int, denominator: int) -> Image:
    from PIL import Image

    size = (
        max(1, image.width * numerator // denominator),
        max(1, image.height * numerator // denominator),
    )
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _framed(image: Image, max_width: int) -> Image:
    """The whole picture, scaled down to fit, centred in a frame Instagram accepts."""
    from PIL import Image

    frame = frame_size(image.width, image.height, max_width)
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


def frame_size(width: int, height: int, max_width: int) -> tuple[int, int]:
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


def _encode_within(image: Image, limit: int | None) -> bytes | None:
    for quality in QUALITIES:
        data = _jpeg(image, quality)
        if limit is None or len(data) <= limit:
            return data
    return None


def _jpeg(image: Image, quality: int) -> bytes:
    # No EXIF is carried over: the orientation is already applied, and field photos often
    # carry the GPS position of whoever took them.
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, progressive=True, optimize=True)
    return buffer.getvalue()
