"""The language jadwal speaks to people: ``_`` and ``ngettext`` translate a message into it.

Messages are written in English in the code; the Indonesian catalog lives in
``scheduler/locale/id/LC_MESSAGES/jadwal.po`` (compiled to ``.mo`` when the package is built).
A message with no translation is said in English.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locale"
DOMAIN = "jadwal"
LANGUAGES = ("en", "id")

_current = "en"


def set_language(code: str) -> None:
    """Speak ``code`` (one of ``LANGUAGES``) from now on."""
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    _current = code


def language() -> str:
    return _current


@cache
def _catalog(code: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=[code], fallback=True)


def _(message: str) -> str:
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(_current).ngettext(singular, plural, count)
