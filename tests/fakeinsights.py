"""The fake Graph API's insights (``FakeGraph`` mixes it in): what a published post did, as
Meta's references shape it, and the ways Meta refuses or slows down reads.

- ``GET /{ig-media-id}/insights?metric=…`` and ``GET /{page-post-id}/insights?metric=…``
  answer ``{"data": [{"name", "period": "lifetime", "values": [{"value"}], "title",
  "description", "id": "{id}/insights/{name}/lifetime"}]}`` (Instagram Media Insights,
  Page Post Insights); a metric withheld (``withhold``) is left out, as Meta leaves out what
  it does not have;
- field expansion: ``insights.metric(…)`` on a post or a media node and on the nodes of
  ``/{ig-user}/media``; ``comments.limit(0).summary(true)`` (``{"data": [], "summary":
  {"total_count"}}``), ``shares`` (``{"count"}``), ``reactions.limit(0).summary(true)`` on a
  Page post; ``followers_count`` on an Instagram user and a Page, ``fan_count`` on a Page;
- the metrics retired in v22.0 (``impressions``, ``plays``, ``clips_replays_count``,
  ``ig_reels_aggregated_all_plays_count``; ``video_views``) are refused with code 100 and
  Meta's "Starting from version 22 and above…" message, and noted in ``deprecated_asked``
  (the ``fake_graph`` fixture fails a test that asked one); a metric the media's product
  type does not have (a story's ``replies`` on a feed post, ``likes`` on a story) is refused
  with "(#100) The Media Insights API does not support the … metric for this media product
  type." (an answer Meta gives, seen in public reports);
- a story's insights are gone 24 hours after it was posted (by the fake's ``clock``);
- a Page under 100 likes (``set_page_likes``) refuses its posts' insights with Meta's
  2874008 ("Facebook Page insights are only available for Pages with at least 100 likes";
  Pages API error codes; whether it comes as the code or the subcode is unconfirmed: the
  fake sends code 100, subcode 2874008);
- Meta's batch requests (``POST /{version}/`` with ``batch``, at most 50 operations; more is
  Meta's "Maximum batch size is 50"): each operation is run as if alone and answered
  ``{"code", "headers", "body"}``, in order; each is noted in ``batch_operations``. The
  Instagram Login host is given none (its docs describe no batch endpoint);
- ``usage_headers``: sent with every API answer (``X-App-Usage``,
  ``X-Business-Use-Case-Usage``), to make a client see limits coming; ``fail_next(code=4)``
  and friends throttle.

The values served are the ground truth tests compare stored readings with (``served``).
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl, unquote

DEPRECATED = ("impressions", "plays", "video_views", "clips_replays_count",
              "ig_reels_aggregated_all_plays_count")  # fmt: skip
IG_FEED = ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions")
IG_STORY = ("views", "reach", "replies", "shares", "total_interactions")
FB_POST = ("post_media_view", "post_total_media_view_unique", "post_reactions_by_type_total",
           "post_clicks")  # fmt: skip
BATCH_MAX = 50
STORY_LIFE = timedelta(hours=24)
SMALL_PAGE = ("(#100) Facebook Page insights are only available for Pages with at least 100 "
              "likes")  # fmt: skip


def split_fields(text: str) -> list[str]:
    """``a,b.metric(x,y),c`` → ``["a", "b.metric(x,y)", "c"]``: commas inside () stay."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [p for p in [*parts, current.strip()] if p]


def _ground_truth(node_id: str) -> dict[str, int]:
    base = int(hashlib.sha256(node_id.encode()).hexdigest()[:6], 16) % 900 + 100
    likes, comments, shares, saved = base // 3, base // 10, base // 20, base // 15
    return {
        "views": base * 3, "reach": base * 2, "likes": likes, "comments": comments,
        "shares": shares, "saved": saved, "replies": base // 25, "clicks": base // 7,
        "total_interactions": likes + comments + shares + saved,
    }  # fmt: skip


