"""Instagram through the Graph API (``via: graph``): image, carousel, reel, story.

Publishing is three steps: create a container (Meta fetches the media from a public URL),
wait until its ``status_code`` is FINISHED, then ``media_publish``. Only the last step makes
the post public. The container id is saved in the store (``progress.save``) before it, so a
crash or a lost answer is settled by asking the container: PUBLISHED means it went out and is
never sent again.

Media must be at a URL Meta can fetch; the platform rules' plan (``base.verdict``) says
which: ``media.public_base_url`` (the calendar's ``media/`` folder served somewhere public;
files are used as they are) or ``media.staging: facebook_page`` (each image is prepared,
uploaded unpublished to the linked Page, and its Facebook URL is given to Instagram). A video
without a public URL goes by resumable upload (``resumable``): its container is made first,
then its bytes are sent to it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from scheduler.adapters.base import CheckResult, Draft, Lookup, Progress, Published, verdict
from scheduler.adapters.credentials import token_for
from scheduler.adapters.graph import polling
from scheduler.adapters.graph.client import Graph, graph_url
from scheduler.adapters.graph.errors import container_error
from scheduler.adapters.graph.insights import Operations, read_instagram
from scheduler.adapters.graph.lookup import REACH, find_by_caption
from scheduler.adapters.graph.needs import IG_PUBLISH, app_token_for, instagram_needs
from scheduler.adapters.graph.permissions import check_permissions
from scheduler.adapters.graph.polling import Schedule
from scheduler.adapters.graph.resumable import ResumableUpload, upload_endpoint
from scheduler.adapters.graph.token import check_failure
from scheduler.adapters.graph.upload import opened
from scheduler.adapters.metrics import Readings, Target
from scheduler.adapters.network import Endpoint
from scheduler.calendar.model import Account, Calendar, Kind
from scheduler.errors import PublishError, QuotaExhausted, Transient
from scheduler.i18n import N_, _, ngettext
from scheduler.platforms.destination import Destination
from scheduler.platforms.images import prepare_media
from scheduler.platforms.rules import account_findings, media_plan, sends_images
from scheduler.platforms.steps import MediaStep, Plan

VIDEOS_ONLY = N_("videos only: sent by resumable upload (images would need a media route)")


class InstagramGraphAdapter:
    def __init__(
        self,
        calendar: Calendar,
        account: Account,
        graph: Graph | None = None,
        sleep: Callable[[float], None] = time.sleep,
        schedule: Schedule | None = None,
        upload: ResumableUpload | None = None,
    ) -> None:
        self.calendar = calendar
        self.account = account
        self.user = account.ig_user_id or ""
        self.graph = graph or Graph(
            token_for(calendar, account),
            graph_url(calendar.graph_url),
            calendar.graph_version,
            needs=IG_PUBLISH,
        )
        self.sleep = sleep
        self.schedule = schedule or polling.DEFAULT
        self._upload = upload

    @property
    def upload(self) -> ResumableUpload:
        """The resumable upload of videos that have no public URL (made when first needed)."""
        if self._upload is None:
            token = token_for(self.calendar, self.account)
            self._upload = ResumableUpload(token, self.calendar.graph_version)
        return self._upload

    @property
    def endpoint(self) -> Endpoint:
        return self.graph.endpoint

    @property
    def upload_endpoints(self) -> tuple[Endpoint, ...]:
        """The hosts beside the Graph API that some posts need: the upload host."""
        made = self._upload.endpoint if self._upload is not None else None
        return (made or upload_endpoint(),)

    def endpoints_for(self, kind: Kind, media: tuple[Path, ...]) -> tuple[Endpoint, ...]:
        """The hosts beside the Graph API that a post of ``kind`` with ``media`` needs: the
        upload host for a video sent by resumable upload (``base.verdict``'s plan)."""
        found = media_plan(Destination.of(self.calendar, self.account), kind, media, None)
        if any(step.via == "resumable" for step in found.steps):
            return self.upload_endpoints
        return ()

    def insights(self, targets: list[Target], followers: bool) -> Readings:
        """The posts' metrics and (``followers``) the account's followers; Meta's batch
        requests carry them on graph.facebook.com (``graph.insights``)."""
        return read_instagram(Operations(self.graph, batching=True), self.user, targets, followers)

    # -- publish ---------------------------------------------------------------------------

    def publish(self, draft: Draft, progress: Progress) -> Published:
        plan = verdict(self.calendar, self.account, draft)
        self._check_quota()
        container = self._container(draft, plan)
        progress.save(container)
        self._wait_until_finished(container)
        media_id = str(
            self.graph.publish(f"{self.user}/media_publish", {"creation_id": container}, progress)[
                "id"
            ]
        )
        return Published(media_id, self._permalink(media_id))

    def _check_quota(self) -> None:
        used, total = self.quota()
        if total and used >= total:
            said = _("publishing quota used: {used} of {total} in 24 hours")
            raise QuotaExhausted(said.format(used=used, total=total))

    def quota(self) -> tuple[int, int]:
        answer = self.graph.get(
            f"{self.user}/content_publishing_limit", fields="config,quota_usage"
        )
        data = (answer.get("data") or [{}])[0]
        total = int((data.get("config") or {}).get("quota_total") or 0)
        return int(data.get("quota_usage") or 0), total

    def _container(self, draft: Draft, plan: Plan) -> str:
        caption = {"caption": draft.caption}
        first = plan.media[0]
        if plan.shape == "story":
            return self._create(self._media_fields(first) | {"media_type": "STORIES"}, first)
        if plan.shape == "reel":
            fields = {"media_type": "REELS"} | self._video_source(first) | caption
            if len(plan.media) > 1:  # the plan puts the video first and its cover after it
                fields["cover_url"] = self.url_for(plan.media[1])
            return self._create(fields, first)
        if plan.shape == "image":
            return self._create({"image_url": self.url_for(first)} | caption)
        children = [
            self._create(self._media_fields(step) | {"is_carousel_item": "true"}, step)
            for step in plan.media
        ]
        self._wait_until_finished(*children)
        return self._create({"media_type": "CAROUSEL", "children": ",".join(children)} | caption)

    def _media_fields(self, step: MediaStep) -> dict[str, str]:
        if step.video:
            return {"media_type": "VIDEO"} | self._video_source(step)
        return {"image_url": self.url_for(step)}

    def _video_source(self, step: MediaStep) -> dict[str, str]:
        if step.via == "resumable":  # the bytes follow, sent to the container's upload address
            return {"upload_type": "resumable"}
        return {"video_url": self.url_for(step)}

    def _create(self, fields: dict[str, str], step: MediaStep | None = None) -> str:
        # Creating a container publishes nothing, and neither does sending its video:
        # both are safe to repeat after a lost answer.
        container = str(self.graph.post(f"{self.user}/media", fields)["id"])
        if step is not None and step.via == "resumable":
            self.upload.send(container, step.path)
        return container

    def url_for(self, step: MediaStep) -> str:
        """A URL Meta can fetch the file from: the plan's public URL, or the staged photo's."""
        if step.url is not None:
            return step.url
        return self._staged(step)

    def _staged(self, step: MediaStep) -> str:
        """The image, prepared as the plan says, uploaded unpublished to the linked Page."""
        (prepared,) = prepare_media([step], self.calendar.media_cache_dir)
        with opened({"source": prepared}) as files:
            photo = self.graph.post(
                f"{self.account.page_id}/photos", {"published": "false"}, files=files
            )
        images = self.graph.get(str(photo["id"]), fields="images").get("images") or []
        if not images:
            raise Transient(_("the staged photo has no image URL yet"))
        return str(images[0]["source"])

    def _wait_until_finished(self, *containers: str) -> None:
        """Read the containers' status on Meta's schedule (``polling``), all of them in each
        round; FINISHED goes on, ERROR or EXPIRED ends the try (``container_error``)."""
        pending = list(containers)
        for pause in self.schedule.pauses():
            self.sleep(pause)
            pending = [container for container in pending if not self._finished(container)]
            if not pending:
                return
        said = _("the media was still processing after {seconds} s")
        raise Transient(said.format(seconds=f"{self.schedule.limit:.0f}"))

    def _finished(self, container: str) -> bool:
        answer = self.graph.get(container, fields="status_code,status")
        status = str(answer.get("status_code") or "")
        if status in ("ERROR", "EXPIRED"):
            raise container_error(status, str(answer.get("status") or ""))
        return status in ("FINISHED", "PUBLISHED")

    def _permalink(self, media_id: str) -> str | None:
        try:
            link = self.graph.get(media_id, fields="permalink").get("permalink")
        except PublishError:
            return None
        return str(link) if link else None

    # -- find ------------------------------------------------------------------------------

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        """Whether the draft went out. The saved container says so first: only PUBLISHED
        means it did (FINISHED, IN_PROGRESS, ERROR or EXPIRED: it did not; ``media_publish``
        is only sent once a container is FINISHED, so one still processing, or still waiting
        for the rest of a resumable upload, was never published). The post found is recorded
        by its media id, from the account's listing, which the insights and permalink calls
        need: never by the container's id."""
        status = self._container_status(container_id) if container_id else None
        if status in ("FINISHED", "IN_PROGRESS", "ERROR", "EXPIRED"):
            return Lookup("not_published", detail=_("container {status}").format(status=status))
        if draft.kind == "story" and status is None:
            return self._story_since(draft)
        found = self._listed(draft, {draft.caption})
        if status is None or found.state == "published":
            return found
        if status != "PUBLISHED":
            return Lookup("unknown", detail=_("the container's status could not be read"))
        if draft.kind == "story":
            # A story has no caption to find it by; the container says it went out, so the
            # story made since the claim is it (only its media id is at stake, never a resend).
            found = self._listed(draft, {""})
            if found.state == "published":
                return found
        listed = _("the container was published, its post is not listed yet")
        return Lookup("unknown", detail=listed)

    def _story_since(self, draft: Draft) -> Lookup:
        """A story with no container to ask (a new or restored database): stories carry no
        caption, so any story since its time may be it, and only none means not sent."""
        answer = self.graph.get(f"{self.user}/stories", fields="id,timestamp", limit=50)
        since = draft.sent_after - REACH.slack
        newer = [s for s in answer.get("data") or [] if _at_or_unknown(s, since)]
        if not newer:
            return Lookup("not_published", detail=_("no story since its time"))
        said = ngettext(
            "{count} story since its time", "{count} stories since its time", len(newer)
        )
        return Lookup("unknown", detail=said.format(count=len(newer)))

    def _container_status(self, container_id: str) -> str:
        return str(self.graph.get(container_id, fields="status_code").get("status_code") or "")

    def _listed(self, draft: Draft, captions: set[str]) -> Lookup:
        # Stories are not on /media: they have their own edge, for the 24 hours they last.
        edge = "stories" if draft.kind == "story" else "media"
        return find_by_caption(
            self.graph,
            f"{self.user}/{edge}",
            text="caption",
            created="timestamp",
            link="permalink",
            captions=captions,
            since=draft.sent_after,
        )

    # -- check -----------------------------------------------------------------------------

    def check(self) -> list[CheckResult]:
        app = app_token_for(self.calendar, self.account)
        results = check_permissions(
            self.graph, instagram_needs(self.user, self.account.page_id), app
        )
        try:
            user = self.graph.get(self.user, fields="id,username")
            results.append(CheckResult("account", True, f"@{user.get('username', '?')}"))
            used, total = self.quota()
            said = _("{used} of {total} posts used in the last 24 hours")
            results.append(
                CheckResult("quota", used < total or not total, said.format(used=used, total=total))
            )
        except PublishError as exc:
            results.append(
                CheckResult("account", False, f"{self.user}: {check_failure(exc, 'account')}")
            )
        results.append(self._check_route())
        return results

    def _check_route(self) -> CheckResult:
        # The rule and its words are jadwal check's (platforms.rules), so the two agree.
        findings = account_findings(Destination.of(self.calendar, self.account))
        if findings and not sends_images(self.calendar, self.account.name):
            # Only videos to send: they go by resumable upload, the route is not needed.
            return CheckResult("media", True, _(VIDEOS_ONLY))
        if findings:
            return CheckResult("media", False, findings[0].message)
        if self.calendar.media_public_base_url:
            said = _("from {url}").format(url=self.calendar.media_public_base_url)
            return CheckResult("media", True, said)
        staged = _("staged on Page {page}").format(page=self.account.page_id)
        return CheckResult("media", True, staged)


def _at_or_unknown(story: dict[str, object], since: datetime) -> bool:
    """Made at ``since`` or later; a story without a readable time could be ours too."""
    try:
        at = datetime.fromisoformat(str(story.get("timestamp")).replace("+0000", "+00:00"))
    except ValueError:
        return True
    return at >= since
