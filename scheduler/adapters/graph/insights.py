"""Reading published posts' insights and the account's followers through the Graph API.

What is asked, from Meta's references (cited in docs/platforms.md):

- Instagram (both hosts): ``GET /{ig-media-id}/insights`` with ``views``, ``reach``,
  ``likes``, ``comments``, ``shares``, ``saved``, ``total_interactions`` for feed posts,
  albums and reels; stories give ``views``, ``reach``, ``replies``, ``shares``,
  ``total_interactions`` and only for 24 hours. The metrics retired in v22.0
  (``impressions``, ``plays``, ``clips_replays_count``, ``ig_reels_aggregated_all_plays_
  count``; ``video_views`` before them) are never asked. Feed posts and reels are read many
  at once by field expansion on the account's media (``/{ig-user}/media?fields=id,insights.
  metric(…)``); when Meta refuses that, each post's insights edge is read instead.
- Facebook Page posts: ``post_media_view``, ``post_total_media_view_unique``,
  ``post_reactions_by_type_total`` (summed: every reaction is a like here) and
  ``post_clicks``, with ``comments.summary(true)`` and ``shares`` from the post itself, all in
  one field-expanded read per post. A Page under 100 likes has no insights (Meta's error
  2874008): its posts are read again without them (reactions, comments, shares).
- Followers: ``followers_count`` on the Instagram user and on the Page.

On ``graph.facebook.com`` the reads of one account go in Meta's batch requests (50
operations each); the Instagram Login host (``graph.instagram.com``) documents no batch
endpoint, so there each read is its own request. A throttling answer (codes 4, 17, 32, 613,
…: ``Throttled``) stops the account's reads and says how long to hold off, as do usage
headers above ``usage.LIMIT``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

from scheduler.adapters.graph.client import BATCH_MAX, Graph
from scheduler.adapters.metrics import Metrics, Readings, Target
from scheduler.errors import PublishError, Rejected, Throttled
from scheduler.i18n import N_, _

IG_METRICS = ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions")
IG_STORY_METRICS = ("views", "reach", "replies", "shares", "total_interactions")
FB_METRICS = (
    "post_media_view",
    "post_total_media_view_unique",
    "post_reactions_by_type_total",
    "post_clicks",
)
FB_COUNTS = "shares,comments.limit(0).summary(true)"
IG_NAMES = {"views": "views", "reach": "reach", "likes": "likes", "comments": "comments",
            "shares": "shares", "saved": "saves", "replies": "replies"}  # fmt: skip
FB_NAMES = {"post_media_view": "views", "post_total_media_view_unique": "reach",
            "post_clicks": "clicks"}  # fmt: skip
SMALL_PAGE = (
    2874008  # "Facebook Page insights are only available for Pages with at least 100 likes"
)
SMALL_PAGE_NOTE = N_(
    "the Page has fewer than 100 likes, and Meta gives no insights for it: views, reach and "
    "clicks stay empty; likes, comments and shares are read from the posts"
)
SMALL_PAGE_LIKES = 100
NOT_ENOUGH_VIEWERS = "not enough viewers"
PAGE_SIZE = 100
MAX_PAGES = 5  # a month of posts fits in one page; an old post beyond five is read alone


class Operations:
    """GET operations (``path?query``), sent in batches where the host takes them."""

    def __init__(self, graph: Graph, batching: bool) -> None:
        self.graph = graph
        self.batching = batching

    def run(self, operations: Sequence[str]) -> list[dict[str, Any] | PublishError]:
        """Each operation's answer or error, in order; a failure of the whole request (no
        connection, a throttled app) is raised."""
        if self.batching:
            answers: list[dict[str, Any] | PublishError] = []
            for start in range(0, len(operations), BATCH_MAX):
                answers += self.graph.batch(operations[start : start + BATCH_MAX])
            return answers
        return [self._one(op) for op in operations]

    def _one(self, operation: str) -> dict[str, Any] | PublishError:
        path, _, query = operation.partition("?")
        try:
            return self.graph.get(path, **dict(parse_qsl(query)))
        except Throttled:
            raise  # the rest would be refused too
        except PublishError as exc:
            if exc.code in (None, *_WHOLE):
                raise
            return exc


_WHOLE = (190, 102)  # the token: every other read of the account fails the same way


def read_instagram(
    ops: Operations, user: str, targets: Sequence[Target], followers: bool
) -> Readings:
    readings = Readings()
    feed = [t for t in targets if t.kind != "story"]
    stories = [t for t in targets if t.kind == "story"]
    asked = [_listing(user)] if feed else []
    asked += [_ig_insights(t.platform_post_id, IG_STORY_METRICS) for t in stories]
    asked += [f"{user}?fields=followers_count"] if followers else []
    answers = ops.run(asked)
    if feed:
        _read_listing(ops, user, feed, answers.pop(0), readings)
    for target, answer in zip(stories, answers, strict=False):
        _keep(readings, target, answer, _ig_metrics)
    if followers:
        _keep_followers(readings, answers[-1])
    return _finish(ops, readings)


def _listing(user: str, after: str | None = None) -> str:
    metrics = ",".join(IG_METRICS)
    cursor = f"&after={after}" if after else ""
    return f"{user}/media?fields=id,insights.metric({metrics})&limit={PAGE_SIZE}{cursor}"


def _ig_insights(media_id: str, metrics: Sequence[str]) -> str:
    return f"{media_id}/insights?metric={','.join(metrics)}"


def _read_listing(
    ops: Operations,
    user: str,
    feed: Sequence[Target],
    answer: dict[str, Any] | PublishError,
    readings: Readings,
) -> None:
    """The account's newest media with their insights, page after page until every target
    is found; what is still missing then (or everything, when Meta refused the expansion) is
    read from each post's own insights edge."""
    wanted = {t.platform_post_id: t for t in feed}
    for _page in range(MAX_PAGES):
        if isinstance(answer, Throttled):
            raise answer
        if isinstance(answer, PublishError):
            break
        for node in answer.get("data") or ():
            target = wanted.pop(str(node.get("id")), None)
            if target is not None:
                readings.posts[target.key] = _ig_metrics(node.get("insights") or {})
        after = ((answer.get("paging") or {}).get("cursors") or {}).get("after")
        if not wanted or not (answer.get("paging") or {}).get("next") or not after:
            break
        answer = ops.run([_listing(user, after)])[0]
    _read_alone(ops, list(wanted.values()), readings)


