"""``check_calendar``: every mistake an operator can make is one located, actionable line."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from scheduler.check import check_calendar
from tests.conftest import ROOT, WriteCalendar
from tests.helpers import calendar_text

TODAY = date(2026, 11, 23)

ACCOUNTS = {
    "fb-desa": 'platform: facebook, page_id: "1", token: "${FB_TOKEN}"',
    "ig-desa": 'platform: instagram, ig_user_id: "2", page_id: "1", token: "${IG_TOKEN}"',
}


def calendar(posts: str | None = None, **sections: str | None) -> str:
    """Two accounts with token references, media staged on the page, no weekly rhythm."""
    base = {"media": "{staging: facebook_page}", "rules": "{min_posts_per_week: 0}"}
    return calendar_text(accounts=ACCOUNTS, **{**base, **sections, "posts": posts})


def lines(path: Path) -> list[str]:
    return [str(p) for p in check_calendar(path, TODAY)]


def errors(path: Path) -> list[str]:
    return [str(p) for p in check_calendar(path, TODAY) if p.is_error]


def with_posts(write_calendar: WriteCalendar, posts: str, **files: str) -> Path:
    return write_calendar(calendar(posts), **files)


def test_shipped_calendar_has_no_errors(shipped_calendar: Path) -> None:
    assert errors(shipped_calendar) == []


def test_malformed_yaml_is_located(write_calendar: WriteCalendar) -> None:
    path = write_calendar("version: 1\nposts: [\n  - id: a\n")
    assert errors(path) == [f"{path}:3:3: error: invalid YAML: did not find expected node content"]


def test_wrong_type_for_posts(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar("hello"))
    assert errors(path) == [
        f"{path}:8:8: error: posts must be a list (each item starting with '- id:'), not 'hello'"
    ]


def test_unknown_timezone(write_calendar: WriteCalendar) -> None:
    path = write_calendar("timezone: Asia/Jakartaa\n" + calendar())
    assert (
        f"{path}:1:11: error: unknown time zone 'Asia/Jakartaa': use an IANA name such as "
        "Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
    ) in errors(path)


# Each calendar's posts, and the errors check gives for them (after ``PATH:``), exactly.
POST_MISTAKES = {
    "impossible date": (
        "  - id: rapat\n    at: 2026-02-30 09:00\n    caption: x\n",
        [
            "10:9: error: post 'rapat': at: '2026-02-30' is not a real date "
            "(check the day and month)"
        ],
    ),
    "cron with six fields": (
        "  - id: m\n    cron: '0 9 * * 1 *'\n    caption: x\n",
        [
            "10:11: error: post 'm': cron: '0 9 * * 1 *' has 6 fields; jadwal's cron has 5: "
            "minute hour day-of-month month day-of-week, e.g. '0 9 * * 1' (Mondays 09:00)"
        ],
    ),
    "rrule without FREQ": (
        "  - id: r\n    rrule: BYDAY=MO\n    from: 2026-12-01\n    time: '09:00'\n    caption: x\n",
        [
            "10:12: error: post 'r': rrule: 'BYDAY=MO' has no FREQ: write e.g. "
            "'FREQ=WEEKLY;BYDAY=MO'"
        ],
    ),
    "rrule without from": (
        "  - id: r\n    rrule: FREQ=WEEKLY\n    caption: x\n",
        ["10:12: error: post 'r': an rrule counts from a first day: add 'from: YYYY-MM-DD'"],
    ),
    "rrule without time": (
        "  - id: r\n    rrule: FREQ=WEEKLY\n    from: 2026-12-01\n    caption: x\n",
        [
            "10:12: error: post 'r': the rrule has no time of day: add 'time: \"09:00\"' or "
            "BYHOUR=9;BYMINUTE=0"
        ],
    ),
    "duplicate ids": (
        "  - id: a\n    at: 2026-12-01 09:00\n    caption: x\n" * 2,
        ["12:5: error: post id 'a' is used twice (first at line 9); ids must be unique and stable"],
    ),
    "unknown account lists the defined ones": (
        "  - id: a\n    accounts: [fb-dsa]\n    at: 2026-12-01 09:00\n    caption: x\n",
        [
            "10:16: error: post 'a': account 'fb-dsa' is not defined under accounts "
            "(defined: fb-desa, ig-desa)"
        ],
    ),
    "missing template and media": (
        "  - id: a\n    at: 2026-12-01 09:00\n    template: tiada\n    media: media/x.jpg\n",
        [
            "11:15: error: post 'a': template 'tiada' not found: create "
            "templates/tiada.j2 (or templates/tiada.facebook.j2)",
            "12:12: error: post 'a': media file 'media/x.jpg' not found (paths are "
            "relative to the calendar's folder)",
        ],
    ),
    "media cannot escape the calendar folder": (
        "  - id: a\n    at: 2026-12-01 09:00\n    caption: x\n    media: ../../etc/passwd\n",
        [
            "12:12: error: post 'a': media '../../etc/passwd' must be a path inside the "
            "calendar's folder, e.g. media/poster.jpg"
        ],
    ),
    "two schedules": (
        "  - id: a\n    at: 2026-12-01 09:00\n    cron: '0 9 * * 1'\n    caption: x\n",
        [
            "11:5: error: post 'a': 'cron' and 'at' both given; keep exactly one of at, "
            "dates, cron, rrule"
        ],
    ),
    "no schedule": (
        "  - id: a\n    caption: x\n",
        ["9:5: error: post 'a' has no time: give one of at, dates, cron or rrule"],
    ),
    "at without a time of day": (
        "  - id: a\n    at: 2026-12-01\n    caption: x\n",
        ["10:9: error: post 'a': at: '2026-12-01' has no time of day: write '2026-12-01 HH:MM'"],
    ),
    "dates without a time of day": (
        "  - id: a\n    dates: [2026-12-01]\n    caption: x\n",
        [
            "10:13: error: post 'a': dates: '2026-12-01' has no time of day: write "
            "'2026-12-01 HH:MM' (or add 'time: HH:MM' to the post)"
        ],
    ),
    "more hashtags than Instagram allows": (
        "  - id: a\n    accounts: [ig-desa]\n    at: 2026-12-01 09:00\n"
        f"    media: media/posyandu.jpg\n    caption: '{' '.join(f'#t{i}' for i in range(31))}'\n",
        ["13:14: error: post 'a' for ig-desa: caption has 31 hashtags; Instagram allows 30"],
    ),
    "unknown key with a hint": (
        "  - id: a\n    at: 2026-12-01 09:00\n    captoin: x\n",
        [
            "9:5: error: post 'a' has no text: add 'template: NAME' (a file in templates/) "
            "or 'caption: ...'",
            "11:5: error: post 'a': unknown key 'captoin' is not read; did you mean 'caption'?",
        ],
    ),
    "caption length differs per platform": (
        "  - id: a\n    accounts: [fb-desa, ig-desa]\n    at: 2026-12-01 09:00\n"
        "    media: media/posyandu.jpg\n    caption: \"{{ 'a' * 2300 }}\"\n",
        ["13:14: error: post 'a' for ig-desa: caption has 2300 characters; Instagram allows 2200"],
    ),
}


@pytest.mark.parametrize(("posts", "expected"), POST_MISTAKES.values(), ids=list(POST_MISTAKES))
def test_post_mistakes_are_located(
    write_calendar: WriteCalendar, posts: str, expected: list[str]
) -> None:
    path = with_posts(write_calendar, posts)
    assert errors(path) == [f"{path}:{error}" for error in expected]


# Each calendar's posts, and a warning check gives for them (after ``PATH:``).
POST_WARNINGS = {
    "key without effect": (
        "  - id: a\n    at: 2026-12-01 09:00\n    time: '10:00'\n    caption: x\n",
        "11:5: warning: post 'a': 'time' has no effect with 'at' and is ignored",
    ),
    "PNG for Instagram is converted": (
        "  - id: a\n    accounts: [ig-desa]\n    at: 2026-12-01 09:00\n    caption: x\n"
        "    media: media/ucapan.png\n",
        "13:12: warning: post 'a' for ig-desa: media 'media/ucapan.png' is PNG, not "
        "JPEG; jadwal will convert it to a JPEG that fits before uploading",
    ),
}


@pytest.mark.parametrize(("posts", "warning"), POST_WARNINGS.values(), ids=list(POST_WARNINGS))
def test_post_warnings_are_located(write_calendar: WriteCalendar, posts: str, warning: str) -> None:
    path = with_posts(write_calendar, posts)
    assert f"{path}:{warning}" in lines(path)


# -- unknown keys: errors at every level, naming the key meant and what the typo switches off --

POST = "  - id: a\n    at: 2026-12-01 09:00\n    caption: x\n"
FB_TOKEN = 'platform: facebook, page_id: "1", token: "${FB_TOKEN}"'

# Each calendar, and the errors check gives for it (after ``PATH:``), exactly.
UNKNOWN_KEYS = {
    "top level: the word filter is off": (
        calendar(POST, rule="{blocked_words: [kafir]}", rules=None),
        [
            "7:1: error: calendar: unknown key 'rule' is not read, so rules.blocked_words, "
            "rules.warn_words, rules.min_posts_per_week and rules.grace are not applied; "
            "did you mean 'rules'?"
        ],
    ),
    "rules: no caption is checked": (
        calendar(POST, rules="{min_posts_per_week: 0, blocked_word: [kafir]}"),
        [
            "7:32: error: rules: unknown key 'blocked_word' is not read, so no caption is "
            "checked for blocked words; did you mean 'blocked_words'?"
        ],
    ),
    "rules: the key meant is there too": (
        calendar(POST, rules="{min_posts_per_week: 0, warn_words: [a], warn_word: [b]}"),
        ["7:49: error: rules: unknown key 'warn_word' is not read; did you mean 'warn_words'?"],
    ),
    "an account's token": (
        calendar_text(
            accounts={"fb-desa": 'platform: facebook, page_id: "1", acces_token: "${FB_TOKEN}"'},
            posts=POST,
        ),
        [
            "3:47: error: account 'fb-desa': unknown key 'acces_token' is not read, so this "
            "account has no token; did you mean 'token'?"
        ],
    ),
    "a post's status": (
        calendar(POST + "    statsu: draft\n"),
        [
            "12:5: error: post 'a': unknown key 'statsu' is not read, so the post counts as "
            "approved and is published at its time; did you mean 'status'?"
        ],
    ),
    "a draft's key, an error all the same": (
        calendar(POST + "    status: draft\n    notse: menunggu data\n"),
        ["13:5: error: post 'a': unknown key 'notse' is not read; did you mean 'notes'?"],
    ),
    "a key of another section: indentation": (
        calendar(POST + "    blocked_words: [kafir]\n"),
        [
            "12:5: error: post 'a': unknown key 'blocked_words' is not read, so no caption is "
            "checked for blocked words; it belongs under rules: check its indentation"
        ],
    ),
    "two keys as close": (
        calendar(POST + "    ad: 1\n"),
        ["12:5: error: post 'a': unknown key 'ad' is not read; did you mean 'id' or 'at'?"],
    ),
    "nothing close": (
        calendar(POST + "    foo: 1\n"),
        [
            "12:5: error: post 'a': unknown key 'foo' is not read; known keys: id, accounts, "
            "at, dates, cron, rrule, from, until, time, template, caption, vars, media, kind, "
            "category, title, status, notes, link, on_holidays"
        ],
    ),
    "holidays: skip": (
        calendar(POST, holidays="{country: ID, caption: x, skp: [Hari Raya Natal]}"),
        [
            "8:37: error: holidays: unknown key 'skp' is not read, so the holidays listed "
            "there get a greeting too; did you mean 'skip'?"
        ],
    ),
    "holidays: another word for the key": (
        calendar(POST, holidays="{country: ID, caption: x, time: '08:00'}"),
        [
            "8:37: error: holidays: unknown key 'time' is not read, so the greetings go out "
            "at 07:00; did you mean 'at'?"
        ],
    ),
    "defaults, graph and media": (
        calendar(POST, media="{stagging: facebook_page}", graph="{verison: v24.0}").replace(
            "defaults: {accounts:", "defaults: {acounts:"
        ),
        [
            "5:12: error: defaults: unknown key 'acounts' is not read; did you mean 'accounts'?",
            "6:9: error: media: unknown key 'stagging' is not read; did you mean 'staging'?",
            "8:9: error: graph: unknown key 'verison' is not read, so jadwal uses Graph API "
            "v25.0; did you mean 'version'?",
            "10:5: error: post 'a' has no accounts: add 'accounts: [name]' or set "
            "defaults.accounts",
        ],
    ),
}


@pytest.mark.parametrize(("text", "expected"), UNKNOWN_KEYS.values(), ids=list(UNKNOWN_KEYS))
def test_unknown_keys_are_errors(
    write_calendar: WriteCalendar, text: str, expected: list[str]
) -> None:
    path = write_calendar(text)
    assert errors(path) == [f"{path}:{error}" for error in expected]


def test_template_syntax_error_points_at_template(write_calendar: WriteCalendar) -> None:
    path = with_posts(
        write_calendar,
        "  - id: t\n    at: 2026-12-01 09:00\n    template: rusak\n",
        **{"templates/rusak.j2": "Halo\n{% if %}\n"},
    )
    found = errors(path)
    assert len(found) == 1
    assert found[0].startswith(str(path.parent / "templates" / "rusak.j2") + ":2:1: error: ")
    assert "post 't': template syntax error:" in found[0]


def test_undefined_variable_names_template_line_and_variable(
    write_calendar: WriteCalendar,
) -> None:
    path = with_posts(
        write_calendar,
        "  - id: t\n    at: 2026-12-01 09:00\n    template: sapa\n",
        **{"templates/sapa.j2": "Halo warga,\n{{ nama_desa }}\n"},
    )
    assert errors(path) == [
        f"{path.parent / 'templates' / 'sapa.j2'}:2:1: error: post 't': variable 'nama_desa' is "
        "undefined; define it under vars (of the calendar or of the post)"
    ]


def test_links_out_of_the_folder_are_errors(
    write_calendar: WriteCalendar, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A committed symbolic link can't smuggle a file from elsewhere into a post."""
    outside = tmp_path_factory.mktemp("etc")
    (outside / "secrets.env").write_text("META_TOKEN=EAAGlinkCANARY123\n", encoding="utf-8")
    shutil.copy(ROOT / "media" / "posyandu.jpg", outside / "foto.jpg")
    media = "  - id: a\n    at: 2026-12-01 09:00\n    caption: x\n    media: media/foto.jpg\n"
    path = with_posts(write_calendar, media)
    (path.parent / "media" / "foto.jpg").symlink_to(outside / "foto.jpg")
    assert errors(path) == [
        f"{path}:12:12: error: post 'a': media 'media/foto.jpg' must be a path inside the "
        "calendar's folder, e.g. media/poster.jpg"
    ]
    template = "  - id: b\n    at: 2026-12-01 09:00\n    template: bocor\n"
    path = with_posts(write_calendar, template)
    (path.parent / "templates" / "bocor.j2").symlink_to(outside / "secrets.env")
    found = errors(path)
    assert found == [
        f"{path}:11:15: error: post 'b': template 'bocor.j2' is a link to a file outside templates/"
    ]
    assert "EAAG" not in "".join(found)