class FakeInsights:
    """Mixed into ``FakeGraph``: it uses its lock, posts, grants and errors."""

    def init_insights(self) -> None:
        self.deprecated_asked: list[str] = []
        self.batch_operations: list[str] = []
        self.usage_headers: dict[str, str] = {}
        self._metrics: dict[str, dict[str, int]] = {}
        self._withheld: dict[str, set[str]] = {}
        self._page_likes: dict[str, int] = {}
        self._followers: dict[str, int] = {}

    # -- test controls ----------------------------------------------------------------------

    def served(self, node_id: str) -> dict[str, int]:
        """What the fake says of a post or media: its metrics in Meta's names, plus
        ``reactions`` (by type) for a Page post."""
        values = dict(_ground_truth(node_id)) | self._metrics.get(node_id, {})
        likes = values["likes"]
        values["reactions"] = {"LIKE": likes - likes // 4, "LOVE": likes // 4}
        return values

    def set_metrics(self, node_id: str, **values: int) -> None:
        with self._lock:
            self._metrics.setdefault(node_id, {}).update(values)

    def withhold(self, node_id: str, *metrics: str) -> None:
        """Meta has no figure for these metrics of this post: left out of its answers."""
        with self._lock:
            self._withheld.setdefault(node_id, set()).update(metrics)

    def set_page_likes(self, page: str, likes: int) -> None:
        with self._lock:
            self._page_likes[page] = likes

    def set_followers(self, owner: str, count: int) -> None:
        with self._lock:
            self._followers[owner] = count

    def followers_of(self, owner: str) -> int:
        return self._followers.get(
            owner, 1000 + int(hashlib.sha256(owner.encode()).hexdigest()[:4], 16) % 5000
        )

    def page_likes(self, page: str) -> int:
        return self._page_likes.get(page, 5000)

    # -- requests ---------------------------------------------------------------------------

    def is_insight_node(self, node_id: str) -> bool:
        return node_id in self._fb_posts or node_id in self._ig_media

    def post_insights(self, call: Any, node_id: str) -> dict[str, Any]:
        """``GET /{id}/insights?metric=…`` on a Page post or an Instagram media."""
        from tests.fakegraph import _missing

        metric = call.params.get("metric")
        if not metric:
            raise _missing("metric")
        return self._insights(call, node_id, [m.strip() for m in metric.split(",") if m.strip()])

    def _insights(self, call: Any, node_id: str, metrics: list[str]) -> dict[str, Any]:
        from tests.fakegraph import GraphError

        with self._lock:
            self._refuse_deprecated(metrics)
            if node_id in self._fb_posts:
                return self._fb_insights(call, node_id, metrics)
            media = self._ig_media.get(node_id)
            if media is None:
                raise GraphError(
                    100,
                    f"(#100) Unsupported get request. Object with ID '{node_id}' does not exist",
                )
            return self._ig_insights(call, media, metrics)

    def _refuse_deprecated(self, metrics: list[str]) -> None:
        from tests.fakegraph import GraphError

        for name in metrics:
            if name in DEPRECATED:
                self.deprecated_asked.append(name)
                raise GraphError(
                    100,
                    f"Starting from version 22 and above, the {name} metric is no longer "
                    "supported for the queried media. Please refer to the documentation at "
                    "https://developers.facebook.com/docs/instagram-platform/reference/"
                    "instagram-media/insights for a list of supported metrics.",
                )

    def _ig_insights(self, call: Any, media: dict[str, Any], metrics: list[str]) -> dict[str, Any]:
        from tests.fakegraph import GraphError

        owner = media["target"]
        self._need_ig(call, owner, write=False)
        wanted = (
            "instagram_business_manage_insights"
            if call.grant.kind == "instagram"
            else "instagram_manage_insights"
        )
        if wanted not in call.grant.scopes:
            raise GraphError(10, "(#10) Application does not have permission for this action")
        product = self._ig_extra[media["id"]]["product"]
        allowed = IG_STORY if product == "STORY" else IG_FEED
        for name in metrics:
            if name not in allowed:
                raise GraphError(
                    100,
                    f"(#100) The Media Insights API does not support the {name} metric for this "
                    "media product type.",
                )
        posted = self._posted_at.get(media["id"])
        if product == "STORY" and posted is not None and self.clock() >= posted + STORY_LIFE:
            return {"data": []}  # "an empty data set": the story's metrics are gone
        values = self.served(media["id"])
        return {
            "data": [
                self._row(media["id"], n, values[n])
                for n in metrics
                if n not in self._withheld.get(media["id"], set())
            ]
        }

    def _fb_insights(self, call: Any, post_id: str, metrics: list[str]) -> dict[str, Any]:
        from tests.fakegraph import GraphError

        page = self._fb_posts[post_id]["target"]
        self._need_page(call, page, write=False)
        if "read_insights" not in call.grant.scopes:
            raise GraphError(10, "(#10) This endpoint requires the 'read_insights' permission.")
        for name in metrics:
            if name not in FB_POST:
                raise GraphError(100, "(#100) The value must be a valid insights metric")
        if self.page_likes(page) < 100:
            raise GraphError(100, SMALL_PAGE, 2874008)
        served = self.served(post_id)
        ours = {
            "post_media_view": served["views"],
            "post_total_media_view_unique": served["reach"],
            "post_reactions_by_type_total": served["reactions"],
            "post_clicks": served["clicks"],
        }
        withheld = self._withheld.get(post_id, set())
        return {"data": [self._row(post_id, n, ours[n]) for n in metrics if n not in withheld]}

    @staticmethod
    def _row(node_id: str, name: str, value: Any) -> dict[str, Any]:
        title = name.replace("_", " ").capitalize()
        return {
            "name": name,
            "period": "lifetime",
            "values": [{"value": value}],
            "title": title,
            "description": f"{title} (fake)",
            "id": f"{node_id}/insights/{name}/lifetime",
        }

    def expand(
        self, call: Any, node_id: str, fields: str | None
    ) -> tuple[str | None, dict[str, Any]]:
        """The fields a plain projection can't serve, answered here; the rest handed back."""
        if fields is None:
            return None, {}
        rest: list[str] = []
        extra: dict[str, Any] = {}
        for item in split_fields(fields):
            name = re.split(r"[.{(]", item, maxsplit=1)[0]
            if name == "insights":
                found = re.search(r"\.metric\(([^)]*)\)", item)
                metrics = [
                    m.strip() for m in (found.group(1) if found else "").split(",") if m.strip()
                ]
                extra["insights"] = self._insights(call, node_id, metrics)
            elif name in ("comments", "shares", "reactions", "followers_count", "fan_count"):
                extra.update(self._counted(node_id, name))
            else:
                rest.append(item)
        return ",".join(rest) or "id", extra

    def _counted(self, node_id: str, name: str) -> dict[str, Any]:
        if name in ("followers_count", "fan_count"):
            count = self.page_likes(node_id) if name == "fan_count" else self.followers_of(node_id)
            return {name: count}
        values = self.served(node_id)
        if name == "shares":
            return {"shares": {"count": values["shares"]}}
        total = values["comments"] if name == "comments" else values["likes"]
        return {name: {"data": [], "summary": {"order": "ranked", "total_count": total}}}

    def run_batch(self, call: Any) -> list[dict[str, Any] | None]:
        """Meta's batch request: every operation as if it came alone, answered in order."""
        from tests.fakegraph import GraphError, _Call

        if call.host == "instagram":
            raise GraphError(100, "(#100) Unsupported post request.")
        try:
            operations = json.loads(call.params["batch"])
        except (ValueError, TypeError) as exc:
            raise GraphError(100, "(#100) param batch must be a JSON-encoded list") from exc
        if len(operations) > BATCH_MAX:
            raise GraphError(
                1,
                "Too many requests in batch message. Maximum batch size is 50",
                error_type="GraphBatchException",
            )
        answers: list[dict[str, Any] | None] = []
        for operation in operations:
            url = str(operation.get("relative_url", "")).lstrip("/")
            path, _, query = url.partition("?")
            parts = [self.version, *(unquote(p) for p in path.split("/") if p)]
            method = str(operation.get("method", "GET")).upper()
            params = dict(parse_qsl(query, keep_blank_values=True))
            where = f"/{self.version}/{path}"
            sub = _Call(method, where, parts, params, {}, call.token, call.auth, call.host)
            with self._lock:
                self.batch_operations.append(url)
            status, body = self._run(sub)
            headers = [{"name": "Content-Type", "value": "text/javascript; charset=UTF-8"}]
            answers.append({"code": status, "headers": headers, "body": json.dumps(body)})
        return answers


def ig_asked_metrics(operations: list[str]) -> set[str]:
    """Every metric name in a list of relative URLs or request parameters (for tests)."""
    found: set[str] = set()
    for text in operations:
        for group in re.findall(r"metric[=(]([\w,]+)", text):
            found.update(group.split(","))
    return found


class Seeding:
    """Published posts put straight into the fake (tests of reading need no publishing)."""

    def seed_media(self: Any, owner: str, kind: str = "image") -> str:
        """A published Instagram media of ``kind`` (image, carousel, reel, story)."""
        from tests.fakegraph import _Container

        media_type = {"reel": "VIDEO", "carousel": "CAROUSEL_ALBUM"}.get(kind, "IMAGE")
        with self._lock:
            container = _Container(
                f"c{next(self._ids)}", owner, kind, [], "", media_type, 0.0, "FINISHED"
            )
            media_id: str = self._add_ig_media(container)
            self._posted_at[media_id] = self.clock()
        return media_id

    def seed_page_post(self: Any, page: str) -> str:
        with self._lock:
            post_id = f"{page}_{self._next_fb_id()}"
            self._add_fb_post(post_id, "text", page, f"Info {post_id}", [], None)
        return post_id
