"""YAML mistakes in plain words: what is wrong, the fix, and where, for an operator who has
never seen YAML; the parser's own words follow in brackets."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.check import check_calendar
from tests.conftest import WriteCalendar

START = "version: 1\naccounts:\n  fb: {platform: facebook, page_id: '1', token: '${FB}'}\n"

MISTAKES = {
    "tab": (
        START + "posts:\n\t- id: a\n",
        "5:1: error: invalid YAML: a tab character: YAML indents with spaces only, so replace "
        "the tab with spaces (found character that cannot start any token)",
    ),
    "deeper indentation": (
        START + "posts:\n  - id: a\n     at: 2026-12-01 09:00\n",
        "6:6: error: invalid YAML: this line is indented more than the key above it (or a key "
        "above lacks the space after its colon): the keys of one mapping start at the same "
        "column (mapping values are not allowed in this context)",
    ),
    "shallower indentation": (
        START + "rules:\n  grace: 6h\n blocked_words: [a]\n",
        "6:2: error: invalid YAML: this line is not indented like the keys above it: the keys "
        "of one mapping start at the same column (did not find expected key)",
    ),
    "no space after a colon": (
        "version:1\naccounts:\n  fb: {platform: facebook}\n",
        "1:1: error: invalid YAML: 'version:1' has no space after its colon, so it is not read "
        "as a key: write 'version: 1' (mapping values are not allowed in this context)",
    ),
    "a colon inside a value": (
        START + "posts:\n  - id: a\n    caption: Rapat: jam 9\n",
        "6:19: error: invalid YAML: this value holds ': ', which YAML reads as the start of "
        'another key: put the whole value in quotes: caption: "Rapat: jam 9" (mapping values '
        "are not allowed in this context)",
    ),
    "unclosed quote": (
        START + 'posts:\n  - id: a\n    caption: "Selamat pagi\n  - id: b\n',
        '6:14: error: invalid YAML: the quote " opened here is never closed, so the rest of '
        'the file reads as one text: add the closing " at the end of the value (found '
        "unexpected end of stream)",
    ),
    "unclosed bracket": (
        START + "defaults: {accounts: [fb}\n",
        "4:22: error: invalid YAML: the [ opened here is never closed: add ] after its last "
        "item (did not find expected ',' or ']')",
    ),
    "list item misaligned": (
        START + "posts:\n  - id: a\n    caption: x\n - id: b\n",
        "7:2: error: invalid YAML: this list item is not aligned with the items above it: "
        "start every '- ' of one list at the same column (did not find expected key)",
    ),
    "a key at the column of the items": (
        START + "posts:\n  - id: a\n  caption: x\n",
        "6:3: error: invalid YAML: this line sits at the column of the list's '- ' items but "
        "is not one: indent it like the keys of the item above, or start a new item with '- ' "
        "(did not find expected '-' indicator)",
    ),
    "a nested list item misaligned": (
        START + "posts:\n  - id: a\n    media:\n    - media/a.jpg\n   - media/b.jpg\n",
        "8:4: error: invalid YAML: this list item is not aligned with the items above it: "
        "start every '- ' of one list at the same column (did not find expected '-' indicator)",
    ),
    "quotes inside quotes": (
        START + 'posts:\n  - id: a\n    caption: "Kata "pak" Lurah"\n',
        "6:21: error: invalid YAML: this line goes on after its value has ended (at a closing "
        "quote or bracket): remove what follows, or put a text holding quotes in the other "
        "kind, e.g. 'He said \"hi\"' (did not find expected key)",
    ),
    "a text not indented under its key": (
        START + "posts:\n  - id: a\n    caption: |\n  Selamat pagi\n",
        "7:3: error: invalid YAML: this line is neither a key (a name, ':' and a space) nor "
        "indented under one: indent the lines of a text under its key, or add ': ' after the "
        "key (could not find expected ':')",
    ),
    "a value starting with @": (
        START + "posts:\n  - id: a\n    caption: @desa halo\n",
        "6:14: error: invalid YAML: a value cannot start with @: put the whole value in "
        "quotes (found character that cannot start any token)",
    ),
}


def errors(path: Path) -> list[str]:
    return [str(p) for p in check_calendar(path) if p.is_error]


@pytest.mark.parametrize(("text", "expected"), MISTAKES.values(), ids=list(MISTAKES))
def test_common_yaml_mistakes_are_said_plainly(
    write_calendar: WriteCalendar, text: str, expected: str
) -> None:
    path = write_calendar(text)
    assert errors(path) == [f"{path}:{expected}"]


def test_a_nested_key_without_the_space_after_its_colon(write_calendar: WriteCalendar) -> None:
    path = write_calendar(START + "rules:\n  grace:6h\n")
    assert errors(path) == [
        f"{path}:5:3: error: rules must be a mapping of keys to values, not 'grace:6h': put "
        "a space after the colon, 'grace: 6h'"
    ]
