"""Facebook Page adapter (facebook-sdk): text and link posts, photos, albums, videos.

- text (and links): ``POST /{page}/feed``;
- one photo: ``POST /{page}/photos`` with the file's bytes (multipart ``source``);
- several photos: each uploaded unpublished (safe to repeat: nothing is public), then one
  ``POST /{page}/feed`` with ``attached_media``;
- a video: ``POST /{page}/videos``.
Only the final call makes the post public; a lost answer to it is ``OutcomeUnknown`` and is
settled by ``find``, which looks for the caption among the page's recent posts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from scheduler.adapters.base import CheckResult, Draft, Lookup, Progress, Published, caption_hash
from scheduler.adapters.credentials import token_for
from scheduler.adapters.errors import PublishError, Rejected
from scheduler.adapters.graph import Graph, graph_url
from scheduler.calendar.model import Account, Calendar
from scheduler.media import VIDEO_SUFFIXES

PAGE_PERMISSIONS = ("pages_manage_posts", "pages_read_engagement")
RECENT = 25


class FacebookPageAdapter:
    def __init__(self, calendar: Calendar, account: Account, graph: Graph | None = None) -> None:
        self.calendar = calendar
        self.account = account
        self.page = account.page_id or ""
        self.graph = graph or Graph(
            token_for(calendar, account), graph_url(calendar.graph_url), calendar.graph_version
        )

    # -- publish ---------------------------------------------------------------------------

    def publish(self, draft: Draft, progress: Progress) -> Published:
        videos = [m for m in draft.media if m.suffix.lower() in VIDEO_SUFFIXES]
        images = [self._prepared(m) for m in draft.media if m not in videos]
        if videos:
            post_id = self._video(draft, videos[0])
        elif len(images) == 1:
            post_id = self._photo(draft, images[0])
        elif images:
            post_id = self._album(draft, images)
        else:
            data = {"message": draft.caption} | ({"link": draft.link} if draft.link else {})
            post_id = self.graph.post(f"{self.page}/feed", data, safe=False)["id"]
        return Published(str(post_id), self._permalink(str(post_id)))

    def _prepared(self, path: Path) -> Path:
        from scheduler.mediaprep import prepare_image

        return prepare_image(path, self.calendar.folder / ".jadwal" / "media", "facebook")

    def _photo(self, draft: Draft, image: Path) -> str:
        with _opened({"source": image}) as files:
            answer = self.graph.post(
                f"{self.page}/photos", {"message": _text(draft)}, files=files, safe=False
            )
        return str(answer.get("post_id") or answer["id"])

    def _album(self, draft: Draft, images: list[Path]) -> str:
        ids = []
        for image in images:
            with _opened({"source": image}) as files:
                answer = self.graph.post(
                    f"{self.page}/photos", {"published": "false"}, files=files, safe=True
                )
            ids.append(str(answer["id"]))
        data: dict[str, Any] = {"message": _text(draft)}
        for index, photo_id in enumerate(ids):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        return str(self.graph.post(f"{self.page}/feed", data, safe=False)["id"])

    def _video(self, draft: Draft, video: Path) -> str:
        with _opened({"source": video}) as files:
            answer = self.graph.post(
                f"{self.page}/videos", {"description": _text(draft)}, files=files, safe=False
            )
        return str(answer["id"])

    def _permalink(self, post_id: str) -> str | None:
        try:
            answer = self.graph.get(post_id, fields="permalink_url")
        except PublishError:
            return None  # published all the same: the link is a nicety
        link = answer.get("permalink_url")
        return str(link) if link else None

    # -- find ------------------------------------------------------------------------------

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        answer = self.graph.get(
            f"{self.page}/posts", fields="id,message,created_time,permalink_url", limit=RECENT
        )
        posts = answer.get("data") or []
        wanted = {caption_hash(draft.caption), caption_hash(_text(draft))}
        for post in posts:
            if caption_hash(str(post.get("message") or "")) in wanted:
                link = post.get("permalink_url")
                return Lookup("published", Published(str(post["id"]), link and str(link)))
        return _absent_or_unknown(posts, draft.at)

    # -- check -----------------------------------------------------------------------------

    def check(self) -> list[CheckResult]:
        return [*check_token(self.graph, PAGE_PERMISSIONS), self._check_page()]

    def _check_page(self) -> CheckResult:
        try:
            page = self.graph.get(self.page, fields="id,name")
        except PublishError as exc:
            return CheckResult("page", False, f"page {self.page} not reachable: {exc.describe()}")
        return CheckResult("page", True, f"{page.get('name', '?')} ({self.page})")


def _text(draft: Draft) -> str:
    """Photos and videos take no ``link`` field: the link goes at the end of the text."""
    if draft.link and draft.link not in draft.caption:
        return f"{draft.caption}\n\n{draft.link}"
    return draft.caption


def check_token(graph: Graph, needed: tuple[str, ...]) -> list[CheckResult]:
    """The token is valid and carries the permissions publishing needs."""
    try:
        info = graph.token_info()
    except PublishError as exc:
        return [CheckResult("token", False, f"{exc.describe()}: issue a new token")]
    if not info.get("is_valid", False):
        return [
            CheckResult(
                "token",
                False,
                "the token is no longer valid: issue a new one and update the secret",
            )
        ]
    missing = [p for p in needed if p not in (info.get("scopes") or [])]
    return [
        CheckResult("token", True, "valid"),
        CheckResult(
            "permissions",
            not missing,
            "all granted" if not missing else f"missing: {', '.join(missing)}",
        ),
    ]


def _absent_or_unknown(posts: list[dict[str, Any]], since: datetime) -> Lookup:
    """``not_published`` only when the listing reaches back before the draft's time."""
    times = [_parse_time(p.get("created_time") or p.get("timestamp")) for p in posts]
    known = [t for t in times if t is not None]
    if len(posts) < RECENT or (known and min(known) < since - timedelta(minutes=5)):
        return Lookup("not_published")
    return Lookup("unknown", detail="more recent posts than the lookup reads")


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("+0000", "+00:00"))
    except ValueError:
        return None


@contextmanager
def _opened(paths: dict[str, Path]) -> Iterator[dict[str, IO[bytes]]]:
    with ExitStack() as stack:
        try:
            yield {name: stack.enter_context(path.open("rb")) for name, path in paths.items()}
        except OSError as exc:
            raise Rejected(f"cannot read media file {exc.filename}: {exc.strerror}") from exc
