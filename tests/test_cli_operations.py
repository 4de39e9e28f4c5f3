"""Operations edges as an operator meets them: database URLs, commands that only read, the
accounts commands offline or held by a person's stop. Every message pinned."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler import cli
from scheduler.database import open_store
from tests.conftest import ROOT, WriteCalendar

CALENDAR = """\
version: 1
timezone: Asia/Jakarta
accounts:
  fb: {platform: facebook, page_id: '1', token: '${FB_TOKEN}'}
defaults: {accounts: [fb]}
rules: {min_posts_per_week: 0}
posts:
  - id: rapat
    at: '2026-12-07 09:00'
    caption: 'Rapat warga'
"""
ZONE = ZoneInfo("Asia/Jakarta")
SUPPORTED = (
    "write sqlite:///PATH (a file; an absolute path has four slashes: "
    "sqlite:////srv/jadwal/jadwal.db) or postgresql://USER@HOST/DATABASE\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def calendar(write_calendar: WriteCalendar) -> Path:
    return write_calendar(CALENDAR)


def real_store(calendar: Path) -> Path:
    return calendar.parent / ".jadwal" / "jadwal.db"


def test_db_that_is_no_url_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "history", str(calendar), "--db", "foo")
    assert (code, err) == (
        2,
        "jadwal: error: --db 'foo' is not a database URL jadwal can use; " + SUPPORTED,
    )


def test_db_of_an_unsupported_kind_is_a_usage_error_without_its_password(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "tick", str(calendar), "--db", "mysql://jadwal:rahasia@db/jadwal")
    assert (code, err) == (
        2,
        "jadwal: error: --db 'mysql://jadwal:***@db/jadwal' is not a database URL jadwal can "
        "use; " + SUPPORTED,
    )


def test_database_url_variable_is_named_when_it_is_wrong(
    capsys: pytest.CaptureFixture[str], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JADWAL_DATABASE_URL", "jadwal.db")
    code, _, err = run(capsys, "history", str(calendar))
    assert (code, err) == (
        2,
        "jadwal: error: JADWAL_DATABASE_URL 'jadwal.db' is not a database URL jadwal can use; "
        + SUPPORTED,
    )


def test_sqlite_in_a_missing_folder_is_an_error_naming_it(
    capsys: pytest.CaptureFixture[str], calendar: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "tiada" / "dir"
    code, _, err = run(
        capsys, "accounts", "resume", "fb", str(calendar), "--db", f"sqlite:///{missing}/x.db"
    )
    assert (code, err) == (
        2,
        f"jadwal: error: --db: the folder {missing} for the SQLite database does not exist; "
        "create it first, or correct the path\n",
    )
    assert not (tmp_path / "tiada").exists()


def test_history_without_a_database_says_so_and_creates_none(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, out, _ = run(capsys, "history", str(calendar))
    assert (code, out) == (0, "jadwal history: no history yet (.jadwal/jadwal.db does not exist)\n")
    code, out, _ = run(capsys, "history", str(calendar), "--dry-run", "--format", "json")
    assert (code, json.loads(out)) == (0, {"publications": [], "stops": []})
    assert not (calendar.parent / ".jadwal").exists()


def test_resolve_without_a_database_creates_none(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(
        capsys, "resolve", "rapat/fb/20261207T0200Z", str(calendar), "--not-published"
    )
    assert (code, err) == (
        1,
        "jadwal: error: no publication with key rapat/fb/20261207T0200Z (see jadwal history)\n",
    )
    assert not (calendar.parent / ".jadwal").exists()


def test_accounts_resume_of_an_account_not_in_the_calendar(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "accounts", "resume", "nope", str(calendar))
    assert (code, err) == (1, "jadwal: error: account 'nope' is not in the calendar\n")
    assert not (calendar.parent / ".jadwal").exists()


def stop_and_pause(calendar: Path, pause: bool) -> None:
    store = open_store(f"sqlite:///{real_store(calendar)}")
    now = datetime.now(UTC)
    store.stops.add("fb", "budi@kominfo-pc", "Banjir", now - timedelta(hours=1), None)
    if pause:
        store.pause("fb", "AuthError: (#190) token expired", now)
    store.close()


def held(since: datetime) -> str:
    local = since.astimezone(ZONE)
    return (
        f"still stopped by jadwal pause (stopped by budi@kominfo-pc since "
        f"{local:%Y-%m-%d %H:%M} WIB until resumed: Banjir); 'jadwal resume fb' lifts it"
    )


def test_accounts_resume_says_a_persons_stop_still_holds_the_account(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    stop_and_pause(calendar, pause=True)
    code, out, _ = run(capsys, "accounts", "resume", "fb", str(calendar))
    assert (code, out) == (0, f"fb: resumed; {held(stop_since(calendar))}\n")


def test_accounts_resume_of_a_stopped_account_that_is_not_paused(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    stop_and_pause(calendar, pause=False)
    code, _, err = run(capsys, "accounts", "resume", "fb", str(calendar))
    assert (code, err) == (
        1,
        f"jadwal: error: account 'fb' is not paused; it is {held(stop_since(calendar))}\n",
    )


def stop_since(calendar: Path) -> datetime:
    store = open_store(f"sqlite:///{real_store(calendar)}")
    [stop] = store.stops.recent()
    store.close()
    return stop.since


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped example, with its tokens set and the Graph API out of reach."""
    for name in ("calendar.yaml", "templates", "media"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    monkeypatch.setenv("FB_PAGE_TOKEN", "EAAGfbCANARY0000000000")
    monkeypatch.setenv("IG_TOKEN", "EAAGigCANARY0000000000")
    monkeypatch.setenv("JADWAL_GRAPH_URL", "http://127.0.0.1:9")  # nothing listens: refused
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path / "calendar.yaml"


def test_accounts_check_offline_says_the_network_not_the_token(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    code, out, _ = run(capsys, "accounts", "check", "--calendar", str(example))
    assert code == 1
    cells = [line.split("│")[3:5] for line in out.splitlines() if line.count("│") == 5]
    results = [(check.strip(), result.strip()) for check, result in cells]
    offline = (
        "no connection to the Graph API (could not connect (connection refused)): "
        "check the internet connection"
    )
    assert results == [
        ("token", f"FIX {offline}; the token was not checked"),
        ("page", f"FIX page 100000000000001: {offline}; the page was not checked"),
        ("token", f"FIX {offline}; the token was not checked"),
        ("account", f"FIX 17840000000000001: {offline}; the account was not checked"),
        ("media", "ok staged on Page 100000000000001"),  # as `jadwal check` says: ok
    ]
    assert "Transient" not in out and "issue a new token" not in out
    assert not (example.parent / ".jadwal").exists()


def test_check_and_accounts_check_agree_on_the_shipped_example(
    capsys: pytest.CaptureFixture[str], example: Path
) -> None:
    code, out, _ = run(capsys, "check", str(example))
    assert code == 0
    assert "page_id" not in out
    run(capsys, "accounts", "check", "--calendar", str(example))
    assert "page_id" not in capsys.readouterr().out


def test_accounts_check_says_a_persons_stop_still_holds_the_account(
    capsys: pytest.CaptureFixture[str], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    stop_and_pause(calendar, pause=False)
    code, out, _ = run(capsys, "accounts", "check", "--calendar", str(calendar))
    assert code == 1  # FB_TOKEN is not set
    assert out.splitlines()[-1] == f"fb: {held(stop_since(calendar))}"


@pytest.mark.parametrize("args", [["--version"], ["version"]])
def test_version_as_an_option_and_as_a_command(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    from scheduler import __version__

    assert run(capsys, *args) == (0, f"jadwal {__version__}\n", "")


@pytest.mark.parametrize("args", [["-h"], ["tick", "-h"], ["accounts", "check", "-h"]])
def test_short_help_works_everywhere(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert out.strip().startswith(f"Usage: jadwal {' '.join(args[:-1])}".rstrip())


def test_a_bad_now_is_a_usage_error_like_every_bad_date(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "tick", str(calendar), "--dry-run", "--now", "2026-02-30 09:00")
    assert code == 2
    assert err.endswith(
        "Error: Invalid value for --now: '2026-02-30' is not a real date (check the day and "
        "month)\n"
    )


def test_log_lines_are_in_the_calendars_time_and_zone(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "tick", str(calendar), "--dry-run", "--now", "2026-12-07 16:00")
    assert code == 0
    [line] = err.splitlines()
    stamp, message = line[:23], line[24:]
    assert datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S WIB")  # e.g. 2026-12-05 09:00:03 WIB
    # The key stays in UTC (stable across zones); the time a person reads is local.
    assert message == "WARNING missed rapat/fb/20261207T0200Z (due 2026-12-07 09:00 WIB)"


def test_check_and_accounts_check_give_the_same_media_rule(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IG_TOKEN", "EAAGigCANARY0000000000")
    monkeypatch.setenv("JADWAL_GRAPH_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("COLUMNS", "250")
    calendar = write_calendar(
        CALENDAR.replace(
            "defaults: {accounts: [fb]}",
            "  ig: {platform: instagram, ig_user_id: '2', token: '${IG_TOKEN}'}\n"
            "media: {staging: facebook_page}\ndefaults: {accounts: [fb]}",
        )
    )
    rule = (
        "media.staging: facebook_page needs the Facebook Page linked to this Instagram "
        "account: add its page_id"
    )
    code, out, _ = run(capsys, "check", str(calendar))
    assert code == 1
    assert f"{calendar}:5:7: error: account 'ig': {rule}" in out.splitlines()
    code, out, _ = run(capsys, "accounts", "check", "ig", "--calendar", str(calendar))
    assert code == 1
    assert re.search(rf"│ media   │ FIX {re.escape(rule)} *│", out), out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "nothing is stopped"),
        (["fb"], "fb is not stopped"),
        (["nope"], "account 'nope' is not in the calendar"),
    ],
    ids=["every", "account", "unknown"],
)
def test_resume_without_a_database_creates_none(
    capsys: pytest.CaptureFixture[str], calendar: Path, args: list[str], message: str
) -> None:
    code, _, err = run(capsys, "resume", *args, "--calendar", str(calendar))
    assert (code, err) == (1, f"jadwal: error: {message}\n")
    assert not (calendar.parent / ".jadwal").exists()


def test_ctrl_c_in_a_command_is_interrupted_and_says_so(
    capsys: pytest.CaptureFixture[str], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ctrl_c(*_args: object, **_kwargs: object) -> bool:
        raise KeyboardInterrupt

    monkeypatch.setattr("typer.confirm", ctrl_c)
    code, _, err = run(capsys, "post", "rapat", "--calendar", str(calendar), "--dry-run")
    assert (code, err) == (130, "jadwal: interrupted\n")


def test_post_without_internet_waits_for_the_connection_and_says_so(
    capsys: pytest.CaptureFixture[str], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FB_TOKEN", "EAAGfbCANARY0000000000")
    monkeypatch.setenv("JADWAL_GRAPH_URL", "http://127.0.0.1:9")  # nothing listens: refused
    code, out, err = run(capsys, "post", "rapat", "--calendar", str(calendar), "-y")
    assert code == 2
    assert out.endswith("jadwal post: 1 waiting for the connection\n")
    assert err.endswith(
        "jadwal post: no connection; it was not sent, and goes out by itself as soon as the "
        "connection is back, when the daemon or jadwal tick runs (within its grace period)\n"
    )
    code, out, _ = run(capsys, "history", str(calendar), "--format", "json")
    [row] = json.loads(out)["publications"]
    assert (row["state"], row["attempts"]) == ("retry", 1)
    assert row["waiting_for_connection_since"] is not None
    assert row["error"] == (
        "waiting for the connection: no connection to the Graph API: could not connect "
        "(connection refused); nothing was sent"
    )
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "history", str(calendar))
    since = datetime.fromisoformat(row["waiting_for_connection_since"]).astimezone(ZONE)
    assert f"waiting for the connection since {since:%Y-%m-%d %H:%M} WIB" in out
    assert "no connection to the Graph API: could not connect (connection refused)" in out