def test_inline_secret_is_an_error_and_never_echoed(write_calendar: WriteCalendar) -> None:
    secret = "EAAGm0PX4ZCpsBAKZCZCsecretvalue1234567890"
    path = write_calendar(
        f"version: 1\naccounts:\n  fb-desa: {{platform: facebook, page_id: '1', "
        f"token: {secret}}}\nposts: []\n"
    )
    found = errors(path)
    assert found == [
        f"{path}:3:54: error: account 'fb-desa': 'token' holds a secret written inline; "
        "write a reference such as token: ${FB_DESA_TOKEN} and put the value in the "
        "environment or in .env beside the calendar"
    ]
    assert secret not in "".join(found)


def test_token_shaped_value_under_any_key_is_refused(write_calendar: WriteCalendar) -> None:
    path = write_calendar(
        "version: 1\naccounts:\n  fb-desa:\n    platform: facebook\n    page_id: '1'\n"
        "    username: EAAGm0PX4ZCpsBAKZCZCsecretvalue1234567890\n"
    )
    assert any("'username' holds a secret written inline" in e for e in errors(path))


def test_blocked_and_warned_words(write_calendar: WriteCalendar) -> None:
    rules = "  min_posts_per_week: 0\n  blocked_words: [kafir]\n  warn_words: [hoaks]\n"
    posts = "  - id: a\n    at: 2026-12-01 09:00\n    caption: Awas HOAKS, Kafir!\n"
    path = write_calendar(calendar(posts, rules=rules))
    found = lines(path)
    assert (
        f"{path}:14:14: error: post 'a' for fb-desa: caption contains the blocked word 'kafir' "
        "(rules.blocked_words); rephrase it"
    ) in found
    assert (
        f"{path}:14:14: warning: post 'a' for fb-desa: caption contains 'hoaks' "
        "(rules.warn_words); make sure it is intended"
    ) in found


