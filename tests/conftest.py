"""Shared fixtures: a non-UTC local zone, no network, and calendars written to tmp folders."""

from __future__ import annotations

import os
import shutil
import socket
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scheduler import i18n
from scheduler.adapters.graph import polling
from scheduler.adapters.graph.polling import Schedule
from tests import mirror
from tests.daemonproc import DaemonProcess

# Before the test modules import it: every check of the suite is checked again in Indonesian.
mirror.install()

# The headless Chromium fixture for the pages people look at (tests/browser.py).
pytest_plugins = ["tests.browser"]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _non_utc_local_zone() -> Iterator[None]:
    # Bugs that confuse local time with UTC only show when the machine is not on UTC.
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Sao_Paulo"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """jadwal's cache (kept calendars) in the session's own folder, not the machine's: every
    test still reads through it, as people's commands do, but none finds another run's."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback connections: tests must never reach Instagram or Facebook."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("::1", "localhost") or self.family == socket.AF_UNIX
        ):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    for name in list(os.environ):
        if name.endswith("_TOKEN") or name.startswith(("FB_", "IG_", "JADWAL_")):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _english(_no_network: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The suite pins jadwal's English, whatever the machine's locale and a calendar's
    ``language`` (the shipped one says ``id``); the tests of the Indonesian unset it."""
    monkeypatch.setenv("JADWAL_LANG", "en")
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def indonesian(monkeypatch: pytest.MonkeyPatch) -> None:
    """jadwal speaks Indonesian (``JADWAL_LANG=id``), whatever a calendar says."""
    monkeypatch.setenv("JADWAL_LANG", "id")
    i18n.set_language("id")


# Meta's container schedule (seconds, then once a minute) at test speed: the fake Graph API
# finishes containers in milliseconds. Tests of the schedule itself pass their own.
FAST_POLLING = Schedule(first=0.01, factor=2.0, cap=0.05, limit=30.0)


@pytest.fixture(autouse=True)
def _fast_container_polling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "DEFAULT", FAST_POLLING)


WriteCalendar = Callable[..., Path]


@pytest.fixture
def write_calendar(tmp_path: Path) -> WriteCalendar:
    """Write ``calendar.yaml`` (dedented) into a fresh folder with the shipped templates."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "media", tmp_path / "media")

    def write(text: str, name: str = "calendar.yaml", **files: str) -> Path:
        for relative, content in files.items():
            target = tmp_path / relative.replace("__", "/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(content), encoding="utf-8")
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


@pytest.fixture
def shipped_calendar() -> Path:
    return ROOT / "calendar.yaml"


# -- databases ------------------------------------------------------------------------------

PG_ADMIN_URL = os.environ.get(
    "JADWAL_TEST_PG_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
)


def _pg_available() -> str | None:
    """Why PostgreSQL can't be used, or None. Never a reason to skip: the test fails."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return None
    except OSError as exc:
        return f"no PostgreSQL on 127.0.0.1:5432 ({exc}); .ci/run installs and starts one"


@pytest.fixture(scope="session")
def postgres_server() -> str:
    problem = _pg_available()
    if problem:
        pytest.fail(problem)
    return PG_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A throwaway database on the real server, dropped afterwards."""
    import uuid

    import psycopg

    name = f"jadwal_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``-m "not postgres"`` leaves out every test that needs the server, however it asks."""
    for item in items:
        if "postgres_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against every backend jadwal supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jadwal.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    """Daemon processes a test started; stopped at its end whatever happened."""
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.stop()
