"""Each state of a post in words, and each kind of post, the same in every view: the site's
pages, the month grid of ``jadwal calendar``, the monthly report and the notifications' digest.

One English word per state, and one Indonesian word (the catalog's): a supervisor who reads
"terjadwal" on the site reads it in the grid and the report too (docs/glossary.md). The words
are translated where they are shown (``state_word``), so they follow the language in force.
The symbols are beside (``scheduler.views.symbols``).
"""

from __future__ import annotations

from scheduler.i18n import N_, _

WORDS = {
    # The month model's states and the store's own (``scheduler.store.states``).
    "planned": N_("planned"),
    "draft": N_("draft"),
    "claimed": N_("in progress"),
    "publishing": N_("publishing"),
    "published": N_("published"),
    "retry": N_("to be tried again"),
    "unknown": N_("unknown"),
    "failed": N_("failed"),
    "missed": N_("missed"),
    "skipped": N_("skipped"),
    "awaiting": N_("awaiting"),
    # The report's: a post whose time has passed with no outcome yet, one still to come, one
    # due before jadwal kept a history.
    "pending": N_("pending"),
    "upcoming": N_("upcoming"),
    "before_jadwal": N_("before jadwal ran"),
}


def state_word(state: str) -> str:
    """``state`` in words in the language in force; a state with no word is shown as stored."""
    word = WORDS.get(state)
    return _(word) if word is not None else state


# What a post is, in words (a carousel is a feed post with more than one media item).
KINDS = {"feed": N_("feed"), "carousel": N_("carousel"), "reel": N_("reel"), "story": N_("story")}


def kind_word(kind: str) -> str:
    """A post's kind in words in the language in force; an unknown kind as written."""
    word = KINDS.get(kind)
    return _(word) if word is not None else kind
