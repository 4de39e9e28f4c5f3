"""The verdict on one post for one account, before anything is sent: what will be published
(its shape), how each media file travels, and every platform or office rule it breaks.

``plan`` is the one place these rules are applied. ``jadwal check`` turns its findings into
located problems; the real adapters and the dry run call it before they prepare or send
anything and refuse a post that has an error (``Plan.refusal``), so what ``check`` passes is
what gets published and a dry run refuses what a real run would. The numbers come from
``limits``; what an image must be, from ``media.image_issues``.

How media travels, by route (an account's platform and ``via``):
- ``facebook``: every file is uploaded (images prepared; with ``user_token`` a video by the
  Resumable Upload API); a video makes a video post, a photo a photo post, several an album;
- ``instagram:graph``: Meta fetches each file from a URL: ``media.public_base_url`` (files
  fetched as they are, so they must already fit) or, for images only, ``media.staging:
  facebook_page`` (each image prepared and uploaded unpublished to the linked Page); without
  a public URL a video goes by Instagram's resumable upload (its bytes sent to Meta, as they
  are), so a reel or a video story needs no route of its own;
- ``instagram:login``: as ``instagram:graph`` from ``media.public_base_url`` only, videos too:
  there is no Page to stage through, and resumable upload is for Facebook Login apps only;
- ``whatsapp``: nothing is sent; a person posts it by hand (``whatsapp``: the images prepared
  for the reminder that carries them);
- ``instagram:instagrapi``: every file is uploaded (feed images prepared; story images as
  instagrapi fits them itself, converted only when it can't read them or their name); a reel
  without a cover image and each video in a carousel go with a frame jadwal takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.calendar.model import Calendar, Kind
from scheduler.i18n import _
from scheduler.platforms.captions import caption_findings
from scheduler.platforms.destination import Destination
from scheduler.platforms.findings import Finding, error, warning
from scheduler.platforms.frames import NO_FFMPEG, find_ffmpeg
from scheduler.platforms.limits import (
    CAROUSEL_MAX,
    FB_PHOTO,
    IG_FEED,
    IG_STORY,
    INSTAGRAPI_ALBUM_SUFFIXES,
    INSTAGRAPI_FEED,
    INSTAGRAPI_STORY,
    ImageTarget,
)
from scheduler.platforms.media import MediaInfo, image_issues, inspect, is_video
from scheduler.platforms.routes import (
    FB_RESUMABLE_MP4,
    NEEDS_PUBLIC_URL,
    NO_ROUTE,
    REEL_SHAPE,
    STAGING_NEEDS_PAGE,
)
from scheduler.platforms.steps import Built, MediaStep, Plan, Shape, Via
from scheduler.platforms.video import check_video
from scheduler.platforms.whatsapp import by_hand


def account_findings(destination: Destination) -> list[Finding]:
    """What about the account's setup stops every post with an image from going out (a
    video needs no route through a Page: without a public URL it is uploaded). Through
    Instagram Login every post needs the public URL, videos too."""
    if destination.route == "instagram:login" and not destination.public_base_url:
        return [error(_(NEEDS_PUBLIC_URL), "account")]
    if destination.route != "instagram:graph" or destination.public_base_url:
        return []
    if destination.staging is None:
        return [error(_(NO_ROUTE), "account")]
    if not destination.page_id:
        return [error(_(STAGING_NEEDS_PAGE), "account")]
    return []


def sends_images(calendar: Calendar, account: str) -> bool:
    """Whether any of the account's posts has media that is not a video (or it has no posts
    yet: the route is then what the office will need for its first photo). Only those need
    the account's media route (``account_findings``)."""
    posts = [post for post in calendar.posts if account in post.accounts]
    return not posts or any(not is_video(Path(ref.path)) for post in posts for ref in post.media)


def plan(
    destination: Destination,
    kind: Kind,
    media: Sequence[Path],
    caption: str | None,
    link: str | None = None,
) -> Plan:
    """The verdict on one post (``caption`` None: not rendered, its rules are not checked)."""
    return media_plan(destination, kind, media, caption, link).with_caption(caption)


@dataclass(frozen=True)
class MediaPlan:
    """All of ``plan`` but the caption's own rules (length, hashtags, the office's words):
    the shape, the steps, and the findings on the files and on the rest. It depends on the
    caption only through ``caption_key``, so a caller that judges many occurrences of one
    post reaches it once per key, not once per caption (``check.OccurrenceChecks``)."""

    destination: Destination
    shape: Shape
    steps: tuple[MediaStep, ...]
    files: tuple[Finding, ...]
    rest: tuple[Finding, ...]

    def with_caption(self, caption: str | None) -> Plan:
        found = self.files
        if caption is not None:
            d = self.destination
            found += tuple(caption_findings(caption, d.platform, d.blocked_words, d.warn_words))
        return Plan(self.shape, self.steps, found + self.rest)