def test_blocked_words_match_whole_words_only(write_calendar: WriteCalendar) -> None:
    posts = "  - id: a\n    at: 2026-12-01 09:00\n    caption: beras\n"
    path = write_calendar(calendar(posts, rules="{blocked_words: [ras]}"))
    assert not any("blocked word" in e for e in errors(path))


def test_instagram_needs_media_and_drafts_only_warn(write_calendar: WriteCalendar) -> None:
    post = "  - id: a\n    accounts: [ig-desa]\n    at: 2026-12-01 09:00\n    caption: x\n"
    path = with_posts(write_calendar, post)
    assert errors(path) == [
        f"{path}:9:5: error: post 'a' for ig-desa: Instagram needs an image or a video; add media"
    ]
    path = with_posts(write_calendar, post + "    status: draft\n")
    assert errors(path) == []
    assert (
        f"{path}:9:5: warning: post 'a' for ig-desa: Instagram needs an image or a video; "
        "add media (draft)"
    ) in lines(path)


def test_public_url_media_must_already_fit(write_calendar: WriteCalendar) -> None:
    post = (
        "  - id: a\n    accounts: [ig-desa]\n    at: 2026-12-01 09:00\n    caption: x\n"
        "    media: media/wide.jpg\n"
    )
    path = write_calendar(calendar(post, media="{public_base_url: 'https://example.org/m'}"))
    Image.new("RGB", (2000, 500), "white").save(path.parent / "media" / "wide.jpg")
    assert errors(path) == [
        f"{path}:13:12: error: post 'a' for ig-desa: media 'media/wide.jpg' has aspect ratio "
        "2000x500 (allowed 4:5 to 1.91:1); Instagram fetches it as it is from "
        "media.public_base_url, so convert it"
    ]


