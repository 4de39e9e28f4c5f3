"""The ``jadwal`` command as an operator meets it: output, exit codes and start-up cost."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator

from scheduler import cli
from tests.conftest import ROOT, WriteCalendar


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_shipped_calendar_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(ROOT / "calendar.yaml"), "--today", "2026-11-23")
    assert code == 0
    # Hari Guru Nasional (25 November, an observance it greets) keeps the weekly rhythm.
    assert out.splitlines()[-1].endswith(": ok (0 errors, 4 warnings)")


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
    assert item["caption"].startswith("Selamat Hari Raya Natal 🎄\n")  # its own words


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


def test_preview_json_is_one_indented_list_written_item_by_item(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["preview", str(ROOT / "calendar.yaml"), "--format", "json", "--from", "2026-12-01"]
    code, out, _ = run(capsys, *args, "--to", "2026-12-31")
    assert code == 0
    assert out == json.dumps(json.loads(out), ensure_ascii=False, indent=2) + "\n"
    assert out.startswith('[\n  {\n    "key": ')
    assert run(capsys, *args, "--to", "2026-12-01", "--account", "ig-desa") == (0, "[]\n", "")


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
    assert "jadwal preview 2026-12-08 → 2026-12-08: 1 post" in out
    assert "musdes-rkp-2027" in out


@pytest.mark.parametrize("columns", [20, 24, 33, 41, 42, 50, 80])
def test_the_preview_table_fits_a_narrow_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    args = ("preview", str(ROOT / "calendar.yaml"), "--from", "2026-12-05", "--to", "2026-12-08")
    code, out, _ = run(capsys, *args)
    assert code == 0
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= columns
    assert "musdes-rkp-2027" in out  # a post id, whole on its line
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    if columns >= 80:
        assert lines[top + 1].startswith("┃ when")
        return
    # One column: the time, the post and its account, the caption, each on lines of its own.
    inner = columns - 4
    assert lines[top : top + 4] == [
        "┏" + "━" * (columns - 2) + "┓",
        "┃ " + "post".ljust(inner) + " ┃",
        "┡" + "━" * (columns - 2) + "┩",
        "│ " + "2026-12-05 08:00 WIB"[:inner].ljust(inner) + " │",
    ]
    assert "│ posyandu-bulanan" in out


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


@pytest.mark.parametrize("command", ["check", "preview", "schema", "version"])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "Usage: jadwal" in out


def test_check_preview_and_schema_do_not_import_heavy_libraries() -> None:
    script = (
        "import sys\n"
        "from scheduler import cli\n"
        "cli.run(['--help'])\n"
        "cli.run(['check', 'calendar.yaml'])\n"
        "cli.run(['preview', 'calendar.yaml', '--format', 'json'])\n"
        "cli.run(['schema'])\n"
        "heavy = {'instagrapi', 'facebook', 'sqlmodel', 'sqlalchemy', 'apscheduler'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_site_and_ical_without_a_history_do_not_import_the_store(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from scheduler import cli\n"
        f"cli.run(['site', {str(tmp_path / 'site')!r}, 'calendar.yaml'])\n"
        f"cli.run(['ical', 'calendar.yaml', '--out', {str(tmp_path / 'feed.ics')!r}])\n"
        "heavy = {'sqlmodel', 'sqlalchemy', 'alembic'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "JADWAL_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "feed.ics").is_file()
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_default_database_is_the_stores_sqlite_url(tmp_path: Path) -> None:
    from scheduler.database import database_url
    from scheduler.store import sqlite_url

    path = tmp_path / "calendar.yaml"
    expected = sqlite_url(tmp_path.resolve() / ".jadwal" / "jadwal.db")
    assert database_url(path, None, dry_run=False) == expected


@pytest.mark.parametrize(
    ("command", "choices"), [("check", "'text', 'json'"), ("preview", "'table', 'json'")]
)
def test_a_wrong_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], command: str, choices: str
) -> None:
    code, _, err = run(capsys, command, str(ROOT / "calendar.yaml"), "--format", "xml")
    assert code == 2
    assert err.endswith(f"Error: Invalid value for '--format': 'xml' is not one of {choices}.\n")


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


# -- jadwal schema: the JSON Schema editors read ---------------------------------------------

SCHEMA_FILE = ROOT / "calendar.schema.json"


def test_the_committed_schema_is_what_jadwal_schema_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "schema")
    assert (code, err) == (0, "")
    assert out == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "calendar.schema.json is stale: run 'jadwal schema --out calendar.schema.json'"
    )


def test_schema_out_writes_the_file_and_says_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "calendar.schema.json").write_text("old", encoding="utf-8")
    code, out, err = run(capsys, "schema", "--out", "calendar.schema.json")
    assert (code, err) == (0, "")
    assert out == "wrote the JSON Schema of calendar.yaml to calendar.schema.json\n"
    assert (tmp_path / "calendar.schema.json").read_text(encoding="utf-8") == (
        SCHEMA_FILE.read_text(encoding="utf-8")
    )
    assert [p.name for p in tmp_path.iterdir()] == ["calendar.schema.json"]  # no temporary left


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (
            "nope/calendar.schema.json",
            "cannot write nope/calendar.schema.json: there is no folder nope",
        ),
        ("media", "cannot write media: Is a directory"),
    ],
)
def test_schema_out_where_it_cannot_write(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    out: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "media").mkdir()
    code, stdout, err = run(capsys, "schema", "--out", out)
    assert (code, stdout, err) == (1, "", f"jadwal: error: {message}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media"]
    assert list((tmp_path / "media").iterdir()) == []


class Yaml12Loader(yaml.SafeLoader):
    """YAML as VS Code's YAML extension reads it (YAML 1.2's core schema): ``2026-12-01`` and
    ``09:00`` are text, ``yes`` is not a boolean. PyYAML alone would read YAML 1.1."""


Yaml12Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("merge", r"^<<$", "<"),
]:
    Yaml12Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )


def editor_errors(text: str) -> list[tuple[str, str]]:
    """What the editor underlines: where, and its message (the schema's own sentence for a
    pattern, as the extension shows ``patternErrorMessage``)."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    found = Draft7Validator(schema).iter_errors(yaml.load(text, Loader=Yaml12Loader))
    return sorted(
        ("/".join(map(str, e.absolute_path)), e.schema.get("patternErrorMessage") or e.message)
        for e in found
    )


