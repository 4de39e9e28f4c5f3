"""What can be read of a video without ffmpeg: its container, size and duration.

The MP4/QuickTime box structure is walked from the headers alone (seeking past the media
data, so a 300 MB file costs a few reads); the limits are ``limits.video_limits``'s.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple

from scheduler.i18n import _
from scheduler.platforms.findings import Finding, error, warning
from scheduler.platforms.limits import VideoLimits, video_limits
from scheduler.platforms.media import VIDEO_SUFFIXES

# Boxes that may open a QuickTime file written before "ftyp" existed.
QUICKTIME_FIRST = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
MAX_BOXES = 10_000  # a corrupt file can't keep us walking for ever


def check_video(path: Path, platform: str, kind: str) -> list[Finding]:
    """What ``platform`` would refuse in this video (errors); empty when it is fine.

    Only what is visible without ffmpeg: extension, container, size and duration. A duration
    that cannot be read is a warning: the video is passed as it is.
    """
    limits = video_limits(platform, kind)
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            layout = _read_layout(file, size)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [
            error(
                _(
                    "{name} cannot be read ({reason}); check the media path in calendar.yaml."
                ).format(name=path.name, reason=reason)
            )
        ]
    problems = _container_problems(path, layout.boxes)
    problems += _size_problems(path.name, size, limits)
    if not _is_mp4(layout.boxes, path.suffix.lower()):
        return problems  # not an MP4 at all: nothing more can be read from it
    problems += _duration_problems(path.name, layout.seconds, limits)
    if platform == "instagram" and _moov_after_mdat(layout.boxes):
        problems.append(
            error(
                _(
                    "{name} has its index (the 'moov' box) after the video data; Instagram wants "
                    "it at the front. Export it again with 'fast start' (ffmpeg: -movflags "
                    "+faststart)."
                ).format(name=path.name)
            )
        )
    return problems


def video_seconds(path: Path) -> float | None:
    """The video's length as its header says, or None when it can't be read."""
    try:
        with path.open("rb") as file:
            return _read_layout(file, path.stat().st_size).seconds
    except OSError:
        return None


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
    for _box in range(MAX_BOXES):
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


def _container_problems(path: Path, boxes: list[bytes]) -> list[Finding]:
    problems = []
    suffix = path.suffix.lower()
    if suffix not in VIDEO_SUFFIXES:
        problems.append(
            error(
                _(
                    "{name} has the extension '{value}'; videos must be MP4 or MOV files (.mp4, "
                    ".mov)."
                ).format(name=path.name, value=suffix or "(none)")
            )
        )
    if not _is_mp4(boxes, suffix):
        problems.append(
            error(
                _(
                    "{name} is not an MP4 or MOV video (it does not start with an 'ftyp' box). "
                    "Export it again as MP4 (H.264 video, AAC audio)."
                ).format(name=path.name)
            )
        )
    return problems


def _size_problems(name: str, size: int, limits: VideoLimits) -> list[Finding]:
    if size <= limits.max_bytes:
        return []
    return [
        error(
            _(
                "{name} is {value:.1f} MB; {label} take at most {value2:.0f} MB. Compress it (for "
                "example with HandBrake) or trim it."
            ).format(
                name=name,
                value=size / 1000000.0,
                label=_(limits.label),
                value2=limits.max_bytes / 1000000.0,
            )
        )
    ]


def _duration_problems(name: str, seconds: float | None, limits: VideoLimits) -> list[Finding]:
    if seconds is None:
        return [
            warning(
                _(
                    "the duration of {name} could not be checked (no readable 'mvhd' box); the "
                    "video is passed as is."
                ).format(name=name)
            )
        ]
    if seconds > limits.max_seconds:
        return [
            error(
                _(
                    "{name} lasts {clock}; {label} may last at most {clock2}. Trim it or split it "
                    "into several posts."
                ).format(
                    name=name,
                    clock=_clock(seconds),
                    label=_(limits.label),
                    clock2=_clock(limits.max_seconds),
                )
            )
        ]
    if seconds < limits.min_seconds:
        return [
            error(
                _("{name} lasts {clock}; {label} must last at least {clock2}.").format(
                    name=name,
                    clock=_clock(seconds),
                    label=_(limits.label),
                    clock2=_clock(limits.min_seconds),
                )
            )
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
    return (
        _("{minutes} min {rest} s").format(minutes=minutes, rest=rest)
        if rest
        else _("{minutes} min").format(minutes=minutes)
    )