def test_instagram_graph_needs_a_media_route(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar("[]", media=None))
    assert errors(path) == [
        f"{path}:4:12: error: account 'ig-desa': the Instagram Graph API fetches images from a "
        "public URL; set media.public_base_url (where the media folder is served) or "
        "media.staging: facebook_page (videos are uploaded without either)"
    ]


def test_weekly_rhythm_lists_thin_weeks(write_calendar: WriteCalendar) -> None:
    posts = "  - id: a\n    cron: '0 9 * * 1'\n    until: 2027-01-31\n    caption: x\n"
    path = write_calendar(calendar(posts, rules="{min_posts_per_week: 1}"))
    assert (
        f"{path}:7:29: warning: account 'fb-desa' has fewer than 1 post(s) in 2 of the next "
        "12 weeks: 2027-W05 (01 Feb–07 Feb), 2027-W06 (08 Feb–14 Feb); "
        "add posts or a recurring series"
    ) in lines(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "error: the calendar is empty"),
        ("- just\n- a list\n", "error: the calendar must be a mapping of keys to values"),
        ("version: 2\n", "error: version must be between 1 and 1, not 2"),
        ("a: 1\na: 2\n", ":2:1: error: duplicate key 'a' (first at line 1)"),
    ],
)
def test_whole_file_mistakes(write_calendar: WriteCalendar, text: str, message: str) -> None:
    path = write_calendar(text)
    assert any(message in e for e in errors(path)), errors(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "calendar.yaml"
    path.write_bytes(b"version: 1\nvars: {a: '\xff'}\n")
    assert [str(p) for p in check_calendar(path, TODAY)] == [
        f"{path}:2:1: error: the file is not UTF-8 text; save it as UTF-8"
    ]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert [str(p) for p in check_calendar(path, TODAY)] == [
        f"{path}:1:1: error: calendar file not found: {path}"
    ]


def test_billion_laughs_is_refused_quickly(write_calendar: WriteCalendar) -> None:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        rows.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 9)}]")
    path = write_calendar("\n".join(rows) + "\n")
    assert errors(path) == [
        f"{path}:1:1: error: the document expands to too many values (nested aliases?)"
    ]


