"""The database fails under the publisher: deleted, locked, read-only, full.

What must hold every time: ``publish_due`` raises ``StoreError`` with a clear message, and
nothing goes out without a durable record (every call the platform saw has a row in
``publishing`` or ``published`` that survives a restart); the daemon logs why and stops;
``jadwal tick`` exits 1 with ``jadwal: error: the database can't be used: ...``, no traceback.

How each failure is produced (tests run as root, and the store waits 30 s for a lock):
- locked: another connection holds ``BEGIN EXCLUSIVE``; the store under test gets a 0.2 s busy
  timeout by a ``connect`` listener added after jadwal's own (in process), or by replacing
  ``scheduler.store.connect._sqlite_pragmas`` (the daemon subprocess, the CLI), so nothing
  waits 30 s;
- read-only: ``chmod 0444`` on the file and ``0555`` on its folder when that stops writes; as
  root it doesn't, so SQLite opens the same file with ``?mode=ro`` (the reason is printed);
- disk full: ``PRAGMA max_page_count`` on every connection of the store under test;
- deleted: the files are unlinked while the store's pooled connections are open.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from scheduler import cli
from scheduler.adapters.base import Adapter, Draft, Progress, Published
from scheduler.calendar import load_calendar
from scheduler.database import open_store
from scheduler.engine import Context, RetryPolicy, publish_due
from scheduler.errors import StoreError
from scheduler.store import LEASE, Store, make_engine
from tests.conftest import WriteCalendar
from tests.daemonproc import DaemonProcess, dry_run_files, two_pages_calendar
from tests.fakes import Clock, ScriptedAdapter

JAKARTA = ZoneInfo("Asia/Jakarta")
# Short enough that an outside lock fails a run quickly, long enough that jadwal's own threads,
# writing one after another on a loaded machine, never see each other as "locked".
BUSY_MS = 1500
DUE = datetime(2027, 3, 1, 2, 30, tzinfo=UTC)  # 09:30 in Jakarta: p0..p30 are due
RECORDED = ("publishing", "published")
READ_ONLY = "the database can't be used: attempt to write a readonly database"
CANT_OPEN = (
    "jadwal: error: the database can't be opened: unable to open database file",
    "jadwal: error: the database can't be opened: attempt to write a readonly database",
)
SHORT_TIMEOUT = (
    "import scheduler.store.connect as store\n"
    "jadwal_pragmas = store._sqlite_pragmas\n"
    "def short(connection, record):\n"
    "    jadwal_pragmas(connection, record)\n"
    f"    connection.execute('PRAGMA busy_timeout={BUSY_MS}')\n"
    "store._sqlite_pragmas = short\n"
    "from scheduler.cli import main\n"
    "main()\n"
)


def minutes_from(start: datetime, count: int) -> list[datetime]:
    return [start + timedelta(minutes=m) for m in range(count)]


# -- the store under test ----------------------------------------------------------------------


def with_pragmas(url: str, *pragmas: str, busy: bool = True) -> Store:
    """A store like jadwal's, whose connections also run ``pragmas`` (after jadwal's own);
    ``busy`` shortens the wait for a lock held elsewhere."""
    engine = make_engine(url)
    short = (f"PRAGMA busy_timeout={BUSY_MS}",) if busy else ()

    def extra(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        for pragma in (*short, *pragmas):
            cursor.execute(pragma)
        cursor.close()

    event.listen(engine, "connect", extra)
    return Store(engine)


def page_count(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        return int(connection.execute("PRAGMA page_count").fetchone()[0])


def file_url(db: Path) -> str:
    return f"sqlite:///{db}"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A migrated, empty jadwal database."""
    path = tmp_path / "state" / "jadwal.db"
    open_store(file_url(path)).close()
    return path


@pytest.fixture
def calendar(write_calendar: WriteCalendar) -> Path:
    return write_calendar(two_pages_calendar(minutes_from(DUE - timedelta(minutes=30), 40)))


def context(calendar: Path, store: Store, adapter: ScriptedAdapter) -> Context:
    return Context(
        calendar=load_calendar(calendar),
        store=store,
        owner="store-test",
        adapter_for=lambda _account: cast(Adapter, adapter),
        retry=RetryPolicy(max_attempts=3, base=timedelta(minutes=1)),
        clock=Clock(DUE),
    )


