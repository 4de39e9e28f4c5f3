"""What a key declaration says: ``Key``, ``Section`` and the kinds of value a key holds.

``scheduler/calendar/keys.py`` declares every section of ``calendar.yaml`` with these; the
readers take their allowed keys from a ``Section``, ``json_schema.py`` turns the same
declarations into the JSON Schema that editors read, and ``tests/test_docs.py`` holds each
``Key``'s type, default and meaning against its row in ``docs/calendar.md``.

The kinds of value say what the reader accepts, in the terms of a YAML value: a scalar read
as text (``Text``, with the pattern it must have when it is text), a whole number, one of a
few words, ``true`` or ``false``, one value or a list of them, a free mapping (template
variables), and the nested sections: one mapping, a list of mappings, or a mapping of names
to mappings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A scalar read as text; a YAML number too when ``numbers`` (an id may be ``2026``)."""

    pattern: str | None = None
    shape: str = ""  # what to write when the text does not match the pattern
    numbers: bool = True
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Whole:
    low: int
    high: int


@dataclass(frozen=True)
class Choice:
    """One of a few words; ``meanings`` says what each one does, in the same order."""

    options: tuple[str, ...]
    meanings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flag:
    """``true`` or ``false``."""


@dataclass(frozen=True)
class OneOrList:
    item: Text


@dataclass(frozen=True)
class Variables:
    """A mapping of any names to values of any YAML type (template variables)."""


@dataclass(frozen=True)
class Nested:
    section: Section


@dataclass(frozen=True)
class ListOf:
    section: Section


@dataclass(frozen=True)
class Named:
    """A mapping of names (each matching ``name``) to mappings of ``section``'s keys."""

    section: Section
    name: Text
    at_least: int = 0


Value = Text | Whole | Choice | Flag | OneOrList | Variables | Nested | ListOf | Named


@dataclass(frozen=True)
class Key:
    """One key: what it holds and, as ``docs/calendar.md`` words it, its type, default and
    meaning. ``unread`` is what a typo in the key switches off ("so no caption is checked
    for blocked words"), where nothing else would say so; ``also`` are other words people
    write for it (``time`` for the greetings' ``at``)."""

    name: str
    value: Value
    shown: str
    default: str
    meaning: str
    unread: str = ""
    also: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default == "required"


@dataclass(frozen=True)
class Section:
    """The keys one mapping of the calendar may hold. ``place`` says where its keys belong
    ("under rules"), and ``prefix`` is how ``docs/calendar.md`` names its keys when they share
    a table (``graph.``)."""

    place: str
    keys: tuple[Key, ...]
    prefix: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    def key(self, name: str) -> Key | None:
        return next((key for key in self.keys if key.name == name), None)

    def meant(self, word: str) -> Key | None:
        """The key ``word`` is another word for (``also``), if any."""
        return next((key for key in self.keys if word in key.also), None)
