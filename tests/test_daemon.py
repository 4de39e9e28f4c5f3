"""The daemon and ``tick`` as separate processes: on time, exactly once, clean stops, reloads."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler.database import open_store
from scheduler.store import Store
from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.daemonproc import two_pages_calendar

JAKARTA = ZoneInfo("Asia/Jakarta")


def dry_store(calendar: Path) -> Store:
    return open_store(f"sqlite:///{calendar.parent / '.jadwal' / 'dryrun.db'}")


def published(calendar: Path) -> dict[str, datetime]:
    """Key → when its (only) attempt started, for every published row."""
    store = dry_store(calendar)
    rows = store.history(state="published")
    return {row.key: store.attempts(row.key)[0].started_at for row in rows}


def wait_for(predicate: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()  # reap it and close its pipe


def start(calendar: Path, started: list[subprocess.Popen[str]]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [*JADWAL, "daemon", str(calendar), "--dry-run"],
        cwd=calendar.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    started.append(process)
    return process


@pytest.mark.slow
def test_daemon_publishes_on_time_and_stops_cleanly(
    write_calendar: WriteCalendar, daemon: list[subprocess.Popen[str]]
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    moments = [now + timedelta(seconds=s) for s in (6, 7, 9)]
    calendar = write_calendar(two_pages_calendar(moments))
    process = start(calendar, daemon)
    assert wait_for(lambda: len(published(calendar)) == 6, 30), "not all posts went out"
    for key, started in published(calendar).items():
        scheduled = moments[int(key.split("/")[0][1:])]
        assert timedelta(0) <= started - scheduled < timedelta(seconds=1), key
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 0  # systemd's stop is a normal end
    assert "INFO stopped" in output
    assert output.count("INFO published p") == 6


@pytest.mark.slow
def test_daemon_reloads_and_keeps_last_good_calendar(
    write_calendar: WriteCalendar, daemon: list[subprocess.Popen[str]]
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    calendar = write_calendar(two_pages_calendar([now + timedelta(hours=5)]))
    process = start(calendar, daemon)
    assert wait_for(lambda: (calendar.parent / ".jadwal" / "dryrun.db").exists(), 20)
    time.sleep(2)
    calendar.write_text(calendar.read_text() + "  - id: broken\n    at: 2026-02-30 09:00\n")
    time.sleep(4)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5)
    calendar.write_text(two_pages_calendar([now + timedelta(hours=5), soon]))
    assert wait_for(lambda: len(published(calendar)) == 2, 30)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=20)
    assert process.returncode == 130  # Ctrl-C: interrupted, as the README's table says
    # The publication in flight was recorded first, then the interruption is said.
    assert output.endswith("INFO stopped\njadwal: interrupted\n")
    assert "reload refused" in output and "'2026-02-30' is not a real date" in output
    assert "keeping the last good calendar until the file is fixed" in output
    assert "INFO reloaded: 2 posts, 2 accounts" in output


@pytest.mark.slow
def test_second_daemon_on_the_same_calendar_is_refused(
    write_calendar: WriteCalendar, daemon: list[subprocess.Popen[str]]
) -> None:
    calendar = write_calendar(two_pages_calendar([datetime.now(UTC) + timedelta(hours=1)]))
    start(calendar, daemon)
    assert wait_for(lambda: any((calendar.parent / ".jadwal").glob("*daemon.lock")), 20)
    second = subprocess.run(
        [*JADWAL, "daemon", str(calendar), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 1
    assert "another jadwal daemon (pid " in second.stderr
    assert "give each one its own --instance NAME" in second.stderr


@pytest.mark.slow
def test_racing_ticks_publish_each_occurrence_once(write_calendar: WriteCalendar) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    moments = [now - timedelta(minutes=m) for m in range(1, 21)]
    calendar = write_calendar(two_pages_calendar(moments))
    ticks = [
        subprocess.Popen(
            [*JADWAL, "tick", str(calendar), "--dry-run"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [t.communicate(timeout=120)[0] for t in ticks]
    assert [t.returncode for t in ticks] == [0, 0, 0, 0], outputs
    assert sum(o.count("INFO published") for o in outputs) == 40
    assert len(published(calendar)) == 40
    files = list((calendar.parent / ".jadwal" / "dryrun").rglob("*.txt"))
    assert len(files) == 40


@pytest.mark.slow
def test_tick_reports_missed_and_exit_codes(write_calendar: WriteCalendar) -> None:
    calendar = write_calendar(two_pages_calendar([datetime.now(UTC) - timedelta(minutes=1)]))
    done = subprocess.run(
        [*JADWAL, "tick", str(calendar), "--dry-run"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    assert done.stdout == "jadwal tick: 2 published\n"
    again = subprocess.run(
        [*JADWAL, "tick", str(calendar), "--dry-run"], capture_output=True, text=True, timeout=60
    )
    assert again.stdout == "jadwal tick: nothing due\n"


def test_reload_notices_every_kind_of_change(write_calendar: WriteCalendar) -> None:
    """What the daemon's watcher compares: a change must show whatever the file's mtime."""
    from scheduler.daemon import watched_files

    calendar = write_calendar(two_pages_calendar([datetime(2027, 1, 1, tzinfo=UTC)]))
    nested = calendar.parent / "templates" / "sosial" / "ucapan.j2"
    nested.parent.mkdir()
    nested.write_text("Selamat {{ holiday }}\n", encoding="utf-8")
    before = watched_files(calendar)
    assert nested in before  # templates in subfolders can be included, so they count

    # Edited within the file system's time resolution: same mtime, other content.
    stamp = calendar.stat().st_mtime_ns
    calendar.write_text(calendar.read_text(encoding="utf-8") + "# catatan\n", encoding="utf-8")
    os.utime(calendar, ns=(stamp, stamp))
    assert watched_files(calendar) != before

    # Replaced by a copy that kept the old time and size (`cp -p` of an older version).
    before = watched_files(calendar)
    copy = calendar.with_suffix(".baru")
    copy.write_bytes(calendar.read_bytes().replace(b"Halo", b"Hai!"))
    assert copy.stat().st_size == calendar.stat().st_size
    os.utime(copy, ns=(stamp, stamp))
    copy.replace(calendar)
    assert watched_files(calendar) != before

    before = watched_files(calendar)
    nested.write_text("Selamat hari raya {{ holiday }}\n", encoding="utf-8")
    assert watched_files(calendar) != before