def _read_alone(ops: Operations, rest: list[Target], readings: Readings) -> None:
    """Each post's own insights edge (a story the caller did not know as one is not on
    /media, and is refused feed metrics: it is asked again for a story's)."""
    if not rest:
        return
    alone = ops.run([_ig_insights(t.platform_post_id, IG_METRICS) for t in rest])
    stories = [t for t, a in zip(rest, alone, strict=True) if _other_product(a)]
    for target, answer in zip(rest, alone, strict=True):
        if target not in stories:
            _keep(readings, target, answer, _ig_metrics)
    again = ops.run([_ig_insights(t.platform_post_id, IG_STORY_METRICS) for t in stories])
    for target, answer in zip(stories, again, strict=True):
        _keep(readings, target, answer, _ig_metrics)


def _other_product(answer: dict[str, Any] | PublishError) -> bool:
    return isinstance(answer, PublishError) and "media product type" in answer.message


def read_facebook(
    ops: Operations, page: str, targets: Sequence[Target], followers: bool
) -> Readings:
    readings = Readings()
    metrics = ",".join(FB_METRICS)
    asked = [f"{t.platform_post_id}?fields={FB_COUNTS},insights.metric({metrics})" for t in targets]
    asked += [f"{page}?fields=followers_count"] if followers else []
    answers = ops.run(asked)
    small = [t for t, a in zip(targets, answers, strict=False) if _small_page(a)]
    for target, answer in zip(targets, answers, strict=False):
        if target not in small:
            _keep(readings, target, answer, _fb_metrics)
    if followers:
        _keep_followers(readings, answers[-1])
    if small:
        readings.note = _(SMALL_PAGE_NOTE)
        again = [
            f"{t.platform_post_id}?fields={FB_COUNTS},reactions.limit(0).summary(true)"
            for t in small
        ]
        for target, answer in zip(small, ops.run(again), strict=True):
            _keep(readings, target, answer, _fb_metrics)
    return _finish(ops, readings)


def _small_page(answer: dict[str, Any] | PublishError) -> bool:
    return isinstance(answer, PublishError) and SMALL_PAGE in (answer.code, answer.subcode)


def _keep(readings: Readings, target: Target, answer: Any, parse: Any) -> None:
    if isinstance(answer, Throttled):
        readings.hold = max(readings.hold or timedelta(0), answer.retry_after)
        readings.failed[target.key] = answer
    elif isinstance(answer, PublishError):
        if NOT_ENOUGH_VIEWERS in answer.message.lower():
            readings.posts[target.key] = Metrics()  # Meta keeps them back: nothing is known
        else:
            readings.failed[target.key] = answer
    elif isinstance(answer, dict):
        readings.posts[target.key] = parse(answer)
    else:
        readings.failed[target.key] = Rejected(_("the Graph API gave no answer for this post"))


def _keep_followers(readings: Readings, answer: dict[str, Any] | PublishError) -> None:
    if isinstance(answer, PublishError):
        readings.followers_failed = answer
        return
    readings.followers_read = True
    readings.followers = _count(answer.get("followers_count"))


def _finish(ops: Operations, readings: Readings) -> Readings:
    usage = ops.graph.usage
    if usage is not None and usage.too_high:
        readings.hold = max(readings.hold or timedelta(0), usage.hold)
    return readings


def _values(insights: dict[str, Any]) -> dict[str, Any]:
    """``{"data": [{"name", "period", "values": [{"value"}], "title", "id"}]}`` → name: value
    (a metric Meta left out is absent, never 0)."""
    found: dict[str, Any] = {}
    for row in insights.get("data") or ():
        values = row.get("values") or []
        if values and isinstance(values[0], dict) and "value" in values[0]:
            found[str(row.get("name"))] = values[0]["value"]
        elif isinstance(row.get("total_value"), dict):
            found[str(row.get("name"))] = row["total_value"].get("value")
    return found


def _ig_metrics(insights: dict[str, Any]) -> Metrics:
    values = _values(insights)
    return Metrics(**{ours: _count(values.get(theirs)) for theirs, ours in IG_NAMES.items()})


def _fb_metrics(post: dict[str, Any]) -> Metrics:
    values = _values(post.get("insights") or {})
    found = {ours: _count(values.get(theirs)) for theirs, ours in FB_NAMES.items()}
    reactions = values.get("post_reactions_by_type_total")
    if isinstance(reactions, dict):
        found["likes"] = sum(_count(v) or 0 for v in reactions.values())
    elif "reactions" in post:
        found["likes"] = _count(((post["reactions"] or {}).get("summary") or {}).get("total_count"))
    found["comments"] = _count(
        ((post.get("comments") or {}).get("summary") or {}).get("total_count")
    )
    found["shares"] = _count((post.get("shares") or {}).get("count"))
    return Metrics(**found)


def _count(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        try:
            return int(value)
        except ValueError:
            return None
    return None