def durable_rows(db: Path) -> dict[str, str]:
    """Key → state as a restarted publisher would find them (a fresh connection)."""
    store = open_store(file_url(db))
    try:
        return {row.key: row.state for row in store.history()}
    finally:
        store.close()


def assert_every_call_recorded(adapter: ScriptedAdapter, db: Path) -> None:
    rows = durable_rows(db)
    unrecorded = [key for key in adapter.keys if rows.get(key) not in RECORDED]
    assert not unrecorded, f"published without a durable record: {unrecorded}"
    assert len(set(adapter.keys)) == len(adapter.keys), "something was published twice"


class Locker:
    """Another process's connection holding the write lock (``BEGIN EXCLUSIVE``)."""

    def __init__(self, db: Path) -> None:
        self.connection = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        self.held = False

    def hold(self) -> None:
        self.connection.execute("BEGIN EXCLUSIVE")
        self.held = True

    def release(self) -> None:
        if self.held:
            self.connection.execute("ROLLBACK")
            self.held = False
        self.connection.close()


@pytest.fixture
def locker(db: Path) -> Iterator[Locker]:
    lock = Locker(db)
    yield lock
    lock.release()


def run_failing(ctx: Context) -> tuple[StoreError, float]:
    started = time.monotonic()
    with pytest.raises(StoreError) as raised:
        publish_due(ctx)
    return raised.value, time.monotonic() - started


# -- the engine, in process --------------------------------------------------------------------


def test_locked_database_stops_the_run_before_anything_is_published(
    calendar: Path, db: Path, locker: Locker
) -> None:
    adapter = ScriptedAdapter()
    store = with_pragmas(file_url(db))
    locker.hold()
    error, seconds = run_failing(context(calendar, store, adapter))
    assert str(error) == "the database can't be used: database is locked"
    assert seconds < 5
    assert adapter.calls == []
    locker.release()
    assert durable_rows(db) == {}
    store.close()


class LockingAdapter(ScriptedAdapter):
    """Publishes, then another connection takes the write lock before jadwal records it."""

    def __init__(self, locker: Locker) -> None:
        super().__init__()
        self.locker = locker
        self.locked = False

    def publish(self, draft: Draft, progress: Progress) -> Published:
        done = super().publish(draft, progress)
        with self._lock:
            if not self.locked:
                self.locker.hold()
                self.locked = True
        return done


@pytest.mark.slow
def test_lock_taken_while_recording_leaves_the_post_publishing_never_resent(
    calendar: Path, db: Path, locker: Locker
) -> None:
    adapter = LockingAdapter(locker)
    store = with_pragmas(file_url(db))
    ctx = context(calendar, store, adapter)
    error, _ = run_failing(ctx)
    assert str(error) == "the database can't be used: database is locked"
    assert 1 <= len(adapter.calls) <= 2  # one per account at most: each stops at its next write
    locker.release()
    rows = durable_rows(db)
    assert {rows[key] for key in adapter.keys} == {"publishing"}
    assert_every_call_recorded(adapter, db)
    store.close()
    # After the lease, a restarted publisher settles them as unknown and asks the platform;
    # it never resends them.
    sent = list(adapter.keys)
    restarted = open_store(file_url(db))
    try:
        publish_due(replace(ctx, store=restarted), DUE + LEASE + timedelta(minutes=1))
    finally:
        restarted.close()
    assert {durable_rows(db)[key] for key in sent} == {"unknown"}
    assert [key for key in adapter.keys if key in sent] == sent


def read_only_url(db: Path) -> tuple[str, Callable[[], None], str | None]:
    """A URL of the database as a read-only file, how to undo it, and why ``?mode=ro``."""
    folder = db.parent
    db.chmod(0o444)
    folder.chmod(0o555)

    def undo() -> None:
        folder.chmod(0o755)
        db.chmod(0o644)

    try:
        with db.open("ab"):
            pass
    except PermissionError:
        return file_url(db), undo, None
    undo()
    why = "running as root: chmod doesn't stop writes, so the file is opened with ?mode=ro"
    return f"sqlite:///file:{db}?mode=ro&uri=true", lambda: None, why