def test_date_filters_accept_dates_from_vars(write_calendar: WriteCalendar) -> None:
    post = (
        "  - id: a\n    at: 2026-12-01 09:00\n    vars: {hari_h: 2026-12-13, salah: besok}\n"
        "    caption: '{{ hari_h | tanggal }}'\n"
    )
    assert errors(with_posts(write_calendar, post)) == []
    path = with_posts(write_calendar, post.replace("hari_h | tanggal", "salah | tanggal"))
    assert errors(path) == [
        f"{path}:12:14: error: post 'a': the template failed: the tanggal filter needs a date "
        "such as 2026-12-13, not 'besok'"
    ]


def test_bad_media_staging_is_located(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar("[]", media="{staging: s3}"))
    assert f"{path}:6:18: error: media.staging must be one of facebook_page, not 's3'" in errors(
        path
    )


def test_a_reel_too_long_for_instagram_is_an_error(write_calendar: WriteCalendar) -> None:
    from tests.test_mediaprep import mp4

    post = (
        "  - id: r\n    accounts: [ig-desa]\n    kind: reel\n    at: 2026-12-01 09:00\n"
        "    caption: x\n    media: media/film.mp4\n"
    )
    path = write_calendar(calendar(post, media="{public_base_url: 'https://example.org/m'}"))
    mp4(path.parent / "media" / "film.mp4", seconds=16 * 60)
    found = errors(path)
    assert len(found) == 1
    assert found[0].startswith(f"{path}:14:12: error: post 'r' for ig-desa: film.mp4 lasts 16")
    assert "Instagram reels may last at most 15 min" in found[0]


