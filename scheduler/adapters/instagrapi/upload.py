"""The one instagrapi call for a plan's shape, each ending with the configure request, and
the cover frame each video goes with (``platforms.frames``).

instagrapi sends a still image with every video and makes one with MoviePy when it is not
given one (see ``platforms.frames`` for why jadwal takes it instead). ``clip_upload`` takes
``thumbnail=`` and uploads it as the reel's cover; ``album_upload`` takes none, it calls
``video_rupload(path, to_album=True)`` for each video and uploads the still image it returns,
so for that call the client's ``video_rupload`` is handed the frame jadwal took.
``video_upload_to_story`` takes ``thumbnail=`` but never uploads it (instagrapi 3.2.2's
``video_configure_to_story``): a story needs no frame, only something that keeps MoviePy
from being asked for one.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scheduler.platforms.frames import cover_frame
from scheduler.platforms.steps import Plan

log = logging.getLogger("instagrapi")


def upload(client: Any, plan: Plan, media: list[Path], caption: str, cache_dir: Path) -> Any:
    """Publish ``media`` (the plan's files as prepared) through ``client``."""
    first, video = media[0], plan.media[0].video
    _quiet_video_analysis()
    frames = {
        path: cover_frame(path, cache_dir)
        for step, path in zip(plan.media, media, strict=True)
        if step.frame  # the plan says which (``rules._with_frames``)
    }
    if plan.shape == "story" and video:
        # A story sends no still image: Instagram takes the cover from the video itself
        # (extract_cover_frame), and instagrapi reads ``thumbnail`` only to skip MoviePy.
        return client.video_upload_to_story(first, caption, thumbnail=first)
    if plan.shape == "story":
        return client.photo_upload_to_story(first, caption)
    if plan.shape == "reel":  # the video, and its cover: the post's image, else a frame
        return client.clip_upload(first, caption, thumbnail=frames.get(first, media[-1]))
    if plan.shape == "image":
        return client.photo_upload(first, caption)
    with _album_frames(client, frames):
        return client.album_upload(media, caption)


@contextmanager
def _album_frames(client: Any, frames: dict[Path, Path]) -> Iterator[None]:
    """During ``album_upload``, each video's ``video_rupload`` gets its frame."""
    if not frames:
        yield
        return
    original = client.video_rupload

    def video_rupload(path: Path, thumbnail: Path | None = None, **kwargs: Any) -> Any:
        return original(path, thumbnail or frames.get(Path(path)), **kwargs)

    client.video_rupload = video_rupload
    try:
        yield
    finally:
        del client.video_rupload  # the class's own method again


def _say(*parts: object, **_: object) -> None:
    log.debug("%s", " ".join(str(part) for part in parts))


def _quiet_video_analysis() -> None:
    """instagrapi 3.2.2 ``print``s 'Analyzing video file "…"' for every video it uploads
    (``utils/video.py``): noise on a daemon's stdout, and a line in ``jadwal post``'s output
    that is not jadwal's. In that one module, ``print`` writes to instagrapi's log instead."""
    module = importlib.import_module("instagrapi.utils.video")
    setattr(module, "print", _say)  # noqa: B010 (an attribute the module does not declare)
