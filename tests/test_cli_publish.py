"""``post``, ``history``, ``resolve`` and ``accounts resume`` as an operator types them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import get_args

import pytest

from scheduler import cli
from scheduler.cli.options import State
from scheduler.database import open_store
from scheduler.store import STATES
from tests.conftest import WriteCalendar

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
    caption: 'Rapat warga {{ at | tanggal }}'
  - id: lalu
    at: '2026-11-01 09:00'
    caption: 'Sudah lewat'
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def calendar(write_calendar: WriteCalendar) -> Path:
    return write_calendar(CALENDAR)


def test_post_shows_caption_publishes_and_refuses_twice(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, out, _ = run(capsys, "post", "rapat", "--calendar", str(calendar), "--dry-run", "--yes")
    assert code == 0
    assert "--- rapat/fb/20261207T0200Z (facebook, 2026-12-07 09:00 WIB)" in out
    assert "Rapat warga Senin, 7 Desember 2026" in out
    assert out.endswith("jadwal post: 1 published\n")
    code, _, err = run(capsys, "post", "rapat", "--calendar", str(calendar), "--dry-run", "-y")
    assert code == 1
    assert err.startswith("jadwal: error: rapat/fb/20261207T0200Z is already published (dryrun:")
    assert err.endswith("; add --again to publish it once more\n")
    code, out, _ = run(
        capsys, "post", "rapat", "--calendar", str(calendar), "--dry-run", "-y", "--again"
    )
    assert code == 0
    keys = [row["key"] for row in history_json(capsys, calendar)]
    assert keys == ["rapat/fb/20261207T0200Z", "rapat/fb/20261207T0200Z~again1"]


def test_post_asks_before_publishing(
    capsys: pytest.CaptureFixture[str], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("typer.confirm", lambda *_a, **_k: False)
    code, out, _ = run(capsys, "post", "rapat", "--calendar", str(calendar), "--dry-run")
    assert code == 0
    assert out.endswith("nothing published\n")
    assert history_json(capsys, calendar) == []


def test_post_a_past_occurrence_needs_at(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "post", "lalu", "--calendar", str(calendar), "--dry-run", "-y")
    assert code == 1
    assert err == (
        "jadwal: error: post 'lalu' has no occurrence in the coming year (give --at for a "
        "past one)\n"
    )
    code, out, _ = run(
        capsys,
        "post",
        "lalu",
        "--calendar",
        str(calendar),
        "--dry-run",
        "-y",
        "--at",
        "2026-11-01 09:00",
    )
    assert code == 0
    assert out.endswith("jadwal post: 1 published\n")


def test_post_unknown_id(capsys: pytest.CaptureFixture[str], calendar: Path) -> None:
    code, _, err = run(capsys, "post", "tiada", "--calendar", str(calendar), "--dry-run", "-y")
    assert code == 1
    assert err == "jadwal: error: no post with id 'tiada' in calendar.yaml\n"


def test_now_is_for_rehearsals_only(capsys: pytest.CaptureFixture[str], calendar: Path) -> None:
    code, _, err = run(capsys, "tick", str(calendar), "--now", "2026-12-07 09:00")
    assert code == 2
    assert "only with --dry-run: live posts go out at the real time" in err


def history_json(capsys: pytest.CaptureFixture[str], calendar: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "history", str(calendar), "--dry-run", "--format", "json")
    assert code == 0
    rows: list[dict[str, object]] = json.loads(out)["publications"]
    return rows


def test_history_json_fields_and_filters(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, out, _ = run(capsys, "tick", str(calendar), "--dry-run", "--now", "2026-12-07 09:00")
    assert (code, out) == (0, "jadwal tick: 1 published\n")
    [row] = history_json(capsys, calendar)
    assert row == {
        "key": "rapat/fb/20261207T0200Z",
        "post_id": "rapat",
        "account": "fb",
        "platform": "facebook",
        "at": "2026-12-07T09:00:00+07:00",
        "state": "published",
        "attempts": 1,
        "platform_post_id": row["platform_post_id"],
        "permalink": "dryrun:.jadwal/dryrun/2026-12-07/rapat_fb_20261207T0200Z.txt",
        "error": None,
        "published_at": "2026-12-07T09:00:00+07:00",
        "waiting_for_connection_since": None,
        "waited_for_connection_seconds": 0,
    }
    written = calendar.parent / ".jadwal/dryrun/2026-12-07/rapat_fb_20261207T0200Z.txt"
    assert "Rapat warga Senin, 7 Desember 2026" in written.read_text()
    code, out, _ = run(
        capsys, "history", str(calendar), "--dry-run", "--format", "json", "--state", "failed"
    )
    assert json.loads(out) == {"publications": [], "stops": []}
    code, out, _ = run(capsys, "history", str(calendar), "--dry-run", "--since", "2026-12-08")
    assert "jadwal history: 0 publications" in out


def test_history_table_fits_80_columns_with_ids_whole(
    capsys: pytest.CaptureFixture[str], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run(capsys, "tick", str(calendar), "--dry-run", "--now", "2026-12-07 09:00")
    code, out, _ = run(capsys, "history", str(calendar), "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].rstrip() == "jadwal history: 1 publication"
    assert [cell.strip() for cell in lines[2].split("┃")[1:-1]] == [
        "when",
        "post / account",
        "state",
        "link / error",
    ]
    row = [line.split("│")[1:-1] for line in lines[4:7]]
    assert [cell.strip() for cell in row[0][:3]] == ["2026-12-07 09:00", "rapat", "published"]
    assert row[1][1].strip() == "fb"
    link = "".join(cells[3].strip() for cells in row)
    assert link == "dryrun:.jadwal/dryrun/2026-12-07/rapat_fb_20261207T0200Z.txt"
    assert max(len(line) for line in lines) <= 80


def test_history_rejects_an_unknown_state(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "history", str(calendar), "--state", "done")
    assert code == 2
    assert err.endswith(
        "Error: Invalid value for '--state': 'done' is not one of 'claimed', "
        "'publishing', 'published', 'retry', 'failed', 'unknown', 'missed', 'skipped', "
        "'awaiting'.\n"
    )


def test_the_state_choices_are_the_stores_states() -> None:
    assert get_args(State) == STATES


def test_dry_run_never_touches_the_real_history(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    run(capsys, "tick", str(calendar), "--dry-run", "--now", "2026-12-07 09:00")
    code, out, _ = run(capsys, "history", str(calendar), "--format", "json")
    assert (code, json.loads(out)) == (0, {"publications": [], "stops": []})


def plant_unknown(calendar: Path) -> str:
    from scheduler.store import Publication

    store = open_store(f"sqlite:///{calendar.parent / '.jadwal' / 'jadwal.db'}")
    now = datetime.now(UTC)
    key = "rapat/fb/20261207T0200Z"
    store.claim_new(
        Publication(
            key=key,
            post_id="rapat",
            account="fb",
            platform="facebook",
            scheduled_at=now - timedelta(minutes=5),
            state="unknown",
            created_at=now,
            updated_at=now,
        )
    )
    store.close()
    return key


def test_resolve_settles_an_unknown_publication(
    capsys: pytest.CaptureFixture[str], calendar: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = plant_unknown(calendar)
    monkeypatch.setenv("COLUMNS", "120")
    code, out, _ = run(capsys, "history", str(calendar))
    assert f"→ jadwal resolve {key}" in out  # the table says what to type, key included
    code, out, _ = run(
        capsys, "resolve", key, str(calendar), "--published", "https://facebook.com/1_2"
    )
    assert (code, out) == (0, f"{key}: published (https://facebook.com/1_2)\n")
    code, _, err = run(capsys, "resolve", key, str(calendar), "--not-published")
    assert code == 1
    assert err == f"jadwal: error: {key} is published, not unknown: nothing to resolve\n"


def test_resolve_needs_exactly_one_answer(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "resolve", "x/y/20261207T0200Z", str(calendar))
    assert code == 2
    assert "give exactly one of --published URL or --not-published" in err


def test_accounts_resume(capsys: pytest.CaptureFixture[str], calendar: Path) -> None:
    code, _, err = run(capsys, "accounts", "resume", "fb", str(calendar))
    assert (code, err) == (1, "jadwal: error: account 'fb' is not paused\n")
    store = open_store(f"sqlite:///{calendar.parent / '.jadwal' / 'jadwal.db'}")
    store.pause("fb", "AuthError: (#190) token expired", datetime.now(UTC))
    store.close()
    code, out, _ = run(capsys, "accounts", "resume", "fb", str(calendar))
    assert (code, out) == (0, "fb: resumed; waiting posts go out at the next tick\n")


def test_live_tick_without_the_token_pauses_the_account_and_says_so(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar
) -> None:
    soon = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:00+00:00")
    calendar = write_calendar(CALENDAR.replace("'2026-12-07 09:00'", f"'{soon}'"))
    code, out, err = run(capsys, "tick", str(calendar))
    assert code == 2
    assert out == "jadwal tick: 1 paused\n"
    assert "ACCOUNT PAUSED fb: AuthError: account fb: ${FB_TOKEN} is not set" in err


def test_login_is_for_instagrapi_accounts(
    capsys: pytest.CaptureFixture[str], calendar: Path
) -> None:
    code, _, err = run(capsys, "login", "fb", "--calendar", str(calendar))
    assert code == 1
    assert err == (
        "jadwal: error: 'fb' is not an Instagram account with via: instagrapi in the calendar\n"
    )


DRAFT = (
    CALENDAR
    + """\
  - id: pengumuman
    at: '2026-12-08 09:00'
    caption: 'Belum disetujui'
    status: draft
