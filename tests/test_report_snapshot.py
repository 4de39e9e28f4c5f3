"""What went out, as it went out: each attempt keeps its caption, media, category, kind and
the calendar's revision on the publication, and the report reads that, not today's calendar."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from scheduler import cli
from scheduler.commands import report as report_command
from scheduler.database import open_store
from scheduler.engine.snapshot import Snapshots, git_commit
from scheduler.store import Outcome, Publication, Sent, State, Transition
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
    category: pengumuman
    media: [media/sop-ktp-1.jpg, media/sop-ktp-2.jpg]
    caption: 'Rapat warga {{ at | tanggal }}'
"""
KEY = "rapat/fb/20261207T0200Z"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def reported_post(capsys: pytest.CaptureFixture[str], calendar: Path) -> dict[str, Any]:
    dry = f"sqlite:///{calendar.parent / '.jadwal' / 'dryrun.db'}"
    args = ("report", str(calendar), "--month", "2026-12", "--format", "json", "--db", dry)
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    (post,) = json.loads(out)["posts"]
    found: dict[str, Any] = post
    return found


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_editing_a_post_after_it_went_out_does_not_change_its_report(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calendar = write_calendar(CALENDAR)
    original = digest(calendar)
    monkeypatch.setattr(report_command, "now", lambda: datetime(2027, 1, 2, tzinfo=UTC))
    code, _, _ = run(capsys, "tick", str(calendar), "--dry-run", "--now", "2026-12-07 09:00")
    assert code == 0
    calendar.write_text(
        CALENDAR.replace("Rapat warga", "Rapat RT diundur")
        .replace("pengumuman", "kegiatan")
        .replace("media: [media/sop-ktp-1.jpg, media/sop-ktp-2.jpg]", "kind: reel"),
        encoding="utf-8",
    )
    post = reported_post(capsys, calendar)
    assert post["key"] == KEY and post["state"] == "published"
    assert post["caption"] == "Rapat warga Senin, 7 Desember 2026"
    assert (post["category"], post["kind"]) == ("pengumuman", "carousel")
    folder = calendar.parent
    assert post["media"] == [
        {"path": "media/sop-ktp-1.jpg", "sha256": digest(folder / "media/sop-ktp-1.jpg")},
        {"path": "media/sop-ktp-2.jpg", "sha256": digest(folder / "media/sop-ktp-2.jpg")},
    ]
    assert post["revision"] == f"sha256:{original}"  # not in git: the file's digest


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_revision_is_the_git_commit_while_the_file_is_unchanged(
    write_calendar: WriteCalendar,
) -> None:
    calendar = write_calendar(CALENDAR)
    folder = calendar.parent

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    git("init", "-q")
    git("add", "calendar.yaml")
    git("commit", "-qm", "kalender")
    assert git_commit(calendar) == git("rev-parse", "HEAD")
    assert Snapshots().revision(calendar) == git("rev-parse", "HEAD")
    calendar.write_text(CALENDAR + "# diubah\n", encoding="utf-8")
    assert git_commit(calendar) is None  # edited since: HEAD is not what is published
    assert Snapshots().revision(calendar) == f"sha256:{digest(calendar)}"


def test_the_last_attempt_is_the_one_kept(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'jadwal.db'}")
    now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    row = Publication(key=KEY, post_id="rapat", account="fb", platform="facebook",
                      scheduled_at=now, state=State.CLAIMED, owner="a", created_at=now,
                      updated_at=now)  # fmt: skip
    assert store.claim_new(row)
    first = Sent("Versi satu", "[]", "pengumuman", "feed", "sha256:aa")
    assert store.start_publishing(KEY, "a", now, "h1", first) is not None
    store.settle(KEY, "a", now, Transition(State.RETRY, Outcome.RETRY, next_attempt_at=now))
    assert store.claim_retry(KEY, "a", now)
    second = Sent("Versi dua", '[{"path": "media/a.jpg", "sha256": "bb"}]', None, "reel", "c0ffee")
    assert store.start_publishing(KEY, "a", now, "h2", second) is not None
    kept = store.get(KEY)
    assert kept is not None
    assert (kept.sent_caption, kept.sent_media, kept.category, kept.kind, kept.revision) == (
        "Versi dua", '[{"path": "media/a.jpg", "sha256": "bb"}]', None, "reel", "c0ffee",
    )  # fmt: skip
    store.close()


def test_a_post_made_by_hand_keeps_what_it_was_given(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'jadwal.db'}")
    now = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    row = Publication(key="info/wa/20261207T0200Z", post_id="info", account="wa",
                      platform="whatsapp", scheduled_at=now, state=State.CLAIMED, owner="a",
                      created_at=now, updated_at=now)  # fmt: skip
    assert store.claim_new(row)
    sent = Sent("*Info* warga", "[]", "info", "feed", "sha256:aa")
    assert store.start_publishing(row.key, "a", now, "h", sent) is not None
    store.settle(row.key, "a", now, Transition(State.AWAITING, Outcome.AWAITING))
    assert store.by_hand.done(row.key, now, "https://whatsapp.com/channel/x/1")
    kept = store.get(row.key)
    assert kept is not None and kept.state == "published"
    assert (kept.sent_caption, kept.category, kept.revision) == (
        "*Info* warga",
        "info",
        "sha256:aa",
    )
    store.close()
