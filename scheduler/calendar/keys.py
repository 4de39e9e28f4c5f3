"""Every key ``calendar.yaml`` may hold, section by section: the one list of keys.

The readers (``schema.py``, ``accounts.py``, ``posts.py``) allow exactly these keys, so a key
read anywhere else is reported as unknown until it is declared here; ``jadwal schema`` writes
the JSON Schema built from the same declarations (``json_schema.py``), and
``tests/test_docs.py`` requires each key's type, default and meaning to be its row in
``docs/calendar.md``. ``SECTIONS`` lists them all, for a key written in the wrong place.
"""

from __future__ import annotations

from scheduler.calendar.keyspec import (
    Choice,
    Key,
    ListOf,
    Named,
    Nested,
    OneOrList,
    Section,
    Text,
    Variables,
    Whole,
)
from scheduler.calendar.model import INSTAGRAM_VIA, KINDS, NOTIFY_EVENTS, PLATFORMS, STATUSES

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
STATUS_MEANING = "`draft`: listed by preview, never published; `approved`: published at its time"

ACCOUNT = Section(
    "under an account",
    (
        Key("platform", Choice(PLATFORMS), "`instagram`, `facebook` or `whatsapp`", "required",
            "where the account publishes; `whatsapp` (a WhatsApp channel or group, or any "
            "channel posted to by hand): jadwal reminds the operator through `notify` to post "
            "it, and `jadwal done` records it"),
        Key("via", Choice(INSTAGRAM_VIA), "`graph`, `instagram_login` or `instagrapi`",
            "`graph`",
            "Instagram only: the Graph API (Business/Creator account linked to a Page), the "
            "Instagram API with Instagram Login (a professional account without a Page; media "
            "from `media.public_base_url`) or the private API (instagrapi); on Facebook it is "
            "ignored with a warning",
            unread="the account publishes through the Graph API (via: graph)"),
        Key("page_id", TEXT, "text", "—",
            "the Facebook Page id; required for `platform: facebook`, and for an Instagram "
            "account whose images are staged on its linked Page (`media.staging`)"),
        Key("ig_user_id", TEXT, "text", "—",
            "the Instagram user id; required for `via: graph`; for `via: instagram_login` "
            "optional (the token's own account, `me`, when absent)"),
        Key("username", TEXT, "text", "—",
            "the Instagram login name; required for `via: instagrapi`"),
        Key("channel", TEXT, "text", "the account's name",
            "`platform: whatsapp` only: the channel or group to post in, as its reminder "
            "names it (its name, or its `https://whatsapp.com/channel/…` link)",
            unread="the reminder names the account only"),
        Key("token", SECRET, "`${VAR}`", "—", "access token, by reference only",
            unread="this account has no token"),
        Key("password", SECRET, "`${VAR}`", "—", "instagrapi password, by reference only",
            unread="this account has no password"),
        Key("app_id", SECRET, "`${VAR}`", "—",
            "Graph API accounts: the Meta app's id, by reference, with `app_secret`; "
            "lets `accounts check` read a Page token's permissions (`debug_token`)",
            unread="accounts check reads permissions without the app"),
        Key("app_secret", SECRET, "`${VAR}`", "—",
            "the Meta app's secret, by reference only, with `app_id`",
            unread="accounts check reads permissions without the app"),
        Key("user_token", SECRET, "`${VAR}`", "—",
            "Facebook accounts: a user token of someone with a role on the Meta app, by "
            "reference only, with `app_id`: Page videos go by Meta's Resumable Upload API",
            unread="Page videos are uploaded with the post"),
    ),
)  # fmt: skip

