"""The keys of ``holidays:`` in ``calendar.yaml``: the section itself, an entry of its
``extra`` days and a day's entry of its ``greetings``. ``keys.py`` lists them with the rest.
"""

from __future__ import annotations

from scheduler.calendar.keyspec import Flag, Key, ListOf, Named, Section, Text
from scheduler.calendar.keyvalues import (
    KIND,
    KIND_MEANING,
    MEDIA_ALSO,
    NAMES,
    PATHS,
    STATUS,
    STATUS_MEANING,
    TEXT,
    TEXTS,
    TIME,
    TONE,
)
from scheduler.i18n import N_

HOLIDAY_EXTRA = Section(
    N_("in an entry of holidays.extra"),
    (
        Key("name", TEXT, "text", "required",
            "the day's name, e.g. `Hari Jadi Kabupaten Contoh`: the greeting's `holiday`"),
        Key("date", Text(r"^(\d{4}-)?\d{2}-\d{2}$",
                         "MM-DD (every year) or YYYY-MM-DD (one day), e.g. 06-15",
                         numbers=False),
            "`MM-DD` or `YYYY-MM-DD`", "required",
            "`MM-DD`: every year on that day; `YYYY-MM-DD`: that one day"),
        Key("kind", TONE, "`celebration`, `religious`, `commemoration` or `solemn`",
            "`celebration`", "the tone of its greeting (`holiday_kind`)",
            unread=N_("the day is greeted as a celebration")),
    ),
    prefix="extra.",
)  # fmt: skip

GREETING = Section(
    N_("in a day's entry of holidays.greetings"),
    (
        Key("template", TEXT, "template name", "the section's",
            "this day's caption file in `templates/`",
            unread=N_("the day gets the section's text")),
        Key("caption", TEXT, "text", "the section's", "this day's inline caption template",
            unread=N_("the day gets the section's text"), also=("text", "teks")),
        Key("media", PATHS, "one or a list of paths", "the section's",
            "this day's files, e.g. `media/lebaran.jpg`",
            unread=N_("the day's greeting gets the section's media"), also=MEDIA_ALSO),
        Key("accounts", NAMES, "one or a list", "the section's",
            "where this day's greeting goes",
            unread=N_("the day's greeting goes to the section's accounts")),
        Key("skip", Flag(), "`true` or `false`", "`false`", "`true`: no greeting on this day",
            unread=N_("the day is greeted")),
    ),
    prefix="greetings.",
)  # fmt: skip

HOLIDAYS = Section(
    N_("under holidays"),
    (
        Key("country", TEXT, "ISO country code", "required",
            "e.g. `ID`; must be known to the `holidays` package"),
        Key("language", TEXT, "language code", "`id`",
            "language of the names; must exist for the country (`ID`: `en_US`, `id`, `th`, "
            "`uk`)",
            unread=N_("the holidays are named in Indonesian (id)")),
        Key("at", TIME, "time", "`07:00`", "time of day of each greeting",
            unread=N_("the greetings go out at 07:00"), also=("time", "jam")),
        Key("accounts", NAMES, "one or a list", "`defaults.accounts`", "where to publish",
            unread=N_("the greetings go to defaults.accounts")),
        Key("template", TEXT, "template name", "—",
            "a caption file in `templates/`; exactly one of `template`, `caption`"),
        Key("caption", TEXT, "text", "—", "inline caption template", also=("text", "teks")),
        Key("media", PATHS, "one or a list of paths", "none",
            "files inside the calendar's folder, e.g. `media/ucapan.jpg`; order = carousel "
            "order",
            unread=N_("the greetings go out without their media"), also=MEDIA_ALSO),
        Key("skip", TEXTS, "one or a list", "none", "holidays to leave out, by name or date",
            unread=N_("the holidays listed there get a greeting too")),
        Key("only", TEXTS, "one or a list", "none",
            "if given, only these holidays, by name or date",
            unread=N_("every holiday gets a greeting, not only those listed")),
        Key("kind", KIND, "`feed`, `story` or `reel`", "`feed`", KIND_MEANING,
            unread=N_("the greetings are published as feed posts")),
        Key("status", STATUS, "`approved` or `draft`", "`approved`", STATUS_MEANING,
            unread=N_("the greetings count as approved and are published")),
        Key("observances", Flag(), "`true` or `false`", "`false`",
            "`true`: Indonesia's national days that are no day off (`Hari Kartini`, "
            "`Hari Pahlawan`, …) are greeted too",
            unread=N_("the national days get no greeting")),
        Key("extra", ListOf(HOLIDAY_EXTRA), "list", "none",
            "the office's own days, greeted like holidays: each a `name`, a `date` and a "
            "`kind`",
            unread=N_("the office's own days get no greeting")),
        Key("greetings", Named(GREETING, Text()), "mapping", "none",
            "a day's own greeting, by its name: `template` or `caption`, `media`, "
            "`accounts`, or `skip: true`; what it leaves out is the section's",
            unread=N_("every day gets the section's greeting")),
    ),
)  # fmt: skip
