"""The iCalendar feed (RFC 5545) of a span of days, written with the ``icalendar`` package.

One VEVENT per post and time (``expand.by_post_and_time``, as the month view groups them):
its accounts together, each account's rendered caption in its DESCRIPTION (or, when the
caption cannot be rendered, the problem that says why), 15 minutes long, in the calendar's
zone (``DTSTART;TZID=…`` and the zone's VTIMEZONE), a draft TENTATIVE, the rest CONFIRMED.

Building a feed is pure, in two steps, so that the caller reads from the store only the
events it needs: ``feed_events`` turns the span into ``Draft``s (an event's content, its UID
and the digest of that content); ``write_feed`` takes what was last emitted of those UIDs and
gives the bytes and what the store is to keep.

- ``UID`` (RFC 5545 §3.8.4.7) is ``{post}-{YYYYMMDDTHHMMSSZ}@jadwal``, from the post id and
  the UTC time alone: the same on every run and every machine. A post moved to another time
  is another event; the old one leaves the feed, since it is no longer expanded.
- ``SEQUENCE`` (§3.8.7.4) starts at 0 and grows by one each time the content (title,
  accounts, captions, category, status) differs from what was last emitted; ``LAST-MODIFIED``
  (§3.8.7.3) is when that content was first emitted. Google Calendar keeps the copy it has
  of an event whose SEQUENCE and LAST-MODIFIED did not move.
- ``DTSTAMP`` (§3.8.7.2) is LAST-MODIFIED's value, not the time of the run: in an object
  without ``METHOD`` it is when the event's information was last revised, and so the same
  calendar and history give the same bytes.
- Without a history (``previous`` None) every event has SEQUENCE 0 and is stamped with the
  start of the feed's span (its first day, 00:00 in the calendar's zone): a rule that needs
  no memory, gives the same bytes each run, lies before any run with the default span, and
  moves forward when the span does (monthly) — so a history that starts later never moves
  a stamp back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from icalendar import Calendar as ICalendar
from icalendar import Event
from icalendar.enums import STATUS

from scheduler import __version__
from scheduler.calendar.expand import Occurrence, by_post_and_time, expand
from scheduler.calendar.model import Calendar
from scheduler.problems import Problem
from scheduler.render import Renderer, RenderError
from scheduler.views.month import title

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only when there is one to read
    from scheduler.store import Store

EVENT_LENGTH = timedelta(minutes=15)  # a post is a moment; calendar apps need a length
PRODID = f"-//jadwal//jadwal {__version__}//EN"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True, slots=True)
class Draft:
    """One event's content, before its SEQUENCE and stamps are known."""

    uid: str
    start: datetime  # aware, in the calendar's zone
    summary: str
    description: str
    categories: tuple[str, ...]
    tentative: bool  # a draft post
    problems: tuple[Problem, ...]  # captions that could not be rendered

    @property
    def digest(self) -> str:
        """What the event says, hashed: equal digests, nothing for a subscriber to update."""
        content = [
            self.start.isoformat(),
            str(self.start.tzinfo),
            self.summary,
            self.description,
            list(self.categories),
            self.tentative,
        ]
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Emitted(Protocol):
    """What was emitted of an event: the store's ``FeedEvent`` row, or an ``Emission``."""

    @property
    def uid(self) -> str: ...
    @property
    def digest(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def modified(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Emission:
    """What is emitted of an event this time: a plain record, not a store row (a year's feed
    without a history made 4,900 SQLModel objects for nothing, ~0.2 s)."""

    uid: str
    digest: str
    sequence: int
    modified: datetime


@dataclass(frozen=True, slots=True)
class Feed:
    data: bytes  # the .ics file
    changed: tuple[Emitted, ...]  # new and changed events: what the store is to keep
    problems: tuple[Problem, ...]
    events: int = 0  # how many events it holds


def uid(post_id: str, at: datetime) -> str:
    """``{post}-{YYYYMMDDTHHMMSSZ}@jadwal``, the post id kept to characters safe anywhere."""
    stamp = at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{_UNSAFE.sub('-', post_id)}-{stamp}@jadwal"


Render = Callable[[Occurrence], str]  # a caption, or RenderError: ``Renderer.render``'s contract


def feed_events(
    calendar: Calendar,
    first_day: date,
    last_day: date,
    occurrences: Iterable[Occurrence] | None = None,
    render: Render | None = None,
) -> list[Draft]:
    """Every event from ``first_day`` to ``last_day`` (both included), in time order. A
    caller that has already expanded the calendar (``occurrences``, a wider span allowed)
    and rendered its captions (``render``) passes them, and neither is done again."""
    if occurrences is None:
        occurrences = expand(calendar, first_day, last_day)
    inside = [o for o in occurrences if first_day <= o.at.date() <= last_day]
    render = render or Renderer(calendar).render
    return [_draft(calendar, render, group) for group in by_post_and_time(inside)]


def _draft(calendar: Calendar, render: Render, group: Sequence[Occurrence]) -> Draft:
    parts, problems = [], []
    for occurrence in group:
        try:
            text = render(occurrence)
        except RenderError as exc:
            problems.append(exc.problem)
            text = problem_text(exc.problem, calendar.folder)
        parts.append(f"{occurrence.account.name} ({occurrence.platform})\n{text}")
    first = group[0]
    return Draft(
        uid=uid(first.post.id, first.at),
        start=first.at,
        summary=title(first),
        description="\n\n".join(parts),
        categories=(first.post.category,) if first.post.category else (),
        tentative=first.post.status == "draft",
        problems=tuple(problems),
    )


def problem_text(problem: Problem, folder: Path) -> str:
    """The problem's line with its file relative to the calendar's folder, not to wherever
    the command ran: the feed is the same whoever makes it."""
    path = Path(problem.path)
    try:
        shown = path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        shown = path.name
    return f"{shown}:{problem.line}:{problem.column}: {problem.severity}: {problem.message}"


def write_feed(
    calendar: Calendar,
    drafts: Sequence[Draft],
    previous: Mapping[str, Emitted] | None,
    now: datetime,
    span: tuple[date, date],
    existing: bytes | None = None,
) -> Feed:
    """The feed of ``drafts`` given what was last emitted of them (``previous``; None when
    there is no history), the moment a changed event is stamped with (``now``) and the
    span of days they cover, which the zone's VTIMEZONE describes.

    ``existing`` is the feed file as it is now: when it says it holds exactly these events in
    these states (its ``X-JADWAL-CONTENT``, a digest of what the feed is made from), it is
    the feed, and the few seconds a year's feed takes to serialise are not spent again."""
    first, last_day = span
    history = previous is not None
    # Without a history every event is new, and all are stamped with the span's start.
    moment = now if history else datetime.combine(first, time(0, 0), tzinfo=calendar.timezone)
    stamp = moment.astimezone(UTC).replace(microsecond=0)
    states: list[Emitted] = []
    changed: list[Emitted] = []
    for draft in drafts:
        last = previous.get(draft.uid) if previous is not None else None
        state = _state(draft, last, stamp)
        if history and state is not last:
            changed.append(state)
        states.append(state)
    problems = tuple(p for d in drafts for p in d.problems)
    content = _content(calendar, span, drafts, states)
    if existing is not None and _content_of(existing) == content:
        return Feed(existing, tuple(changed), problems, len(drafts))
    feed = _header(calendar)
    feed.add("x-jadwal-content", content)
    for draft, state in zip(drafts, states, strict=True):
        feed.add_component(_event(draft, state))
    feed.add_missing_timezones(first, last_day + timedelta(days=1))
    return Feed(feed.to_ical(), tuple(changed), problems, len(drafts))


CONTENT = re.compile(rb"\r\nX-JADWAL-CONTENT:([0-9a-f]{40})\r\n")


def _content(
    calendar: Calendar, span: tuple[date, date], drafts: Sequence[Draft], states: list[Emitted]
) -> str:
    """A digest of everything the feed's bytes are made from: equal, the same bytes."""
    made: list[object] = [__version__, calendar.name, calendar.timezone.key, span[0].isoformat(),
            span[1].isoformat()]  # fmt: skip
    made += [
        (d.uid, s.digest, s.sequence, s.modified.isoformat())
        for d, s in zip(drafts, states, strict=True)
    ]
    text = json.dumps(made, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]  # one line: never folded


def _content_of(feed: bytes) -> str | None:
    found = CONTENT.search(feed[:4096])  # in the header, before the first event
    return found.group(1).decode() if found else None


def _header(calendar: Calendar) -> ICalendar:
    feed = ICalendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    if calendar.name:
        feed.calendar_name = calendar.name  # NAME (RFC 7986) and X-WR-CALNAME
    feed.add("x-wr-timezone", calendar.timezone.key)
    return feed


def _state(draft: Draft, last: Emitted | None, now: datetime) -> Emitted:
    """What is emitted of ``draft`` now: ``last`` when its content did not change."""
    digest = draft.digest
    if last is None:
        return Emission(draft.uid, digest, 0, now)
    if last.digest == digest:
        return last
    return Emission(draft.uid, digest, last.sequence + 1, now)


def _event(draft: Draft, state: Emitted) -> Event:
    modified = state.modified.astimezone(UTC)
    return Event.new(
        uid=draft.uid,
        stamp=modified,
        start=draft.start,
        end=draft.start + EVENT_LENGTH,
        summary=draft.summary,
        description=draft.description,
        categories=draft.categories,
        status=STATUS.TENTATIVE if draft.tentative else STATUS.CONFIRMED,
        sequence=state.sequence,
        last_modified=modified,
    )


def emit_feed(
    calendar: Calendar,
    span: tuple[date, date],
    store: Store | None,
    now: datetime,
    existing: bytes | None = None,
    occurrences: Iterable[Occurrence] | None = None,
    render: Render | None = None,
) -> Feed:
    """The feed of ``span``, with what it last said of each event read from ``store`` and
    what changed kept there (``jadwal ical`` and ``jadwal site`` both emit it: one SEQUENCE
    per event, whichever wrote it); ``occurrences`` and ``render`` as for ``feed_events``."""
    drafts = feed_events(calendar, *span, occurrences, render)
    if store is None:  # no history: every event new, and no SQLAlchemy to import
        return write_feed(calendar, drafts, None, now, span, existing)
    from scheduler.store.feed import FeedEvents

    events = FeedEvents(store.session)
    feed = write_feed(
        calendar, drafts, events.emitted([d.uid for d in drafts]), now, span, existing
    )
    events.record(feed.changed)
    return feed
