"""The names closest to a misspelt one: what a template mistake or a stray ``vars`` key meant."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

from scheduler.i18n import _

# Above difflib's default of 0.6, at which 'lain' would suggest 'bagian': a variable name is
# short, and one typo in it (a letter missing, doubled or swapped) still scores over 0.8.
CUTOFF = 0.75
MARGIN = 0.1  # candidates this much less alike than the best are not worth reading
MOST = 3


def closest(name: str, candidates: Iterable[str]) -> list[str]:
    """The few candidates most like ``name``, the most alike first (then by name)."""
    scored = sorted(
        (-SequenceMatcher(None, name, other).ratio(), other)
        for other in set(candidates)
        if other != name
    )
    alike = [(-score, other) for score, other in scored if -score >= CUTOFF]
    if not alike:
        return []
    best = alike[0][0]
    return [other for score, other in alike[:MOST] if score >= best - MARGIN]


def did_you_mean(names: list[str]) -> str:
    """``did you mean 'judul'?``, or ``… 'a' or 'b'?``; empty when there is nothing to offer."""
    if not names:
        return ""
    quoted = [f"'{n}'" for n in names]
    listed = (
        quoted[0]
        if len(quoted) == 1
        else _("{names} or {value}").format(names=", ".join(quoted[:-1]), value=quoted[-1])
    )
    return _("did you mean {listed}?").format(listed=listed)
