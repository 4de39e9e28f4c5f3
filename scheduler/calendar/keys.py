"""Every key ``calendar.yaml`` may hold, section by section: the one list of keys.

The readers (``schema.py``, ``accounts.py``, ``posts.py``) allow exactly these keys, so a key
read anywhere else is reported as unknown until it is declared here; ``jadwal schema`` writes
the JSON Schema built from the same declarations (``json_schema.py``), and
``tests/test_docs.py`` requires each key's type, default and meaning to be its row in
``docs/calendar.md``. ``SECTIONS`` lists them all, for a key written in the wrong place.
"""

from __future__ import annotations

from scheduler.calendar.holidaykeys import GREETING as GREETING
from scheduler.calendar.holidaykeys import HOLIDAY_EXTRA as HOLIDAY_EXTRA
from scheduler.calendar.holidaykeys import HOLIDAYS as HOLIDAYS
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
from scheduler.calendar.keyvalues import (
    CRON,
    DATE,
    DAYS_OR_MOMENTS,
    DURATION,
    KIND,
    KIND_MEANING,
    LINK,
    MEDIA_ALSO,
    MOMENT,
    NAME,
    NAMES,
    ON_HOLIDAYS_MEANING,
    ON_HOLIDAYS_SHOWN,
    ON_HOLIDAYS_UNREAD,
    ON_HOLIDAYS_VALUE,
    PATHS,
    SECRET,
    STATUS,
    STATUS_MEANING,
    TEXT,
    TEXTS,
    TIME,
    ZONE,
)
from scheduler.calendar.keyvalues import (
    NAME_PATTERN as NAME_PATTERN,
)
from scheduler.calendar.keyvalues import (
    STAGING as STAGING,
)
from scheduler.calendar.model import INSTAGRAM_VIA, NOTIFY_EVENTS, PLATFORMS
from scheduler.i18n import N_

SPOKEN = ("id", "en")  # the languages of scheduler.i18n, Indonesian first

ACCOUNT = Section(
    N_("under an account"),
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
            unread=N_("the account publishes through the Graph API (via: graph)")),
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
            unread=N_("the reminder names the account only")),
        Key("token", SECRET, "`${VAR}`", "—", "access token, by reference only",
            unread=N_("this account has no token")),
        Key("password", SECRET, "`${VAR}`", "—", "instagrapi password, by reference only",
            unread=N_("this account has no password")),
        Key("app_id", SECRET, "`${VAR}`", "—",
            "Graph API accounts: the Meta app's id, by reference, with `app_secret`; "
            "lets `accounts check` read a Page token's permissions (`debug_token`)",
            unread=N_("accounts check reads permissions without the app")),
        Key("app_secret", SECRET, "`${VAR}`", "—",
            "the Meta app's secret, by reference only, with `app_id`",
            unread=N_("accounts check reads permissions without the app")),
        Key("user_token", SECRET, "`${VAR}`", "—",
            "Facebook accounts: a user token of someone with a role on the Meta app, by "
            "reference only, with `app_id`: Page videos go by Meta's Resumable Upload API",
            unread=N_("Page videos are uploaded with the post")),
    ),
)  # fmt: skip

