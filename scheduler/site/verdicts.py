"""What ``check`` found of each occurrence the last time the site was written, kept in
jadwal's cache until anything it was found from changes.

Rendering and checking every post of a year (9,000 captions for a regency) is half of a
site's run, and the daemon writes the site again after each publication, when only the
history has changed. An occurrence's caption and problems (``check.OccurrenceChecks``) are
made from the calendar as read, the files in ``templates/``, the post's media files, jadwal's
code and libraries, the language, and whether there is an ffmpeg program here. An entry names
each of them, and is used only while every one is as it was:

- the calendar: the head it was read under (``Calendar.read_as``: its bytes' digest, the paths
  it was given as and is, the language and jadwal's code, as ``calendar.kept`` compares them;
  a calendar that was not read from a file has none, and nothing is kept for it);
- ``templates/``: every file's name and the digest of its content;
- each media file a post names: its stamp (device, inode, size and time, by which ``inspect``
  remembers what a file's header says), or that it is missing;
- the ffmpeg program found, when a post has a video (a reel's cover frame needs one);
- whether the accounts' own findings are part of the answer.

One file per calendar in ``~/.cache/jadwal/checks/`` holds the answers of the last run, read
back only when its head matches; one that cannot be read only means the work is done again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler import cache
from scheduler.calendar.expand import Occurrence
from scheduler.calendar.model import Calendar
from scheduler.check import OccurrenceChecks
from scheduler.files import file_stamp
from scheduler.platforms.frames import find_ffmpeg
from scheduler.platforms.media import is_video
from scheduler.problems import Problem

if TYPE_CHECKING:
    from scheduler.render.renderer import Renderer

FORMAT = "1"  # the entry's layout: another one is passed over

Key = tuple[object, ...]
Answer = tuple[str | None, tuple[Problem, ...]]


class KeptChecks:
    """``OccurrenceChecks`` answering from the last run's entry where it can: when every
    answer is kept, nothing is rendered and no renderer is even made."""

    def __init__(
        self, calendar: Calendar, occurrences: Iterable[Occurrence], with_account: bool = True
    ) -> None:
        """``occurrences``: those it will be asked about (their media are in the head)."""
        self.calendar = calendar
        self.with_account = with_account
        self._checks: OccurrenceChecks | None = None
        self._place = cache.entry_path("checks", calendar.path)
        if self._place is None:
            self._head = None
        else:
            self._head = _head(calendar, occurrences, with_account)
        self._kept = self._recall()
        self._answers: dict[Key, Answer] = {}  # this run's: what the entry will hold
        self._found = 0  # answers not kept from before

    @property
    def checks(self) -> OccurrenceChecks:
        if self._checks is None:
            self._checks = OccurrenceChecks(self.calendar, self.with_account)
        return self._checks

    @property
    def renderer(self) -> Renderer:
        return self.checks.renderer

    def __call__(self, occurrence: Occurrence) -> tuple[str | None, list[Problem]]:
        key = _key(occurrence)
        answer = self._kept.get(key)
        if answer is None:
            caption, problems = self.checks(occurrence)
            answer = (caption, tuple(problems))
            self._found += 1
        self._answers[key] = answer
        return answer[0], list(answer[1])

    def keep(self) -> None:
        """Keep this run's answers for the next, when any was not kept already (quietly,
        if it can't)."""
        if self._place is None or self._head is None:
            return
        if self._found or len(self._answers) != len(self._kept):
            cache.keep(self._place, self._head, self._answers)

    def _recall(self) -> dict[Key, Answer]:
        if self._place is None or self._head is None:
            return {}
        kept = cache.recall(self._place, self._head)
        return kept if isinstance(kept, dict) else {}


def _key(occurrence: Occurrence) -> Key:
    """One occurrence of the calendar (the same calendar: the head says so)."""
    o = occurrence
    return (o.post.id, o.account.name, o.at, o.source, o.again, o.moved_from)


def _head(
    calendar: Calendar, occurrences: Iterable[Occurrence], with_account: bool
) -> tuple[object, ...] | None:
    """Everything an answer is made from besides the occurrence; None: nothing to keep by."""
    if not calendar.read_as:
        return None
    posts = {id(o.post): o.post for o in occurrences}.values()
    media = sorted({ref.path for post in posts for ref in post.media})
    folder = calendar.folder
    stamps = [(name, file_stamp(folder / name)) for name in media]
    ffmpeg = find_ffmpeg() if any(is_video(Path(name)) for name in media) else None
    templates = _templates(calendar.templates_dir)
    return (FORMAT, calendar.read_as, with_account, templates, stamps, ffmpeg)


def _templates(folder: Path) -> list[tuple[str, str]]:
    """Every file under ``templates/`` (any of them may be included), by content. A linked
    folder is not followed: the templates' loader refuses a link out of ``templates/``, and
    one that stays inside names files that are listed already."""
    found = []
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(top) / name
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                digest = f"unreadable: {exc.errno}"
            found.append((path.relative_to(folder).as_posix(), digest))
    return found