# -- vars that no template reads ---------------------------------------------------------------


def vars_warnings(path: Path) -> list[str]:
    """The warnings about ``vars`` (the accounts' unset tokens left out)."""
    found = check_calendar(path, TODAY)
    return [str(p) for p in found if not p.is_error and "vars." in p.message]


RAPAT = {"templates/rapat.j2": "{{ judul }}\n\n{{ isi }}\n"}
RAPAT_POST = "  - id: rapat\n    at: 2026-12-01 09:00\n    template: rapat\n"


def test_a_misspelt_vars_key_is_a_warning_at_the_key(write_calendar: WriteCalendar) -> None:
    post = RAPAT_POST + "    vars:\n      judul: Rapat RT\n      isi: Di balai\n      isii: x\n"
    path = with_posts(write_calendar, post, **RAPAT)
    assert vars_warnings(path) == [
        f"{path}:15:7: warning: post 'rapat': vars.isii is not used by templates/rapat.j2; "
        "did you mean 'isi'?"
    ]


def test_a_vars_key_like_nothing_read_asks_if_it_is_a_typo(write_calendar: WriteCalendar) -> None:
    post = RAPAT_POST + "    vars: {judul: Rapat RT, isi: Di balai, zzz: x}\n"
    path = with_posts(write_calendar, post, **RAPAT)
    assert vars_warnings(path) == [
        f"{path}:12:44: warning: post 'rapat': vars.zzz is not used by templates/rapat.j2; a typo?"
    ]


def test_the_misspelt_key_and_the_name_it_misses_both_point_at_it(
    write_calendar: WriteCalendar,
) -> None:
    post = RAPAT_POST + "    vars: {judull: Rapat RT, isi: Di balai}\n"
    path = with_posts(write_calendar, post, **RAPAT)
    assert [line for line in lines(path) if "post 'rapat'" in line] == [
        f"{path}:12:12: warning: post 'rapat': vars.judull is not used by templates/rapat.j2; "
        "did you mean 'judul'?",
        f"{path.parent / 'templates' / 'rapat.j2'}:1:1: error: post 'rapat': variable 'judul' "
        "is undefined; did you mean 'judull'? define it under vars (of the calendar or of the "
        "post)",
    ]


SALAM = {
    "templates/salam.j2": "Halo {{ sapaan }}\n",
    "templates/salam.instagram.j2": "Halo {{ sapaan }}, {{ khusus_ig }}\n",
}


def salam(accounts: str) -> str:
    return (
        f"  - id: salam\n    accounts: [{accounts}]\n    at: 2026-12-01 09:00\n"
        "    template: salam\n    media: media/posyandu.jpg\n"
        "    vars: {sapaan: Warga, khusus_ig: Sobat IG}\n"
    )


def test_a_var_read_only_by_a_platform_variant_counts_where_it_is_used(
    write_calendar: WriteCalendar,
) -> None:
    assert vars_warnings(with_posts(write_calendar, salam("fb-desa, ig-desa"), **SALAM)) == []
    path = with_posts(write_calendar, salam("fb-desa"), **SALAM)
    assert vars_warnings(path) == [
        f"{path}:14:27: warning: post 'salam': vars.khusus_ig is not used by "
        "templates/salam.j2; a typo?"
    ]