POST = Section(
    N_("in a post"),
    (
        Key("id", NAME, "text", "required",
            "letters, digits, `.`, `_`, `-`, starting with a letter or digit, ≤ 100 "
            "characters; unique; part of every occurrence key, so keep it stable"),
        Key("accounts", NAMES, "one or a list of names", "`defaults.accounts`",
            "where to publish; an error when neither is given or the list is empty",
            unread=N_("the post goes to defaults.accounts")),
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
            unread=N_("the post has no first day")),
        Key("until", DATE, "date", "none",
            "last day of `dates`, `cron` and `rrule` (inclusive); not before `from`",
            unread=N_("the post has no last day")),
        Key("time", TIME, "time", "none",
            "time of day for plain dates in `dates` and for `rrule`"),
        Key("template", TEXT, "template name", "—",
            "caption from a file in `templates/`: `pengumuman` is `templates/pengumuman.j2`"),
        Key("caption", TEXT, "text", "—", "inline caption, itself a Jinja template",
            also=("text", "teks")),
        Key("vars", Variables(), "mapping", "empty",
            "template variables; override the calendar's `vars`",
            unread=N_("its templates get only the calendar's vars")),
        Key("media", PATHS, "one or a list of paths", "none",
            "files inside the calendar's folder, e.g. `media/poster.jpg`; each must exist; "
            "order = carousel order",
            unread=N_("the post goes out without its media"), also=MEDIA_ALSO),
        Key("kind", KIND, "`feed`, `story` or `reel`", "`feed`", KIND_MEANING,
            unread=N_("the post is published as a feed post")),
        Key("category", TEXT, "text", "none",
            "free label (e.g. `pengumuman`, `kegiatan`, `sop`); shown by preview and given "
            "to templates"),
        Key("title", TEXT, "text", "the post id",
            "a short name for people, shown by `jadwal calendar`, the site and the iCalendar "
            "feed instead of the id (never published)"),
        Key("status", STATUS, "`approved` or `draft`", "`approved`", STATUS_MEANING,
            unread=N_("the post counts as approved and is published at its time")),
        Key("notes", TEXT, "text", "—",
            "for people (who asked, approvals); jadwal ignores it"),
        Key("link", LINK, "`https://…`", "none",
            "Facebook: a link post (text posts send it as the post's link; photo and video "
            "posts get it at the end of the text). Instagram has no clickable links in "
            "captions: a warning",
            unread=N_("the post goes out without its link")),
        Key("on_holidays", ON_HOLIDAYS_VALUE, ON_HOLIDAYS_SHOWN,
            "`defaults.on_holidays`, else `keep`", ON_HOLIDAYS_MEANING,
            unread=ON_HOLIDAYS_UNREAD),
    ),
)  # fmt: skip

RULES = Section(
    N_("under rules"),
    (
        Key("min_posts_per_week", Whole(0, 1000), "whole number 0–1000", "`1`",
            "minimum approved posts per account per week; `0` turns the check off",
            unread=N_("the weekly rhythm asks for the default, 1 post a week")),
        Key("grace", DURATION, "duration", "`6h`",
            "how long after its time an occurrence may still be published; one that nobody "
            "published by then is recorded as missed (a draft: skipped)",
            unread=N_("a late post may still go out up to 6h after its time, the default")),
        Key("blocked_words", TEXTS, "one or a list", "none",
            "words or phrases a caption must not contain: an **error**",
            unread=N_("no caption is checked for blocked words")),
        Key("warn_words", TEXTS, "one or a list", "none",
            "words or phrases to double-check: a **warning**",
            unread=N_("no caption is checked for words to double-check")),
    ),
)  # fmt: skip

DEFAULTS = Section(
    N_("under defaults"),
    (
        Key("accounts", NAMES, "one or a list of names", "—",
            "the account name(s) used by posts and `holidays` that have no `accounts`"),
        Key("on_holidays", ON_HOLIDAYS_VALUE, ON_HOLIDAYS_SHOWN, "`keep`",
            "`on_holidays` of the posts that have none",
            unread=ON_HOLIDAYS_UNREAD),
    ),
    prefix="defaults.",
)  # fmt: skip

GRAPH = Section(
    N_("under graph"),
    (
        Key("version", TEXT, "text", "`v25.0`", "the Graph API version",
            unread=N_("jadwal uses Graph API v25.0")),
        Key("url", Text(numbers=False), "URL", "`https://graph.facebook.com`",
            "where the Graph API is reached (a test server); `JADWAL_GRAPH_URL` wins over it",
            unread=N_("jadwal calls https://graph.facebook.com")),
    ),
    prefix="graph.",
)  # fmt: skip

MEDIA = Section(
    N_("under media"),
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
    N_("under site"),
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
    N_("in a notify entry"),
    (
        Key("url", SECRET, "`${VAR}`", "required",
            "the Apprise URL (`tgram://…`, `mailtos://…`, `json://…`), by reference only: "
            "it carries the service's credentials"),
        Key("on", EVENTS, "one or a list of events", "`[failed, paused, unknown, missed, "
            "quota, token_expiring]`",
            "what this URL is told: `failed`, `paused`, `unknown`, `missed`, `quota`, "
            "`token_expiring`, `published`, `digest`, `reminder`",
            unread=N_("the URL is told the default events")),
        Key("digest_at", TIME, "time", "`07:00`",
            "when the daily digest goes out (with `digest` in `on`)",
            unread=N_("the digest goes out at 07:00")),
    ),
    prefix="notify.",
)  # fmt: skip

