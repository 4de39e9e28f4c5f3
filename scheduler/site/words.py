"""How the site writes dates, times and captions: in Indonesian, as the office reads them,
and with a caption's text always escaped (it is the user's text, never HTML).

Dates and times come from the same functions as the caption filters (``render.dates``), so
a page says "Senin, 7 Desember 2026, 09.00 WIB" exactly as a caption would.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from markupsafe import Markup, escape

from scheduler.calendar.model import Post
from scheduler.platforms.captions import HASHTAG
from scheduler.render.dates import BULAN, HARI, tanggal, zone_name

ALT_CHARACTERS = 100  # an alt text is a description, not the caption again
LONG_DAYS = HARI
SHORT_DAYS = tuple(name[:3] for name in HARI)


def month_name(year: int, month: int) -> str:
    return f"{BULAN[month - 1]} {year}"


def day_long(day: date) -> str:
    return tanggal(day)


def day_short(day: date) -> str:
    """``7 Des``: a day beside its month in a strip or a week's heading."""
    return f"{day.day} {BULAN[day.month - 1][:3]}"


def clock(moment: datetime) -> str:
    return f"{moment:%H.%M}"


def moment_long(moment: datetime) -> str:
    return f"{tanggal(moment)}, {clock(moment)} {zone_name(moment)}".rstrip()


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
        return f"Ucapan {holiday}"
    line = next((line.strip() for line in (caption or "").splitlines() if line.strip()), "")
    if len(line) > ALT_CHARACTERS:
        line = line[:ALT_CHARACTERS].rsplit(" ", 1)[0] + " …"
    return line or post.id
