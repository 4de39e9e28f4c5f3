"""``find_by_caption`` on listings the fake Graph API doesn't produce: a pinned post first, a
short page that still has a next one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, cast

from scheduler.adapters.base import Lookup, Published
from scheduler.adapters.graph.client import Graph
from scheduler.adapters.graph.lookup import find_by_caption

SENT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


def item(number: int, text: str, at: datetime) -> dict[str, Any]:
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S+0000")
    return {
        "id": str(number),
        "message": text,
        "created_time": stamp,
        "permalink_url": f"p/{number}",
    }


class Pages:
    """Answers ``get`` with the given pages in turn, linked by cursors."""

    def __init__(self, *pages: list[dict[str, Any]]) -> None:
        self.pages = pages
        self.asked: list[dict[str, Any]] = []

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        self.asked.append(params)
        index = int(params.get("after") or 0)
        answer: dict[str, Any] = {"data": self.pages[index]}
        if index + 1 < len(self.pages):
            answer["paging"] = {"cursors": {"after": str(index + 1)}, "next": "https://next"}
        return answer


def find(pages: Pages) -> Lookup:
    return find_by_caption(
        cast(Graph, pages),
        "1001/posts",
        text="message",
        created="created_time",
        link="permalink_url",
        captions={"Rapat desa"},
        since=SENT,
    )


def test_a_pinned_old_post_first_does_not_end_the_search() -> None:
    pinned = item(1, "Profil desa", SENT - timedelta(days=400))
    newer = [item(10 + n, f"kabar {n}", SENT + timedelta(hours=n + 1)) for n in range(3)]
    pages = Pages([pinned, *newer], [item(2, "Rapat desa", SENT + timedelta(seconds=3))])
    assert find(pages) == Lookup("published", Published("2", "p/2"))
    assert len(pages.asked) == 2


def test_a_short_page_with_a_next_one_is_not_the_end() -> None:
    pages = Pages(
        [item(10, "kabar", SENT + timedelta(hours=1))],
        [],
        [item(9, "lama", SENT - timedelta(days=1))],
    )
    assert find(pages) == Lookup("not_published")
    assert len(pages.asked) == 3  # read back to before the post's time, through an empty page
