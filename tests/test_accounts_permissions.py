"""``jadwal accounts check`` reads each token's permissions the way Meta documents it for that
kind of token (a user token: ``/me/permissions``; a Page token: harmless reads, or
``debug_token`` with the app's token when the account names the app), so that a real account
can pass and a paused one be resumed. Every line pinned, read from the table it prints."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scheduler import cli
from scheduler.database import open_store
from tests.conftest import WriteCalendar
from tests.fakegraph import DEFAULT_SCOPES, FakeGraph

TOKEN = "EAAGpermsCANARYtoken0123456789abcdef"
APP_ID, APP_SECRET = "1000000000000001", "appSECRETcanary0123456789"
PAGE, IG = "1001", "17841"
GRANT = "grant it to the app and issue a new token"
GRANT_ALL = "grant them to the app and issue a new token"
NO_INSIGHTS = "posts go out without it; their insights can't be read until it is granted"
UNREADABLE = (
    "pages_manage_posts cannot be read with a Page token alone: add app_id and app_secret to "
    "the account to check it here (the first post shows it otherwise)"
)
BUSINESS = (
    "neither ads_management nor ads_read is granted: Instagram needs one of them when your "
    "role on the Page comes through Business Manager"
)
IG_TAIL = [
    ("account", "ok @fake_17841"),
    ("quota", "ok 0 of 100 posts used in the last 24 hours"),
    ("media", f"ok staged on Page {PAGE}"),
]


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    monkeypatch.setenv("META_APP_ID", APP_ID)
    monkeypatch.setenv("META_APP_SECRET", APP_SECRET)
    monkeypatch.setenv("COLUMNS", "250")  # one table row per line
    yield fake
    fake.stop()


def calendar(write_calendar: WriteCalendar, platform: str, app: bool = False) -> Path:
    ids = f"page_id: '{PAGE}'" + (f", ig_user_id: '{IG}'" if platform == "instagram" else "")
    extra = ", app_id: '${META_APP_ID}', app_secret: '${META_APP_SECRET}'" if app else ""
    return write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n  a: {{platform: {platform}, {ids}, token: '${{META_TOKEN}}'{extra}}}\n"
        "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\nposts: []\n"
    )


def lines(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, list[tuple[str, str]]]:
    code = cli.run(["accounts", "check", "--calendar", str(path)])
    out = capsys.readouterr().out
    assert TOKEN not in out and APP_SECRET not in out
    cells = [line.split("│")[3:5] for line in out.splitlines() if line.count("│") == 5]
    return code, [(check.strip(), result.strip()) for check, result in cells]


def test_a_page_token_passes_on_what_reads_show_and_warns_of_the_rest(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(TOKEN, pages=[PAGE])
    path = calendar(write_calendar, "facebook")
    store = open_store(f"sqlite:///{path.parent / '.jadwal' / 'jadwal.db'}")
    store.pause("a", "AuthError: (#190) expired", datetime.now(UTC))
    store.close()

    code, found = lines(capsys, path)

    assert found == [
        ("token", "ok valid (a Page token)"),
        ("permissions", "ok granted: pages_read_engagement"),
        ("permissions", f"warning {UNREADABLE}"),
        ("insights", f"warning missing read_insights: {NO_INSIGHTS}"),
        ("page", f"ok Fake Page {PAGE} ({PAGE})"),
    ]
    assert code == 0  # warnings never keep an account from passing: it is resumed
    assert not open_store(f"sqlite:///{path.parent / '.jadwal' / 'jadwal.db'}").paused()


def test_a_page_token_that_cannot_read_the_page_says_which_permission(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(TOKEN, pages=[PAGE], scopes=["pages_manage_posts", "read_insights"])
    code, found = lines(capsys, calendar(write_calendar, "facebook"))
    assert code == 1
    assert found[1] == ("permissions", f"FIX missing: pages_read_engagement: {GRANT}")


def test_a_user_token_cannot_post_as_the_page(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(TOKEN, pages=[PAGE], kind="user")
    code, found = lines(capsys, calendar(write_calendar, "facebook"))
    assert code == 1
    assert found[0] == (
        "token",
        "FIX valid, but a user token: posts to a Page need that Page's access token "
        "(GET /me/accounts with this token lists it)",
    )


def test_a_user_token_is_read_from_its_permissions_edge(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(TOKEN, pages=[PAGE], ig_users=[IG], kind="user")
    code, found = lines(capsys, calendar(write_calendar, "instagram"))
    assert code == 0
    assert found == [
        ("token", "ok valid (a user token)"),
        (
            "permissions",
            "ok granted: instagram_basic, instagram_content_publish, pages_read_engagement, "
            "pages_show_list",
        ),
        ("permissions", f"warning {BUSINESS}"),
        ("insights", f"warning missing instagram_manage_insights: {NO_INSIGHTS}"),
        *IG_TAIL,
    ]


def test_a_user_token_without_publishing_permissions_names_them(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    scopes = ["instagram_basic", "pages_read_engagement", "ads_read", "instagram_manage_insights"]
    graph.add_token(TOKEN, pages=[PAGE], ig_users=[IG], scopes=scopes, kind="user")
    code, found = lines(capsys, calendar(write_calendar, "instagram"))
    assert code == 1
    assert found[1:3] == [
        ("permissions", f"FIX missing: instagram_content_publish, pages_show_list: {GRANT_ALL}"),
        ("insights", "ok granted: instagram_manage_insights, pages_read_engagement"),
    ]


def test_an_instagram_page_token_is_shown_by_its_publishing_limit(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(TOKEN, pages=[PAGE], ig_users=[IG])
    code, found = lines(capsys, calendar(write_calendar, "instagram"))
    assert code == 0
    assert found == [
        ("token", "ok valid (a Page token)"),
        (
            "permissions",
            "ok granted: instagram_basic, instagram_content_publish, pages_read_engagement",
        ),
        ("insights", f"warning missing instagram_manage_insights: {NO_INSIGHTS}"),
        *IG_TAIL,
    ]


def test_an_instagram_page_token_that_cannot_publish_fails(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(TOKEN, pages=[PAGE], ig_users=[IG], scopes=["instagram_basic"])
    code, found = lines(capsys, calendar(write_calendar, "instagram"))
    assert code == 1
    assert found[1] == (
        "permissions",
        "FIX missing one of: instagram_basic, instagram_content_publish, pages_read_engagement: "
        f"{GRANT_ALL}",
    )


def test_with_the_app_a_page_tokens_every_permission_is_read(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_app(APP_ID, APP_SECRET)
    graph.add_token(TOKEN, pages=[PAGE], scopes=["pages_read_engagement", "read_insights"])
    code, found = lines(capsys, calendar(write_calendar, "facebook", app=True))
    assert code == 1
    assert found[:3] == [
        ("token", "ok valid (a Page token)"),
        ("permissions", f"FIX missing: pages_manage_posts: {GRANT}"),
        ("insights", "ok granted: read_insights, pages_read_engagement"),
    ]
    assert graph.requests[0]["path"] == "/v25.0/debug_token"


def test_with_the_app_a_permission_granted_for_another_account_is_missing(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_app(APP_ID, APP_SECRET)
    graph.add_token(TOKEN, pages=[PAGE], ig_users=["17899"], kind="user")
    _, found = lines(capsys, calendar(write_calendar, "instagram", app=True))
    assert found[:2] == [
        ("token", "ok valid (a user token)"),
        ("permissions", f"FIX missing: instagram_basic, instagram_content_publish: {GRANT_ALL}"),
    ]


def test_with_the_app_a_dead_token_is_no_longer_valid(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_app(APP_ID, APP_SECRET)
    graph.add_token(TOKEN, pages=[PAGE], valid=False)
    _, found = lines(capsys, calendar(write_calendar, "facebook", app=True))
    assert found[0] == (
        "token",
        "FIX the token is no longer valid: issue a new one and update the secret",
    )


def test_a_wrong_app_secret_is_named_never_shown(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_app(APP_ID, "anotherSECRET0123456789")
    graph.add_token(TOKEN, pages=[PAGE], scopes=DEFAULT_SCOPES)
    _, found = lines(capsys, calendar(write_calendar, "facebook", app=True))
    assert found[0] == (
        "token",
        "FIX the app could not inspect the token (#190): check app_id and app_secret",
    )


def test_an_app_id_without_its_secret_is_a_calendar_error(write_calendar: WriteCalendar) -> None:
    from tests.test_check import errors

    path = write_calendar(
        "version: 1\naccounts:\n  fb-desa: {platform: facebook, page_id: '1', "
        "token: '${FB_TOKEN}', app_id: '${META_APP_ID}'}\nposts: []\n"
    )
    assert errors(path) == [
        f"{path}:3:69: error: account 'fb-desa' has app_id but no app_secret: accounts check "
        "needs both to read the token's permissions with the app (or remove it)"
    ]


def test_an_app_secret_written_inline_is_refused_and_never_echoed(
    write_calendar: WriteCalendar,
) -> None:
    from tests.test_check import errors

    path = write_calendar(
        "version: 1\naccounts:\n  fb-desa: {platform: facebook, page_id: '1', "
        f"token: '${{FB_TOKEN}}', app_id: '${{META_APP_ID}}', app_secret: {APP_SECRET}}}\n"
        "posts: []\n"
    )
    [error] = errors(path)
    assert error.endswith(
        "error: account 'fb-desa': 'app_secret' holds a secret written inline; write a "
        "reference such as app_secret: ${FB_DESA_APP_SECRET} and put the value in the "
        "environment or in .env beside the calendar"
    )
    assert APP_SECRET not in error


def test_offline_with_the_app_says_so_and_shows_neither_secret(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JADWAL_GRAPH_URL", "http://127.0.0.1:9")  # nothing listens: refused
    _, found = lines(capsys, calendar(write_calendar, "facebook", app=True))
    assert found[0] == (
        "token",
        "FIX no connection to the Graph API (could not connect (connection refused)): check "
        "the internet connection; the token was not checked",
    )


def test_the_app_on_an_instagrapi_account_is_ignored_with_a_warning(
    write_calendar: WriteCalendar,
) -> None:
    from scheduler.check import check_calendar
    from tests.test_check import TODAY

    path = write_calendar(
        "version: 1\naccounts:\n  ig-kel: {platform: instagram, via: instagrapi, username: kel, "
        "app_id: '${META_APP_ID}', app_secret: '${META_APP_SECRET}'}\nposts: []\n"
    )
    said = [str(p) for p in check_calendar(path, TODAY) if "'app_" in str(p)]
    assert said == [
        f"{path}:3:65: warning: account 'ig-kel': 'app_id' applies to Graph API accounts only "
        "and is ignored here"
    ]


def test_the_token_of_another_page_says_whose_it_is(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(TOKEN, pages=["2002"])
    code, found = lines(capsys, calendar(write_calendar, "facebook"))
    assert code == 1
    assert found[0] == (
        "token",
        "FIX this is the token of Page 2002 (Fake Page 2002), not of page_id 1001: use the "
        "token of the account's own Page",
    )


def test_an_instagram_account_with_only_videos_needs_no_media_route(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_mediaprep import mp4

    graph.add_token(TOKEN, pages=[PAGE], ig_users=[IG])
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\n"
        f"accounts:\n  a: {{platform: instagram, ig_user_id: '{IG}', token: '${{META_TOKEN}}'}}\n"
        "rules: {min_posts_per_week: 0}\nposts:\n"
        "  - {id: r, accounts: [a], at: '2027-03-01 09:00', kind: reel, caption: x, "
        "media: media/klip.mp4}\n"
    )
    mp4(path.parent / "media" / "klip.mp4", seconds=20)
    code, found = lines(capsys, path)
    assert found[-1] == (
        "media",
        "ok videos only: sent by resumable upload (images would need a media route)",
    )
    assert code == 0  # a paused account of a video-only office can be resumed