def media_plan(
    destination: Destination,
    kind: Kind,
    media: Sequence[Path],
    caption: str | None,
    link: str | None = None,
) -> MediaPlan:
    files = tuple(media)
    found = _file_findings(destination, files)
    if destination.platform == "facebook":
        shape, steps, more = _facebook(destination, kind, files, caption)
    elif destination.platform == "whatsapp":
        shape, steps, more = by_hand(destination.account, kind, files, caption)
    else:
        shape, steps, more = _instagram(destination, kind, files, link)
    return MediaPlan(destination, shape, steps, tuple(found), tuple(more))


def caption_key(destination: Destination, caption: str | None) -> tuple[bool, int] | None:
    """What ``media_plan`` reads of the caption: whether it was rendered, whether it is
    empty, and on WhatsApp its length (a photo's caption may be cut there)."""
    if caption is None:
        return None
    return caption == "", len(caption) if destination.platform == "whatsapp" else 0


def _file_findings(destination: Destination, files: tuple[Path, ...]) -> list[Finding]:
    found: list[Finding] = []
    for index, path in enumerate(files):
        info = inspect(path)
        name = destination.name(path)
        if info.error:
            found.append(error(f"media '{name}' {info.error}", index, per_account=False))
        elif info.kind == "unknown":
            found.append(
                error(
                    _(
                        "media '{name}' is neither an image nor a video (use JPEG/PNG images or "
                        "MP4/MOV videos)"
                    ).format(name=name),
                    index,
                    per_account=False,
                )
            )
    return found


def _facebook(
    destination: Destination, kind: Kind, files: tuple[Path, ...], caption: str | None
) -> Built:
    found = _video_findings(files, "facebook", kind) + _facebook_notes(destination, kind)
    if caption == "" and not files:
        found.append(error(_("the caption renders empty and there is no media"), "text"))
    videos = [path for path in files if is_video(path)]
    if videos:
        if len(files) > 1:
            found.append(
                warning(
                    _(
                        "Facebook publishes one video per post: only '{name}' goes out, the other "
                        "media are left out"
                    ).format(name=destination.name(videos[0]))
                )
            )
        if (resumable := destination.resumable_videos) and videos[0].suffix.lower() != ".mp4":
            found.append(error(_(FB_RESUMABLE_MP4).format(name=destination.name(videos[0]))))
        via: Via = "resumable" if resumable else "upload"
        return "video", (MediaStep(videos[0], True, via),), found
    steps = tuple(MediaStep(path, False, "upload", FB_PHOTO) for path in files)
    shape: Shape = "album" if len(files) > 1 else "photo" if files else "text"
    return shape, steps, found


def _facebook_notes(destination: Destination, kind: Kind) -> list[Finding]:
    if kind == "feed":
        return []
    return [
        warning(
            _(
                "kind '{kind}' applies to Instagram; on Facebook ({account}) it is published as a "
                "feed post"
            ).format(kind=kind, account=destination.account),
            per_account=False,
        )
    ]


def _instagram(
    destination: Destination, kind: Kind, files: tuple[Path, ...], link: str | None
) -> Built:
    found: list[Finding] = []
    if link:
        no_links = _(
            "Instagram captions have no clickable links; 'link' is used on Facebook only "
            "(write the address in the caption or bio)"
        )
        found.append(warning(no_links))
    if not files:
        return "image", (), [*found, error(_("Instagram needs an image or a video; add media"))]
    shape = _instagram_shape(kind, files)
    found += _shape_findings(kind, files)
    found += _video_findings(files, "instagram", kind)
    # Through a Page videos travel without a route; through Instagram Login nothing does.
    if destination.route == "instagram:login" or not all(map(is_video, files)):
        found += account_findings(destination)
    steps = []
    for index, path in enumerate(files):
        step, more = _instagram_step(destination, shape, index, path)
        steps.append(step)
        found += more
    if shape == "reel":  # the video first, then its cover
        steps.sort(key=lambda step: not step.video)
    if destination.route == "instagram:instagrapi":
        steps = _with_frames(shape, steps)
        found += _frame_findings(destination, steps)
    return shape, tuple(steps), found


def _with_frames(shape: Shape, steps: list[MediaStep]) -> list[MediaStep]:
    """instagrapi sends a still image with a reel (its cover: the post's image, if it has
    one) and with each video in a carousel; a story sends none."""
    if shape == "carousel" or (shape == "reel" and len(steps) == 1):
        return [replace(step, frame=True) if step.video else step for step in steps]
    return steps


