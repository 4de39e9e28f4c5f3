"""The dry-run adapter: publishes nothing, writes what would have gone out to a folder.

Each draft becomes a text file (caption, account, time, media) under
``.jadwal/dryrun/DATE/`` so a newcomer can read exactly what the daemon would have posted.
"""

from __future__ import annotations

import re
from pathlib import Path

from scheduler.adapters.base import CheckResult, Draft, Lookup, Progress, Published
from scheduler.files import write_atomic


def _file_name(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", key) + ".txt"


class DryRunAdapter:
    def __init__(self, folder: Path, relative_to: Path | None = None) -> None:
        self.folder = folder
        self.relative_to = relative_to

    def permalink(self, path: Path) -> str:
        if self.relative_to is not None:
            path = path.relative_to(self.relative_to)
        return f"dryrun:{path}"

    def path_for(self, draft: Draft) -> Path:
        return self.folder / draft.at.date().isoformat() / _file_name(draft.key)

    def publish(self, draft: Draft, progress: Progress) -> Published:
        path = self.path_for(draft)
        media = "\n".join(f"  - {m}" for m in draft.media) or "  (none)"
        body = (
            f"account:  {draft.account} ({draft.platform}, {draft.kind})\n"
            f"at:       {draft.at.isoformat()}\nkey:      {draft.key}\nmedia:\n{media}\n"
            f"\n{draft.caption}\n"
        )
        progress.confirm()
        write_atomic(path, body.encode("utf-8"))
        return Published(
            platform_post_id=f"dryrun-{draft.caption_hash[:12]}", permalink=self.permalink(path)
        )

    def check(self) -> list[CheckResult]:
        return [CheckResult("dry run", True, f"writes posts to {self.folder}")]

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        path = self.path_for(draft)
        if path.exists():
            published = Published(f"dryrun-{draft.caption_hash[:12]}", self.permalink(path))
            return Lookup("published", published)
        return Lookup("not_published")