TOP = Section(
    N_("at the top level"),
    (
        Key("version", Whole(1, 1), "whole number", "1, with a warning",
            "format version; only `1` is valid"),
        Key("name", TEXT, "text", "none",
            "the office's or the calendar's name for people, e.g. `Pemerintah Desa "
            "Sukamaju`: the name a calendar app gives the iCalendar feed (never published)",
            unread=N_("the iCalendar feed has no name of its own"), also=("nama",)),
        Key("language", Choice(SPOKEN, ("Bahasa Indonesia", "English")), "`id` or `en`",
            "the locale's",
            "the language jadwal speaks in: `check`'s problems, tables, notifications and "
            "the site; `JADWAL_LANG` overrides it (the names of holidays are "
            "`holidays.language`)",
            unread=N_("jadwal speaks the language of JADWAL_LANG or of the locale")),
        Key("timezone", ZONE, "IANA zone name", "`Asia/Jakarta`",
            "zone of every local date-time, cron, rrule, holiday, `from`/`until` and preview "
            "window; e.g. `Asia/Makassar` (WITA), `Asia/Jayapura` (WIT)",
            unread=N_("every time is read in Asia/Jakarta (WIB)")),
        Key("vars", Variables(), "mapping", "empty",
            "variables for every template; YAML types are kept (text, numbers, "
            "`true`/`false`, lists, mappings; dates stay text)",
            unread=N_("no template gets these variables")),
        Key("defaults", Nested(DEFAULTS), "mapping", "—",
            "`accounts`: the account name(s) used by posts and `holidays` that have no "
            "`accounts`; `on_holidays`: what posts do on days off"),
        Key("accounts", Named(ACCOUNT, NAME, at_least=1), "mapping", "required",
            "name → account: where it publishes, its ids and its secrets; at least one"),
        Key("posts", ListOf(POST), "list", "empty",
            "the posts: each a mapping with an `id`, a time and a text",
            unread=N_("none of its posts is published")),
        Key("holidays", Nested(HOLIDAYS), "mapping", "none",
            "greeting posts for the country's public and religious holidays",
            unread=N_("no holiday greeting is published")),
        Key("rules", Nested(RULES), "mapping", "—",
            "the weekly rhythm, the grace for late posts, and the words captions must not "
            "contain or should avoid",
            unread=N_("rules.blocked_words, rules.warn_words, rules.min_posts_per_week and "
                      "rules.grace are not applied")),
        Key("graph", Nested(GRAPH), "mapping", "—",
            "`graph.version`: the Graph API version, default `v25.0`",
            unread=N_("the Graph API version and address keep their defaults")),
        Key("media", Nested(MEDIA), "mapping", "—",
            "`media.public_base_url` and `media.staging`: how the Graph API gets Instagram's "
            "media"),
        Key("site", Nested(SITE), "mapping", "—",
            "`site.url`: where the static site is published, for the links in reminders; "
            "`site.dir`: the folder the publishers keep it fresh in",
            unread=N_("reminders say where the media is in the calendar's folder instead")),
        Key("report", Nested(REPORT), "mapping", "—",
            "`jadwal report`: its `title`, who prepared and approves it (`prepared_by`, "
            "`approved_by`) and when a post counts as late (`late_after`)",
            unread=N_("the report keeps its default heading, blank signatures and 15 minutes")),
        Key("notify", ListOf(NOTIFY), "list", "none",
            "where jadwal tells a person about trouble, the daily digest and reminders: "
            "each entry an Apprise `url` by reference, its events `on`, its `digest_at`",
            unread=N_("nobody is notified of anything")),
    ),
)  # fmt: skip

SECTIONS = (
    TOP,
    ACCOUNT,
    POST,
    HOLIDAYS,
    HOLIDAY_EXTRA,
    GREETING,
    RULES,
    DEFAULTS,
    GRAPH,
    MEDIA,
    SITE,
    REPORT,
    NOTIFY,
)


def homes(name: str) -> tuple[Section, ...]:
    """The sections where ``name`` is a key."""
    return tuple(section for section in SECTIONS if name in section.names)
