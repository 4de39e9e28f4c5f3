"""Small JPEG copies of the media, made with Pillow, in the site's ``media/`` folder.

Each copy is named after the source's bytes and what it shows (the feed's frame, a carousel
item cut to the first item's ratio, the profile grid's 3:4 tile, Facebook's photo), so a rerun
finds it and makes nothing again, and an edited picture gets a new name. The shapes come from
``cards``, which takes them from the rules the adapters apply.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.errors import JadwalError
from scheduler.files import write_atomic
from scheduler.platforms.media import is_video
from scheduler.site.cards import Box, carousel_crop, feed_size, grid_crop

if TYPE_CHECKING:
    from PIL.Image import Image

VERSION = "site-thumb-1"  # bump it when the copies are made differently
WIDTHS = {"feed": 640, "grid": 240, "photo": 640}
WHITE = (255, 255, 255)
FOLDER = "media"


@dataclass(frozen=True)
class Thumb:
    """A copy in the site (``src`` relative to the site's root), or None's stand-in for a
    file that has no picture (a video, an unreadable file)."""

    src: str | None
    width: int = 0
    height: int = 0


class Thumbs:
    def __init__(self, site: Path) -> None:
        self.folder = site / FOLDER
        self.written: set[str] = set()  # every copy this run uses: the rest are stale
        self._bytes: dict[Path, bytes] = {}
        self._sizes: dict[Path, tuple[int, int] | None] = {}
        self._sources: dict[Path, str] = {}
        # A weekly post shows the same picture fifty times: hash and look for it once.
        self._made: dict[tuple[Path, str], Thumb] = {}

    def source(self, path: Path) -> str:
        """What a page shows of the file depends on: a picture's bytes, as a digest; a
        video is only named (the page draws no picture of it, and it is not read)."""
        if path not in self._sources:
            data = b"video" if is_video(path) else self._read(path)
            self._sources[path] = hashlib.sha256(data).hexdigest()
        return self._sources[path]

    def size(self, path: Path) -> tuple[int, int] | None:
        """The picture's width and height (upright), None when it has none."""
        if path not in self._sizes:
            self._sizes[path] = None if is_video(path) else _measure(self._read(path))
        return self._sizes[path]

    def feed(self, path: Path, first: tuple[int, int] | None = None) -> Thumb:
        """The picture as Instagram's feed shows it (``first``: the first carousel item's
        feed size, which later items are cut to)."""
        return self._copy(path, "feed" if first is None else f"feed-{first[0]}x{first[1]}", first)

    def grid(self, path: Path) -> Thumb:
        return self._copy(path, "grid", None)

    def photo(self, path: Path) -> Thumb:
        return self._copy(path, "photo", None)

    def _copy(self, path: Path, variant: str, first: tuple[int, int] | None) -> Thumb:
        if (path, variant) not in self._made:
            self._made[(path, variant)] = self._make(path, variant, first)
        return self._made[(path, variant)]

    def _make(self, path: Path, variant: str, first: tuple[int, int] | None) -> Thumb:
        size = self.size(path)
        if size is None:
            return Thumb(None)
        data = self._read(path)
        digest = hashlib.sha256(f"{VERSION}|{variant}|".encode() + data).hexdigest()[:24]
        name = f"{FOLDER}/{digest}.jpg"
        self.written.add(name)
        target = self.folder / f"{digest}.jpg"
        box, out = _shape(size, variant.split("-")[0], first)
        if not target.exists():
            try:
                write_atomic(target, _encode(data, variant.split("-")[0], box, out))
            except OSError as exc:
                raise JadwalError(f"{target} cannot be written: {exc.strerror or exc}") from exc
        return Thumb(name, *out)

    def _read(self, path: Path) -> bytes:
        if path not in self._bytes:
            try:
                self._bytes[path] = path.read_bytes()
            except OSError:
                self._bytes[path] = b""
        return self._bytes[path]


def _measure(data: bytes) -> tuple[int, int] | None:
    try:
        image = _open(data)
    except Exception:  # Pillow raises many types on a broken file; check names the problem
        return None
    return image.size


def _open(data: bytes) -> Image:
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(data))
    return ImageOps.exif_transpose(image)


def _shape(
    size: tuple[int, int], variant: str, first: tuple[int, int] | None
) -> tuple[Box | None, tuple[int, int]]:
    """The part of the feed frame to keep (None: all of it) and the copy's size."""
    width, height = feed_size(*size) if variant != "photo" else size
    box: Box | None = None
    if variant == "grid":
        box = grid_crop(width, height)
    elif first is not None:
        box = carousel_crop(first, width, height)
    if box is not None:
        width, height = box[2] - box[0], box[3] - box[1]
    wanted = WIDTHS[variant]
    return box, (wanted, max(1, round(height * wanted / width)))


def _encode(data: bytes, variant: str, box: Box | None, out: tuple[int, int]) -> bytes:
    from PIL import Image

    image = _open(data)
    image = _on_white(image)
    if variant != "photo":
        image = _framed(image)
    if box is not None:
        image = image.crop(box)
    image = image.resize(out, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def _on_white(image: Image) -> Image:
    from PIL import Image

    rgba = image.convert("RGBA")
    canvas = Image.new("RGB", rgba.size, WHITE)
    canvas.paste(rgba, mask=rgba.getchannel("A"))
    return canvas


def _framed(image: Image) -> Image:
    """The whole picture in the frame jadwal sends to Instagram (white bars, never cut)."""
    from PIL import Image

    frame = feed_size(image.width, image.height)
    if frame == image.size:
        return image
    canvas = Image.new("RGB", frame, WHITE)
    canvas.paste(image, ((frame[0] - image.width) // 2, (frame[1] - image.height) // 2))
    return canvas
