"""Facebook Page adapter (facebook-sdk): text and link posts, photos, albums, videos.

- text (and links): ``POST /{page}/feed``;
- one photo: ``POST /{page}/photos`` with the file's bytes (multipart ``source``);
- several photos: each uploaded unpublished (safe to repeat: nothing is public), then one
  ``POST /{page}/feed`` with ``attached_media``;
- a video: ``POST /{page}/videos``, its bytes in the request; or, with ``user_token``, sent
  first by Meta's Resumable Upload API (``pagevideo``) and published by its handle.
Only the final call makes the post public; a lost answer to it is ``OutcomeUnknown`` and is
settled by ``find``, which looks for the caption among the page's recent posts. A 506
(duplicate) answer posted nothing: it is looked up once, then failed, never sent again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scheduler.adapters.base import CheckResult, Draft, Lookup, Progress, Published, verdict
from scheduler.adapters.credentials import secret_for, token_for
from scheduler.adapters.graph.client import Graph, graph_url
from scheduler.adapters.graph.errors import DUPLICATE
from scheduler.adapters.graph.insights import (
    SMALL_PAGE_LIKES,
    SMALL_PAGE_NOTE,
    Operations,
    read_facebook,
)
from scheduler.adapters.graph.lookup import find_by_caption
from scheduler.adapters.graph.needs import PAGE_PUBLISH, app_token_for, facebook_needs
from scheduler.adapters.graph.pagevideo import PageVideoUpload
from scheduler.adapters.graph.permissions import check_permissions
from scheduler.adapters.graph.token import INVALID, check_failure
from scheduler.adapters.graph.upload import opened
from scheduler.adapters.metrics import Readings, Target
from scheduler.adapters.network import Endpoint, upload_seconds
from scheduler.calendar.model import Account, Calendar
from scheduler.errors import AuthError, OutcomeUnknown, PublishError, Rejected
from scheduler.i18n import N_, _
from scheduler.platforms.images import prepare_media
from scheduler.platforms.media import is_video

UNDOCUMENTED_UPLOAD = N_(
    "Page videos are uploaded with the post, which Meta's Video API guide no longer "
    "describes: add app_id and user_token to send them by the Resumable Upload API"
)


class FacebookPageAdapter:
    def __init__(self, calendar: Calendar, account: Account, graph: Graph | None = None) -> None:
        self.calendar = calendar
        self.account = account
        self.page = account.page_id or ""
        self.graph = graph or Graph(
            token_for(calendar, account),
            graph_url(calendar.graph_url),
            calendar.graph_version,
            needs=PAGE_PUBLISH,
        )

    @property
    def endpoint(self) -> Endpoint:
        return self.graph.endpoint

    def insights(self, targets: list[Target], followers: bool) -> Readings:
        """The posts' metrics and (``followers``) the Page's followers, in batch requests."""
        return read_facebook(Operations(self.graph, batching=True), self.page, targets, followers)

    # -- publish ---------------------------------------------------------------------------

    def publish(self, draft: Draft, progress: Progress) -> Published:
        try:
            return self._publish(draft, progress)
        except Rejected as exc:
            if exc.code != DUPLICATE:
                raise
            return self._duplicate(draft, exc)

    def _duplicate(self, draft: Draft, refused: Rejected) -> Published:
        """506: Facebook refused the text as a duplicate, so this call posted nothing. An
        earlier attempt of this same claim may have posted it (its answer lost, the lookup
        that followed too early): looked up once, it is published; otherwise it fails with
        Meta's words, never sent again."""
        try:
            found = self.find(draft, None)
        except PublishError as exc:
            said = _("{refused}; could not look for an earlier post: {why}")
            raise OutcomeUnknown(
                said.format(refused=refused.message, why=exc.message),
                refused.code,
                refused.subcode,
            ) from exc
        if found.state == "published" and found.published is not None:
            return found.published
        raise refused

    def _publish(self, draft: Draft, progress: Progress) -> Published:
        plan = verdict(self.calendar, self.account, draft)
        files = prepare_media(plan.media, self.calendar.media_cache_dir)
        if plan.shape == "video" and plan.media[0].via == "resumable":
            post_id = self._video_by_handle(draft, plan.media[0].path, progress)
        elif plan.shape == "video":
            post_id = self._video(draft, files[0], progress)
        elif plan.shape == "photo":
            post_id = self._photo(draft, files[0], progress)
        elif plan.shape == "album":
            post_id = self._album(draft, files, progress)
        else:
            data = {"message": draft.caption} | ({"link": draft.link} if draft.link else {})
            post_id = self.graph.publish(f"{self.page}/feed", data, progress)["id"]
        return Published(str(post_id), self._permalink(str(post_id)))

    def _photo(self, draft: Draft, image: Path, progress: Progress) -> str:
        with opened({"source": image}) as files:
            answer = self.graph.publish(
                f"{self.page}/photos", {"message": _text(draft)}, progress, files=files
            )
        return str(answer.get("post_id") or answer["id"])

    def _album(self, draft: Draft, images: list[Path], progress: Progress) -> str:
        ids = []
        for image in images:
            with opened({"source": image}) as files:
                answer = self.graph.post(f"{self.page}/photos", {"published": "false"}, files=files)
            ids.append(str(answer["id"]))
        data: dict[str, Any] = {"message": _text(draft)}
        for index, photo_id in enumerate(ids):
            data[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo_id})
        return str(self.graph.publish(f"{self.page}/feed", data, progress)["id"])

    def _video(self, draft: Draft, video: Path, progress: Progress) -> str:
        with opened({"source": video}) as files:
            answer = self.graph.publish(
                f"{self.page}/videos", {"description": _text(draft)}, progress, files=files
            )
        return str(answer["id"])

    def _video_by_handle(self, draft: Draft, video: Path, progress: Progress) -> str:
        handle = self.video_upload().handle(video)
        data = {"description": _text(draft), "fbuploader_video_file_chunk": handle}
        return str(self.graph.publish(f"{self.page}/videos", data, progress)["id"])

    def video_upload(self) -> PageVideoUpload:
        """The Resumable Upload API, with the app's id and the user token of the account."""
        app_id = secret_for(self.calendar, self.account, "app_id") or ""
        user_token = secret_for(self.calendar, self.account, "user_token") or ""
        base = self.graph.endpoint.url.rstrip("/")
        return PageVideoUpload(app_id, user_token, base, self.graph.api.version)

    def _permalink(self, post_id: str) -> str | None:
        try:
            answer = self.graph.get(post_id, fields="permalink_url")
        except PublishError:
            return None  # published all the same: the link is a nicety
        link = answer.get("permalink_url")
        return str(link) if link else None

    def arriving(self, media: tuple[Path, ...]) -> float:
        """One photo or video is uploaded by the very request that publishes it (an album's
        photos go first, unpublished): that request may still be arriving on a slow link. A
        video sent by the Resumable Upload API is in before the publishing call."""
        if len(media) != 1 or (self.account.resumable_videos and is_video(media[0])):
            return 0.0
        try:
            return upload_seconds(media[0].stat().st_size)
        except OSError:
            return 0.0

    # -- find ------------------------------------------------------------------------------

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        return find_by_caption(
            self.graph,
            f"{self.page}/posts",
            text="message",
            created="created_time",
            link="permalink_url",
            captions={draft.caption, _text(draft)},
            since=draft.sent_after,
        )

    # -- check -----------------------------------------------------------------------------

    def check(self) -> list[CheckResult]:
        app = app_token_for(self.calendar, self.account)
        found = [
            *check_permissions(self.graph, facebook_needs(self.page), app),
            *self._check_page(),
        ]
        if self.account.resumable_videos:
            found.append(self._check_video_upload())
        elif self._has_videos():
            found.append(CheckResult("videos", True, _(UNDOCUMENTED_UPLOAD), warning=True))
        return found

    def _check_video_upload(self) -> CheckResult:
        """The user token and the app the Resumable Upload API needs: reads that publish
        nothing (who the token is, and the app's public name)."""
        upload = self.video_upload()
        try:
            person = upload.graph.get("me", fields="id,name")
            app = upload.graph.get(upload.app_id, fields="id,name")
        except AuthError:
            return CheckResult("videos", False, "user_token: " + _(INVALID))
        except PublishError as exc:
            return CheckResult("videos", False, f"user_token: {check_failure(exc, 'user token')}")
        said = _("sent by Meta's Resumable Upload API of app {app} as {person} (user_token)")
        return CheckResult(
            "videos", True, said.format(app=app.get("name", "?"), person=person.get("name", "?"))
        )

    def _has_videos(self) -> bool:
        folder = self.calendar.folder
        return any(
            self.account.name in post.accounts and is_video(folder / media.path)
            for post in self.calendar.posts
            for media in post.media
        )

    def _check_page(self) -> list[CheckResult]:
        """The Page, and whether it is big enough to have insights (100 likes: Page
        Insights' limitations)."""
        try:
            page = self.graph.get(self.page, fields="id,name,fan_count")
        except PublishError as exc:
            said = _("page {page}: {failure}").format(
                page=self.page, failure=check_failure(exc, "page")
            )
            return [CheckResult("page", False, said)]
        found = [CheckResult("page", True, f"{page.get('name', '?')} ({self.page})")]
        likes = page.get("fan_count")
        if isinstance(likes, int) and likes < SMALL_PAGE_LIKES:
            found.append(CheckResult("insights", True, _(SMALL_PAGE_NOTE), warning=True))
        return found


def _text(draft: Draft) -> str:
    """Photos and videos take no ``link`` field: the link goes at the end of the text."""
    if draft.link and draft.link not in draft.caption:
        return f"{draft.caption}\n\n{draft.link}"
    return draft.caption
