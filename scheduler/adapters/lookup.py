"""The lookup after an unknown outcome: one newest-first scan of an account's posts, shared by
the Graph API adapters and instagrapi.

Each platform turns its listing into ``Page``s of ``Post``s (its own fields, cursors and page
size) and declares its ``Reach`` (how many pages, how much clock slack); ``scan`` decides.

The rules, the same on every platform, each chosen so that neither a double post nor a false
"published" record can come out of a doubt:

- **A post with the caption, made after the claim** (less the platform's clock slack), is the
  publication: ``published``.
- **The same caption from before the claim** (last week's greeting, the original of a
  ``jadwal post --again``) is not it.
- **How far back a page reaches** is the time of its last post that is not pinned and has a
  time. The listing is newest first, so everything after that post is older still; a pinned
  post comes first whatever its age, and the Graph API does not mark pins, so the last post
  (not the oldest, not a pinned one) is the only safe measure. Once a page reaches before the
  claim, or the platform says nothing older follows (not a short page: privacy filtering makes
  those), the publication is ``not_published`` and may be sent.
- **A post with the caption but no readable time** may be this publication or an older one
  with the same text. The listing order settles it when it can: if the next dated, unpinned
  post after it is itself after the claim, it is newer still, so it is the publication. If the
  next one is older (or there is none, or it is pinned), nothing can tell: the row stays
  ``unknown`` for a person, because calling it published could hide a post that never went
  out, and calling it not published could send it twice. A post without a time never decides
  how far back a page reaches.
- **Past the platform's page limit**, the row stays ``unknown`` rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from scheduler.adapters.base import Lookup, Published, caption_hash
from scheduler.i18n import N_, _, ngettext


@dataclass(frozen=True)
class Reach:
    """How far back one platform's lookup reads: at most ``pages`` pages; a post made up to
    ``slack`` before the claim still counts as after it (the platform's clock and ours may
    disagree)."""

    pages: int
    slack: timedelta


@dataclass(frozen=True)
class Post:
    """What the scan needs of one post of a listing."""

    id: str
    caption: str
    at: datetime | None  # None: the platform gave no readable time
    permalink: str | None = None
    pinned: bool = False

    @property
    def published(self) -> Published:
        return Published(self.id, self.permalink)


@dataclass(frozen=True)
class Page:
    """One page of a listing, newest first. ``last``: the platform says nothing older follows;
    ``after``: the cursor of the next page (None when the platform gave none)."""

    posts: list[Post]
    last: bool
    after: str | None = None


Reader = Callable[[str | None], Page]  # the page after a cursor (None: the first page)

UNDATED = N_("a post with this caption has no time, so it may be an older one")


def scan(read: Reader, captions: Iterable[str], since: datetime, reach: Reach) -> Lookup:
    """Whether a post with one of ``captions``, made after ``since``, is on the listing."""
    search = _Search({caption_hash(c) for c in captions}, since - reach.slack)
    cursor: str | None = None
    for _page in range(reach.pages):
        page = read(cursor)
        found = search.read(page.posts)
        if found is not None:
            return Lookup("published", found.published)
        if page.last or _reaches_before(page.posts, search.earliest):
            return (
                Lookup("unknown", detail=_(UNDATED)) if search.unsure else Lookup("not_published")
            )
        cursor = page.after
        if not cursor:
            break
    detail = ngettext(
        "not among the {count} most recent post; older ones not read",
        "not among the {count} most recent posts; older ones not read",
        search.count,
    )
    return Lookup("unknown", detail=detail.format(count=search.count))


def _reaches_before(posts: list[Post], earliest: datetime) -> bool:
    dated = [post.at for post in posts if post.at is not None and not post.pinned]
    return bool(dated) and dated[-1] < earliest


class _Search:
    """The posts read so far, and an undated match waiting for the listing to place it."""

    def __init__(self, wanted: set[str], earliest: datetime) -> None:
        self.wanted = wanted
        self.earliest = earliest
        self.count = 0
        self.undated: Post | None = None  # placed by the next dated, unpinned post
        self.doubt = False  # an undated match that could not be placed

    def read(self, posts: list[Post]) -> Post | None:
        self.count += len(posts)
        for post in posts:
            found = self._one(post)
            if found is not None:
                return found
        return None

    def _one(self, post: Post) -> Post | None:
        matches = caption_hash(post.caption) in self.wanted
        if post.at is None:
            if matches:
                self._hold(post)
            return None
        if matches and post.at >= self.earliest:
            return post
        if post.pinned or self.undated is None:
            return None
        waiting, self.undated = self.undated, None
        if post.at >= self.earliest:
            return waiting  # newer than a post made after the claim: after it too
        self.doubt = True
        return None

    def _hold(self, post: Post) -> None:
        if post.pinned:
            self.doubt = True  # a pin stands outside the order: nothing can place it
        elif self.undated is None:
            self.undated = post  # a second one in a row waits for the same placement

    @property
    def unsure(self) -> bool:
        return self.doubt or self.undated is not None
