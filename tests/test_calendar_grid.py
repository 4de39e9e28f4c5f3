"""``jadwal calendar``: the month grid an operator and a supervisor read in the terminal, and
its JSON."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scheduler import cli
from scheduler.calendar import load_calendar
from scheduler.calendar.expand import expand
from scheduler.commands import calendar_view
from scheduler.database import open_store
from scheduler.store import State, Store, sqlite_url
from scheduler.store.rows import new_row
from scheduler.views.month import as_dict, month_view
from tests.commands import JADWAL
from tests.conftest import ROOT, WriteCalendar
from tests.helpers import calendar_text, set_created_at

# The clock of the tests that read a history: mid-December, in the afternoon in Jakarta.
NOW = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """80 columns, and no colour forced from outside."""
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(calendar_view, "now", lambda: NOW)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(["calendar", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def shipped_copy(write_calendar: WriteCalendar) -> Path:
    """The shipped calendar in a folder of its own, where a history can be written."""
    return write_calendar((ROOT / "calendar.yaml").read_text(encoding="utf-8"))


def history(calendar: Path) -> Store:
    """The calendar's history (the default database beside it), begun on 1 December: the
    first Posyandu went out, the first Monday's information went out on Facebook only."""
    folder = calendar.parent / ".jadwal"
    folder.mkdir()
    store = open_store(sqlite_url(folder / "jadwal.db"))
    set_created_at(store, datetime(2026, 12, 1, tzinfo=UTC))
    found = {
        o.key: o for o in expand(load_calendar(calendar), date(2026, 12, 1), date(2026, 12, 31))
    }
    recorded = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    for key, state in [
        ("posyandu-bulanan/fb-desa/20261205T0100Z", State.PUBLISHED),
        ("posyandu-bulanan/ig-desa/20261205T0100Z", State.PUBLISHED),
        ("info-layanan-senin/fb-desa/20261207T0200Z", State.PUBLISHED),
        ("info-layanan-senin/ig-desa/20261207T0200Z", State.FAILED),
    ]:
        store.claim_new(new_row(found[key], recorded, state))
    return store


