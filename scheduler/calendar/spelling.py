"""Which known name a misspelt one most likely means, for "did you mean …?" hints.

``misspelt`` finds the names a word is a slip of the keyboard away from: the same name in
other letter case or with ``-`` for ``_``, or within a few edits (an insertion, a deletion, a
substitution or two neighbours swapped each count one; short names tolerate one edit, long
ones up to three). ``resembles`` is the looser guess for what is left: a name whose words the
word contains or is part of (``access_token`` → ``token``), else the closest by
``difflib``'s ratio. Both return every name that ties, so an ambiguous slip names them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def misspelt(word: str, names: Iterable[str]) -> tuple[str, ...]:
    """The names ``word`` is a typing slip of (all those at the fewest edits), or none."""
    typed = _normal(word)
    found: dict[str, int] = {}
    for name in names:
        normal, tolerance = _normal(name), _tolerance(name)
        # As many edits as the lengths differ at least: a word far longer than every name (a
        # 50,000-character holiday pasted by mistake) is no slip, and is not measured letter
        # by letter against each name (14 s for 32 names).
        if abs(len(typed) - len(normal)) > tolerance:
            continue
        edits = distance(typed, normal)
        if edits <= tolerance:
            found[name] = edits
    if not found:
        return ()
    best = min(found.values())
    return tuple(name for name, edits in found.items() if edits == best)


def resembles(word: str, names: Iterable[str]) -> tuple[str, ...]:
    """The names that share whole words with ``word``, or else the one closest to it."""
    names = list(names)
    parts = _words(word)
    shared = tuple(
        name for name in names if parts and (_words(name) <= parts or parts <= _words(name))
    )
    if shared:
        return shared
    return tuple(difflib.get_close_matches(_normal(word), names, n=1))


def distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: insertions, deletions, substitutions, adjacent swaps."""
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (char != other))
            if before is not None and j > 1 and char == b[j - 2] and a[i - 2] == other:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def _tolerance(name: str) -> int:
    return max(1, min(3, len(name) // 4))


def _normal(word: str) -> str:
    return word.strip().lower().replace("-", "_").replace(" ", "_")


def _words(word: str) -> set[str]:
    return {part for part in _normal(word).split("_") if part}
