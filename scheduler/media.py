"""What a media file is, and whether a platform takes it as it is.

Instagram feed images must be JPEG, at most 8 MB, with an aspect ratio from 4:5 (portrait)
to 1.91:1 (landscape). Where jadwal uploads the bytes itself it converts and pads images
that don't fit (a warning); where Meta fetches them from ``media.public_base_url`` they must
already fit (an error).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".heic"}
VIDEO_SUFFIXES = {".mp4", ".mov"}
IG_MAX_IMAGE_BYTES = 8_000_000  # Meta writes "8 MB": read strictly, as decimal
IG_MIN_RATIO = 4 / 5
IG_MAX_RATIO = 1.91
FB_MAX_IMAGE_BYTES = 10_000_000
IG_MAX_VIDEO_BYTES = 300_000_000
FB_MAX_VIDEO_BYTES = 1_000_000_000


@dataclass(frozen=True)
class MediaInfo:
    kind: Literal["image", "video", "unknown"]
    size: int
    format: str | None = None
    width: int | None = None
    height: int | None = None
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if not self.width or not self.height:
            return None
        return self.width / self.height


@cache
def inspect(path: Path) -> MediaInfo:
    """Read the file's header (not the whole image) to learn its format and size."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if suffix in VIDEO_SUFFIXES:
        return MediaInfo("video", size, format=suffix.lstrip(".").upper())
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
            if _rotated(image):
                width, height = height, width
            return MediaInfo("image", size, image.format, width, height)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        if suffix in IMAGE_SUFFIXES:
            return MediaInfo("image", size, error=f"cannot be read as an image ({exc})")
        return MediaInfo("unknown", size)


def _rotated(image: object) -> bool:
    # EXIF orientations 5-8 swap width and height once the photo is shown upright.
    getexif = getattr(image, "getexif", None)
    return bool(getexif and getexif().get(0x0112, 1) in (5, 6, 7, 8))


def instagram_image_issues(info: MediaInfo) -> list[str]:
    """What about an image Instagram would refuse as it is; empty when it fits."""
    issues: list[str] = []
    if info.format != "JPEG":
        issues.append(f"is {info.format or 'an unknown format'}, not JPEG")
    if info.size > IG_MAX_IMAGE_BYTES:
        issues.append(f"is {info.size / 1_000_000:.1f} MB (limit 8 MB)")
    ratio = info.ratio
    if ratio is not None and not IG_MIN_RATIO - 0.005 <= ratio <= IG_MAX_RATIO + 0.005:
        issues.append(f"has aspect ratio {info.width}x{info.height} (allowed 4:5 to 1.91:1)")
    return issues