def test_the_shipped_calendar_in_december_2026(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    nowhere = tmp_path / "jadwal.db"
    code, out, err = run(
        capsys, str(ROOT / "calendar.yaml"), "--month", "2026-12", "--db", sqlite_url(nowhere)
    )
    assert (code, err) == (0, "")
    assert out == SHIPPED_DECEMBER
    assert not nowhere.exists()  # looking never starts a history


SHIPPED_DECEMBER = """\
jadwal calendar December 2026 (Asia/Jakarta): 11 posts for fb-desa, ig-desa
┌──────────┬──────────┬──────────┬──────────┬──────────┬──────────┬──────────┐
│ Mon      │ Tue      │ Wed      │ Thu      │ Fri      │ Sat      │ Sun      │
├──────────┼──────────┼──────────┼──────────┼──────────┼──────────┼──────────┤
│ 30 Nov   │ 1        │ 2        │ 3        │ 4        │ 5        │ 6        │
│          │          │          │          │          │ ○ 08:00  │          │
│          │          │          │          │          │ posyandu…│          │
├──────────┼──────────┼──────────┼──────────┼──────────┼──────────┼──────────┤
│ 7        │ 8        │ 9        │ 10       │ 11       │ 12       │ 13       │
│ ○ 09:00  │ ○ 10:00  │          │          │          │          │ ○ 16:00  │
│ info-lay…│ musdes-r…│          │          │          │          │ kerja-ba…│
├──────────┼──────────┼──────────┼──────────┼──────────┼──────────┼──────────┤
│ 14       │ 15       │ 16       │ 17       │ 18       │ 19       │ 20       │
│ ○ 09:00  │          │          │          │          │ Hari Bel…│ ✎ 09:00  │
│ info-lay…│          │          │          │          │ ○ 07:00  │ rekap-ba…│
│          │          │          │          │          │ Hari Bel…│          │
├──────────┼──────────┼──────────┼──────────┼──────────┼──────────┼──────────┤
│ 21       │ 22       │ 23       │ 24       │ 25 ★     │ 26       │ 27       │
│ ○ 09:00  │ Hari Ibu │          │ Cuti Ber…│ Hari Ray…│          │          │
│ info-lay…│ ○ 07:00  │          │          │ ○ 07:00  │          │          │
│          │ Hari Ibu │          │          │ Hari Ray…│          │          │
├──────────┼──────────┼──────────┼──────────┼──────────┼──────────┼──────────┤
│ 28       │ 29       │ 30       │ 31       │ 1 Jan ★  │ 2 Jan    │ 3 Jan    │
│ ○ 09:00  │          │          │          │ Tahun Ba…│          │          │
│ info-lay…│          │          │          │ ○ 07:00  │          │          │
│          │          │          │          │ Tahun Ba…│          │          │
└──────────┴──────────┴──────────┴──────────┴──────────┴──────────┴──────────┘
○ planned  ✓ published  ✗ failed  ! missed  ✎ draft  ★ public holiday
no history yet: every post is planned, or a draft
"""


def test_states_come_from_the_history_by_symbol(
    capsys: pytest.CaptureFixture[str], shipped_copy: Path, clock: None
) -> None:
    history(shipped_copy)
    code, out, _ = run(capsys, str(shipped_copy), "--month", "2026-12")
    assert code == 0
    lines = out.splitlines()
    # ✓ both accounts published; ✗ one failed (the worst state shows); ! nothing ran though
    # the time and the grace are past; ✎ a draft; ○ still to come.
    assert lines[4:15] == [
        "│ 30 Nov   │ 1        │ 2        │ 3        │ 4        │ 5        │ 6        │",
        "│          │          │          │          │          │ ✓ 08:00  │          │",
        "│          │          │          │          │          │ posyandu…│          │",
        "├──────────┼──────────┼──────────┼──────────┼──────────┼──────────┼──────────┤",
        "│ 7        │ 8        │ 9        │ 10       │ 11       │ 12       │ 13       │",
        "│ ✗ 09:00  │ ! 10:00  │          │          │          │          │ ! 16:00  │",
        "│ info-lay…│ musdes-r…│          │          │          │          │ kerja-ba…│",
        "├──────────┼──────────┼──────────┼──────────┼──────────┼──────────┼──────────┤",
        "│ 14       │ 15       │ 16       │ 17       │ 18       │ 19       │ 20       │",
        "│ ! 09:00  │          │          │          │          │ Hari Bel…│ ✎ 09:00  │",
        "│ info-lay…│          │          │          │          │ ○ 07:00  │ rekap-ba…│",
    ]
    assert "│ ○ 09:00  │ Hari Ibu │" in out  # 21 December: still to come
    assert lines[-1] == "○ planned  ✓ published  ✗ failed  ! missed  ✎ draft  ★ public holiday"


def test_a_week_below_the_weekly_rule_is_marked_under_it_per_account(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    shipped = (ROOT / "calendar.yaml").read_text(encoding="utf-8")
    path = write_calendar(shipped.replace("min_posts_per_week: 1", "min_posts_per_week: 2"))
    code, out, _ = run(capsys, str(path), "--month", "2026-12")
    assert code == 0
    lines = out.splitlines()
    # Week 49 has the Posyandu alone; week 50 the Monday post, the Musdes (Facebook only) and
    # the Kerja Bakti: two or more on each account; week 51 the Monday post and the greeting
    # of Hari Bela Negara (an observance).
    assert lines[6:11] == [
        "│          │          │          │          │          │ posyandu…│          │",
        "├──────────┴──────────┴──────────┴──────────┴──────────┴──────────┴──────────┤",
        "│ week 49: fb-desa 1/2 below the weekly rule                                 │",
        "│ week 49: ig-desa 1/2 below the weekly rule                                 │",
        "├──────────┬──────────┬──────────┬──────────┬──────────┬──────────┬──────────┤",
    ]
    assert [line for line in lines if "week" in line] == [
        "│ week 49: fb-desa 1/2 below the weekly rule                                 │",
        "│ week 49: ig-desa 1/2 below the weekly rule                                 │",
    ]
    code, out, _ = run(capsys, str(path), "--month", "2026-12", "--account", "ig-desa")
    assert [line for line in out.splitlines() if "week" in line] == [
        "│ week 49: ig-desa 1/2 below the weekly rule                                 │",
    ]


def test_the_last_week_below_the_rule_closes_the_grid_under_its_note(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar
) -> None:
    posts = "  - {id: rapat, at: 2026-12-01 09:00, caption: Rapat}\n"
    path = write_calendar(calendar_text(timezone="Asia/Jakarta", posts=posts))
    code, out, _ = run(capsys, str(path), "--month", "2027-02", "--account", "fb-desa")
    assert code == 0
    assert out.splitlines()[-5:] == [
        "├──────────┴──────────┴──────────┴──────────┴──────────┴──────────┴──────────┤",
        "│ week 8: fb-desa 0/1 below the weekly rule                                  │",
        "└" + "─" * 76 + "┘",
        "○ planned  ✓ published  ✗ failed  ! missed  ✎ draft  ★ public holiday",
        "no history yet: every post is planned, or a draft",
    ]


def test_a_busy_day_shows_three_posts_and_how_many_more(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar
) -> None:
    posts = "".join(
        f"  - {{id: pos-{hour}, at: '2026-12-02 {hour}:00', caption: x}}\n"
        for hour in range(10, 15)
    )
    path = write_calendar(calendar_text(timezone="Asia/Jakarta", posts=posts))
    code, out, _ = run(capsys, str(path), "--month", "2026-12")
    assert code == 0
    wednesday = [line.split("│")[3] for line in out.splitlines()[4:12]]
    assert wednesday == [
        " 2        ",
        " ○ 10:00  ",
        " pos-10   ",
        " ○ 11:00  ",
        " pos-11   ",
        " ○ 12:00  ",
        " pos-12   ",
        " +2 more  ",
    ]
    assert out.splitlines()[12].startswith("├")  # the week ends there


def test_a_wide_terminal_widens_the_days(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(capsys, str(ROOT / "calendar.yaml"), "--month", "2026-12")
    assert code == 0
    assert "│ posyandu-bulan…│" in out
    assert {len(line) for line in out.splitlines()[1:-2]} == {120}


def test_the_default_month_is_this_month_in_the_calendars_zone(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 31 December, 18:00 UTC, is already New Year's Day at 01:00 in Jakarta.
    monkeypatch.setattr(calendar_view, "now", lambda: datetime(2026, 12, 31, 18, 0, tzinfo=UTC))
    code, out, _ = run(capsys, str(ROOT / "calendar.yaml"))
    assert code == 0
    assert out.startswith("jadwal calendar January 2027 (Asia/Jakarta): ")


def test_json_is_the_month_model(
    capsys: pytest.CaptureFixture[str], shipped_copy: Path, clock: None
) -> None:
    store = history(shipped_copy)
    code, out, _ = run(capsys, str(shipped_copy), "--month", "2026-12", "--format", "json")
    assert code == 0
    calendar = load_calendar(shipped_copy)
    assert json.loads(out) == as_dict(month_view(calendar, 2026, 12, store, now=NOW))
    assert json.loads(out)["weeks"][1]["days"][0]["entries"][0]["state"] == "failed"


@pytest.mark.parametrize(
    ("month", "problem"),
    [
        ("2026-13", "'2026-13' is not a real month (the month is 01 to 12)"),
        ("2026-12-01", "'2026-12-01' is not a month: write YYYY-MM, e.g. 2026-12"),
        ("1900-01", "'1900-01' is outside the years 1970–2100"),
    ],
)
def test_a_wrong_month_is_a_usage_error_naming_the_option(
    capsys: pytest.CaptureFixture[str], month: str, problem: str
) -> None:
    code, out, err = run(capsys, str(ROOT / "calendar.yaml"), "--month", month)
    assert (code, out) == (2, "")
    assert err == (
        "Usage: jadwal calendar [OPTIONS] [calendar]\n"
        "Try 'jadwal calendar -h' for help.\n"
        "\n"
        f"Error: Invalid value for --month: {problem}\n"
    )


def test_an_unknown_account_is_refused_as_preview_refuses_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, str(ROOT / "calendar.yaml"), "--account", "tiktok")
    assert (code, out) == (1, "")
    assert err == (
        "jadwal: error: account 'tiktok' is not in the calendar (accounts: fb-desa, ig-desa)\n"
    )


# -- colour: on a terminal only, never under NO_COLOR ---------------------------------------

ARGS = ["calendar", "--month", "2026-12", "--db", "sqlite:///nowhere.db"]


def terminal_output(shipped_copy: Path, **env: str) -> str:
    """What jadwal writes to a terminal (a pseudo-terminal of 80 columns)."""
    environment = {**os.environ, "COLUMNS": "80", "TERM": "xterm-256color", **env}
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [*JADWAL, *ARGS], cwd=shipped_copy.parent, env=environment, stdout=follower
    ) as process:
        os.close(follower)
        written = b""
        while chunk := _read(leader):
            written += chunk
        process.wait(timeout=30)
    os.close(leader)
    return written.decode()


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # Linux: the terminal's other end has closed
        return b""


def test_no_escape_codes_when_the_output_is_not_a_terminal(shipped_copy: Path) -> None:
    environment = {**os.environ, "TERM": "xterm-256color"}
    done = subprocess.run(
        [*JADWAL, *ARGS],
        cwd=shipped_copy.parent,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == SHIPPED_DECEMBER


def test_colour_on_a_terminal_and_none_under_no_color(shipped_copy: Path) -> None:
    coloured = terminal_output(shipped_copy)
    assert "\x1b[33m✎ 09:00" in coloured  # a draft, in yellow
    assert "\x1b[31m" in coloured  # the holidays, in red
    plain = terminal_output(shipped_copy, NO_COLOR="1")
    assert "\x1b[33m" not in plain and "\x1b[31m" not in plain
    assert "✎ 09:00" in plain  # the symbol says it without colour
