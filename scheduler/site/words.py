"""How the site writes dates, times and captions: in the language in force, as the office
reads it, and with a caption's text always escaped (it is the user's text, never HTML).

Dates and times come from ``scheduler.i18n``'s ``people_*``, as every other view's: in
Indonesian a page says "Senin, 7 Desember 2026, 09.00 WIB", in English "Monday, 7 December
2026, 09:00 WIB". (The caption filters of ``render.dates`` are always Indonesian: a caption is
the office's own text, whatever language jadwal speaks to the operator.)
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta

from markupsafe import Markup, escape

from scheduler.calendar.model import Post
from scheduler.i18n import (
    _,
    language,
    people_date,
    people_month,
    people_short_month,
    people_time,
    people_weekday,
)
from scheduler.platforms.captions import HASHTAG
from scheduler.render.dates import zone_name

ALT_CHARACTERS = 100  # an alt text is a description, not the caption again
A_MONDAY = date(2024, 1, 1)


def week_days(short: bool = False) -> tuple[str, ...]:
    """Monday to Sunday by name (``short``: ``Sen`` / ``Mon``)."""
    return tuple(people_weekday(A_MONDAY + timedelta(days=n), short) for n in range(7))


# Babel takes tens of microseconds per date, and a site says the same days and times on
# thousands of pages: each is worked out once per language (the first argument, a key).
@functools.lru_cache(maxsize=4096)
def _month(_language: str, day: date) -> str:
    return people_month(day)


@functools.lru_cache(maxsize=4096)
def _date(_language: str, day: date) -> str:
    return people_date(day)


@functools.lru_cache(maxsize=4096)
def _short(_language: str, day: date) -> str:
    return f"{day.day} {people_short_month(day)}"


@functools.lru_cache(maxsize=4096)
def _time(_language: str, moment: time) -> str:
    return people_time(moment)


def month_name(year: int, month: int) -> str:
    return _month(language(), date(year, month, 1))


def day_long(day: date) -> str:
    return _date(language(), _day(day))


def day_short(day: date) -> str:
    """``7 Des`` / ``7 Dec``: a day beside its month in a strip or a week's heading."""
    return _short(language(), _day(day))


def clock(moment: datetime) -> str:
    return _time(language(), moment.time())


def moment_long(moment: datetime) -> str:
    return f"{day_long(moment)}, {clock(moment)} {zone_name(moment)}".rstrip()


def _day(day: date) -> date:
    """The day alone (a ``datetime`` is a ``date`` too, and would be a key of its own)."""
    return date(day.year, day.month, day.day)


@functools.lru_cache(maxsize=4096)  # a caption's unchanging part is on many pages
def with_hashtags(text: str) -> Markup:
    """The text escaped, its hashtags marked as Instagram and Facebook show them (linked,
    in colour)."""
    parts: list[str] = []
    last = 0
    for found in HASHTAG.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(Markup('<span class="tag">%s</span>') % found.group())
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def alt_text(post: Post, holiday: str | None, caption: str | None) -> str:
    """What a picture shows, for who cannot see it: the post's title, the holiday a
    greeting is for, or the start of its caption (the model has no alt text of its own)."""
    if post.title:
        return post.title
    if holiday:
        return _("Greeting for {holiday}").format(holiday=holiday)
    line = next((line.strip() for line in (caption or "").splitlines() if line.strip()), "")
    if len(line) > ALT_CHARACTERS:
        line = line[:ALT_CHARACTERS].rsplit(" ", 1)[0] + " …"
    return line or post.id
