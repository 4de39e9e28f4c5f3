"""The dry-run adapter: takes the account's real path up to the network, then writes what
would have gone out to a folder instead of sending it.

It asks the platform rules for the same verdict as the real adapter (``base.verdict``: a
post the real adapter would refuse is refused here too, with the same message), converts the
media exactly as the real adapter would (into ``.jadwal/dryrun/media/``, with the frames it
would take of videos), and writes the post
— account, time, shape, how each file travels, the caption — to
``.jadwal/dryrun/DATE/KEY.txt``, so a newcomer can read exactly what the daemon would post.
A post made by hand (WhatsApp) ends ``awaiting`` as it would for real, and the reminder it
would send is written beside it (``scheduler.notify.reminders.rehearse``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from scheduler.adapters.base import (
    CheckResult,
    Draft,
    Handed,
    Lookup,
    Progress,
    Published,
    verdict,
)
from scheduler.calendar.model import Account, Calendar
from scheduler.files import write_atomic
from scheduler.i18n import N_, _
from scheduler.platforms.frames import cover_frame
from scheduler.platforms.images import prepare_media
from scheduler.platforms.steps import MediaStep, Plan

SHAPES = {
    "text": N_("a text post"),
    "photo": N_("a photo post"),
    "album": N_("an album"),
    "video": N_("a video post"),
    "image": N_("a feed image"),
    "carousel": N_("a carousel"),
    "reel": N_("a reel"),
    "story": N_("a story"),
}
TRAVELS = {
    "upload": N_("uploaded"),
    "url": N_("fetched by Meta from {url}"),
    "staged": N_("staged on the Page {page}"),
    "resumable": N_("sent to {platform} by resumable upload"),
    "by_hand": N_("posted by hand from the reminder"),
}
# The heads of the file's first lines, their values lined up after the longest.
HEADS = (N_("account:"), N_("at:"), N_("key:"), N_("shape:"))


def post_file(folder: Path, key: str, at: datetime) -> Path:
    """Where a dry run writes the occurrence ``key`` at ``at`` (local): ``DATE/KEY.txt``."""
    return folder / at.date().isoformat() / (re.sub(r"[^A-Za-z0-9._-]+", "_", key) + ".txt")


class DryRunAdapter:
    def __init__(self, folder: Path, calendar: Calendar, account: Account) -> None:
        self.folder = folder
        self.calendar = calendar
        self.account = account

    def permalink(self, path: Path) -> str:
        return f"dryrun:{path.relative_to(self.calendar.folder)}"

    def path_for(self, draft: Draft) -> Path:
        return post_file(self.folder, draft.key, draft.at)

    def publish(self, draft: Draft, progress: Progress) -> Published | Handed:
        plan = verdict(self.calendar, self.account, draft)
        sent = prepare_media(plan.media, self.folder / "media")
        frames = [
            cover_frame(step.path, self.folder / "media") for step in plan.media if step.frame
        ]
        progress.confirm()  # where the real adapter would now make the post public
        path = self.path_for(draft)
        write_atomic(path, self._describe(draft, plan, sent, iter(frames)).encode("utf-8"))
        if self.account.route == "whatsapp":  # as the real one: recorded awaiting a person
            return Handed(tuple(sent))
        return Published(
            platform_post_id=f"dryrun-{draft.caption_hash[:12]}", permalink=self.permalink(path)
        )

    def _describe(self, draft: Draft, plan: Plan, sent: list[Path], frames: Iterator[Path]) -> str:
        framed = _("{file}, with the frame {frame}")
        media = "\n".join(
            "  - "
            + (
                framed.format(file=self._file(step, file), frame=self._shown(next(frames)))
                if step.frame
                else self._file(step, file)
            )
            for step, file in zip(plan.media, sent, strict=True)
        )
        warnings = "".join(f"  - {f.message}\n" for f in plan.findings)
        heads = [_(head) for head in HEADS]
        width = max(len(head) for head in heads) + 2
        account, at, key, shape = (head.ljust(width) for head in heads)
        kind, files = _(SHAPES[plan.shape]), media or "  " + _("(none)")
        return (
            f"{account}{draft.account} ({draft.platform}, {draft.kind})\n"
            f"{at}{draft.at.isoformat()}\n{key}{draft.key}\n"
            f"{shape}{kind}\n"
            + _("media:")
            + f"\n{files}\n"
            + (_("warnings:") + f"\n{warnings}" if warnings else "")
            + f"\n{draft.caption}\n"
        )

    def _file(self, step: MediaStep, sent: Path) -> str:
        how = _(TRAVELS[step.via]).format(
            platform=self.account.platform.capitalize(), url=step.url, page=self.account.page_id
        )
        if sent != step.path and step.target is not None:
            said = _("{how}, converted for {target}: {file}")
            how = said.format(how=how, target=step.target.name, file=self._shown(sent))
        return f"{self._shown(step.path)}: {how}"

    def _shown(self, path: Path) -> str:
        try:
            return path.relative_to(self.calendar.folder).as_posix()
        except ValueError:
            return str(path)

    def check(self) -> list[CheckResult]:
        return [
            CheckResult("dry run", True, _("writes posts to {folder}").format(folder=self.folder))
        ]

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        path = self.path_for(draft)
        if path.exists() and self.account.route != "whatsapp":
            published = Published(f"dryrun-{draft.caption_hash[:12]}", self.permalink(path))
            return Lookup("published", published)
        return Lookup("not_published")
