"""``jadwal pause`` and ``jadwal resume`` as an operator types them, with ``tick`` and
``history`` around them: every message pinned.

The stops are rehearsed in the dry-run database (as ``--dry-run`` allows), at a moment the
test sets, and issued by a person the test names.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler import cli
from scheduler.commands import stop
from scheduler.database import open_store
from tests.conftest import WriteCalendar

JKT = ZoneInfo("Asia/Jakarta")
MOURNING = "Hari berkabung nasional"
AFTER = (
    "Posts due from now on go out at their time; those skipped during the stop stay skipped "
    "(publish one with 'jadwal post POST_ID --at \"YYYY-MM-DD HH:MM\" --again').\n"
)
CALENDAR = """\
version: 1
timezone: Asia/Jakarta
accounts:
  fb-desa: {platform: facebook, page_id: '1', token: '${FB_TOKEN}'}
  fb-kec: {platform: facebook, page_id: '2', token: '${FB_TOKEN}'}
defaults: {accounts: [fb-desa, fb-kec]}
rules: {min_posts_per_week: 0}
posts:
  - id: ucapan
    at: '2025-12-05 09:00'
    caption: 'Selamat hari jadi'
  - id: rapat
    at: '2025-12-06 09:00'
    caption: 'Rapat warga'
    accounts: [fb-desa]
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class Moment:
    """``jadwal pause``'s clock, set by the test (local time in Jakarta)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 12, 5, 7, 0, tzinfo=JKT)

    def set(self, day: int, hour: int, minute: int = 0) -> None:
        self.now = datetime(2025, 12, day, hour, minute, tzinfo=JKT)


@pytest.fixture
def moment(monkeypatch: pytest.MonkeyPatch) -> Moment:
    clock = Moment()
    monkeypatch.setattr(stop, "now", lambda: clock.now)
    monkeypatch.setattr(stop, "person", lambda: "budi@kominfo-pc")
    return clock


@pytest.fixture
def calendar(write_calendar: WriteCalendar) -> str:
    return str(write_calendar(CALENDAR))


def stops_recorded(calendar: str) -> int:
    store = open_store(f"sqlite:///{Path(calendar).parent / '.jadwal' / 'dryrun.db'}")
    try:
        return len(store.stops.recent())
    finally:
        store.close()


def test_a_stop_skips_the_posts_of_its_time_and_history_shows_it(
    capsys: pytest.CaptureFixture[str], calendar: str, moment: Moment
) -> None:
    code, out, _ = run(
        capsys, "pause", "fb-desa", "--reason", MOURNING, "--calendar", calendar, "--dry-run"
    )
    assert (code, out) == (
        0,
        "fb-desa: stopped by budi@kominfo-pc since 2025-12-05 07:00 WIB until resumed: "
        "Hari berkabung nasional\n"
        "Nothing more is published for fb-desa; the daemon and tick honour this within a "
        "minute.\n"
        "Posts due meanwhile are recorded as skipped, never sent later; 'jadwal resume "
        "fb-desa' lifts the stop.\n",
    )
    code, out, err = run(capsys, "tick", calendar, "--dry-run", "--now", "2025-12-05 09:00")
    assert (code, out) == (0, "jadwal tick: 1 published, 1 skipped\n")
    reason = "stopped by budi@kominfo-pc since 2025-12-05 07:00 WIB until resumed: " + MOURNING
    assert err.count("WARNING STOPPED fb-desa by budi@kominfo-pc since 2025-12-05 07:00") == 1
    assert f"WARNING skipped ucapan/fb-desa/20251205T0200Z: {reason}\n" in err
    _, _, err = run(capsys, "tick", calendar, "--dry-run", "--now", "2025-12-05 09:01")
    assert "STOPPED" not in err  # once per stop, not on every run
    _, out, _ = run(capsys, "history", calendar, "--dry-run", "--format", "json")
    document = json.loads(out)
    skipped = [r for r in document["publications"] if r["state"] == "skipped"]
    assert [(r["key"], r["error"]) for r in skipped] == [("ucapan/fb-desa/20251205T0200Z", reason)]
    assert document["stops"] == [
        {
            "account": "fb-desa",
            "stopped_by": "budi@kominfo-pc",
            "since": "2025-12-05T07:00:00+07:00",
            "until": None,
            "reason": MOURNING,
            "lifted_at": None,
            "lifted_by": None,
            "in_force": True,
        }
    ]
    moment.set(5, 10)
    code, out, _ = run(capsys, "resume", "fb-desa", "--calendar", calendar, "--dry-run")
    assert (code, out) == (
        0,
        "fb-desa: resumed; the stop set by budi@kominfo-pc at 2025-12-05 07:00 WIB is lifted "
        "(Hari berkabung nasional).\n" + AFTER,
    )
    _, out, _ = run(capsys, "tick", calendar, "--dry-run", "--now", "2025-12-05 10:00")
    assert out == "jadwal tick: nothing due\n"  # the skipped post is not sent after the stop
    _, out, _ = run(capsys, "tick", calendar, "--dry-run", "--now", "2025-12-06 09:00")
    assert out == "jadwal tick: 1 published\n"


def test_history_table_lists_the_stops_below_the_publications(
    capsys: pytest.CaptureFixture[str],
    calendar: str,
    moment: Moment,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run(capsys, "pause", "--all", "--reason", MOURNING, "--calendar", calendar, "--dry-run")
    moment.set(5, 8)
    until = ("--until", "2025-12-06 00:00")
    run(
        capsys, "pause", "fb-kec", "--reason", "Banjir", *until, "--calendar", calendar, "--dry-run"
    )
    moment.set(5, 12)
    run(capsys, "resume", "--calendar", calendar, "--dry-run")
    code, out, _ = run(capsys, "history", calendar, "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].rstrip() == "jadwal history: 0 publications"
    start = next(i for i, line in enumerate(lines) if line.startswith("jadwal history: 2 stop"))
    assert [line.rstrip() for line in lines[start:]] == [
        "jadwal history: 2 stops, 0 in force",
        "┏━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ stop          ┃ by / since       ┃ until               ┃ reason              ┃",
        "┡━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━┩",
        "│ every account │ budi@kominfo-pc  │ lifted 2025-12-05   │ Hari berkabung      │",
        "│ ended         │ 2025-12-05 07:00 │ 12:00               │ nasional            │",
        "│               │                  │ by budi@kominfo-pc  │                     │",
        "├───────────────┼──────────────────┼─────────────────────┼─────────────────────┤",
        "│ fb-kec        │ budi@kominfo-pc  │ until 2025-12-06    │ Banjir              │",
        "│ ended         │ 2025-12-05 08:00 │ 00:00               │                     │",
        "└───────────────┴──────────────────┴─────────────────────┴─────────────────────┘",
    ]


def test_pause_all_until_replace_and_resume(
    capsys: pytest.CaptureFixture[str], calendar: str, moment: Moment
) -> None:
    args = ("--calendar", calendar, "--dry-run")
    code, out, _ = run(
        capsys, "pause", "--all", "--until", "2025-12-05 12:00", "--reason", MOURNING, *args
    )
    assert (code, out) == (
        0,
        "every account: stopped by budi@kominfo-pc since 2025-12-05 07:00 WIB until "
        "2025-12-05 12:00 WIB: Hari berkabung nasional\n"
        "Nothing more is published for any account until 2025-12-05 12:00 WIB; the daemon and "
        "tick honour this within a minute.\n"
        "Posts due meanwhile are recorded as skipped, never sent later; 'jadwal resume' lifts "
        "the stop sooner.\n",
    )
    moment.set(5, 7, 30)
    code, out, _ = run(capsys, "pause", "--all", "--reason", "Bencana banjir", *args)
    assert code == 0
    assert out.splitlines()[:2] == [
        "every account: stopped by budi@kominfo-pc since 2025-12-05 07:30 WIB until resumed: "
        "Bencana banjir",
        "It replaces the earlier stop (stopped by budi@kominfo-pc since 2025-12-05 07:00 WIB "
        "until 2025-12-05 12:00 WIB: Hari berkabung nasional).",
    ]
    run(capsys, "pause", "fb-kec", "--reason", "Listrik padam", *args)
    moment.set(5, 8)
    code, out, _ = run(capsys, "resume", *args)
    assert (code, out) == (
        0,
        "every account: resumed; the stop set by budi@kominfo-pc at 2025-12-05 07:30 WIB is "
        "lifted (Bencana banjir).\n"
        "Still stopped: fb-kec, stopped by budi@kominfo-pc since 2025-12-05 07:30 WIB until "
        "resumed: Listrik padam; 'jadwal resume fb-kec' lifts it.\n" + AFTER,
    )
    code, _, err = run(capsys, "resume", "--all", *args)
    assert (code, err) == (
        1,
        "jadwal: error: no stop of every account is in force; stopped: fb-kec (lift each with "
        "'jadwal resume ACCOUNT')\n",
    )
    assert run(capsys, "resume", "fb-kec", *args)[0] == 0
    code, _, err = run(capsys, "resume", *args)
    assert (code, err) == (1, "jadwal: error: nothing is stopped\n")


def test_resume_of_an_account_says_what_still_holds_it(
    capsys: pytest.CaptureFixture[str], calendar: str, moment: Moment
) -> None:
    args = ("--calendar", calendar, "--dry-run")
    code, _, err = run(capsys, "resume", "fb-desa", *args)
    assert (code, err) == (1, "jadwal: error: fb-desa is not stopped\n")
    code, _, err = run(capsys, "resume", "nope", *args)
    assert (code, err) == (1, "jadwal: error: account 'nope' is not in the calendar\n")
    run(capsys, "pause", "--all", "--reason", MOURNING, *args)
    code, _, err = run(capsys, "resume", "fb-desa", *args)
    assert (code, err) == (
        1,
        "jadwal: error: fb-desa has no stop of its own: it is stopped with every account "
        "(stopped by budi@kominfo-pc since 2025-12-05 07:00 WIB until resumed: Hari berkabung "
        "nasional); 'jadwal resume' lifts that\n",
    )
    run(capsys, "pause", "fb-desa", "--reason", "Akun diretas", *args)
    store = open_store(f"sqlite:///{Path(calendar).parent / '.jadwal' / 'dryrun.db'}")
    store.pause("fb-desa", "AuthError: (#190) token expired", moment.now)
    store.close()
    code, out, _ = run(capsys, "resume", "fb-desa", *args)
    assert (code, out) == (
        0,
        "fb-desa: resumed; the stop set by budi@kominfo-pc at 2025-12-05 07:00 WIB is lifted "
        "(Akun diretas).\n"
        "Still stopped: every account, stopped by budi@kominfo-pc since 2025-12-05 07:00 WIB "
        "until resumed: Hari berkabung nasional; 'jadwal resume' lifts it.\n"
        "fb-desa is also paused after a login or token error: fix it, then run 'jadwal "
        "accounts resume fb-desa'.\n" + AFTER,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--reason", MOURNING],
            "Invalid value for ACCOUNT: say which account to stop, or --all to stop every account",
        ),
        (
            ["fb-desa", "--all", "--reason", MOURNING],
            "Invalid value for ACCOUNT: give an account or --all, not both",
        ),
        (["--all"], "Missing option '--reason'."),
        (
            ["--all", "--reason", "  "],
            "Invalid value for --reason: say why: the history, the "
            "log and every skipped post show it",
        ),
        (
            ["--all", "--reason", MOURNING, "--until", "2025-12-05 06:00"],
            "Invalid value for --until: 2025-12-05 06:00 WIB is already past: give a later "
            "time, or leave --until out to stop until 'jadwal resume'",
        ),
        (
            ["--all", "--reason", MOURNING, "--until", "besok"],
            "Invalid value for --until: 'besok' is not a date-time: write 'YYYY-MM-DD HH:MM' "
            "(calendar time zone) or ISO 8601 with an offset, e.g. 2026-12-01T09:00:00+07:00",
        ),
    ],
)
def test_pause_usage_errors_record_nothing(
    capsys: pytest.CaptureFixture[str],
    calendar: str,
    moment: Moment,
    args: list[str],
    message: str,
) -> None:
    code, _, err = run(capsys, "pause", *args, "--calendar", calendar, "--dry-run")
    assert code == 2
    assert err.endswith(f"Error: {message}\n")
    assert stops_recorded(calendar) == 0


def test_pause_of_an_unknown_account_records_nothing(
    capsys: pytest.CaptureFixture[str], calendar: str, moment: Moment
) -> None:
    code, _, err = run(
        capsys, "pause", "fb-dsa", "--reason", MOURNING, "--calendar", calendar, "--dry-run"
    )
    assert (code, err) == (1, "jadwal: error: account 'fb-dsa' is not in the calendar\n")
    assert stops_recorded(calendar) == 0


def test_resume_with_an_account_and_all_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], calendar: str
) -> None:
    code, _, err = run(capsys, "resume", "fb-desa", "--all", "--calendar", calendar)
    assert code == 2
    assert err.endswith("Error: Invalid value for ACCOUNT: give an account or --all, not both\n")


def test_pause_all_works_while_the_calendar_has_errors(
    capsys: pytest.CaptureFixture[str], calendar: str, moment: Moment
) -> None:
    path = Path(calendar)
    path.write_text(
        path.read_text() + "  - id: setengah\n    at: 2025-02-30 09:00\n    caption: x\n"
    )
    args = ("--reason", MOURNING, "--calendar", calendar, "--dry-run")
    code, out, err = run(capsys, "pause", "--all", *args)
    assert code == 0
    assert err == "note: calendar.yaml has errors (see 'jadwal check'); times are shown in UTC\n"
    assert out.splitlines()[0] == (
        "every account: stopped by budi@kominfo-pc since 2025-12-05 00:00 UTC until resumed: "
        "Hari berkabung nasional"
    )
    code, _, err = run(capsys, "pause", "fb-desa", *args)  # the name can't be checked
    assert code == 1
    assert err.endswith("jadwal: the calendar has 1 error; run 'jadwal check' for details\n")
    assert stops_recorded(calendar) == 1


def test_pause_and_resume_on_every_backend(
    capsys: pytest.CaptureFixture[str], calendar: str, moment: Moment, database_url: str
) -> None:
    args = ("--calendar", calendar, "--db", database_url)
    assert run(capsys, "pause", "fb-kec", "--reason", MOURNING, *args)[0] == 0
    store = open_store(database_url)
    [made] = store.stops.recent()
    assert (made.account, made.stopped_by, made.since) == ("fb-kec", "budi@kominfo-pc", moment.now)
    store.close()
    code, out, _ = run(capsys, "resume", "fb-kec", *args)
    assert code == 0 and out.startswith("fb-kec: resumed;")
    assert run(capsys, "resume", "fb-kec", *args)[2] == "jadwal: error: fb-kec is not stopped\n"


def test_the_person_is_the_login_name_and_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "budi")
    monkeypatch.setattr("socket.gethostname", lambda: "kominfo-pc")
    assert stop.person() == "budi@kominfo-pc"

    def no_name() -> str:
        raise OSError("no login name")

    monkeypatch.setattr("getpass.getuser", no_name)
    assert stop.person() == "unknown@kominfo-pc"


def test_history_since_shows_the_stops_of_that_time_whatever_the_state(
    capsys: pytest.CaptureFixture[str], calendar: str, moment: Moment
) -> None:
    args = ("--calendar", calendar, "--dry-run")
    run(capsys, "pause", "--all", "--reason", MOURNING, "--until", "2025-12-05 12:00", *args)
    run(capsys, "pause", "fb-kec", "--reason", "Banjir", *args)

    def reasons(*extra: str) -> list[str]:
        _, out, _ = run(capsys, "history", calendar, "--dry-run", "--format", "json", *extra)
        return [s["reason"] for s in json.loads(out)["stops"]]

    assert reasons() == [MOURNING, "Banjir"]
    assert reasons("--since", "2025-12-05", "--state", "published") == [MOURNING, "Banjir"]
    assert reasons("--since", "2025-12-06") == ["Banjir"]  # the other ended the day before
