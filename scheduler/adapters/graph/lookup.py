"""Finding a post by its caption on a Graph API listing (a Page's ``/posts``, an Instagram
user's ``/media``) after an unknown outcome, through the shared newest-first scan
(``scheduler.adapters.lookup``): Meta's pages and cursors, Meta's time format."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from scheduler.adapters.base import Lookup
from scheduler.adapters.graph.client import Graph
from scheduler.adapters.lookup import Page, Post, Reach, scan

# 10 pages of 50 is far more than an office posts between a lost answer and the next run;
# past that, the row is left `unknown` for `jadwal resolve` rather than guessed. Meta's clock
# and ours agree to within minutes.
LOOKUP_PAGE = 50
REACH = Reach(pages=10, slack=timedelta(minutes=5))


def find_by_caption(
    graph: Graph,
    edge: str,
    *,
    text: str,
    created: str,
    link: str,
    captions: set[str],
    since: datetime,
) -> Lookup:
    """Look for a post whose ``text`` field is one of ``captions`` on ``edge``, made after
    ``since``. The end of the listing is a missing ``paging.next``, as Meta documents, not a
    short page (privacy filtering makes those)."""
    fields = f"id,{text},{created},{link}"

    def read(after: str | None) -> Page:
        params: dict[str, Any] = {"fields": fields, "limit": LOOKUP_PAGE}
        if after:
            params["after"] = after
        answer = graph.get(edge, **params)
        paging = answer.get("paging") or {}
        return Page(
            [_post(item, text, created, link) for item in answer.get("data") or []],
            last=not paging.get("next"),
            after=(paging.get("cursors") or {}).get("after"),
        )

    return scan(read, captions, since, REACH)


def _post(item: dict[str, Any], text: str, created: str, link: str) -> Post:
    # Graph listings don't mark pinned posts: the scan's last-post rule copes with a pin.
    found = item.get(link)
    return Post(
        id=str(item.get("id")),
        caption=str(item.get(text) or ""),
        at=_parse_time(item.get(created)),
        permalink=str(found) if found else None,
    )


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("+0000", "+00:00"))
    except ValueError:
        return None
