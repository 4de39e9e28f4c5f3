"""Each card as the platform will show it: the pictures (copies made by ``thumbs``) and the
text, laid out by the rules in ``cards``.

- Instagram: the feed's pictures (a carousel's later items cut to the first's ratio), the
  profile grid's 3:4 tile of the first, the caption cut where the feed shows "… more", its
  hashtags;
- Facebook: the whole text, the link, and one photo, several as ``facebook_tiles`` lays them
  out, or a video.

A video has no picture the site can copy (``Thumb.src`` is None): the page names it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scheduler.calendar.model import MediaRef
from scheduler.i18n import _
from scheduler.platforms.media import is_video
from scheduler.site.cards import Cut, Tile, facebook_tiles, feed_caption, feed_size, hashtags
from scheduler.site.entries import Card
from scheduler.site.thumbs import Thumb, Thumbs
from scheduler.site.words import alt_text


@dataclass(frozen=True)
class Picture:
    thumb: Thumb
    alt: str
    name: str  # the media path as the calendar writes it
    video: bool


@dataclass(frozen=True)
class InstagramLook:
    slides: tuple[Picture, ...]
    grid: Picture | None  # the profile grid's tile of the first picture
    cut: Cut | None  # None: no caption (it cannot be rendered)
    rest: str  # what "… more" reveals
    tags: tuple[str, ...]


@dataclass(frozen=True)
class FacebookLook:
    text: str | None
    link: str | None
    rows: tuple[tuple[tuple[Tile, Picture], ...], ...]
    video: Picture | None


class Looks:
    """The looks of cards, their pictures copied into the site by one ``Thumbs``."""

    def __init__(self, folder: Path, thumbs: Thumbs) -> None:
        self.folder = folder  # the calendar's, which media paths are relative to
        self.thumbs = thumbs
        self._made: dict[tuple[object, ...], Picture] = {}
        self._alts: dict[tuple[int, str | None, str | None], str] = {}

    def picture(self, card: Card, index: int, variant: str) -> Picture:
        """The card's ``index``-th media file as ``variant``: ``photo`` (as it is), ``grid``
        (the 3:4 tile) or ``feed`` (the first in its frame, the later ones of a carousel cut
        to the first's ratio)."""
        o = card.occurrence
        refs = o.post.media
        alt = self._alt(card)
        # The same pictures on each page of a weekly post. The post's media tuple lives as
        # long as the calendar, so its id() names it, without hashing every MediaRef again.
        key = (id(refs), index, variant, alt)
        if key not in self._made:
            self._made[key] = self._picture(refs, index, variant, alt)
        return self._made[key]

    def _alt(self, card: Card) -> str:
        o = card.occurrence
        key = (id(o.post), o.holiday, card.caption)
        if key not in self._alts:
            self._alts[key] = alt_text(o.post, o.holiday, card.caption)
        return self._alts[key]

    def _picture(self, refs: tuple[MediaRef, ...], index: int, variant: str, alt: str) -> Picture:
        path = self.folder / refs[index].path
        if variant == "feed":
            first = self.thumbs.size(self.folder / refs[0].path) if index else None
            thumb = self.thumbs.feed(path, feed_size(*first) if first else None)
        else:
            thumb = self.thumbs.grid(path) if variant == "grid" else self.thumbs.photo(path)
        if len(refs) > 1:
            alt = _("{alt} (picture {number} of {count})").format(
                alt=alt, number=index + 1, count=len(refs)
            )
        return Picture(thumb, alt, refs[index].path, is_video(path))

    def instagram(self, card: Card) -> InstagramLook:
        count = len(card.occurrence.post.media)
        slides = tuple(self.picture(card, i, "feed") for i in range(count))
        grid = self.picture(card, 0, "grid") if count else None
        caption = card.caption
        cut = feed_caption(caption) if caption is not None else None
        rest = caption[len(cut.shown) :] if caption is not None and cut and cut.more else ""
        return InstagramLook(slides, grid, cut, rest, tuple(hashtags(caption or "")))

    def facebook(self, card: Card) -> FacebookLook:
        post = card.occurrence.post
        videos = [i for i, ref in enumerate(post.media) if is_video(Path(ref.path))]
        if videos:  # Facebook publishes the first video alone (check warns of the others)
            return FacebookLook(card.caption, post.link, (), self.picture(card, videos[0], "photo"))
        rows = tuple(
            tuple((tile, self.picture(card, tile.index, "photo")) for tile in row)
            for row in facebook_tiles(len(post.media))
        )
        return FacebookLook(card.caption, post.link, rows, None)
