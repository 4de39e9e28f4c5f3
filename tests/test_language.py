"""Which language jadwal speaks: JADWAL_LANG, else the calendar's ``language``, else the locale,
else English; dates for people in that language's style."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pytest

from scheduler import cli, i18n
from tests.conftest import ROOT, WriteCalendar

MISSING_EN = "error: calendar file not found: {path}"
MISSING_ID = "error: berkas kalender tidak ditemukan: {path}"
NO_ACCOUNTS = "version: 1\nlanguage: {language}\naccounts: {{}}\n"


@pytest.fixture
def locale_only(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No JADWAL_LANG and an English locale: what the calendar says decides."""
    monkeypatch.delenv("JADWAL_LANG")
    for name in i18n.LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    return monkeypatch


def check(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str, str]:
    code = cli.run(["check", str(path), "--today", "2026-12-01"])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_calendars_language_makes_check_speak_indonesian(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    path = write_calendar(NO_ACCOUNTS.format(language="id"))
    code, out, _ = check(capsys, path)
    assert code == 1
    assert out.splitlines()[-1] == f"{path}: belum siap diterbitkan (1 kesalahan, 0 peringatan)"


def test_jadwal_lang_wins_over_the_calendar(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    path = write_calendar(NO_ACCOUNTS.format(language="id"))
    locale_only.setenv("JADWAL_LANG", "en")  # type: ignore[attr-defined]
    _, out, _ = check(capsys, path)
    assert out.splitlines()[-1] == f"{path}: not ready to publish (1 error, 0 warnings)"


def test_an_unknown_language_in_the_calendar_is_a_located_error(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    path = write_calendar("version: 1\naccounts: {}\nlanguage: fr\n")
    code, out, _ = check(capsys, path)
    assert code == 1
    assert f"{path}:3:11: error: language must be one of id, en, not 'fr'" in out.splitlines()


def test_an_unknown_jadwal_lang_names_the_variable_and_the_choices(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JADWAL_LANG", "fr")
    monkeypatch.setenv("LANG", "C.UTF-8")
    code = cli.run(["check", "calendar.yaml"])
    _, err = capsys.readouterr()
    assert code == 2
    assert err == (
        "jadwal: error: JADWAL_LANG=fr is not a language jadwal speaks: "
        "set JADWAL_LANG to id (Bahasa Indonesia) or en (English)\n"
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"LANG": "id_ID.UTF-8"}, MISSING_ID),
        ({"LANG": "en_US.UTF-8"}, MISSING_EN),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "id_ID.UTF-8"}, MISSING_ID),
        ({"LANG": "id_ID.UTF-8", "LC_ALL": "C.UTF-8"}, MISSING_EN),
        ({"LANG": "id_ID.UTF-8", "JADWAL_LANG": "en"}, MISSING_EN),
        ({"LANG": "C", "JADWAL_LANG": "ID"}, MISSING_ID),
        ({}, MISSING_EN),
    ],
)
def test_before_a_calendar_is_read_the_environment_decides(
    capsys: pytest.CaptureFixture[str],
    locale_only: pytest.MonkeyPatch,
    tmp_path: Path,
    environment: dict[str, str],
    message: str,
) -> None:
    locale_only.delenv("LANG")
    for name, value in environment.items():
        locale_only.setenv(name, value)
    missing = tmp_path / "calendar.yaml"
    code, out, _ = check(capsys, missing)
    assert code == 1
    assert f"{missing}:1:1: " + message.format(path=missing) in out.splitlines()