POST = Section(
    "in a post",
    (
        Key("id", NAME, "text", "required",
            "letters, digits, `.`, `_`, `-`, starting with a letter or digit, ≤ 100 "
            "characters; unique; part of every occurrence key, so keep it stable"),
        Key("accounts", NAMES, "one or a list of names", "`defaults.accounts`",
            "where to publish; an error when neither is given or the list is empty",
            unread="the post goes to defaults.accounts"),
        Key("at", MOMENT, "date-time", "—", "one moment"),
        Key("dates", DAYS_OR_MOMENTS, "one or a list", "—",
            "several moments: date-times, or dates with `time`"),
        Key("cron", CRON, "cron text", "—",
            "a recurring series: `minute hour day-of-month month day-of-week`, "
            'e.g. `"0 8 5 * *"`'),
        Key("rrule", TEXT, "RFC 5545 rule", "—",
            "a recurring series as an RFC 5545 rule, e.g. `FREQ=WEEKLY;BYDAY=MO`, counted "
            "from `from`"),
        Key("from", DATE, "date", "none",
            "first day of `dates`, `cron` and `rrule` (inclusive); required with `rrule`",
            unread="the post has no first day"),
        Key("until", DATE, "date", "none",
            "last day of `dates`, `cron` and `rrule` (inclusive); not before `from`",
            unread="the post has no last day"),
        Key("time", TIME, "time", "none",
            "time of day for plain dates in `dates` and for `rrule`"),
        Key("template", TEXT, "template name", "—",
            "caption from a file in `templates/`: `pengumuman` is `templates/pengumuman.j2`"),
        Key("caption", TEXT, "text", "—", "inline caption, itself a Jinja template",
            also=("text", "teks")),
        Key("vars", Variables(), "mapping", "empty",
            "template variables; override the calendar's `vars`",
            unread="its templates get only the calendar's vars"),
        Key("media", PATHS, "one or a list of paths", "none",
            "files inside the calendar's folder, e.g. `media/poster.jpg`; each must exist; "
            "order = carousel order",
            unread="the post goes out without its media", also=MEDIA_ALSO),
        Key("kind", KIND, "`feed`, `story` or `reel`", "`feed`", KIND_MEANING,
            unread="the post is published as a feed post"),
        Key("category", TEXT, "text", "none",
            "free label (e.g. `pengumuman`, `kegiatan`, `sop`); shown by preview and given "
            "to templates"),
        Key("title", TEXT, "text", "the post id",
            "a short name for people, shown by `jadwal calendar`, the site and the iCalendar "
            "feed instead of the id (never published)"),
        Key("status", STATUS, "`approved` or `draft`", "`approved`", STATUS_MEANING,
            unread="the post counts as approved and is published at its time"),
        Key("notes", TEXT, "text", "—",
            "for people (who asked, approvals); jadwal ignores it"),
        Key("link", LINK, "`https://…`", "none",
            "Facebook: a link post (text posts send it as the post's link; photo and video "
            "posts get it at the end of the text). Instagram has no clickable links in "
            "captions: a warning",
            unread="the post goes out without its link"),
    ),
)  # fmt: skip

HOLIDAYS = Section(
    "under holidays",
    (
        Key("country", TEXT, "ISO country code", "required",
            "e.g. `ID`; must be known to the `holidays` package"),
        Key("language", TEXT, "language code", "`id`",
            "language of the names; must exist for the country (`ID`: `en_US`, `id`, `th`, "
            "`uk`)",
            unread="the holidays are named in Indonesian (id)"),
        Key("at", TIME, "time", "`07:00`", "time of day of each greeting",
            unread="the greetings go out at 07:00", also=("time", "jam")),
        Key("accounts", NAMES, "one or a list", "`defaults.accounts`", "where to publish",
            unread="the greetings go to defaults.accounts"),
        Key("template", TEXT, "template name", "—",
            "a caption file in `templates/`; exactly one of `template`, `caption`"),
        Key("caption", TEXT, "text", "—", "inline caption template", also=("text", "teks")),
        Key("media", PATHS, "one or a list of paths", "none",
            "files inside the calendar's folder, e.g. `media/ucapan.jpg`; order = carousel "
            "order",
            unread="the greetings go out without their media", also=MEDIA_ALSO),
        Key("skip", TEXTS, "one or a list", "none", "holidays to leave out, by name or date",
            unread="the holidays listed there get a greeting too"),
        Key("only", TEXTS, "one or a list", "none",
            "if given, only these holidays, by name or date",
            unread="every holiday gets a greeting, not only those listed"),
        Key("kind", KIND, "`feed`, `story` or `reel`", "`feed`", KIND_MEANING,
            unread="the greetings are published as feed posts"),
        Key("status", STATUS, "`approved` or `draft`", "`approved`", STATUS_MEANING,
            unread="the greetings count as approved and are published"),
    ),
)  # fmt: skip