def test_the_shipped_calendar_names_its_schema_and_passes_it() -> None:
    text = (ROOT / "calendar.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./calendar.schema.json"
    assert editor_errors(text) == []


def test_the_docs_example_passes_the_schema() -> None:
    docs = (ROOT / "docs" / "calendar.md").read_text(encoding="utf-8")
    [*_, example] = re.findall(r"^```yaml\n(.*?)^```", docs, flags=re.MULTILINE | re.DOTALL)
    assert editor_errors(example) == []


NAME_SHAPE = (
    "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters"
)


def test_the_editor_underlines_the_mistakes_check_reports() -> None:
    text = (
        "version: 1\n"
        "accounts:\n"
        "  fb desa: {platform: facebook, page_id: '1'}\n"
        "  fb: {platform: fb, page_id: '1', acces_token: '${FB_TOKEN}', token: EAAsecret}\n"
        "rule: {blocked_words: [kafir]}\n"
        "posts:\n"
        "  - {id: a, at: 2026-12-01, kind: post, status: drafts, caption: x}\n"
        "  - {id: b, cron: '0 9 * *', until: 1 Des 2026, time: jam 9, caption: x}\n"
        "holidays: {country: ID, caption: x, skp: [Hari Raya Natal]}\n"
        "rules: {grace: 6 jam, min_posts_per_week: -1, blocked_word: kafir}\n"
    )
    assert editor_errors(text) == [
        ("", "Additional properties are not allowed ('rule' was unexpected)"),
        ("accounts", NAME_SHAPE),
        ("accounts/fb", "Additional properties are not allowed ('acces_token' was unexpected)"),
        ("accounts/fb/platform", "'fb' is not one of ['facebook', 'instagram', 'whatsapp']"),
        (
            "accounts/fb/token",
            "a reference such as ${FB_PAGE_TOKEN}: the value goes in the environment or in .env",
        ),
        ("holidays", "Additional properties are not allowed ('skp' was unexpected)"),
        ("posts/0/at", "a date and a time of day: YYYY-MM-DD HH:MM, e.g. 2026-12-01 09:00"),
        ("posts/0/kind", "'post' is not one of ['feed', 'story', 'reel']"),
        ("posts/0/status", "'drafts' is not one of ['approved', 'draft']"),
        (
            "posts/1/cron",
            'five fields: minute hour day-of-month month day-of-week, e.g. "0 9 * * 1"',
        ),
        ("posts/1/time", 'a time of day: HH:MM, e.g. "09:00"'),
        ("posts/1/until", "a date: YYYY-MM-DD, e.g. 2026-12-01"),
        ("rules", "Additional properties are not allowed ('blocked_word' was unexpected)"),
        (
            "rules/grace",
            "a duration: days, hours, minutes in that order, e.g. 6h, 30m, 1h30m or 2d",
        ),
        ("rules/min_posts_per_week", "-1 is less than the minimum of 0"),
    ]


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
    "jadwal preview 2026-12-01 → 2026-12-02: 2 posts                                 \n"
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


def test_commands_collect_cycles_less_often_and_the_daemon_as_python_does(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc
    from types import SimpleNamespace

    from scheduler.commands import publish

    before = gc.get_threshold()
    try:
        assert cli.run(["version"]) == 0
        assert gc.get_threshold() == cli.COMMAND_GC
        monkeypatch.setattr(publish, "run_daemon", lambda *args: None)
        monkeypatch.setattr(publish, "configure_logging", lambda level: None)
        publish.daemon(SimpleNamespace(dry_run=True), None, False)  # type: ignore[arg-type]
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
    capsys.readouterr()
