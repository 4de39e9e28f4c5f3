"""What an attempt sends, as it sends it (``Sent``): kept on the publication so that the
monthly report reads what went out, not today's calendar.

The calendar's revision is the git commit of its folder when the folder is a git repository
and the calendar file is unchanged from that commit (``git rev-parse HEAD`` and ``git status
--porcelain --ignored``); otherwise ``sha256:`` and the file's digest. Both are worked out
once per version of the file, and each media file is hashed once per version of it (path,
size, time): a run that sends fifty posts with the same poster reads it once. Nothing here
may stop a publication: a revision or a digest that can't be had is left out (None).
"""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import threading
from pathlib import Path

from scheduler.calendar.expand import Occurrence
from scheduler.calendar.model import Calendar, MediaRef
from scheduler.files import FileStamp, file_stamp
from scheduler.store import Sent

log = logging.getLogger("jadwal")

GIT_SECONDS = 5.0  # a git that hangs (a network file system) must not hold a post back


def kind_of(kind: str, media: tuple[MediaRef, ...]) -> str:
    """``feed``, ``carousel`` (a feed post of several media), ``reel`` or ``story``."""
    return "carousel" if kind == "feed" and len(media) > 1 else kind


class Snapshots:
    """The caches of one engine ``Context``: file digests and the calendar's revision."""

    def __init__(self) -> None:
        self._digests: dict[tuple[str, FileStamp], str] = {}
        self._revisions: dict[tuple[str, FileStamp], str | None] = {}
        self._lock = threading.Lock()  # accounts publish from several threads

    def sent(self, calendar: Calendar, occurrence: Occurrence, caption: str) -> Sent:
        post = occurrence.post
        media = [
            {"path": ref.path, "sha256": self.digest(calendar.folder / ref.path)}
            for ref in post.media
        ]
        return Sent(
            caption=caption,
            media=json.dumps(media, ensure_ascii=False),
            category=post.category,
            kind=kind_of(post.kind, post.media),
            revision=self.revision(calendar.path),
        )

    def digest(self, path: Path) -> str | None:
        """The file's SHA-256, or None when it can't be read."""
        stamp = file_stamp(path)
        if stamp is None:
            return None
        cached = (str(path), stamp)
        with self._lock:
            if cached in self._digests:
                return self._digests[cached]
        try:
            with path.open("rb") as handle:
                found = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None
        with self._lock:
            self._digests[cached] = found
        return found

    def revision(self, calendar_path: Path) -> str | None:
        """The calendar's git commit when the file is unchanged from it, else ``sha256:…``."""
        stamp = file_stamp(calendar_path)
        if stamp is None:
            return None
        cached = (str(calendar_path), stamp)
        with self._lock:
            if cached in self._revisions:
                return self._revisions[cached]
        commit = git_commit(calendar_path)
        if commit is None:
            digest = self.digest(calendar_path)
            found = f"sha256:{digest}" if digest else None
        else:
            found = commit
        with self._lock:
            self._revisions[cached] = found
        return found


def git_commit(calendar_path: Path) -> str | None:
    """HEAD of the repository holding the calendar, when the file is committed unchanged;
    None when there is no repository, no git, or the file differs from HEAD."""
    folder, name = calendar_path.resolve().parent, calendar_path.name
    try:
        head = _git(folder, "rev-parse", "--verify", "HEAD")
        changed = _git(folder, "status", "--porcelain", "--ignored", "--", name)
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError) as exc:
        log.debug("the calendar's revision is its digest: git: %s", exc)
        return None
    if changed.strip():  # modified, staged, untracked or ignored: not what HEAD holds
        return None
    return head.strip() or None


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        capture_output=True,
        text=True,
        timeout=GIT_SECONDS,
        check=True,
    )
    return done.stdout
