"""The language jadwal speaks to people: ``_`` and ``ngettext`` translate a message into it.

Messages are written in English in the code; the Indonesian catalog lives in
``scheduler/locale/id/LC_MESSAGES/jadwal.po`` (compiled to ``.mo`` when the package is built,
``make messages`` re-extracts and updates it). A message with no translation is said in
English.

Which language: ``JADWAL_LANG``, else the calendar's ``language`` once it is read
(``follow_calendar``), else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: one starting
with ``id`` means Indonesian), else English. The command line's ``--help`` and the errors met
before a calendar is read follow the environment alone.

Dates and times shown to people are written the Indonesian way in Indonesian (``Senin,
1 Desember 2026``, ``09.00``) by Babel, which is imported only when one is formatted: loading a
catalog costs a read of one ``.mo`` file, once per process.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

from scheduler.errors import LanguageError

LOCALES = Path(__file__).parent / "locale"
DOMAIN = "jadwal"
LANGUAGES = ("en", "id")
VARIABLE = "JADWAL_LANG"
# Where the locale names the language of messages, most specific first (POSIX's order).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


class _Unknown(ValueError):
    """``JADWAL_LANG`` names a language jadwal does not speak."""


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it yet: a text made when a module
    is imported, translated with ``_`` where it is shown (the language may change between)."""
    return message


def _locale_language(environ: Mapping[str, str]) -> str:
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return "id" if value.lower().startswith("id") else "en"
    return "en"


def chosen(environ: Mapping[str, str] | None = None) -> str | None:
    """The language ``JADWAL_LANG`` chooses, ``None`` when it is unset or empty."""
    value = (os.environ if environ is None else environ).get(VARIABLE, "").strip()
    if not value:
        return None
    if value.lower() not in LANGUAGES:
        raise _Unknown(value)
    return value.lower()


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """``JADWAL_LANG``, else the locale's language, else English."""
    environ = os.environ if environ is None else environ
    return chosen(environ) or _locale_language(environ)


def _quietly(environ: Mapping[str, str]) -> str:
    """The environment's language when the module is imported, where nothing can be reported
    yet (``use_environment`` reports a wrong ``JADWAL_LANG``)."""
    try:
        return environment_language(environ)
    except _Unknown:
        return _locale_language(environ)


_current = _quietly(os.environ)


def set_language(code: str) -> None:
    """Speak ``code`` (one of ``LANGUAGES``) from now on."""
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}")
    _current = code


def language() -> str:
    return _current


def use_environment() -> None:
    """Speak the environment's language; a wrong ``JADWAL_LANG`` is said in the locale's."""
    try:
        set_language(environment_language())
    except _Unknown as exc:
        set_language(_locale_language(os.environ))
        raise LanguageError(
            _(
                "{variable}={value} is not a language jadwal speaks: set {variable} to id (Bahasa "
                "Indonesia) or en (English)"
            ).format(variable=VARIABLE, value=exc.args[0])
        ) from None


def follow_calendar(code: str | None) -> None:
    """Speak the calendar's ``language`` unless ``JADWAL_LANG`` chose one; a calendar without
    one (or a daemon's calendar that no longer has one) is spoken to in the environment's."""
    if code in LANGUAGES and not os.environ.get(VARIABLE, "").strip():
        set_language(code)
    else:
        set_language(_quietly(os.environ))


@cache
def _catalog(code: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALES, languages=[code], fallback=True)


def _(message: str) -> str:
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(_current).ngettext(singular, plural, count)


def every_language(message: str) -> frozenset[str]:
    """``message`` as each language says it: for a text the store keeps in the language of
    the run that wrote it, recognised whichever language reads it back."""
    return frozenset(_catalog(code).gettext(message) for code in LANGUAGES)


def people_date(day: date, weekday: bool = True) -> str:
    """A date as people read it: ``Senin, 1 Desember 2026`` / ``Monday, 1 December 2026``."""
    from babel.dates import format_date

    pattern = "EEEE, d MMMM y" if weekday else "d MMMM y"
    return str(format_date(day, pattern, locale=_babel_locale()))


def check_date(day: date) -> str:
    """A date inside a line of ``accounts check`` or a token notice: ``10 Maret 2027`` in
    Indonesian; in English the ISO date those lines have always shown (``2027-03-10``),
    which operators' notes and scripts already match."""
    return people_date(day, weekday=False) if _current == "id" else day.isoformat()


def people_moment(moment: datetime) -> str:
    """A time of a month already said: ``Sen 1 Des 09.00`` / ``Tue 1 Dec 09:00``."""
    from babel.dates import format_date

    day = format_date(moment, "EEE d MMM", locale=_babel_locale())
    return f"{day} {people_time(moment.time())}"


def people_month(day: date) -> str:
    """The month of ``day``: ``Desember 2026`` / ``December 2026``."""
    from babel.dates import format_date

    return str(format_date(day, "MMMM y", locale=_babel_locale()))


def people_day(day: date) -> str:
    """A day of a year already said: ``07 Des`` / ``07 Dec``."""
    from babel.dates import format_date

    return str(format_date(day, "dd MMM", locale=_babel_locale()))


def people_weekday(day: date, short: bool = False) -> str:
    """The day of the week of ``day``: ``Senin`` / ``Monday``, short ``Sen`` / ``Mon``."""
    from babel.dates import format_date

    return str(format_date(day, "EEE" if short else "EEEE", locale=_babel_locale()))


def people_short_month(day: date) -> str:
    """The month of ``day`` in short: ``Des`` / ``Dec``."""
    from babel.dates import format_date

    return str(format_date(day, "MMM", locale=_babel_locale()))


def people_time(moment: time) -> str:
    """A time of day as people read it: ``09.00`` in Indonesian, ``09:00`` in English."""
    from babel.dates import format_time

    return str(format_time(moment, "short", locale=_babel_locale()))


def people_number(value: float, decimals: int = 0, optional: bool = False) -> str:
    """A number as people write it: ``1.290`` and ``17,9`` in Indonesian, ``1,290`` and
    ``17.9`` in English (``decimals`` places; ``optional``: only those that are not 0)."""
    # Babel says which symbols the language groups thousands and marks decimals with; Python
    # does the formatting (both languages group by three), because Babel's format_decimal
    # parses its pattern again at each call and a month's report writes thousands of numbers.
    group, point = _number_symbols(_babel_locale())
    text = f"{value:,.{decimals}f}"
    if optional and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.translate({ord(","): group, ord("."): point})


@cache
def _number_symbols(locale: str) -> tuple[str, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return str(get_group_symbol(locale)), str(get_decimal_symbol(locale))


def _babel_locale() -> str:
    # Babel's English is American (December 1, 2026); jadwal's readers write day first.
    return "id" if _current == "id" else "en_GB"