def _frame_findings(destination: Destination, steps: list[MediaStep]) -> list[Finding]:
    """A warning, not an error: the machine that checks may not be the one that publishes."""
    if not any(step.frame for step in steps) or find_ffmpeg() is not None:
        return []
    return [
        warning(
            _("media '{name}': {NO_FFMPEG}").format(
                name=destination.name(step.path), NO_FFMPEG=_(NO_FFMPEG)
            ),
            index,
        )
        for index, step in enumerate(steps)
        if step.frame
    ]


def _instagram_shape(kind: Kind, files: tuple[Path, ...]) -> Shape:
    if kind == "story":
        return "story"
    if kind == "reel" or (len(files) == 1 and is_video(files[0])):
        return "reel"
    return "image" if len(files) == 1 else "carousel"


def _shape_findings(kind: Kind, files: tuple[Path, ...]) -> list[Finding]:
    count, videos = len(files), sum(is_video(path) for path in files)
    if kind == "reel":
        return [] if videos == 1 and count <= 2 else [error(_(REEL_SHAPE))]
    if kind == "story":
        return [] if count == 1 else [error(_("a story takes exactly one image or video"))]
    if count > CAROUSEL_MAX:
        return [
            error(
                _("an Instagram carousel takes at most {CAROUSEL_MAX} items, not {count}").format(
                    CAROUSEL_MAX=CAROUSEL_MAX, count=count
                )
            )
        ]
    if count == 1 and videos:
        return [warning(_("Instagram publishes a single video as a reel; consider 'kind: reel'"))]
    return []


def _video_findings(files: tuple[Path, ...], platform: str, kind: Kind) -> list[Finding]:
    found = []
    for index, path in enumerate(files):
        if is_video(path) and inspect(path).kind == "video":
            found += [
                Finding(f.severity, f.message, index) for f in check_video(path, platform, kind)
            ]
    return found


def _instagram_step(
    destination: Destination, shape: Shape, index: int, path: Path
) -> tuple[MediaStep, list[Finding]]:
    if destination.route in ("instagram:graph", "instagram:login"):
        return _graph_step(destination, shape, index, path)
    return _instagrapi_step(destination, shape, index, path)


def _graph_step(
    destination: Destination, shape: Shape, index: int, path: Path
) -> tuple[MediaStep, list[Finding]]:
    video = is_video(path)
    # Stories and reel covers are shown full screen (9:16): the feed's frame would add bars.
    target = IG_STORY if shape in ("story", "reel") else IG_FEED
    if destination.public_base_url:
        url = destination.url(path)
        if url is None:
            message = _(
                "{name} is not under media/, which is what media.public_base_url serves"
            ).format(name=path.name)
            return MediaStep(path, video, "url"), [error(message, index)]
        issues = [] if video else _refused(destination, path, target, index, as_is=True)
        return MediaStep(path, video, "url", url=url), issues
    if destination.route == "instagram:login":  # refused by account_findings
        return MediaStep(path, video, "url"), []
    if video:  # no URL for Meta to fetch: the bytes are sent (resumable upload)
        return MediaStep(path, video, "resumable"), []
    issues = _refused(destination, path, target, index, as_is=False)
    return MediaStep(path, video, "staged", target), issues


def _instagrapi_step(
    destination: Destination, shape: Shape, index: int, path: Path
) -> tuple[MediaStep, list[Finding]]:
    if is_video(path):
        found = []
        if shape == "carousel" and path.suffix.lower() not in INSTAGRAPI_ALBUM_SUFFIXES:
            found.append(
                error(
                    _(
                        "media '{name}' is a {lower} video; instagrapi takes only MP4 videos in a "
                        "carousel, so convert it to MP4"
                    ).format(name=destination.name(path), lower=path.suffix.lower()),
                    index,
                )
            )
        return MediaStep(path, True, "upload"), found
    target = INSTAGRAPI_STORY if shape in ("story", "reel") else INSTAGRAPI_FEED
    return MediaStep(path, False, "upload", target), _refused(
        destination, path, target, index, as_is=False
    )


def _refused(
    destination: Destination, path: Path, target: ImageTarget, index: int, *, as_is: bool
) -> list[Finding]:
    """What about an image the platform would refuse: an error when it is sent as it is, a
    warning when jadwal converts it first."""
    info: MediaInfo = inspect(path)
    if info.kind != "image" or info.error:
        return []
    reasons = [issue.text for issue in image_issues(info, target) if issue.refused]
    if not reasons:
        return []
    said = f"media '{destination.name(path)}' {'; '.join(reasons)}"
    if as_is:
        fix = _("{said}; Instagram fetches it as it is from media.public_base_url, so convert it")
        return [error(fix.format(said=said), index)]
    return [
        warning(
            _("{said}; jadwal will convert it to a JPEG that fits before uploading").format(
                said=said
            ),
            index,
        )
    ]
