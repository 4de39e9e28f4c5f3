"""Typed reads of YAML values that record a located problem instead of raising.

``Fields`` is the toolbox every section reader of the schema builds on: each method returns
the value when it is valid and ``None`` (after recording an error at the node's position) when
it is not, so one pass over a calendar reports every mistake at once; ``unknown_keys`` holds
a mapping to its section's keys (``keys.py``), and ``unknown_key`` says what a key that is not
one of them switches off and what was meant. ``plain`` turns a YAML value into Python data for
template variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import partial
from typing import TypeVar

from scheduler.calendar import keys
from scheduler.calendar.keyspec import Key, Section
from scheduler.calendar.spelling import misspelt, resembles
from scheduler.calendar.yamlhints import spaced
from scheduler.calendar.yamltree import NULL_TAG, YNode
from scheduler.i18n import _
from scheduler.problems import Location, Problem

T = TypeVar("T")
Choice = TypeVar("Choice", bound=str)

NAME = re.compile(keys.NAME_PATTERN)  # post ids and account names

_BOOL = {"true": True, "false": False}
_NUMBERS: dict[str, Callable[[str], object]] = {"int": partial(int, base=0), "float": float}


class Fields:
    def __init__(self, problems: list[Problem] | None = None) -> None:
        # The readers of the sections share one list: one pass reports every mistake.
        self.problems: list[Problem] = [] if problems is None else problems

    def error(self, where: Location, message: str) -> None:
        self.problems.append(Problem.at(where, "error", message))

    def warning(self, where: Location, message: str) -> None:
        self.problems.append(Problem.at(where, "warning", message))

    def mapping(self, node: YNode | None, what: str) -> dict[str, YNode] | None:
        if node is None or node.is_null:
            return None
        if node.mapping is None:
            fixed = spaced(node.scalar) if node.scalar and not node.quoted else None
            hint = (
                _(": put a space after the colon, '{fixed}'").format(fixed=fixed) if fixed else ""
            )
            self.error(
                node.loc,
                _("{what} must be a mapping of keys to values, not {describe}{hint}").format(
                    what=what, describe=node.describe(), hint=hint
                ),
            )
            return None
        return node.mapping

    def unknown_keys(self, node: YNode, section: Section, what: str) -> None:
        """A key ``section`` does not hold is an error: the typo would otherwise quietly
        switch off what the key was meant to do (a filter, a token, a draft's status)."""
        written = node.mapping or {}
        for key in written:
            if section.key(key) is None:
                self.error(node.key_loc(key), f"{what}: {unknown_key(section, key, written)}")

    def text(self, node: YNode | None, what: str) -> str | None:
        """A scalar read as text (numbers too: an id may be ``2026``)."""
        if node is None or node.is_null:
            return None
        if node.scalar is None:
            self.error(
                node.loc,
                _("{what} must be a single value, not {describe}").format(
                    what=what, describe=node.describe()
                ),
            )
            return None
        return node.scalar

    def texts(self, node: YNode | None, what: str) -> list[tuple[str, Location]]:
        """One value or a list of values, each with its own location."""
        if node is None or node.is_null:
            return []
        listed = self.comma_list(node, what)
        if listed:
            return listed
        items = node.items if node.items is not None else [node]
        out: list[tuple[str, Location]] = []
        for item in items:
            value = self.text(item, what)
            if value is not None:
                out.append((value, item.loc))
        return out

    def comma_list(self, node: YNode, what: str) -> list[tuple[str, Location]]:
        """``accounts: a, b`` is one text in YAML: say how to write the list meant, and read
        it as that list so that no other error follows from the one slip."""
        text = node.scalar
        if node.items is not None or node.quoted or text is None or "," not in text:
            return []
        parts = [part.strip() for part in text.split(",") if part.strip()]
        self.error(
            node.loc,
            _(
                "{what}: '{text}' is one value; to give several, write a list in brackets: "
                "[{names}] (one text holding a comma goes in quotes)"
            ).format(what=what, text=text, names=", ".join(parts)),
        )
        return [(part, node.loc) for part in parts]

    def strings(self, node: YNode | None, what: str) -> tuple[str, ...]:
        """One value or a list of values, without their locations."""
        return tuple(value for value, _ in self.texts(node, what))

    def choice(self, node: YNode | None, what: str, allowed: tuple[Choice, ...]) -> Choice | None:
        """One of ``allowed`` (typed as its ``Literal``), or ``None`` after an error."""
        value = self.text(node, what)
        if value is None or node is None:
            return None
        for option in allowed:
            if value == option:
                return option
        self.error(
            node.loc,
            _("{what} must be one of {names}, not '{value}'").format(
                what=what, names=", ".join(allowed), value=value
            ),
        )
        return None

    def flag(self, node: YNode | None, what: str) -> bool | None:
        """``true`` or ``false``, or ``None`` (after an error for anything else)."""
        if node is None or node.is_null:
            return None
        value = plain(node)
        if not isinstance(value, bool):
            self.error(
                node.loc,
                _("{what} must be true or false, not {value}").format(
                    what=what, value=node.describe()
                ),
            )
            return None
        return value

    def integer(self, node: YNode | None, what: str, low: int, high: int) -> int | None:
        value = self.text(node, what)
        if value is None or node is None:
            return None
        try:
            number = int(value)
        except ValueError:
            self.error(
                node.loc,
                _("{what} must be a whole number, not {describe}").format(
                    what=what, describe=node.describe()
                ),
            )
            return None
        if not low <= number <= high:
            self.error(
                node.loc,
                _("{what} must be between {low} and {high}, not {number}").format(
                    what=what, low=low, high=high, number=number
                ),
            )
            return None
        return number

    def parsed(self, node: YNode | None, what: str, parse: Callable[[str], T]) -> T | None:
        """Run a ``values`` parser; its ``ValueError`` becomes a located error."""
        value = self.text(node, what)
        if value is None or node is None:
            return None
        try:
            return parse(value.strip())
        except (ValueError, OverflowError) as exc:
            self.error(node.loc, f"{what}: {exc}")
            return None

    def variables(self, node: YNode | None, what: str) -> dict[str, object]:
        """Template variables: a mapping of names to values of any YAML type."""
        found = self.mapping(node, what)
        return {key: plain(value) for key, value in (found or {}).items()}


def unknown_key(section: Section, word: str, written: Collection[str]) -> str:
    """Why ``word`` is not read where it is written, what that switches off, and the fix:
    the key it misspells, else the section it belongs to, else the keys of this section."""
    said = _("unknown key '{word}' is not read").format(word=word)
    meant = _meant(section, word)
    if not meant:
        misplaced = _misplaced(section, word)
        if misplaced:
            return said + misplaced
        meant = resembles(word, section.names)
    if not meant:
        return _("{said}; known keys: {names}").format(said=said, names=", ".join(section.names))
    # What the typo switches off is said only when the key it means is not written too.
    single = section.key(meant[0]) if len(meant) == 1 and meant[0] not in written else None
    return _("{said}{so}; did you mean {either}?").format(
        said=said, so=_so(single), either=either(meant)
    )


def _misplaced(section: Section, word: str) -> str:
    """Where ``word`` belongs when it is a key of other sections (a line indented wrongly)."""
    elsewhere = tuple(other for other in keys.homes(word) if other is not section)
    if not elsewhere:
        return ""
    home = elsewhere[0].key(word) if len(elsewhere) == 1 else None
    places = either(tuple(_(other.place) for other in elsewhere), quote=False)
    return _("{so}; it belongs {places}: check its indentation").format(so=_so(home), places=places)


def _meant(section: Section, word: str) -> tuple[str, ...]:
    other = section.meant(word)
    return (other.name,) if other else misspelt(word, section.names)


def _so(key: Key | None) -> str:
    return _(", so {unread}").format(unread=_(key.unread)) if key and key.unread else ""


def either(names: tuple[str, ...], quote: bool = True) -> str:
    shown = [f"'{name}'" if quote else name for name in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def loc_of(node: YNode | None) -> Location | None:
    return None if node is None else node.loc


def plain(node: YNode) -> object:
    """A YAML value as plain Python data, for template variables."""
    if node.mapping is not None:
        return {key: plain(value) for key, value in node.mapping.items()}
    if node.items is not None:
        return [plain(item) for item in node.items]
    if node.tag == NULL_TAG:
        return None
    return _plain_scalar(node.tag.rsplit(":", 1)[-1], node.scalar or "")


def _plain_scalar(tag: str, text: str) -> object:
    if tag == "bool":
        return _BOOL.get(text.lower(), text)
    number = _NUMBERS.get(tag)
    if number is None:
        return text
    try:
        return number(text)
    except ValueError:  # YAML 1.1 numbers Python can't read (``012``, ``1:30``, ``.inf``) stay text
        return text
