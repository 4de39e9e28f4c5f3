"""A calendar read before, kept until anything it was read from changes.

Reading a regency's calendar (1,000 posts, 10,000 lines) takes a third of a second: libyaml's
events, then the schema's checks of every value. Every command reads it again, and an
operator runs ``check``, ``preview`` and ``calendar`` again and again on a file that has not
changed. So the calendar and its problems, once read, are kept in jadwal's cache
(``scheduler.cache``: ``~/.cache/jadwal/calendars/``) and read back in a tenth of the time.

A kept calendar is used only when it is certain to be what reading the file again would give.
Its entry holds, and a later read compares:

- the calendar file's bytes (by digest, not by its time: an editor that saves within the
  same second, a checkout, a copy from a USB stick all keep or reset times);
- the path it was given as and the path it is (its problems name the first, the calendar
  the second), and the language its problems are worded in;
- jadwal's own code (each file's size and time in the package) and the Python and the
  installed libraries it runs on (the site-packages folders' times, which an install or an
  upgrade changes);
- every question reading asked of the calendar's folder and its answer (``Looks``: is there
  a template ``pengumuman`` for Instagram, a file ``media/poster.jpg``, a file it probably
  means), asked again.

Anything else about the folder (a media file's content, the ``.env`` beside it) is not read
when a calendar is read, but later, by the commands, every time. An entry that cannot be used
(from another version, half written) is passed over without a word: the calendar is read as
if there were none. The entries are Python pickles, written 0600 in the cache's folder for the
user who runs jadwal (0700), and read only from there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from scheduler import cache, i18n
from scheduler.calendar.model import Calendar
from scheduler.calendar.refs import Looks
from scheduler.problems import Problem

FORMAT = "2"  # the entry's layout: another one is passed over


@dataclass(frozen=True)
class Entry:
    """What reading found, and the answers of the folder it stands on. In its file it comes
    after its head, so that an entry for another text is passed over unread."""

    answers: dict[tuple[str, str, str], object]
    calendar: Calendar
    problems: list[Problem]


def head(raw: bytes, shown: str, resolved: Path) -> tuple[str, ...]:
    """What an entry must match before its folder is even looked at."""
    digest = hashlib.sha256(raw).hexdigest()
    return (FORMAT, cache.code(), digest, shown, str(resolved), i18n.language())


def recall(first: tuple[str, ...], resolved: Path) -> tuple[Calendar, list[Problem]] | None:
    """The calendar and problems kept for ``first``, if the folder still looks the same."""
    place = cache.entry_path("calendars", resolved)
    entry = None if place is None else cache.recall(place, first)
    if not isinstance(entry, Entry):
        return None
    looks = Looks(resolved.parent)
    looks.answers = entry.answers
    if not looks.unchanged():
        return None
    return entry.calendar, list(entry.problems)


def keep(first: tuple[str, ...], looks: Looks, calendar: Calendar, problems: list[Problem]) -> None:
    """Keep what reading found, for the next read of the same file; quietly, if it can't."""
    place = cache.entry_path("calendars", calendar.path)
    if place is not None:
        cache.keep(place, first, Entry(dict(looks.answers), calendar, list(problems)))
