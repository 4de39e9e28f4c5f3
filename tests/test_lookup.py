"""The lookup after an unknown outcome, on listings the fakes don't produce (a pinned post
first, a short page that still has a next one, a post without a time), run through both
platforms' pages: the Graph API's (``find_by_caption``) and instagrapi's profile feed
(``find_post``). One scan decides for both (``scheduler.adapters.lookup``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from scheduler.adapters.base import Draft, Lookup, Published
from scheduler.adapters.graph.client import Graph
from scheduler.adapters.graph.lookup import LOOKUP_PAGE, find_by_caption
from scheduler.adapters.instagrapi.lookup import RECENT, find_post
from scheduler.adapters.lookup import UNDATED

SENT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
CAPTION = "Rapat desa"


@dataclass(frozen=True)
class Item:
    """A post on any platform's listing; ``at`` None: the platform gave no time."""

    number: int
    text: str
    at: datetime | None
    pinned: bool = False


Pages = list[list[Item]]


class GraphPages:
    """Answers ``Graph.get`` with the given pages in turn, linked by Meta's cursors."""

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.asked: list[dict[str, Any]] = []

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        self.asked.append(params)
        index = int(params.get("after") or 0)
        answer: dict[str, Any] = {"data": [self.item(i) for i in self.pages[index]]}
        if index + 1 < len(self.pages):
            answer["paging"] = {"cursors": {"after": str(index + 1)}, "next": "https://next"}
        return answer

    @staticmethod
    def item(item: Item) -> dict[str, Any]:
        # The Graph API doesn't mark pinned posts: a pin is just a post out of order.
        found = {"id": str(item.number), "message": item.text, "permalink_url": f"p/{item.number}"}
        if item.at is not None:
            found["created_time"] = item.at.strftime("%Y-%m-%dT%H:%M:%S+0000")
        return found


