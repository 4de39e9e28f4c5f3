"""``jadwal backup``: a copy of the history that is whole and usable, taken while it is written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from scheduler import cli
from scheduler.database import open_store
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
    caption: 'Rapat warga'
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def published(write_calendar: WriteCalendar) -> Path:
    """A calendar whose real history (the default .jadwal/jadwal.db) holds one publication."""
    calendar = write_calendar(CALENDAR)
    store = open_store(f"sqlite:///{calendar.parent / '.jadwal' / 'jadwal.db'}")
    with store.session() as session:
        session.execute(
            text(
                "INSERT INTO publications (key, post_id, account, platform, scheduled_at, "
                "state, attempts, created_at, updated_at, permalink) VALUES "
                "('rapat/fb/20261207T0200Z', 'rapat', 'fb', 'facebook', '2026-12-07 02:00:00', "
                "'published', 1, '2026-12-07 02:00:01', '2026-12-07 02:00:02', "
                "'https://www.facebook.com/1/posts/9')"
            )
        )
        session.commit()
    store.close()
    return calendar


def test_backup_copies_the_history_while_a_write_is_open(
    capsys: pytest.CaptureFixture[str], published: Path, tmp_path: Path
) -> None:
    db = published.parent / ".jadwal" / "jadwal.db"
    writer = sqlite3.connect(db, timeout=30)
    writer.execute("BEGIN IMMEDIATE")  # a publisher in the middle of recording a second one
    writer.execute(
        "INSERT INTO publications (key, post_id, account, platform, scheduled_at, state, "
        "attempts, created_at, updated_at) VALUES ('rapat/fb/20261208T0200Z', 'rapat', 'fb', "
        "'facebook', '2026-12-08 02:00:00', 'publishing', 1, '2026-12-08 02:00:01', "
        "'2026-12-08 02:00:01')"
    )
    target = tmp_path / "cadangan.db"
    try:
        code, out, err = run(capsys, "backup", str(target), str(published))
    finally:
        writer.commit()
        writer.close()

    assert (code, err) == (0, "")
    assert out.startswith(f"backed up {db} to {target}: 1 publication, ")
    # The copy is the state of one moment: the open write is not in it, and it is a whole store.
    copy = open_store(f"sqlite:///{target}")
    assert [(r.key, r.state, r.permalink) for r in copy.history()] == [
        ("rapat/fb/20261207T0200Z", "published", "https://www.facebook.com/1/posts/9")
    ]
    copy.close()
    assert not list(tmp_path.glob(".jadwal-backup.*"))  # no temporary file left behind


def test_backup_replaces_an_older_copy(
    capsys: pytest.CaptureFixture[str], published: Path, tmp_path: Path
) -> None:
    target = tmp_path / "cadangan.db"
    target.write_bytes(b"yesterday's copy")
    code, _, _ = run(capsys, "backup", str(target), str(published))
    assert code == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM publications").fetchone() == (1,)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--db", "postgresql://jadwal@db.example/jadwal"],
            "jadwal: error: jadwal backup copies SQLite databases; for PostgreSQL use its own "
            "tool: pg_dump --format=custom --file=jadwal.dump DATABASE_URL (see docs/deploy.md)\n",
        ),
    ],
)
def test_backup_of_postgresql_names_pg_dump(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    calendar = write_calendar(CALENDAR)
    code, out, err = run(capsys, "backup", str(tmp_path / "x.dump"), str(calendar), *args)
    assert (code, out, err) == (1, "", message)


def test_backup_refuses_what_it_cannot_do(
    capsys: pytest.CaptureFixture[str], published: Path, tmp_path: Path
) -> None:
    db = published.parent / ".jadwal" / "jadwal.db"
    code, _, err = run(capsys, "backup", str(db), str(published))
    assert (code, err) == (
        1,
        f"jadwal: error: {db} is the database itself: give another file to copy it to\n",
    )
    code, _, err = run(capsys, "backup", str(tmp_path / "no" / "x.db"), str(published))
    assert (code, err) == (1, f"jadwal: error: the folder {tmp_path / 'no'} does not exist\n")
    fresh = published.parent / "other.yaml"
    fresh.write_text(CALENDAR)
    missing = published.parent / "none.db"
    code, _, err = run(
        capsys, "backup", str(tmp_path / "x.db"), str(fresh), "--db", f"sqlite:///{missing}"
    )
    assert (code, err) == (
        1,
        f"jadwal: error: there is no database to back up at {missing} (nothing published yet?)\n",
    )
