"""What the site shows of each post at each time: its accounts' captions, what ``check`` says
of it, and its state from the history.

An *entry* is one post at one moment (the accounts it goes to at that moment together, as a
supervisor approves it); each account's part of it is a *card*.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from scheduler.calendar.expand import Occurrence, by_post_and_time
from scheduler.calendar.model import Calendar, Post
from scheduler.calendar.pages import page_slug
from scheduler.check import occurrence_problems
from scheduler.problems import Problem
from scheduler.render import Renderer
from scheduler.store import Publication
from scheduler.views.symbols import SYMBOLS

# Each state by word (the symbols are every view's: scheduler.views.symbols).
LABELS = {
    "planned": "terjadwal",
    "draft": "draf",
    "claimed": "sedang diproses",
    "publishing": "sedang diterbitkan",
    "published": "terbit",
    "retry": "dicoba lagi",
    "unknown": "belum pasti",
    "failed": "gagal",
    "missed": "terlewat",
    "skipped": "dilewati",
    "awaiting": "menunggu diunggah manual",
}
# What counts toward the weekly rule: all that is or will be out, not what failed or was missed.
COUNTED = frozenset(
    {"planned", "claimed", "publishing", "published", "retry", "unknown", "awaiting"}
)


@dataclass(frozen=True)
class Card:
    occurrence: Occurrence
    caption: str | None
    problems: tuple[Problem, ...]
    state: str
    permalink: str | None = None
    error: str | None = None

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]

    @property
    def label(self) -> str:
        return LABELS[self.state]


@dataclass(frozen=True)
class Entry:
    post: Post
    at: datetime  # in the calendar's zone
    holiday: str | None
    cards: tuple[Card, ...]

    @property
    def slug(self) -> str:
        """The entry's page name: the post id and its UTC time, stable across runs (the
        reminders link it: ``calendar.pages``)."""
        return page_slug(self.post.id, self.at)

    @property
    def day(self) -> date:
        return self.at.date()

    @property
    def title(self) -> str:
        return self.holiday or self.post.id

    @property
    def states(self) -> list[str]:
        return sorted({card.state for card in self.cards})


def state_of(
    occurrence: Occurrence, row: Publication | None, calendar: Calendar, now: datetime
) -> str:
    """The history's word for an occurrence, or what it is without one: a draft, still
    planned, or missed (its time and grace are past with nothing recorded)."""
    if row is not None:
        return row.state
    if occurrence.post.status == "draft":
        return "draft"
    if occurrence.at + calendar.rules.grace < now:
        return "missed"
    return "planned"


def build_entries(
    calendar: Calendar,
    occurrences: Sequence[Occurrence],
    rows: dict[str, Publication],
    now: datetime,
) -> list[Entry]:
    """The occurrences (sorted by time, post, account) as entries, each card rendered and
    checked once."""
    renderer = Renderer(calendar)
    entries = []
    for group in by_post_and_time(occurrences):
        cards = tuple(_card(calendar, renderer, o, rows.get(o.key), now) for o in group)
        first = cards[0].occurrence
        entries.append(Entry(first.post, first.at, first.holiday, cards))
    return entries


def _card(
    calendar: Calendar,
    renderer: Renderer,
    occurrence: Occurrence,
    row: Publication | None,
    now: datetime,
) -> Card:
    caption, problems = occurrence_problems(calendar, renderer, occurrence)
    state = state_of(occurrence, row, calendar, now)
    error = row.error_message if row is not None and state != "published" else None
    permalink = row.permalink if row is not None else None
    return Card(occurrence, caption, tuple(problems), state, permalink, error)


def rows_by_key(rows: Iterable[Publication]) -> dict[str, Publication]:
    return {row.key: row for row in rows}
