"""A video's cover frame: the still image instagrapi must send with every video (reel, story
video, video in a carousel), taken from the middle of the video by the ``ffmpeg`` program.

Why it is jadwal's job (docs/design.md says more): instagrapi 3.2.2 makes the frame with
MoviePy, its ``[video]`` extra (MoviePy, numpy, imageio, Pillow < 12 and an ffmpeg binary)
whenever it is not handed one, writes it next to the video (inside the calendar repository),
and ``album_upload`` cannot be handed one. Its MP4 reader needs no MoviePy: only the frame
does. jadwal takes it with an ffmpeg binary instead, the machine's own (``ffmpeg`` on PATH)
or the one the ``imageio-ffmpeg`` wheel carries (``pip install 'jadwal[video]'``), and keeps
it in the media cache, named after the video's version, so a second call runs nothing.
A reel with a cover image of its own needs none of this.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import subprocess
from pathlib import Path

from scheduler.files import file_stamp
from scheduler.i18n import N_, _
from scheduler.platforms.images import MediaError
from scheduler.platforms.video import video_seconds

CACHE_VERSION = "frame-1"  # bump it when the frame is taken differently
FFMPEG_SECONDS = 120  # one frame of a local file: far more than it ever takes
NO_FFMPEG = N_(
    "taking its cover frame needs the ffmpeg program, which is not installed here: install it "
    "(apt install ffmpeg, or pip install 'jadwal[video]'), or give a reel a cover image"
)


def find_ffmpeg() -> str | None:
    """The machine's ffmpeg, else the one imageio-ffmpeg carries, else None."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        bundled = importlib.import_module("imageio_ffmpeg")
        return str(bundled.get_ffmpeg_exe())
    except (ImportError, RuntimeError):  # not installed, or no binary for this machine
        return None


def cover_frame(video: Path, cache_dir: Path) -> Path:
    """A JPEG of the frame in the middle of ``video``, in ``cache_dir``."""
    stamp = file_stamp(video)
    if stamp is None:
        raise MediaError(
            _("{video}: file not found. Check the media path in calendar.yaml.").format(video=video)
        )
    key = hashlib.sha256(f"{CACHE_VERSION}|{video.resolve()}|{tuple(stamp)}".encode())
    frame = cache_dir / f"{key.hexdigest()[:40]}.jpg"
    if frame.exists():
        return frame
    ffmpeg = find_ffmpeg()
    if ffmpeg is None:
        raise MediaError(f"{video}: " + _(NO_FFMPEG))
    cache_dir.mkdir(parents=True, exist_ok=True)
    middle = (video_seconds(video) or 0.0) / 2
    reason = _take(ffmpeg, video, middle, frame)
    if reason is not None and middle > 0:  # a length misread: the first frame will do
        reason = _take(ffmpeg, video, 0.0, frame)
    if reason is not None:
        raise MediaError(
            _(
                "{video}: no cover frame could be taken from the video ({reason}). Export it "
                "again as MP4, or give the post a cover image."
            ).format(video=video, reason=reason)
        )
    return frame


def _take(ffmpeg: str, video: Path, at: float, frame: Path) -> str | None:
    """Write the frame at ``at`` seconds to ``frame``; None, or why not."""
    partial = frame.with_suffix(f".{os.getpid()}.part.jpg")
    command = [ffmpeg, "-nostdin", "-v", "error", "-ss", f"{at:.3f}", "-i", str(video)]
    command += ["-frames:v", "1", "-q:v", "2", "-f", "image2", "-y", str(partial)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=FFMPEG_SECONDS, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return _("ffmpeg could not be run: {exc}").format(exc=exc)
    if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return (
            said[-1]
            if said
            else _("ffmpeg wrote no frame (exit status {returncode})").format(
                returncode=done.returncode
            )
        )
    partial.replace(frame)  # whole or not at all: a second publisher may be reading it
    return None
