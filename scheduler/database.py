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
from typing import TYPE_CHECKING, Any

from scheduler.calendar.model import STATE_DIR
from scheduler.errors import DatabaseUrlError, StoreError
from scheduler.i18n import N_, _

if TYPE_CHECKING:  # SQLAlchemy and the store only once a database is opened: choosing one,
    # and finding that there is none yet, costs ``site`` and ``ical`` nothing
    from sqlalchemy import Engine

    from scheduler.store import Store

MIGRATIONS = Path(__file__).parent / "migrations"


def state_dir(calendar_path: Path) -> Path:
    return calendar_path.resolve().parent / STATE_DIR


SUPPORTED = N_(
    "write sqlite:///PATH (a file; an absolute path has four slashes: "
    "sqlite:////srv/jadwal/jadwal.db) or postgresql://USER@HOST/DATABASE"
)
# What SQLAlchemy is given for PostgreSQL: ``postgresql://`` is made ``postgresql+psycopg://``.
POSTGRESQL = ("postgresql://", "postgresql+psycopg://")


def database_url(calendar_path: Path, given: str | None, dry_run: bool) -> str:
    if dry_run:
        # A rehearsal never writes into the real history, whatever --db says.
        return sqlite_url(state_dir(calendar_path) / "dryrun.db")
    if given:
        return checked_url(given, "--db")
    if os.environ.get("JADWAL_DATABASE_URL"):
        return checked_url(os.environ["JADWAL_DATABASE_URL"], "JADWAL_DATABASE_URL")
    return sqlite_url(state_dir(calendar_path) / "jadwal.db")


def sqlite_url(path: Path) -> str:
    """``store.sqlite_url``'s form (``tests/test_cli.py`` keeps the two the same),
    without importing the store."""
    return f"sqlite:///{path}"


def checked_url(url: str, source: str) -> str:
    """``url`` when jadwal can use it; else a ``DatabaseUrlError`` naming ``source`` (the
    option or variable it came from) and the URLs it can use."""
    if url.startswith(POSTGRESQL) and len(url) > url.index("//") + 2:
        return url
    path = _sqlite_path(url)
    if path is None and url != "sqlite:///:memory:":
        raise DatabaseUrlError(
            _("{source} {without_password!r} is not a database URL jadwal can use; ").format(
                source=source, without_password=_without_password(url)
            )
            + _(SUPPORTED)
        )
    if path is not None and path.parent.name != STATE_DIR and not path.parent.is_dir():
        # jadwal makes its own .jadwal folder; any other folder is the operator's, and one
        # that does not exist is a typo that would otherwise start an empty history there.
        raise DatabaseUrlError(
            _(
                "{source}: the folder {parent} for the SQLite database does not exist; create it "
                "first, or correct the path"
            ).format(source=source, parent=path.parent)
        )
    return url


def _without_password(url: str) -> str:
    """The URL as it may be shown: a password in it is blanked out."""
    head, at, tail = url.rpartition("@")
    if not at or "://" not in head:
        return url
    scheme, _, credentials = head.partition("://")
    user, colon, _password = credentials.partition(":")
    return f"{scheme}://{user}{':***' if colon else ''}@{tail}"


def open_store(url: str) -> Store:
    """The store at ``url`` with its schema at the latest version."""
    from scheduler.store import Store, make_engine

    path = _sqlite_path(url)
    if path is not None:  # a folder named by --db was checked to exist (checked_url)
        path.parent.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(path.parent)
    try:
        engine = make_engine(url)
        with _migration_lock(path):
            upgrade(engine)
    except StoreError:
        raise
    except Exception as exc:
        from sqlalchemy.exc import SQLAlchemyError

        if isinstance(exc, SQLAlchemyError | OSError):
            raise StoreError(
                _("the database can't be opened: {first_line}").format(first_line=_first_line(exc))
            ) from exc
        raise
    return Store(engine)


def existing_store(url: str) -> Store | None:
    """The store at ``url``, or None when it is a SQLite file not created yet: the commands
    that only read (``history``, ``resolve``, ``accounts``) must not start a history."""
    path = _sqlite_path(url)
    if path is not None and not path.exists():
        return None
    return open_store(url)


HEAD = "0007"  # the newest file in migrations/versions (a test keeps the two in step)


def upgrade(engine: Engine) -> None:
    """Bring the schema to ``HEAD``; alembic is imported only when there is work to do."""
    if _current_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    migrating = _transactional_ddl(engine)
    try:
        with migrating.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if migrating is not engine:
            migrating.dispose()


def _transactional_ddl(engine: Engine) -> Engine:
    """An engine on which the whole upgrade is one transaction, DDL included.

    Python's sqlite3 commits before every CREATE or ALTER by itself, so a process killed in
    the middle of an upgrade (the first start of a new database, a daemon killed by a power
    cut) would leave half a schema that no later start could upgrade. For SQLite the upgrade
    therefore runs on a one-off connection in autocommit mode that issues its own ``BEGIN
    IMMEDIATE``; PostgreSQL's DDL is transactional already.
    """
    if engine.dialect.name != "sqlite":
        return engine
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    migrating = create_engine(engine.url, poolclass=NullPool, connect_args={"timeout": 30})

    @event.listens_for(migrating, "connect")
    def _autocommit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # no implicit commits: our BEGIN holds it all

    @event.listens_for(migrating, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return migrating


def _current_revision(engine: Engine) -> str | None:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None  # a new database: no table yet


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///") or url.endswith(":memory:") or url == "sqlite:///":
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
