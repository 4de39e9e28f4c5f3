"""The verdict on a post made by hand (``platform: whatsapp``): jadwal sends nothing, so what
matters is what the person can post as it comes to them with the reminder.

The caption is kept exactly as rendered: WhatsApp's own formatting (``*bold*``, ``_italic_``,
``~strike~``) is the text the operator pastes, and there are no hashtags to count. Images
are prepared (JPEG or PNG, at most 5 MB: ``limits.WA_IMAGE``) so the copy attached to the
reminder is one WhatsApp takes; videos go as they are.
"""

from __future__ import annotations

from pathlib import Path

from scheduler.calendar.model import Kind
from scheduler.i18n import _
from scheduler.platforms.findings import Finding, error, warning
from scheduler.platforms.limits import WA_IMAGE, WHATSAPP_MEDIA_CAPTION
from scheduler.platforms.media import is_video
from scheduler.platforms.steps import Built, MediaStep, Shape


def by_hand(account: str, kind: Kind, files: tuple[Path, ...], caption: str | None) -> Built:
    found = _findings(account, kind, files, caption)
    steps = tuple(
        MediaStep(path, is_video(path), "by_hand", None if is_video(path) else WA_IMAGE)
        for path in files
    )
    return _shape(files), steps, found


def _shape(files: tuple[Path, ...]) -> Shape:
    if len(files) > 1:
        return "album"
    if files:
        return "video" if is_video(files[0]) else "photo"
    return "text"


def _findings(
    account: str, kind: Kind, files: tuple[Path, ...], caption: str | None
) -> list[Finding]:
    found = []
    if kind != "feed":
        found.append(
            warning(
                _(
                    "kind '{kind}' applies to Instagram; on WhatsApp ({account}) it is posted as "
                    "an update with the caption"
                ).format(kind=kind, account=account),
                per_account=False,
            )
        )
    if caption == "" and not files:
        found.append(error(_("the caption renders empty and there is no media"), "text"))
    if caption is not None and files and len(caption) > WHATSAPP_MEDIA_CAPTION:
        found.append(
            warning(
                _(
                    "caption has {count} characters; WhatsApp may cut a photo's or video's "
                    "caption at {WHATSAPP_MEDIA_CAPTION}: post the text as its own message after "
                    "the media"
                ).format(count=len(caption), WHATSAPP_MEDIA_CAPTION=WHATSAPP_MEDIA_CAPTION),
                "text",
            )
        )
    return found
