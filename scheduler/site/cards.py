"""How Instagram and Facebook show a post, as numbers and text a page can draw.

Instagram (help centre, "Why doesn't my entire caption display in feed?"): a feed caption
shows its first three lines, and Meta advises 125 characters or fewer to show it all; the rest
is behind "… more". The feed shows an image at its own aspect ratio, which jadwal has already
padded into 4:5–1.91:1 (``platforms.images.frame_size``, the same rule the adapters apply);
a carousel's later items are cropped to the first one's ratio (Meta's IG Media reference);
the profile grid, since January 2025, shows every post as a 3:4 tile cut from its centre.

Facebook shows one photo whole, two side by side, three as one large over two, four as a
2 × 2 grid, and five or more as two over three with "+N" on the last tile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scheduler.platforms.captions import HASHTAG
from scheduler.platforms.images import frame_size

FEED_CHARACTERS = 125
FEED_LINES = 3
GRID_RATIO = (3, 4)  # width : height of a profile grid tile
FACEBOOK_TILES = 5

Box = tuple[int, int, int, int]  # left, top, right, bottom, as Pillow's crop takes it


@dataclass(frozen=True)
class Cut:
    """A caption as the feed shows it before "… more" is tapped."""

    shown: str
    more: bool


def feed_caption(caption: str) -> Cut:
    """The part of ``caption`` the feed shows: at most three lines and 125 characters, cut
    at a word so that no word is shown half."""
    lines = caption.split("\n")
    text = "\n".join(lines[:FEED_LINES])
    cut = len(lines) > FEED_LINES
    if len(text) > FEED_CHARACTERS:
        text, cut = text[:FEED_CHARACTERS], True
        if not caption[FEED_CHARACTERS].isspace():
            head = text.rsplit(None, 1)[0] if re.search(r"\s", text) else text
            text = head
    return Cut(text.rstrip(), cut) if cut else Cut(caption, False)


def hashtags(caption: str) -> list[str]:
    """The caption's hashtags in order, each once (as Instagram links them)."""
    seen: dict[str, None] = {}
    for tag in HASHTAG.findall(caption):
        seen.setdefault(tag, None)
    return list(seen)


def feed_size(width: int, height: int) -> tuple[int, int]:
    """The picture's frame in the feed, in its own pixels: jadwal's frame for Instagram
    (padded with white into 4:5–1.91:1, never cropped; the copy sent may be smaller)."""
    return frame_size(width, height, 2 * max(width, height))


def centre_crop(width: int, height: int, ratio: tuple[int, int]) -> Box:
    """The largest box of ``ratio`` (width, height) in the centre of a picture."""
    want_w, want_h = ratio
    if width * want_h > height * want_w:  # too wide: cut the sides
        new_w = max(1, height * want_w // want_h)
        left = (width - new_w) // 2
        return left, 0, left + new_w, height
    new_h = max(1, width * want_h // want_w)
    top = (height - new_h) // 2
    return 0, top, width, top + new_h


def grid_crop(width: int, height: int) -> Box:
    """What of a feed picture the profile grid's 3:4 tile shows."""
    return centre_crop(width, height, GRID_RATIO)


def carousel_crop(first: tuple[int, int], width: int, height: int) -> Box:
    """What of a later carousel item the feed shows: cut to the first item's ratio."""
    return centre_crop(width, height, first)


@dataclass(frozen=True)
class Tile:
    index: int  # which photo
    wide: bool  # spans the whole row
    more: int = 0  # "+N" photos not shown, on the last tile


def facebook_tiles(count: int) -> list[list[Tile]]:
    """The rows of a Facebook photo or album post: which photo goes where."""
    if count <= 0:
        return []
    if count == 1:
        return [[Tile(0, True)]]
    if count == 2:
        return [[Tile(0, False), Tile(1, False)]]
    if count == 3:
        return [[Tile(0, True)], [Tile(1, False), Tile(2, False)]]
    if count == 4:
        return [[Tile(0, False), Tile(1, False)], [Tile(2, False), Tile(3, False)]]
    hidden = count - FACEBOOK_TILES
    bottom = [Tile(i, False) for i in range(2, FACEBOOK_TILES - 1)]
    bottom.append(Tile(FACEBOOK_TILES - 1, False, hidden))
    return [[Tile(0, False), Tile(1, False)], bottom]