RULES = Section(
    "under rules",
    (
        Key("min_posts_per_week", Whole(0, 1000), "whole number 0–1000", "`1`",
            "minimum approved posts per account per week; `0` turns the check off",
            unread="the weekly rhythm asks for the default, 1 post a week"),
        Key("grace", DURATION, "duration", "`6h`",
            "how long after its time an occurrence may still be published; one that nobody "
            "published by then is recorded as missed (a draft: skipped)",
            unread="a late post may still go out up to 6h after its time, the default"),
        Key("blocked_words", TEXTS, "one or a list", "none",
            "words or phrases a caption must not contain: an **error**",
            unread="no caption is checked for blocked words"),
        Key("warn_words", TEXTS, "one or a list", "none",
            "words or phrases to double-check: a **warning**",
            unread="no caption is checked for words to double-check"),
    ),
)  # fmt: skip

DEFAULTS = Section(
    "under defaults",
    (
        Key("accounts", NAMES, "one or a list of names", "—",
            "the account name(s) used by posts and `holidays` that have no `accounts`"),
    ),
    prefix="defaults.",
)  # fmt: skip

GRAPH = Section(
    "under graph",
    (
        Key("version", TEXT, "text", "`v25.0`", "the Graph API version",
            unread="jadwal uses Graph API v25.0"),
        Key("url", Text(numbers=False), "URL", "`https://graph.facebook.com`",
            "where the Graph API is reached (a test server); `JADWAL_GRAPH_URL` wins over it",
            unread="jadwal calls https://graph.facebook.com"),
    ),
    prefix="graph.",
)  # fmt: skip

MEDIA = Section(
    "under media",
    (
        Key("public_base_url", Text(numbers=False), "URL", "none",
            "the public URL where the calendar's `media/` folder is served; Meta fetches each "
            "file from it"),
        Key("staging", Choice(STAGING), "`facebook_page`", "none",
            "stage each image as an unpublished photo of the account's Facebook Page and give "
            "Instagram that photo's URL"),
    ),
    prefix="media.",
)  # fmt: skip

EVENTS = OneOrList(
    Text(
        "^(" + "|".join(NOTIFY_EVENTS) + ")$",
        "one of " + ", ".join(NOTIFY_EVENTS),
        numbers=False,
        examples=NOTIFY_EVENTS,
    )
)

SITE = Section(
    "under site",
    (
        Key("url", LINK, "URL", "none",
            "where the static site of `jadwal site` is published, e.g. "
            "`https://diskominfo.example.go.id/jadwal`: a reminder that can't carry the media "
            "links the post's page there"),
        Key("dir", Text(numbers=False), "folder", "none",
            "a folder (relative to the calendar's) that `jadwal tick` and the daemon keep the "
            "site of `jadwal site` in, rewritten after each run that published something"),
    ),
    prefix="site.",
)  # fmt: skip

REPORT = Section(
    "under report",
    (
        Key("title", TEXT, "text", "`Monthly social media report`",
            "the heading of `jadwal report`; `vars.title` when not given",
            unread="the report has its default heading"),
        Key("prepared_by", TEXT, "text", "none",
            "who prepares the report (name, position): its signature block; "
            "`vars.prepared_by` when not given",
            unread="the report's signature block leaves the preparer's name blank"),
        Key("approved_by", TEXT, "text", "none",
            "who approves it, e.g. `Kepala Bidang IKP`: its signature block; "
            "`vars.approved_by` when not given",
            unread="the report's signature block leaves the approver's name blank"),
        Key("late_after", Whole(0, 1440), "whole number of minutes 0–1440", "`15`",
            "a post published more than this many minutes after its time counts as late",
            unread="a post counts as late 15 minutes after its time"),
    ),
    prefix="report.",
)  # fmt: skip

