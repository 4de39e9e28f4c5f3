"""``jadwal backup``: a consistent copy of the history, taken while the daemon runs.

SQLite's online backup API copies the database page by page under its own locking, so the
copy is the state of one moment even while the daemon writes (WAL mode lets both go on). The
copy is written beside the target under a temporary name, checked with ``PRAGMA
quick_check`` and renamed into place, so a nightly backup that is interrupted never leaves a
half-written file where yesterday's good one was. The copy records when it was taken, so a
database restored from it looks up on the platform what it can't know (``store.memory``).
PostgreSQL has its own tool for this
(``pg_dump``), which the error names.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scheduler.errors import JadwalError
from scheduler.i18n import _
from scheduler.store.memory import BACKED_UP_AT, RESTORED_AT

PAGES_PER_STEP = 256  # small steps: the daemon's writes wait at most one step


@dataclass(frozen=True)
class Backup:
    source: Path
    target: Path
    publications: int
    size: int


def backup(url: str, target: Path, now: datetime | None = None) -> Backup:
    """Copy the SQLite database at ``url`` to ``target`` (replacing it atomically); ``now``
    is when the copy is taken (the clock's time unless a test holds the clock)."""
    source = _sqlite_file(url)
    if not source.is_file():
        raise JadwalError(
            _("there is no database to back up at {source} (nothing published yet?)").format(
                source=source
            )
        )
    if target.exists() and target.resolve() == source.resolve():
        raise JadwalError(
            _("{target} is the database itself: give another file to copy it to").format(
                target=target
            )
        )
    if not target.parent.is_dir():
        raise JadwalError(_("the folder {parent} does not exist").format(parent=target.parent))
    began = now or datetime.now(UTC)
    temporary = _copy(source, target.parent)
    try:
        publications = _checked(temporary)
        _mark(temporary, began)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Backup(source, target, publications, target.stat().st_size)


def _sqlite_file(url: str) -> Path:
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        return Path(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgresql+psycopg://")):
        raise JadwalError(
            _(
                "jadwal backup copies SQLite databases; for PostgreSQL use its own tool: pg_dump "
                "--format=custom --file=jadwal.dump DATABASE_URL (see docs/deploy.md)"
            )
        )
    raise JadwalError(_("jadwal backup copies SQLite databases (sqlite:///PATH) only"))


def _copy(source: Path, folder: Path) -> Path:
    fd, name = tempfile.mkstemp(dir=folder, prefix=".jadwal-backup.", suffix=".db")
    os.close(fd)
    temporary = Path(name)
    try:
        with _connect(source, read_only=True) as src, _connect(temporary) as dst:
            src.backup(dst, pages=PAGES_PER_STEP)
    except sqlite3.Error as exc:
        temporary.unlink(missing_ok=True)
        raise JadwalError(
            _("the database {source} can't be copied: {exc}").format(source=source, exc=exc)
        ) from exc
    return temporary


def _mark(copy: Path, began: datetime) -> None:
    """Say in the copy when it was taken: a database restored from it then knows that what
    happened after that moment is missing, and looks those posts up on the platform before
    publishing them (``scheduler.store.memory``). The earlier moment is the safer one."""
    with _connect(copy) as db:
        db.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)",
            (BACKED_UP_AT, began.isoformat()),
        )
        db.execute("DELETE FROM meta WHERE name = ?", (RESTORED_AT,))
        db.commit()


def _checked(copy: Path) -> int:
    """The copy is whole (quick_check) and readable; how many publications it holds."""
    with _connect(copy) as db:
        verdict = db.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise JadwalError(
                _("the copy failed its check ({verdict}); the old backup is kept").format(
                    verdict=verdict
                )
            )
        return int(db.execute("SELECT count(*) FROM publications").fetchone()[0])


class _connect:
    """A sqlite3 connection that is closed (not only committed) when the block ends."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        uri = f"file:{path}?mode=ro" if read_only else f"file:{path}"
        self.connection = sqlite3.connect(uri, uri=True, timeout=30)

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *_: object) -> None:
        self.connection.close()