class FeedPages:
    """Answers instagrapi's ``private_request`` for the profile feed, linked by next_max_id."""

    rank_token = "rank"

    def __init__(self, pages: Pages) -> None:
        self.pages = pages
        self.asked: list[dict[str, Any]] = []

    def private_request(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        assert path == "feed/user/4242/"
        self.asked.append(params)
        index = int(params["max_id"] or 0)
        more = index + 1 < len(self.pages)
        answer: dict[str, Any] = {
            "items": [self.item(i) for i in self.pages[index]],
            "more_available": more,
        }
        return answer | ({"next_max_id": str(index + 1)} if more else {})

    @staticmethod
    def item(item: Item) -> dict[str, Any]:
        found: dict[str, Any] = {
            "pk": str(item.number),
            "code": f"C{item.number}",
            "caption": {"text": item.text},
        }
        if item.at is not None:
            found["taken_at"] = int(item.at.timestamp())
        return found | ({"timeline_pinned_user_ids": [4242]} if item.pinned else {})


@dataclass(frozen=True)
class Platform:
    page_size: int
    pages: Callable[[Pages], GraphPages | FeedPages]
    find: Callable[[Any], Lookup]
    published: Callable[[int], Published]


def graph_find(pages: GraphPages) -> Lookup:
    return find_by_caption(
        cast(Graph, pages),
        "1001/posts",
        text="message",
        created="created_time",
        link="permalink_url",
        captions={CAPTION},
        since=SENT,
    )


def feed_find(pages: FeedPages) -> Lookup:
    draft = Draft("k", "rapat", "desa-ig", "instagram", SENT, CAPTION)
    return find_post(pages, "4242", draft)


PLATFORMS = {
    "graph": Platform(LOOKUP_PAGE, GraphPages, graph_find, lambda n: Published(str(n), f"p/{n}")),
    "instagrapi": Platform(
        RECENT,
        FeedPages,
        feed_find,
        lambda n: Published(str(n), f"https://www.instagram.com/p/C{n}/"),
    ),
}


def after(minutes: float) -> datetime:
    return SENT + timedelta(minutes=minutes)


def newer(count: int, first: int = 100) -> list[Item]:
    """Posts by others since the claim, newest first."""
    return [Item(first + n, f"kabar {n}", after(10 + count - n)) for n in range(count)]


def run(platform: str, pages: Pages) -> tuple[Lookup, int]:
    source = PLATFORMS[platform].pages(pages)
    return PLATFORMS[platform].find(source), len(source.asked)


def published(platform: str, number: int) -> Lookup:
    return Lookup("published", PLATFORMS[platform].published(number))


both = pytest.mark.parametrize("platform", list(PLATFORMS))


@both
def test_a_pinned_old_post_first_does_not_end_the_search(platform: str) -> None:
    pinned = Item(1, "Profil desa", SENT - timedelta(days=400), pinned=True)
    pages = [[pinned, *newer(3)], [Item(2, CAPTION, SENT + timedelta(seconds=3))]]
    assert run(platform, pages) == (published(platform, 2), 2)


@both
def test_the_post_behind_120_newer_posts_is_found_within_the_platforms_reach(
    platform: str,
) -> None:
    size = PLATFORMS[platform].page_size
    listing = [*newer(120), Item(2, CAPTION, after(2)), Item(3, "lama", after(-60 * 24))]
    pages = [listing[start : start + size] for start in range(0, len(listing), size)]
    lookup, asked = run(platform, pages)
    if platform == "graph":  # 50 a page, 10 pages: the third page has it
        assert (lookup, asked) == (published(platform, 2), 3)
    else:  # 20 a page, 5 pages: the post is the 121st, past what instagrapi reads
        assert lookup == Lookup(
            "unknown", detail="not among the 100 most recent posts; older ones not read"
        )
        assert asked == 5


@both
def test_the_same_caption_from_before_the_claim_is_not_this_post(platform: str) -> None:
    last_week = Item(2, CAPTION, SENT - timedelta(days=7))
    pages = [[*newer(2), last_week], [Item(1, CAPTION, SENT - timedelta(days=14))]]
    assert run(platform, pages) == (Lookup("not_published"), 1)


@both
def test_a_short_page_with_a_next_one_is_not_the_end(platform: str) -> None:
    pages = [[Item(10, "kabar", after(60))], [], [Item(9, "lama", SENT - timedelta(days=1))]]
    # Read back to before the post's time, through an empty page.
    assert run(platform, pages) == (Lookup("not_published"), 3)


@both
def test_a_post_without_a_time_never_decides_how_far_back_a_page_reaches(platform: str) -> None:
    pages = [[*newer(2), Item(5, "tanpa waktu", None)], [Item(2, CAPTION, after(2))]]
    assert run(platform, pages) == (published(platform, 2), 2)


@both
def test_the_caption_without_a_time_before_a_post_made_after_the_claim_is_this_post(
    platform: str,
) -> None:
    pages = [[*newer(2), Item(2, CAPTION, None), Item(6, "kabar", after(1))], [Item(9, "x", None)]]
    assert run(platform, pages) == (published(platform, 2), 1)


@pytest.mark.parametrize(
    "pages",
    [
        pytest.param(
            [[*newer(2), Item(2, CAPTION, None), Item(7, "lama", SENT - timedelta(days=1))]],
            id="followed-by-an-older-post",
        ),
        pytest.param([[*newer(2), Item(2, CAPTION, None)]], id="last-of-the-listing"),
    ],
)
@both
def test_the_caption_without_a_time_that_may_be_older_is_left_to_a_person(
    platform: str, pages: Pages
) -> None:
    assert run(platform, pages) == (Lookup("unknown", detail=UNDATED), 1)


def test_a_pinned_caption_without_a_time_is_left_to_a_person() -> None:
    """Only instagrapi marks pins; a pin stands outside the order, so nothing places it."""
    pages = [[Item(2, CAPTION, None, pinned=True), *newer(2)], [Item(7, "lama", after(-90))]]
    assert run("instagrapi", pages) == (Lookup("unknown", detail=UNDATED), 2)
