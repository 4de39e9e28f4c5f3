"""Each state of a post by symbol and by colour, the same in every view: the site's cards, the
month grid of ``jadwal calendar`` and the history table.

The symbol is what makes a state read without colour (a pipe, a printout, a reader who cannot
tell red from green); a colour is only ever added to it. The states are the store's own
(``scheduler.store.states``) and the month model's ``planned`` and ``draft``.
"""

from __future__ import annotations

SYMBOLS = {
    "planned": "○",
    "draft": "✎",
    "claimed": "◔",
    "publishing": "◔",
    "published": "✓",
    "retry": "↻",
    "unknown": "?",
    "failed": "✗",
    "missed": "!",
    "skipped": "–",
    "awaiting": "◷",
}
# The states worth a colour (rich styles); the others are shown in the terminal's own.
COLOURS = {
    "published": "green",
    "failed": "red",
    "unknown": "magenta",
    "missed": "red",
    "retry": "yellow",
    "draft": "yellow",
    "awaiting": "cyan",
}
