"""``check`` on values that look right to a new operator but mean something else: missing
credentials, references and lists written the shell's way, day names in cron."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.check import check_calendar
from tests.conftest import WriteCalendar
from tests.helpers import calendar_text

TODAY = date(2026, 11, 23)

ACCOUNTS = {
    "fb-desa": 'platform: facebook, page_id: "1", token: "${FB_TOKEN}"',
    "ig-desa": 'platform: instagram, ig_user_id: "2", page_id: "1", token: "${IG_TOKEN}"',
}
POST = "  - id: a\n    at: 2026-12-01 09:00\n    caption: x\n"


def calendar(posts: str = POST, accounts: dict[str, str] = ACCOUNTS, **sections: str) -> str:
    base = {"media": "{staging: facebook_page}", "rules": "{min_posts_per_week: 0}"}
    return calendar_text(accounts=accounts, **{**base, **sections, "posts": posts})


def errors(path: Path) -> list[str]:
    return [str(p) for p in check_calendar(path, TODAY) if p.is_error]


def warnings(path: Path) -> list[str]:
    return [str(p) for p in check_calendar(path, TODAY) if not p.is_error]


# -- credentials ------------------------------------------------------------------------------


def test_a_facebook_account_without_a_token_is_an_error(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar(accounts={"fb-desa": 'platform: facebook, page_id: "1"'}))
    assert errors(path) == [
        f"{path}:3:12: error: account 'fb-desa' has no token, which the Facebook Graph API "
        "needs to publish: add 'token: ${FB_DESA_TOKEN}' to it and set FB_DESA_TOKEN in .env "
        "beside the calendar or in the environment"
    ]


def test_an_instagram_graph_account_without_a_token_is_an_error(
    write_calendar: WriteCalendar,
) -> None:
    accounts = {**ACCOUNTS, "ig-desa": 'platform: instagram, ig_user_id: "2", page_id: "1"'}
    path = write_calendar(calendar(accounts=accounts))
    assert errors(path) == [
        f"{path}:4:12: error: account 'ig-desa' has no token, which the Instagram Graph API "
        "needs to publish: add 'token: ${IG_DESA_TOKEN}' to it and set IG_DESA_TOKEN in .env "
        "beside the calendar or in the environment"
    ]


def test_an_instagrapi_account_needs_no_password_key(write_calendar: WriteCalendar) -> None:
    # `jadwal login` asks for the password when the calendar names none.
    accounts = {**ACCOUNTS, "ig-desa": "platform: instagram, via: instagrapi, username: desa"}
    path = write_calendar(calendar(accounts=accounts))
    assert errors(path) == []


def test_an_unset_variable_stays_a_warning(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FB_TOKEN", raising=False)
    path = write_calendar(calendar())
    assert errors(path) == []
    assert (
        f"{path}:3:54: warning: account 'fb-desa': ${{FB_TOKEN}} is not set here "
        "(environment or .env); publishing will need it"
    ) in warnings(path)


@pytest.mark.parametrize("written", ["$FB_TOKEN", "$(FB_TOKEN)", "${FB_TOKEN", "$FB_TOKEN}"])
def test_a_reference_without_braces_keeps_its_name(
    write_calendar: WriteCalendar, written: str
) -> None:
    accounts = {**ACCOUNTS, "fb-desa": f'platform: facebook, page_id: "1", token: "{written}"'}
    path = write_calendar(calendar(accounts=accounts))
    assert errors(path) == [
        f"{path}:3:54: error: account 'fb-desa': write token: ${{FB_TOKEN}}, with the braces: "
        "jadwal reads a secret only from a ${VARIABLE} reference"
    ]


@pytest.mark.parametrize("password", ["$ecret99", "$SECRET99"])
def test_a_password_starting_with_a_dollar_is_never_echoed(
    write_calendar: WriteCalendar, password: str
) -> None:
    accounts = {
        **ACCOUNTS,
        "ig-desa": f"platform: instagram, via: instagrapi, username: desa, password: {password}",
    }
    path = write_calendar(calendar(accounts=accounts))
    found = errors(path)
    assert len(found) == 1 and "holds a secret written inline" in found[0]
    assert password[1:] not in found[0]


def test_a_password_reference_without_braces_keeps_its_name(write_calendar: WriteCalendar) -> None:
    accounts = {
        **ACCOUNTS,
        "ig-desa": "platform: instagram, via: instagrapi, username: desa, password: $IG_PASSWORD",
    }
    path = write_calendar(calendar(accounts=accounts))
    assert errors(path) == [
        f"{path}:4:77: error: account 'ig-desa': write password: ${{IG_PASSWORD}}, with the "
        "braces: jadwal reads a secret only from a ${VARIABLE} reference"
    ]


# -- lists written without brackets -------------------------------------------------------------


def test_accounts_with_commas_ask_for_brackets(write_calendar: WriteCalendar) -> None:
    posts = "  - id: a\n    accounts: fb-desa, ig-desa\n    at: 2026-12-01 09:00\n    caption: x\n"
    path = write_calendar(calendar(posts))
    assert errors(path) == [
        f"{path}:10:15: error: post 'a': accounts: 'fb-desa, ig-desa' is one value; to give "
        "several, write a list in brackets: [fb-desa, ig-desa] (one text holding a comma goes "
        "in quotes)"
    ]


def test_blocked_words_with_commas_ask_for_brackets(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar(rules="  blocked_words: kafir, pribumi\n"))
    assert errors(path) == [
        f"{path}:8:18: error: rules: blocked_words: 'kafir, pribumi' is one value; to give "
        "several, write a list in brackets: [kafir, pribumi] (one text holding a comma goes in "
        "quotes)"
    ]


def test_a_quoted_text_with_a_comma_is_one_value(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar(rules="  blocked_words: 'kafir, pribumi'\n"))
    assert errors(path) == []


# -- day and month names in cron -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("cron", "said"),
    [
        ("0 8 * * senin", "day of week field: 'senin' is Monday: write 1"),
        ("0 8 * * monday", "day of week field: 'monday' is Monday: write 1"),
        ("0 8 * * Jumat", "day of week field: 'Jumat' is Friday: write 5"),
        ("0 8 * * minggu", "day of week field: 'minggu' is Sunday: write 0"),
        ("0 8 1 januari *", "month field: 'januari' is January: write 1"),
        ("0 8 1 Agustus *", "month field: 'Agustus' is August: write 8"),
    ],
)
def test_day_and_month_names_in_cron_get_their_number(
    write_calendar: WriteCalendar, cron: str, said: str
) -> None:
    posts = f"  - id: a\n    cron: '{cron}'\n    caption: x\n"
    path = write_calendar(calendar(posts))
    assert errors(path) == [f"{path}:10:11: error: post 'a': cron: {said}"]


def test_cron_short_english_names_still_work(write_calendar: WriteCalendar) -> None:
    posts = "  - id: a\n    cron: '0 8 * jan mon'\n    caption: x\n"
    path = write_calendar(calendar(posts))
    assert errors(path) == []


# -- holiday names --------------------------------------------------------------------------------

HOLIDAYS = "  country: ID\n  caption: 'Selamat {{ holiday }}'\n"


def holidays(line: str) -> str:
    return calendar(posts="[]", holidays=HOLIDAYS + line)


def test_a_misspelt_holiday_name_is_an_error_naming_the_holiday(
    write_calendar: WriteCalendar,
) -> None:
    path = write_calendar(holidays("  skip: [Hari Raya Natall]\n"))
    assert errors(path) == [
        f"{path}:11:10: error: holidays: skip: 'Hari Raya Natall' is not a holiday of ID in "
        "2026–2027; did you mean 'Hari Raya Natal'?"
    ]


def test_a_name_like_no_holiday_lists_the_closest(write_calendar: WriteCalendar) -> None:
    path = write_calendar(holidays("  only: [Hari Natal]\n"))
    assert errors(path) == [
        f"{path}:11:10: error: holidays: only: 'Hari Natal' is not a holiday of ID in "
        "2026–2027; the closest are 'Hari Raya Natal', 'Hari Raya Idul Adha', 'Hari Raya Waisak'"
    ]


@pytest.mark.parametrize(
    "line",
    [
        "  skip: ['hari raya natal']\n",
        "  skip: ['Hari Raya Idul Fitri (perkiraan)']\n",
        "  only: 2026-12-25\n",
    ],
)
def test_holiday_names_with_or_without_the_estimate_and_dates_are_accepted(
    write_calendar: WriteCalendar, line: str
) -> None:
    assert errors(write_calendar(holidays(line))) == []


# -- schedules that do not do what they seem to ---------------------------------------------------


def schedule(lines: str) -> str:
    return calendar(f"  - id: a\n{lines}    caption: x\n")


def post_warnings(path: Path, today: date = TODAY) -> list[str]:
    """The warnings about the post (the tokens are not set here: that is said too)."""
    return [str(p) for p in check_calendar(path, today) if "post 'a'" in p.message]


def test_cron_with_day_of_month_and_weekday_warns_of_the_or(write_calendar: WriteCalendar) -> None:
    path = write_calendar(schedule("    cron: '0 8 1-7 * mon'\n"))
    assert post_warnings(path) == [
        f"{path}:10:11: warning: post 'a': cron '0 8 1-7 * mon' restricts both the day of month "
        "and the day of week, so it fires on every day matching either (10 days in December "
        "2026); for the days matching both (the first Monday), write rrule: "
        '"FREQ=MONTHLY;BYDAY=1MO;BYHOUR=8;BYMINUTE=0" with from: 2026-11-23 instead'
    ]


def test_the_or_trap_with_other_days_gives_an_exact_rule(write_calendar: WriteCalendar) -> None:
    path = write_calendar(schedule("    cron: '30 9 1,15 * fri'\n"))
    assert post_warnings(path) == [
        f"{path}:10:11: warning: post 'a': cron '30 9 1,15 * fri' restricts both the day of "
        "month and the day of week, so it fires on every day matching either (6 days in December "
        "2026); for the days matching both, write rrule: "
        '"FREQ=MONTHLY;BYMONTHDAY=1,15;BYDAY=FR;BYHOUR=9;BYMINUTE=30" with from: 2026-11-23 '
        "instead"
    ]


def test_a_cron_that_can_never_fire_is_a_warning(write_calendar: WriteCalendar) -> None:
    path = write_calendar(schedule("    cron: '0 8 31 2 *'\n"))
    assert post_warnings(path) == [
        f"{path}:10:11: warning: post 'a': its cron '0 8 31 2 *' never fires, so nothing is "
        "published"
    ]


def test_a_series_that_never_fires_between_from_and_until_is_a_warning(
    write_calendar: WriteCalendar,
) -> None:
    path = write_calendar(
        schedule("    cron: '0 8 * 1 *'\n    from: 2026-12-01\n    until: 2026-12-31\n")
    )
    assert post_warnings(path) == [
        f"{path}:10:11: warning: post 'a': its cron '0 8 * 1 *' never fires between 2026-12-01 "
        "and 2026-12-31 (from, until), so nothing is published"
    ]


def test_a_post_wholly_in_the_past_is_a_warning(write_calendar: WriteCalendar) -> None:
    path = write_calendar(schedule("    at: 2026-11-01 09:00\n"))
    assert post_warnings(path) == [
        f"{path}:10:9: warning: post 'a' is wholly in the past (today is 2026-11-23): nothing "
        "is published"
    ]


def test_an_until_already_past_is_a_warning(write_calendar: WriteCalendar) -> None:
    path = write_calendar(schedule("    cron: '0 8 * * 1'\n    until: 2026-11-01\n"))
    assert post_warnings(path) == [
        f"{path}:11:12: warning: post 'a': until (2026-11-01) is already past (today is "
        "2026-11-23): the series publishes nothing more"
    ]


def test_today_moves_with_the_today_option(write_calendar: WriteCalendar) -> None:
    path = write_calendar(schedule("    at: 2026-11-01 09:00\n"))
    assert post_warnings(path, date(2026, 10, 1)) == []


# -- media paths that differ only in case or slash -----------------------------------------------


@pytest.mark.parametrize("written", ["Media/Posyandu.JPG", "media\\\\posyandu.jpg"])
def test_a_media_path_in_the_wrong_case_or_slash_names_the_file(
    write_calendar: WriteCalendar, written: str
) -> None:
    posts = f'  - id: a\n    at: 2026-12-01 09:00\n    caption: x\n    media: "{written}"\n'
    path = write_calendar(calendar(posts))
    shown = written.replace("\\\\", "\\")
    assert errors(path) == [
        f"{path}:12:12: error: post 'a': media file '{shown}' not found (paths are relative to "
        "the calendar's folder); did you mean 'media/posyandu.jpg'? Letter case counts and "
        "folders are separated by '/'"
    ]


def test_a_media_path_like_no_file_says_only_not_found(write_calendar: WriteCalendar) -> None:
    posts = "  - id: a\n    at: 2026-12-01 09:00\n    caption: x\n    media: media/poster.jpg\n"
    path = write_calendar(calendar(posts))
    assert errors(path) == [
        f"{path}:12:12: error: post 'a': media file 'media/poster.jpg' not found (paths are "
        "relative to the calendar's folder)"
    ]


# -- a text where a template takes a list ----------------------------------------------------------


def test_a_text_a_template_joins_is_a_warning_with_the_list(write_calendar: WriteCalendar) -> None:
    posts = "  - id: a\n    at: 2026-12-01 09:00\n    caption: '{{ tagar | join(\" \") }}'\n"
    path = write_calendar(calendar(posts, vars='{tagar: "#DesaSukamaju, #InfoDesa"}'))
    assert [w for w in warnings(path) if "vars." in w] == [
        f"{path}:8:8: warning: vars.tagar is one text, but a template takes it as a list (join "
        'or for) and would use it letter by letter: write it in brackets, ["#DesaSukamaju", '
        '"#InfoDesa"]'
    ]


def test_a_text_a_template_loops_over_is_a_warning_at_the_post(
    write_calendar: WriteCalendar,
) -> None:
    posts = (
        "  - id: a\n    at: 2026-12-01 09:00\n    caption: '{% for s in syarat %}{{ s }}"
        "{% endfor %}'\n    vars:\n      syarat: KTP, KK\n"
    )
    path = write_calendar(calendar(posts))
    assert [w for w in warnings(path) if "vars." in w] == [
        f"{path}:13:7: warning: post 'a': vars.syarat is one text, but a template takes it as "
        "a list (join or for) and would use it letter by letter: write it in brackets, [KTP, KK]"
    ]


def test_a_list_a_template_joins_is_fine(write_calendar: WriteCalendar) -> None:
    posts = "  - id: a\n    at: 2026-12-01 09:00\n    caption: '{{ tagar | join(\" \") }}'\n"
    path = write_calendar(calendar(posts, vars='{tagar: ["#DesaSukamaju", "#InfoDesa"]}'))
    assert [w for w in warnings(path) if "vars." in w] == []