def test_a_var_no_platform_variant_reads_names_the_variants(
    write_calendar: WriteCalendar,
) -> None:
    post = salam("fb-desa, ig-desa").replace("khusus_ig: Sobat IG", "kusus_ig: Sobat IG")
    path = with_posts(write_calendar, post, **SALAM)
    assert vars_warnings(path) == [
        f"{path}:14:27: warning: post 'salam': vars.kusus_ig is not used by templates/salam.j2 "
        "(nor its platform variants); did you mean 'khusus_ig'?"
    ]


def test_an_inline_caption_reads_its_vars(write_calendar: WriteCalendar) -> None:
    post = "  - id: a\n    at: 2026-12-01 09:00\n    caption: 'Halo {{ nama }}'\n"
    assert vars_warnings(with_posts(write_calendar, post + "    vars: {nama: Warga}\n")) == []
    path = with_posts(write_calendar, post + "    vars: {nama: Warga, namaa: x}\n")
    assert vars_warnings(path) == [
        f"{path}:12:25: warning: post 'a': vars.namaa is not used by its caption; "
        "did you mean 'nama'?"
    ]


def test_vars_read_by_an_included_template_are_used(write_calendar: WriteCalendar) -> None:
    files = {
        "templates/induk.j2": "{{ judul }}\n{% include 'kaki.j2' %}\n",
        "templates/kaki.j2": "{% import 'makro.j2' as m %}{{ m.tanda(penutup) }}\n",
        "templates/makro.j2": "{% macro tanda(teks) %}{{ teks }} {{ kontak }}{% endmacro %}\n",
    }
    post = (
        "  - id: a\n    at: 2026-12-01 09:00\n    template: induk\n"
        "    vars: {judul: Rapat, penutup: Salam, kontak: WA 0812, lain: x}\n"
    )
    path = with_posts(write_calendar, post, **files)
    assert vars_warnings(path) == [
        f"{path}:12:59: warning: post 'a': vars.lain is not used by templates/induk.j2; a typo?"
    ]


def test_an_include_by_a_computed_name_may_read_anything(write_calendar: WriteCalendar) -> None:
    files = {"templates/pilih.j2": "{% include bagian %}\n", "templates/satu.j2": "{{ isi }}\n"}
    post = (
        "  - id: a\n    at: 2026-12-01 09:00\n    template: pilih\n"
        "    vars: {bagian: satu.j2, isi: x, lain: y}\n"
    )
    path = write_calendar(calendar(post, vars="{zzz: 1}"), **files)
    assert vars_warnings(path) == []
    files["templates/pilih.j2"] = "{% include 'satu.j2' %}{{ bagian }}\n"
    path = write_calendar(calendar(post, vars="{zzz: 1}"), **files)
    assert [line.split(": warning: ")[1] for line in vars_warnings(path)] == [
        "vars.zzz is not used by any template of the calendar; a typo?",
        "post 'a': vars.lain is not used by templates/pilih.j2; a typo?",
    ]


def test_calendar_vars_no_template_reads_are_a_warning(write_calendar: WriteCalendar) -> None:
    post = "  - id: a\n    at: 2026-12-01 09:00\n    caption: '{{ instansi }}'\n"
    path = write_calendar(calendar(post, vars="{instansi: Desa Sukamaju, instansii: typo}"))
    assert vars_warnings(path) == [
        f"{path}:8:33: warning: vars.instansii is not used by any template of the calendar; "
        "did you mean 'instansi'?"
    ]


def test_calendar_vars_read_only_by_the_holiday_greeting_are_used(
    write_calendar: WriteCalendar,
) -> None:
    holidays = "{country: ID, caption: '{{ holiday }} dari {{ instansi }}'}"
    path = write_calendar(calendar("[]", vars="{instansi: Desa, kontak: WA}", holidays=holidays))
    assert vars_warnings(path) == [
        f"{path}:8:24: warning: vars.kontak is not used by any template of the calendar; a typo?"
    ]


def test_a_var_named_like_jadwals_own_never_reaches_a_template(
    write_calendar: WriteCalendar,
) -> None:
    post = "  - id: a\n    at: 2026-12-01 09:00\n    caption: '{{ category }}'\n"
    path = write_calendar(calendar(post + "    vars: {category: Pengumuman}\n"))
    assert vars_warnings(path) == [
        f"{path}:12:12: warning: post 'a': vars.category never reaches a template: jadwal "
        "sets 'category' itself (see Templates in docs/calendar.md); use another name"
    ]
