"""The kinds of value the keys of ``calendar.yaml`` hold, shared by the sections of
``keys.py``: names, times, dates, secrets by reference, and the words a choice allows.
"""

from __future__ import annotations

from scheduler.calendar.keyspec import Choice, OneOrList, Text
from scheduler.calendar.model import KINDS, ON_HOLIDAYS, STATUSES, TONES
from scheduler.i18n import N_

# Post ids and account names: they are the first two parts of an occurrence's key
# (``POST/ACCOUNT/STAMP``), so no '/' and nothing a file name or a URL would mangle.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
STAGING = ("facebook_page",)

NAME = Text(
    NAME_PATTERN,
    "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters",
)
NAMES = OneOrList(NAME)
TEXT = Text()
TEXTS = OneOrList(TEXT)
PATHS = OneOrList(Text(numbers=False))
DATE = Text(r"^\d{4}-\d{2}-\d{2}$", "a date: YYYY-MM-DD, e.g. 2026-12-01", numbers=False)
TIME = Text(r"^\d{1,2}[:.]\d{2}$", 'a time of day: HH:MM, e.g. "09:00"')
MOMENT = Text(
    r"^\d{4}-?\d{2}-?\d{2}[T ]\d",
    "a date and a time of day: YYYY-MM-DD HH:MM, e.g. 2026-12-01 09:00",
    numbers=False,
)
DAYS_OR_MOMENTS = OneOrList(
    Text(
        r"^\d{4}-?\d{2}-?\d{2}([T ]\d.*)?$",
        "a date (with 'time' beside it) or a date and a time of day, e.g. 2026-12-01 09:00",
        numbers=False,
    )
)
DURATION = Text(
    r"^\s*(?=\d)(\d+d)?\s*(\d+h)?\s*(\d+m)?\s*$",
    "a duration: days, hours, minutes in that order, e.g. 6h, 30m, 1h30m or 2d",
    numbers=False,
)
CRON = Text(
    r"^\s*\S+(\s+\S+){4}\s*$",
    'five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1"',
    numbers=False,
)
SECRET = Text(
    r"^\s*\$\{[A-Za-z_][A-Za-z0-9_]*\}\s*$",
    "a reference such as ${FB_PAGE_TOKEN}: the value goes in the environment or in .env",
    numbers=False,
)
ZONE = Text(numbers=False, examples=("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"))
LINK = Text(r"^https?://", "an address starting with https:// or http://", numbers=False)
KIND = Choice(
    KINDS,
    ("a feed post (photo, carousel or text)", "an Instagram story", "an Instagram reel"),
)
STATUS = Choice(
    STATUSES, ("published at its time", "listed by preview, never published (not yet reviewed)")
)
MEDIA_ALSO = ("image", "images", "photo", "photos", "foto", "gambar", "video", "videos")
KIND_MEANING = (
    "Instagram post kind; on Facebook anything but `feed` is published as a feed post (warning)"
)
TONE = Choice(
    TONES,
    (
        'a festive day: "Selamat …"',
        'a religious celebration: "Selamat …"',
        'a day to mark: "Selamat …", in a sober voice',
        'a day of mourning or remembrance: "Memperingati …"',
    ),
)
ON_HOLIDAYS_VALUE = Choice(
    ON_HOLIDAYS,
    (
        "published on public holidays and collective leave days too",
        "not published on a public holiday or a collective leave day",
        "moved to the next day that is no weekend, public holiday or collective leave day, "
        "at the same time",
    ),
)
ON_HOLIDAYS_SHOWN = "`keep`, `skip` or `next_workday`"
ON_HOLIDAYS_MEANING = (
    "what a post does on a public holiday or a collective leave day (*cuti bersama*): "
    "`keep` it, `skip` it, or move it to the `next_workday` at the same time"
)
ON_HOLIDAYS_UNREAD = N_("its occurrences go out on public holidays and collective leave days too")
STATUS_MEANING = "`draft`: listed by preview, never published; `approved`: published at its time"
