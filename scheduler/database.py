"""Open the store: choose the database, create or upgrade its schema (alembic), hand it out.

The default is SQLite in a ``.jadwal/`` folder beside the calendar (``jadwal.db``, or
``dryrun.db`` for dry runs, so rehearsals never touch the real history).
``JADWAL_DATABASE_URL`` or ``--db`` chooses another, PostgreSQL included.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from scheduler.calendar.model import STATE_DIR
from scheduler.errors import StoreError
from scheduler.store import Store, make_engine, sqlite_url

MIGRATIONS = Path(__file__).parent / "migrations"


def state_dir(calendar_path: Path) -> Path:
    return calendar_path.resolve().parent / STATE_DIR


def database_url(calendar_path: Path, given: str | None, dry_run: bool) -> str:
    if dry_run:
        # A rehearsal never writes into the real history, whatever --db says.
        return sqlite_url(state_dir(calendar_path) / "dryrun.db")
    url = given or os.environ.get("JADWAL_DATABASE_URL")
    return url or sqlite_url(state_dir(calendar_path) / "jadwal.db")


def open_store(url: str) -> Store:
    """The store at ``url`` with its schema at the latest version."""
    path = _sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(path.parent)
    engine = make_engine(url)
    try:
        with _migration_lock(path):
            upgrade(engine)
    except StoreError:
        raise
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError | OSError):
            raise StoreError(f"the database can't be opened: {_first_line(exc)}") from exc
        raise
    return Store(engine)


HEAD = "0003"  # the newest file in migrations/versions (a test keeps the two in step)


def upgrade(engine: Engine) -> None:
    """Bring the schema to ``HEAD``; alembic is imported only when there is work to do."""
    if _current_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _current_revision(engine: Engine) -> str | None:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None  # a new database: no table yet


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///") or url.endswith(":memory:"):
        return None
    return Path(url.removeprefix("sqlite:///"))


@contextmanager
def _migration_lock(path: Path | None) -> Iterator[None]:
    """SQLite has no advisory locks: two processes opening a new file take turns here."""
    if path is None:
        yield
        return
    with open(f"{path}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _ignore_in_git(folder: Path) -> None:
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# jadwal's state: databases, dry-run output, locks\n*\n")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
