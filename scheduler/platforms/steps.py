"""What a verdict is made of (``rules.plan``): the shape of the post, how each media file
travels, and the findings; shared by the rules of every platform."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from scheduler.platforms.findings import Finding
from scheduler.platforms.limits import ImageTarget

Shape = Literal["text", "photo", "album", "video", "image", "carousel", "reel", "story"]
# ``by_hand``: nothing is sent; a person posts the file, given to them with the reminder.
Via = Literal["upload", "url", "staged", "resumable", "by_hand"]


@dataclass(frozen=True)
class MediaStep:
    """How one media file reaches the platform."""

    path: Path
    video: bool
    via: Via
    target: ImageTarget | None = None  # an image is prepared to this first; None: as it is
    url: str | None = None  # via "url": the address Meta fetches
    frame: bool = False  # a video sent with a still image jadwal takes from it (``frames``)


@dataclass(frozen=True)
class Plan:
    shape: Shape
    media: tuple[MediaStep, ...]
    findings: tuple[Finding, ...]

    @property
    def refusal(self) -> str | None:
        """The reason not to send it (the first error), or None when it may go out."""
        return next((f.message for f in self.findings if f.is_error), None)


# What each platform's rules give ``plan``: the shape, the steps, the findings so far.
Built = tuple[Shape, tuple[MediaStep, ...], list[Finding]]
