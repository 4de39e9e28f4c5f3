"""What a media file is, read from its header, and what about it a destination would refuse.

``inspect`` reads only the header (format, size, colour mode, EXIF orientation), so a check
of a whole calendar opens each file once and decodes no pixels. ``image_issues`` compares
those facts with an ``ImageTarget``; media preparation (``images.prepare_image``) asks the
very same function of the decoded image, so what ``jadwal check`` says would be converted is
what the adapters convert.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from scheduler.files import FileStamp, file_stamp
from scheduler.i18n import _
from scheduler.platforms.limits import RATIO_MAX, RATIO_MIN, ImageTarget, ratio_ok

IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic"}
)
VIDEO_SUFFIXES = frozenset({".mp4", ".mov"})
ORIENTATION = 0x0112  # the EXIF tag


def is_video(path: Path) -> bool:
    return path.suffix.lower() in VIDEO_SUFFIXES


@dataclass(frozen=True)
class MediaInfo:
    kind: Literal["image", "video", "unknown"]
    size: int
    format: str | None = None
    width: int | None = None  # as shown: after the EXIF orientation is applied
    height: int | None = None
    mode: str | None = None
    orientation: int = 1
    error: str | None = None
    suffix: str = ""  # the file name's, lower case: instagrapi goes by it


@dataclass(frozen=True)
class ImageIssue:
    """Why an image does not fit a target as it is. ``refused``: the platform would refuse
    it (worth telling the operator); otherwise jadwal only improves it when it converts."""

    text: str
    refused: bool = True


def inspect(path: Path) -> MediaInfo:
    """Read the file's header (not the whole image) to learn its format and size.

    Remembered per version of the file (its stamp), so a weekly post's poster is read once,
    and a poster replaced while the daemon runs is read again.
    """
    stamp = file_stamp(path)
    if stamp is None:
        kind: Literal["image", "video"] = "video" if is_video(path) else "image"
        return MediaInfo(kind, 0, error=_("cannot be read (the file is missing or unreadable)"))
    return _inspect(path, stamp)


@lru_cache(maxsize=4096)
def _inspect(path: Path, stamp: FileStamp) -> MediaInfo:
    size = stamp.size
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return MediaInfo("video", size, format=suffix.lstrip(".").upper())
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image_facts(image, size, suffix)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        if suffix in IMAGE_SUFFIXES:
            return MediaInfo(
                "image", size, error=_("cannot be read as an image ({exc})").format(exc=exc)
            )
        return MediaInfo("unknown", size)


def image_facts(image: Any, size: int, suffix: str = "") -> MediaInfo:
    """The facts ``image_issues`` needs, from an opened Pillow image (decoded or not) and
    the file name's ``suffix``."""
    width, height = image.size
    orientation = _orientation(image)
    if orientation in (5, 6, 7, 8):  # these swap width and height once shown upright
        width, height = height, width
    return MediaInfo(
        "image", size, image.format, width, height, image.mode, orientation, suffix=suffix.lower()
    )


def _orientation(image: Any) -> int:
    try:
        value = image.getexif().get(ORIENTATION, 1)
    except Exception:  # a broken EXIF block: there is no rotation we could apply either
        return 1
    return value if isinstance(value, int) and 2 <= value <= 8 else 1


def image_issues(info: MediaInfo, target: ImageTarget) -> list[ImageIssue]:
    """Everything about the image that ``target`` would not take as it is; empty: it fits."""
    said: list[str] = []
    if info.format not in target.formats:
        wanted = " or ".join(_format_names(target))
        shown = info.format or _("an unknown format")
        said.append(_("is {value}, not {wanted}").format(value=shown, wanted=wanted))
    elif target.suffixes is not None and info.suffix not in target.suffixes:
        named = _("is named {suffix}").format(suffix=info.suffix)
        named = named if info.suffix else _("has no extension")
        allowed = ", ".join(sorted(target.suffixes))
        said.append(
            _("{named}, and instagrapi takes only {allowed} files").format(
                named=named, allowed=allowed
            )
        )
    if target.max_bytes is not None and info.size > target.max_bytes:
        limit = f"{target.max_bytes / 1_000_000:.0f} MB"
        size = info.size / 1_000_000
        said.append(_("is {value:.1f} MB (limit {limit})").format(value=size, limit=limit))
    if target.framed and info.width and info.height and not ratio_ok(info.width, info.height):
        allowed = f"{RATIO_MIN[0]}:{RATIO_MIN[1]} to {RATIO_MAX[0] / RATIO_MAX[1]:.2f}:1"
        said.append(
            _("has aspect ratio {width}x{height} (allowed {allowed})").format(
                width=info.width, height=info.height, allowed=allowed
            )
        )
    issues = [ImageIssue(text) for text in said]
    issues += _cosmetic_issues(info, target)
    return issues


def _cosmetic_issues(info: MediaInfo, target: ImageTarget) -> list[ImageIssue]:
    # The platform takes these, but shows them badly or scales them itself: a converted copy
    # is better, and nobody needs to be told.
    found = []
    if info.orientation != 1:
        found.append(ImageIssue(_("is stored on its side (EXIF orientation)"), refused=False))
    if target.modes is not None and info.mode not in target.modes:
        found.append(
            ImageIssue(_("is in the {mode} colour mode").format(mode=info.mode), refused=False)
        )
    if target.max_width is not None and (info.width or 0) > target.max_width:
        found.append(
            ImageIssue(
                _("is wider than {max_width} px").format(max_width=target.max_width), refused=False
            )
        )
    return found


def _format_names(target: ImageTarget) -> list[str]:
    shown = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
    return [shown[name] for name in ("JPEG", "PNG", "WEBP") if name in target.formats]
