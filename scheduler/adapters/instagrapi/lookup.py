"""Reading an instagrapi account back after an unknown outcome: its profile feed through the
shared newest-first scan (``scheduler.adapters.lookup``), and its stories, which carry no
caption to match.

The reads are private requests of their own, not ``user_medias()``: instagrapi's v1 feed
readers log and swallow network and HTTP errors (returning fewer or no media), which would
turn "can't tell" into "not published".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from scheduler.adapters.base import Draft, Lookup
from scheduler.adapters.lookup import Page, Post, Reach, scan
from scheduler.i18n import _, ngettext

RECENT = 20  # media per page of the profile feed
# Fewer pages than the Graph API's: every private request risks a challenge. Instagram's
# taken_at can differ from our clock by more than Meta's Graph timestamps do.
REACH = Reach(pages=5, slack=timedelta(hours=1))
STORY_LIFETIME = timedelta(hours=20)  # stories vanish after 24 h: older ones can't be checked


def find_post(client: Any, user_id: str, draft: Draft) -> Lookup:
    """Whether the draft's caption is on the profile feed, posted after its claim."""

    def read(max_id: str | None) -> Page:
        answer = client.private_request(
            f"feed/user/{user_id}/",
            params={
                "max_id": max_id or "",
                "count": RECENT,
                "rank_token": client.rank_token,
                "ranked_content": "true",
            },
        )
        return Page(
            [_post(item) for item in answer.get("items") or []],
            last=not answer.get("more_available"),
            after=str(answer.get("next_max_id") or "") or None,
        )

    return scan(read, {draft.caption}, draft.sent_after, REACH)


def find_story(client: Any, user_id: str, at: datetime) -> Lookup:
    """Whether a story went out since ``at``: stories have no caption, so any story since
    then leaves it ``unknown``."""
    if datetime.now(UTC) - at > STORY_LIFETIME:
        return Lookup("unknown", detail=_("stories disappear after 24 hours: check by hand"))
    since = at - REACH.slack
    newer = [i for i in _recent_stories(client, user_id) if _maybe_since(i, since)]
    if not newer:
        return Lookup("not_published", detail=_("no story since the planned time"))
    # Stories carry no caption to match: one posted by hand looks the same as ours.
    said = ngettext(
        "{count} story since the planned time", "{count} stories since the planned time", len(newer)
    )
    return Lookup("unknown", detail=said.format(count=len(newer)))


def _recent_stories(client: Any, user_id: str) -> list[dict[str, Any]]:
    from instagrapi import config

    answer = client.private_request(
        f"feed/user/{user_id}/story/",
        params={"supported_capabilities_new": json.dumps(config.SUPPORTED_CAPABILITIES)},
    )
    return list((answer.get("reel") or {}).get("items") or [])


def _maybe_since(item: dict[str, Any], since: datetime) -> bool:
    # A story without a readable time could be ours, as in the feed's scan.
    at = _taken_at(item)
    return at is None or at >= since


def _post(item: dict[str, Any]) -> Post:
    code = item.get("code")
    return Post(
        id=str(item.get("pk") or item.get("id")),
        caption=str((item.get("caption") or {}).get("text") or ""),
        at=_taken_at(item),
        permalink=f"https://www.instagram.com/p/{code}/" if code else None,
        # Pinned posts come first whatever their age.
        pinned=bool(item.get("timeline_pinned_user_ids")),
    )


def _taken_at(item: dict[str, Any]) -> datetime | None:
    try:
        seconds = float(item.get("taken_at") or 0)
        return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None