"""
)


@pytest.mark.parametrize(
    "flags",
    [
        ["--dry-run", "-y"],
        ["-y"],
        ["--dry-run"],
        [],
        ["--dry-run", "-y", "--again"],
        ["-y", "--again"],
        ["--dry-run", "-y", "--again", "--at", "2026-12-08 09:00"],
    ],
    ids=["dry-run", "live", "dry-run-asked", "live-asked", "dry-run-again", "live-again", "at"],
)
def test_post_refuses_a_draft_and_records_nothing(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
) -> None:
    calendar = write_calendar(DRAFT)
    asked: list[str] = []
    monkeypatch.setattr("typer.confirm", lambda text, *_a, **_k: asked.append(text) or True)
    code, out, err = run(capsys, "post", "pengumuman", "--calendar", str(calendar), *flags)
    assert (code, out, asked) == (1, "", [])
    assert err == (
        f"jadwal: error: post 'pengumuman' is a draft ({calendar}:14:5): set status: approved "
        "in calendar.yaml after review; nothing was published\n"
    )
    assert not (calendar.parent / ".jadwal").exists()
    for mode in ([], ["--dry-run"]):
        code, out, _ = run(capsys, "history", str(calendar), *mode, "--format", "json")
        assert (code, json.loads(out)) == (0, {"publications": [], "stops": []})
