"""What the site shows of each post at each time: its accounts' captions, what ``check`` says
of it, and its state from the history.

An *entry* is one post at one moment (the accounts it goes to at that moment together, as a
supervisor approves it), as the month model (``views.month``) lays it out, with the same
state the month grid shows; each account's part of it is a *card*, which adds the rendered
caption and the problems ``check`` finds in that occurrence (``check.OccurrenceChecks``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from scheduler.calendar.expand import Occurrence
from scheduler.calendar.model import Post
from scheduler.calendar.pages import page_slug
from scheduler.problems import Problem
from scheduler.views import month
from scheduler.views.symbols import SYMBOLS
from scheduler.words import state_word

# An occurrence's rendered caption (None: it can't be) and what ``check`` says of it.
Checks = Callable[[Occurrence], tuple[str | None, list[Problem]]]


@dataclass(frozen=True)
class Card:
    occurrence: Occurrence
    delivery: month.Delivery
    caption: str | None
    problems: tuple[Problem, ...]

    @property
    def state(self) -> str:
        return self.delivery.state

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]

    @property
    def label(self) -> str:
        return state_word(self.state)

    @property
    def recorded(self) -> str | None:
        """The store's own word when it says more than the state (``unknown``, ``retry``)."""
        found = self.delivery.recorded
        return found if found is not None and found != self.state else None

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)


@dataclass(frozen=True)
class Entry:
    view: month.Entry
    post: Post
    cards: tuple[Card, ...]

    @property
    def at(self) -> datetime:
        return self.view.at

    @property
    def slug(self) -> str:
        return slug_of(self.view)

    @property
    def day(self) -> date:
        return self.at.date()

    @property
    def title(self) -> str:
        return self.view.title

    @property
    def state(self) -> str:
        return self.view.state

    @property
    def problems(self) -> list[Problem]:
        """Every card's problems, each once (a post's media problem is every account's)."""
        return list(dict.fromkeys(p for card in self.cards for p in card.problems))


def slug_of(view: month.Entry) -> str:
    """An entry's page name: the post id and its UTC time, stable across runs (the month
    grid links to it from the month model's entry alone, a reminder from a key:
    ``calendar.pages``)."""
    return page_slug(view.post_id, view.at)


def build_entries(
    views: Iterable[month.Entry],
    occurrences: Iterable[Occurrence],
    checks: Checks,
) -> list[Entry]:
    """The month model's entries with their cards: each delivery's occurrence (one of
    ``occurrences``, found by its post, account and time) rendered and checked."""
    found = {(o.post.id, o.account.name, o.at): o for o in occurrences}
    entries = []
    for view in views:
        cards = tuple(
            _card(found[(view.post_id, d.account, view.at)], d, checks) for d in view.deliveries
        )
        entries.append(Entry(view, cards[0].occurrence.post, cards))
    return entries


def _card(occurrence: Occurrence, delivery: month.Delivery, checks: Checks) -> Card:
    caption, problems = checks(occurrence)
    return Card(occurrence, delivery, caption, tuple(problems))