def test_read_only_database_is_a_store_error_and_nothing_is_published(
    calendar: Path, db: Path
) -> None:
    adapter = ScriptedAdapter()
    url, undo, why = read_only_url(db)
    print(why or "chmod 0444/0555")
    store = with_pragmas(url)
    try:
        error, _ = run_failing(context(calendar, store, adapter))
    finally:
        store.close()
        undo()
    assert str(error) in (READ_ONLY, "the database can't be used: unable to open database file")
    assert adapter.calls == []
    assert durable_rows(db) == {}


@pytest.mark.parametrize("spare_pages", [0, 2, 4, 5])
def test_disk_full_while_recording_publishes_nothing_unrecorded(
    calendar: Path, db: Path, spare_pages: int
) -> None:
    """With a few spare pages the run fails at a different step: claiming, or recording."""
    adapter = ScriptedAdapter()
    limit = page_count(db) + spare_pages
    store = with_pragmas(file_url(db), f"PRAGMA max_page_count={limit}", busy=False)
    error, _ = run_failing(context(calendar, store, adapter))
    store.close()
    assert str(error) == "the database can't be used: database or disk is full"
    assert_every_call_recorded(adapter, db)
    assert len(adapter.calls) < 62  # 31 posts x 2 accounts were due: it stopped part way


def test_deleted_database_is_a_store_error_and_nothing_is_published_unrecorded(
    calendar: Path, db: Path
) -> None:
    adapter = ScriptedAdapter()
    store = with_pragmas(file_url(db))
    ctx = context(calendar, store, adapter)
    publish_due(ctx, DUE - timedelta(minutes=25))  # p0..p5: published and recorded
    assert len(adapter.calls) == 12
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    try:
        with pytest.raises(StoreError, match=r"^the database can't be used: "):
            publish_due(ctx)
    finally:
        store.close()
    # What was recorded went with the deleted file; what matters is that nothing more went out.
    assert len(adapter.calls) == 12


@pytest.mark.slow
def test_postgresql_connections_cut_between_runs_are_opened_again(
    calendar: Path, postgres_url: str
) -> None:
    """A PostgreSQL restart (or a failover) between two runs: the pooled connections are dead,
    and the next run must notice and reconnect instead of stopping the daemon."""
    import psycopg

    adapter = ScriptedAdapter()
    store = open_store(postgres_url)
    ctx = context(calendar, store, adapter)
    try:
        publish_due(ctx)
        first = len(adapter.calls)
        assert first > 0
        admin, name = postgres_url.rsplit("/", 1)
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as connection:
            cut = connection.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            ).fetchone()
        assert cut is not None and cut[0] > 0  # the pool did hold open connections
        cast(Clock, ctx.clock).now = DUE + timedelta(minutes=5)
        publish_due(ctx)
        assert len(adapter.calls) == first + 10  # p31..p35 on both pages
        rows = {row.key: row.state for row in store.history()}
        assert [key for key in adapter.keys if rows.get(key) != "published"] == []
    finally:
        store.close()


# -- the daemon, as a process ------------------------------------------------------------------


def start_daemon(
    write_calendar: WriteCalendar,
    daemons: list[DaemonProcess],
    due_in: float,
    accounts: str = "fb, fb2",
) -> tuple[Path, DaemonProcess]:
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=due_in)
    calendar = write_calendar(two_pages_calendar([due], accounts))
    daemon = DaemonProcess(
        [sys.executable, "-c", SHORT_TIMEOUT, "daemon", str(calendar), "--dry-run"], calendar.parent
    )
    daemons.append(daemon)
    assert daemon.wait_for(lambda: "INFO started:" in daemon.output(), 30), daemon.output()
    return calendar, daemon


@pytest.mark.slow
def test_daemon_stops_on_a_locked_database_and_publishes_nothing(
    write_calendar: WriteCalendar, daemons: list[DaemonProcess]
) -> None:
    calendar, daemon = start_daemon(write_calendar, daemons, due_in=6)
    lock = Locker(calendar.parent / ".jadwal" / "dryrun.db")
    lock.hold()
    try:
        assert daemon.wait_for(daemon.exited, 25), daemon.output()
    finally:
        lock.release()
    output = daemon.output()
    assert daemon.stop() == 1, output
    assert "ERROR stopping: the database can't be used: database is locked" in output
    assert daemon.lines[-1] == "jadwal: error: the database can't be used: database is locked"
    assert "Traceback" not in output
    assert dry_run_files(calendar) == []


