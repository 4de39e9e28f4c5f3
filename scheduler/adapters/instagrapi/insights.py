"""An instagrapi account's posts' figures and followers, through private requests.

What ``media_info`` gives of a post (``like_count``, ``comment_count``, and for a video
``play_count`` or ``view_count``), the profile feed gives too, for 20 posts a request: the
feed is read, newest first, within the budget the lookups keep to (``lookup.REACH``: five
pages), instead of one ``media_info`` request per post. Every private request risks a
challenge, so a post not found within that budget is a failed read (tried again on a later
run), never a guess. Instagram's private API gives no reach, shares, saves or clicks, and no
story figures: those stay None. The follower count is ``follower_count`` of the account's
``users/{id}/info/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scheduler.adapters.instagrapi.lookup import REACH, RECENT
from scheduler.adapters.metrics import Metrics, Readings, Target
from scheduler.errors import Transient
from scheduler.i18n import _


def read_insights(
    client: Any, user_id: str, targets: Sequence[Target], followers: bool
) -> Readings:
    readings = Readings()
    wanted = {t.platform_post_id: t for t in targets if t.kind != "story"}
    for target in targets:
        if target.kind == "story":
            readings.posts[target.key] = Metrics()  # the private API gives no story figures
    max_id = ""
    for _page in range(REACH.pages if wanted else 0):
        answer = client.private_request(
            f"feed/user/{user_id}/",
            params={
                "max_id": max_id,
                "count": RECENT,
                "rank_token": client.rank_token,
                "ranked_content": "true",
            },
        )
        for item in answer.get("items") or ():
            found = wanted.pop(str(item.get("pk") or "").split("_")[0], None)
            if found is not None:
                readings.posts[found.key] = _metrics(item)
        max_id = str(answer.get("next_max_id") or "")
        if not wanted or not answer.get("more_available") or not max_id:
            break
    for left in wanted.values():
        readings.failed[left.key] = Transient(
            _(
                "not among the account's newest posts within the private requests jadwal "
                "allows itself; read again later"
            )
        )
    if followers:
        user = client.private_request(f"users/{user_id}/info/").get("user") or {}
        readings.followers_read = True
        readings.followers = _count(user.get("follower_count"))
    return readings


def _metrics(item: dict[str, Any]) -> Metrics:
    views = item.get("play_count", item.get("view_count"))
    return Metrics(
        views=_count(views),
        likes=_count(item.get("like_count")),
        comments=_count(item.get("comment_count")),
    )


def _count(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None