def test_a_calendar_without_a_language_is_spoken_to_in_the_locales(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    """A daemon that read a calendar saying ``id`` and then one saying nothing goes back to
    the locale's language."""
    speaking = write_calendar(NO_ACCOUNTS.format(language="id"), name="a.yaml")
    silent = write_calendar("version: 1\naccounts: {}\n", name="b.yaml")
    check(capsys, speaking)
    _, out, _ = check(capsys, silent)
    assert out.splitlines()[-1].endswith(": not ready to publish (1 error, 0 warnings)")


def test_dates_for_people_in_indonesian_and_in_english() -> None:
    i18n.set_language("id")
    assert i18n.people_date(date(2026, 12, 7)) == "Senin, 7 Desember 2026"
    assert i18n.people_date(date(2026, 12, 7), weekday=False) == "7 Desember 2026"
    assert i18n.people_time(time(9, 0)) == "09.00"
    i18n.set_language("en")
    assert i18n.people_date(date(2026, 12, 7)) == "Monday, 7 December 2026"
    assert i18n.people_time(time(9, 0)) == "09:00"


def test_a_day_inside_an_accounts_check_line_in_each_language() -> None:
    """English keeps the ISO day those lines have always shown; Indonesian writes it out."""
    i18n.set_language("id")
    assert i18n.check_date(date(2027, 3, 10)) == "10 Maret 2027"
    i18n.set_language("en")
    assert i18n.check_date(date(2027, 3, 10)) == "2027-03-10"


def test_a_reason_the_store_keeps_is_recognised_in_either_language() -> None:
    """A run in Indonesian stores "menunggu koneksi: …"; the history read in English (or the
    other way round) still knows the prefix, and a skipped draft is still a draft."""
    from scheduler.engine.claims import DRAFT
    from scheduler.engine.decide import WAITING

    assert i18n.every_language(WAITING) == {"waiting for the connection: ", "menunggu koneksi: "}
    assert i18n.every_language(DRAFT) == {
        "a draft when its time came",
        "masih draf saat jadwalnya tiba",
    }


def test_help_loads_the_catalog_but_not_babel() -> None:
    """``jadwal --help`` is timed (docs/performance.md): Babel waits until a date is shown."""
    script = (
        "import sys\n"
        "from scheduler import cli\n"
        "code = cli.run(['--help'])\n"
        "assert 'babel' not in sys.modules, sorted(m for m in sys.modules if 'babel' in m)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"JADWAL_LANG": "id", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_check_problems_in_indonesian_keep_the_machine_readable_prefix(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    path = write_calendar(NO_ACCOUNTS.format(language="id") + "timezone: Asia/Bandung\n")
    _, out, _ = check(capsys, path)
    assert out.splitlines()[:2] == [
        f"{path}:3:11: error: kalender belum punya akun: tambahkan setidaknya satu di bawah "
        "'accounts:' (nama, platform, dan id)",
        f"{path}:4:11: error: zona waktu 'Asia/Bandung' tidak dikenal: pakai nama IANA seperti "
        "Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)",
    ]


def test_even_a_yaml_syntax_error_follows_the_calendars_language(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    path = write_calendar("language: id\nversion: 1\naccounts:\n\tig: {}\n")
    _, out, _ = check(capsys, path)
    assert out.splitlines()[0] == (
        f"{path}:4:1: error: YAML tidak sah: ada karakter tab: YAML hanya memakai spasi untuk "
        "indentasi, jadi ganti tab dengan spasi (found character that cannot start any token)"
    )


def test_a_commands_calendar_errors_end_with_an_indonesian_summary(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    path = write_calendar(NO_ACCOUNTS.format(language="id"))
    code = cli.run(["preview", str(path)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines()[-1] == (
        "jadwal: kalender memiliki 1 kesalahan; jalankan 'jadwal check' untuk rinciannya"
    )


def test_an_error_the_user_can_fix_is_said_in_indonesian_after_its_english_prefix(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, locale_only: object
) -> None:
    path = write_calendar(
        "version: 1\nlanguage: id\naccounts:\n  fb-desa: {platform: facebook, page_id: '1'}\n"
    )
    code = cli.run(["preview", str(path), "--account", "ig-desa"])
    _, err = capsys.readouterr()
    assert code == 1
    assert err == ("jadwal: error: akun 'ig-desa' tidak ada di kalender (akun yang ada: fb-desa)\n")


def test_every_check_of_the_suite_is_said_again_in_indonesian(
    write_calendar: WriteCalendar,
) -> None:
    """tests/mirror.py: each check a test makes is made again under JADWAL_LANG=id."""
    import scheduler.check
    from scheduler.problems import Problem
    from tests import mirror

    assert getattr(scheduler.check.check_calendar, "mirrored", False)
    english = [Problem("c.yaml", 3, 5, "error", "the calendar has no accounts")]
    with pytest.raises(AssertionError, match="said in English under JADWAL_LANG=id"):
        mirror.compare(english, english)
    moved = [Problem("c.yaml", 4, 5, "error", "kalender belum punya akun")]
    with pytest.raises(AssertionError, match="located its problems differently"):
        mirror.compare(english, moved)
    # A calendar with an error, as the suite's tests check them: the same place, in Indonesian.
    path = write_calendar(NO_ACCOUNTS.format(language="en"))
    found = scheduler.check.check_calendar(path)
    indonesian = mirror.said_in_indonesian(mirror.ORIGINAL, path, None)
    assert [(p.line, p.column) for p in found] == [(p.line, p.column) for p in indonesian]
    assert found[0].message != indonesian[0].message


def test_the_history_says_each_state_in_the_words_of_the_other_views(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    locale_only: pytest.MonkeyPatch,
) -> None:
    """``jadwal history`` names a state as the grid, the site and the report do: what the
    dry run of the shipped calendar published is "terbit" in Indonesian."""
    import shutil

    for name in ("calendar.yaml", "templates", "media"):
        source = ROOT / name
        copy = shutil.copytree if source.is_dir() else shutil.copy
        copy(source, tmp_path / name)
    path = tmp_path / "calendar.yaml"
    locale_only.setenv("COLUMNS", "100")
    assert cli.run(["tick", str(path), "--dry-run", "--now", "2026-12-05 08:00"]) == 0
    capsys.readouterr()
    assert cli.run(["history", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if "posyandu-bulanan" in line]
    assert len(rows) == 2
    assert all("│ terbit " in row for row in rows)
    assert "published" not in out
