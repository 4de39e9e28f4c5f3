"""Connecting to the database: SQLAlchemy engines for SQLite and PostgreSQL, and what a
connection problem means to an operator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError

from scheduler.i18n import _

# Connections are opened on demand: as many as the engine's publishing threads, plus a few
# for the sweep, the lease renewals and the daemon's wake-ups.
POOL_SIZE = 24


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=POOL_SIZE,
            max_overflow=10,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=10)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the publisher
    cursor.execute("PRAGMA synchronous=FULL")  # a recorded publication survives power loss
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def sqlite_file(engine: Engine) -> Path | None:
    """The plain file behind a SQLite engine; None for PostgreSQL, memory or a URI."""
    database = engine.url.database
    if engine.url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI with options: no plain file to watch
    return Path(database)


def database_problem(exc: OperationalError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return _("the database can't be used: {why}").format(why=text.strip().splitlines()[0])