@pytest.mark.slow
def test_daemon_stops_when_its_database_is_deleted(
    write_calendar: WriteCalendar, daemons: list[DaemonProcess]
) -> None:
    calendar, daemon = start_daemon(write_calendar, daemons, due_in=6, accounts="fb")
    db = calendar.parent / ".jadwal" / "dryrun.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    daemon.wait_for(lambda: daemon.exited() or bool(dry_run_files(calendar)), 20)
    output = daemon.output()
    assert dry_run_files(calendar) == [], output
    assert daemon.stop() == 1, output
    assert "ERROR stopping: the database can't be used: " in output


# -- jadwal tick -------------------------------------------------------------------------------


def tick(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(["tick", *args])
    out, err = capsys.readouterr()
    return code, out, err


def patch_pragmas(monkeypatch: pytest.MonkeyPatch, *pragmas: str) -> None:
    """Every store the CLI opens also runs ``pragmas`` (after jadwal's own)."""
    import scheduler.store.connect

    original = scheduler.store.connect._sqlite_pragmas

    def patched(connection: Any, record: Any) -> None:
        original(connection, record)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        for pragma in (f"PRAGMA busy_timeout={BUSY_MS}", *pragmas):
            connection.execute(pragma.format(pages=pages))

    monkeypatch.setattr(scheduler.store.connect, "_sqlite_pragmas", patched)


@pytest.fixture
def due_now(write_calendar: WriteCalendar) -> Path:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return write_calendar(two_pages_calendar(minutes_from(now - timedelta(minutes=40), 40)))


def dry_db(calendar: Path) -> Path:
    path = calendar.parent / ".jadwal" / "dryrun.db"
    open_store(file_url(path)).close()
    return path


def assert_clean_error(code: int, err: str, message: str) -> None:
    assert code == 1, err
    assert err.splitlines()[-1] == f"jadwal: error: {message}", err
    assert "Traceback" not in err


def test_tick_on_a_locked_database_exits_1_with_the_reason(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, due_now: Path
) -> None:
    patch_pragmas(monkeypatch)
    lock = Locker(dry_db(due_now))
    lock.hold()
    try:
        code, out, err = tick(capsys, str(due_now), "--dry-run")
    finally:
        lock.release()
    assert_clean_error(code, err, "the database can't be used: database is locked")
    assert out == ""
    assert dry_run_files(due_now) == []


def test_tick_on_a_read_only_database_exits_1_with_the_reason(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    due_now: Path,
) -> None:
    db = due_now.parent / ".jadwal" / "jadwal.db"
    open_store(file_url(db)).close()
    url, undo, why = read_only_url(db)
    with capsys.disabled():
        print(f"\n{why or 'chmod 0444/0555'}")
    monkeypatch.chdir(due_now.parent)  # a ?mode=ro URL names a folder "file:" beside it
    try:
        # Not --dry-run: a rehearsal always uses its own database, whatever --db says.
        code, out, err = tick(capsys, str(due_now), "--db", url)
    finally:
        undo()
    if why is not None:  # ?mode=ro: the schema can be read, the first claim can't be written
        assert_clean_error(code, err, READ_ONLY)
    else:  # chmod: SQLite may already refuse to open a WAL database it can't write beside
        assert_clean_error(code, err, err.splitlines()[-1].removeprefix("jadwal: error: "))
        assert err.splitlines()[-1] in (f"jadwal: error: {READ_ONLY}", *CANT_OPEN), err
    assert out == ""


def test_tick_on_a_full_disk_exits_1_and_publishes_nothing_unrecorded(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, due_now: Path
) -> None:
    db = dry_db(due_now)
    patch_pragmas(monkeypatch, "PRAGMA max_page_count={pages}")
    code, out, err = tick(capsys, str(due_now), "--dry-run")
    assert_clean_error(code, err, "the database can't be used: database or disk is full")
    assert out == ""
    rows = durable_rows(db)
    for written in dry_run_files(due_now):
        key = written.read_text().split("key:", 1)[1].split()[0]
        assert rows.get(key) in RECORDED, key
