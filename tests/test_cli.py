"""The ``jadwal`` command as an operator meets it: output, exit codes and start-up cost."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler import cli
from tests.conftest import ROOT, WriteCalendar


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_shipped_calendar_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(ROOT / "calendar.yaml"), "--today", "2026-11-23")
    assert code == 0
    assert out.splitlines()[-1].endswith(": ok (0 errors, 6 warnings)")


def test_check_exit_one_and_summary(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar
) -> None:
    path = write_calendar("version: 1\naccounts: {}\n")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    assert out.splitlines()[-1] == f"{path}: not ready to publish (1 error, 0 warnings)"


def test_check_json(capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar) -> None:
    path = write_calendar("version: 1\naccounts: {}\n")
    code, out, _ = run(capsys, "check", str(path), "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": str(path),
            "line": 2,
            "column": 11,
            "severity": "error",
            "message": "the calendar has no accounts: add at least one under 'accounts:' "
            "(name, platform and ids)",
        }
    ]


def test_calendar_from_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JADWAL_CALENDAR", str(ROOT / "calendar.yaml"))
    code, out, _ = run(capsys, "check", "--today", "2026-11-23")
    assert code == 0
    assert "calendar.yaml: ok" in out


def test_preview_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "preview",
        str(ROOT / "calendar.yaml"),
        "--from",
        "2026-12-25",
        "--to",
        "2026-12-25",
        "--format",
        "json",
        "--account",
        "fb-desa",
    )
    assert code == 0
    [item] = json.loads(out)
    assert item == {
        "key": "hari-besar-2026-12-25/fb-desa/20261225T0000Z",
        "post_id": "hari-besar-2026-12-25",
        "account": "fb-desa",
        "platform": "facebook",
        "kind": "feed",
        "at": "2026-12-25T07:00:00+07:00",
        "caption": item["caption"],
        "media": ["media/ucapan.png"],
        "status": "approved",
        "category": "hari_besar",
        "source": "holiday",
        "holiday": "Hari Raya Natal",
    }
    assert item["caption"].startswith("Selamat Hari Raya Natal.")


def test_preview_lists_drafts_in_time_order(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "preview",
        str(ROOT / "calendar.yaml"),
        "--from",
        "2026-12-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
    )
    items = json.loads(out)
    assert code == 0
    assert [i["at"] for i in items] == sorted(i["at"] for i in items)
    assert {i["status"] for i in items if i["post_id"] == "rekap-bansos"} == {"draft"}
    assert len({i["key"] for i in items}) == len(items)


def test_preview_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "preview",
        str(ROOT / "calendar.yaml"),
        "--from",
        "2026-12-08",
        "--to",
        "2026-12-08",
    )
    assert code == 0
    assert "jadwal preview 2026-12-08 → 2026-12-08: 1 post(s)" in out
    assert "musdes-rkp-2027" in out


def test_preview_refuses_an_invalid_calendar(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar
) -> None:
    path = write_calendar("version: 1\naccounts: {}\n")
    code, out, err = run(capsys, "preview", str(path))
    assert code == 1
    assert out == ""
    assert (
        err.splitlines()[-1] == "jadwal: the calendar has 1 error; run 'jadwal check' for details"
    )


def test_preview_bad_dates_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "preview", "--from", "2026-13-01")
    assert code == 2
    assert "'2026-13-01' is not a real date" in err
    code, _, err = run(capsys, "preview", "--from", "2026-12-10", "--to", "2026-12-01")
    assert code == 2
    assert "2026-12-01 is before --from 2026-12-10" in err


def test_preview_unknown_account(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "preview", str(ROOT / "calendar.yaml"), "--account", "tiktok")
    assert code == 1
    assert (
        err == "jadwal: error: account 'tiktok' is not in the calendar (accounts: fb-desa, "
        "ig-desa)\n"
    )


def test_preview_render_error_is_reported_not_raised(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar
) -> None:
    path = write_calendar(
        "version: 1\naccounts: {fb: {platform: facebook, page_id: '1'}}\n"
        "posts:\n  - id: a\n    accounts: [fb]\n    at: 2026-12-01 09:00\n"
        "    caption: '{{ nama }}'\n"
    )
    code, out, err = run(capsys, "preview", str(path), "--from", "2026-12-01", "--format", "json")
    assert code == 1
    assert json.loads(out)[0]["caption"] is None
    assert "variable 'nama' is undefined" in err


def test_missing_calendar_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "preview", str(tmp_path / "nope.yaml"))
    assert code == 1
    assert f"calendar file not found: {tmp_path / 'nope.yaml'}" in err


def test_a_bug_exits_three_with_a_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*_: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("scheduler.check.check_calendar", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    code, _, err = run(capsys, "check")
    log = tmp_path / "jadwal" / "crash.log"
    assert code == 3
    assert err == (
        f"jadwal: internal error (ZeroDivisionError); this is a bug in jadwal. Details are in "
        f"{log}\n"
    )
    assert "ZeroDivisionError: boom" in log.read_text()


@pytest.mark.parametrize("command", ["check", "preview", "version"])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "Usage: jadwal" in out


def test_check_and_preview_do_not_import_heavy_libraries() -> None:
    script = (
        "import sys\n"
        "from scheduler import cli\n"
        "cli.run(['--help'])\n"
        "cli.run(['check', 'calendar.yaml'])\n"
        "cli.run(['preview', 'calendar.yaml', '--format', 'json'])\n"
        "heavy = {'instagrapi', 'facebook', 'sqlmodel', 'sqlalchemy', 'apscheduler'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("command", "choices"), [("check", "'text', 'json'"), ("preview", "'table', 'json'")]
)
def test_a_wrong_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], command: str, choices: str
) -> None:
    code, _, err = run(capsys, command, str(ROOT / "calendar.yaml"), "--format", "xml")
    assert code == 2
    assert err.endswith(
        f"Error: Invalid value for '--format': Value error, 'xml' is not one of {choices}.\n"
    )


def test_a_run_with_nothing_due_imports_no_platform_library(
    write_calendar: WriteCalendar,
) -> None:
    # Graph accounts with media; nothing due at this moment: facebook-sdk, requests,
    # instagrapi and Pillow wait until a post actually goes out.
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\n"
        "accounts:\n  fb: {platform: facebook, page_id: '1', token: '${FB_TOKEN}'}\n"
        "  ig: {platform: instagram, ig_user_id: '2', page_id: '1', token: '${FB_TOKEN}'}\n"
        "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\n"
        "posts:\n  - id: p\n    accounts: [fb, ig]\n    at: '2030-01-01 09:00'\n"
        "    caption: x\n    media: media/ucapan.png\n"
    )
    script = (
        "import sys\n"
        "from scheduler import cli\n"
        f"code = cli.run(['tick', {str(path)!r}])\n"
        "platform = {'instagrapi', 'facebook', 'requests', 'PIL'}\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in platform))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=path.parent, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "0 []"


def test_preview_table_shows_the_category_and_a_failed_render(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_calendar(
        "version: 1\naccounts: {fb: {platform: facebook, page_id: '1'}}\n"
        "posts:\n  - id: rapat\n    accounts: [fb]\n    at: 2026-12-01 09:00\n"
        "    category: pengumuman\n    caption: 'Rapat {{ judull }}'\n    vars: {judul: RT}\n"
        "  - id: kerja-bakti\n    accounts: [fb]\n    at: 2026-12-02 07:00\n"
        "    caption: 'Kerja bakti [RW 02] [red]x[/red]'\n    media: media/posyandu.jpg\n"
    )
    monkeypatch.chdir(path.parent)  # problems name calendar.yaml, as for an operator
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code, out, err = run(capsys, "preview", "--from", "2026-12-01", "--to", "2026-12-02")
    assert code == 1
    assert out == PREVIEW_WITH_A_FAILED_RENDER
    assert err == (
        "calendar.yaml:8:14: error: post 'rapat': variable 'judull' is undefined; did you mean "
        "'judul'? define it under vars (of the calendar or of the post)\n"
    )


# The caption's own '[red]' is shown as written, not read as markup.
PREVIEW_WITH_A_FAILED_RENDER = (
    "jadwal preview 2026-12-01 → 2026-12-02: 2 post(s)                               \n"
    "┏━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓\n"
    "┃ when                 ┃ post / account       ┃ caption                        ┃\n"
    "┡━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩\n"
    "│ 2026-12-01 09:00 WIB │ rapat                │ cannot render (see below)      │\n"
    "│                      │ fb (facebook, feed)  │ calendar.yaml:8:14             │\n"
    "│                      │ category: pengumuman │                                │\n"
    "├──────────────────────┼──────────────────────┼────────────────────────────────┤\n"
    "│ 2026-12-02 07:00 WIB │ kerja-bakti          │ Kerja bakti [RW 02]            │\n"
    "│                      │ fb (facebook, feed)  │ [red]x[/red]                   │\n"
    "│                      │                      │ 🖼 media/posyandu.jpg           │\n"
    "└──────────────────────┴──────────────────────┴────────────────────────────────┘\n"
)


# -- a reader that stops reading (| head) --------------------------------------------------


def jadwal_into_a_closed_pipe(
    args: list[str], cwd: Path, shell_reader: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run jadwal as a shell would, its output read by ``shell_reader`` (``head -1``), or,
    when None, into a pipe whose reader has already gone; stdout as a shell's is (buffered)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "scheduler", *args]
    if shell_reader is not None:
        line = f"set -o pipefail; {shlex.join(command)} | {shell_reader}"
        return subprocess.run(
            ["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            command, cwd=cwd, env=env, stdout=write, stderr=subprocess.PIPE, text=True, check=False
        )
    finally:
        os.close(write)


# More than a pipe holds (64 KB), so jadwal is still writing when head has gone.
@pytest.mark.parametrize(
    ("output", "last_day", "first"),
    [("json", "2027-11-30", "["), ("table", "2027-05-31", "jadwal preview")],
)
def test_preview_into_head_ends_quietly_with_0(output: str, last_day: str, first: str) -> None:
    args = ["preview", "calendar.yaml", "--from", "2026-12-01", "--to", last_day]
    done = jadwal_into_a_closed_pipe([*args, "--format", output], ROOT, "head -1")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(first)
    assert done.stdout.count("\n") == 1


def test_check_cut_short_by_its_reader_ends_quietly_with_0(write_calendar: WriteCalendar) -> None:
    # A stray vars key in each of 100 posts: more than stdout buffers before it writes.
    posts = "".join(
        f"  - {{id: p{i}, at: '2026-12-01 09:00', caption: x, vars: {{lain: {i}}}}}\n"
        for i in range(100)
    )
    path = write_calendar(
        "version: 1\naccounts: {fb: {platform: facebook, page_id: '1'}}\n"
        f"defaults: {{accounts: [fb]}}\nrules: {{min_posts_per_week: 0}}\nposts:\n{posts}"
    )
    done = jadwal_into_a_closed_pipe(["check", str(path)], path.parent)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.slow  # a tick first, for a history to read: two starts of the store
def test_history_into_a_closed_pipe_ends_quietly_with_0(write_calendar: WriteCalendar) -> None:
    path = write_calendar(
        "version: 1\naccounts: {fb: {platform: facebook, page_id: '1'}}\n"
        "posts:\n  - {id: a, accounts: [fb], at: '2026-11-01 08:00', caption: x}\n"
    )
    tick = ["tick", str(path), "--dry-run", "--now", "2026-11-01 08:00"]
    assert jadwal_into_a_closed_pipe(tick, path.parent, "cat").returncode == 0
    done = jadwal_into_a_closed_pipe(["history", str(path), "--dry-run"], path.parent)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_command_that_finished_keeps_its_code_when_its_output_is_lost(
    write_calendar: WriteCalendar,
) -> None:
    # check had found its error and returned 1; only the buffered output found no reader.
    path = write_calendar("version: 1\naccounts: {}\n")
    done = jadwal_into_a_closed_pipe(["check", str(path)], path.parent)
    assert (done.returncode, done.stderr) == (1, "")