NOTIFY = Section(
    "in a notify entry",
    (
        Key("url", SECRET, "`${VAR}`", "required",
            "the Apprise URL (`tgram://…`, `mailtos://…`, `json://…`), by reference only: "
            "it carries the service's credentials"),
        Key("on", EVENTS, "one or a list of events", "`[failed, paused, unknown, missed, "
            "quota, token_expiring]`",
            "what this URL is told: `failed`, `paused`, `unknown`, `missed`, `quota`, "
            "`token_expiring`, `published`, `digest`, `reminder`",
            unread="the URL is told the default events"),
        Key("digest_at", TIME, "time", "`07:00`",
            "when the daily digest goes out (with `digest` in `on`)",
            unread="the digest goes out at 07:00"),
    ),
    prefix="notify.",
)  # fmt: skip

TOP = Section(
    "at the top level",
    (
        Key("version", Whole(1, 1), "whole number", "1, with a warning",
            "format version; only `1` is valid"),
        Key("name", TEXT, "text", "none",
            "the office's or the calendar's name for people, e.g. `Pemerintah Desa "
            "Sukamaju`: the name a calendar app gives the iCalendar feed (never published)",
            unread="the iCalendar feed has no name of its own", also=("nama",)),
        Key("timezone", ZONE, "IANA zone name", "`Asia/Jakarta`",
            "zone of every local date-time, cron, rrule, holiday, `from`/`until` and preview "
            "window; e.g. `Asia/Makassar` (WITA), `Asia/Jayapura` (WIT)",
            unread="every time is read in Asia/Jakarta (WIB)"),
        Key("vars", Variables(), "mapping", "empty",
            "variables for every template; YAML types are kept (text, numbers, "
            "`true`/`false`, lists, mappings; dates stay text)",
            unread="no template gets these variables"),
        Key("defaults", Nested(DEFAULTS), "mapping", "—",
            "only `accounts`: the account name(s) used by posts and `holidays` that have no "
            "`accounts`"),
        Key("accounts", Named(ACCOUNT, NAME, at_least=1), "mapping", "required",
            "name → account: where it publishes, its ids and its secrets; at least one"),
        Key("posts", ListOf(POST), "list", "empty",
            "the posts: each a mapping with an `id`, a time and a text",
            unread="none of its posts is published"),
        Key("holidays", Nested(HOLIDAYS), "mapping", "none",
            "greeting posts for the country's public and religious holidays",
            unread="no holiday greeting is published"),
        Key("rules", Nested(RULES), "mapping", "—",
            "the weekly rhythm, the grace for late posts, and the words captions must not "
            "contain or should avoid",
            unread="rules.blocked_words, rules.warn_words, rules.min_posts_per_week and "
            "rules.grace are not applied"),
        Key("graph", Nested(GRAPH), "mapping", "—",
            "`graph.version`: the Graph API version, default `v25.0`",
            unread="the Graph API version and address keep their defaults"),
        Key("media", Nested(MEDIA), "mapping", "—",
            "`media.public_base_url` and `media.staging`: how the Graph API gets Instagram's "
            "media"),
        Key("site", Nested(SITE), "mapping", "—",
            "`site.url`: where the static site is published, for the links in reminders; "
            "`site.dir`: the folder the publishers keep it fresh in",
            unread="reminders say where the media is in the calendar's folder instead"),
        Key("report", Nested(REPORT), "mapping", "—",
            "`jadwal report`: its `title`, who prepared and approves it (`prepared_by`, "
            "`approved_by`) and when a post counts as late (`late_after`)",
            unread="the report keeps its default heading, blank signatures and 15 minutes"),
        Key("notify", ListOf(NOTIFY), "list", "none",
            "where jadwal tells a person about trouble, the daily digest and reminders: "
            "each entry an Apprise `url` by reference, its events `on`, its `digest_at`",
            unread="nobody is notified of anything"),
    ),
)  # fmt: skip

SECTIONS = (TOP, ACCOUNT, POST, HOLIDAYS, RULES, DEFAULTS, GRAPH, MEDIA, SITE, REPORT, NOTIFY)


def homes(name: str) -> tuple[Section, ...]:
    """The sections where ``name`` is a key."""
    return tuple(section for section in SECTIONS if name in section.names)
