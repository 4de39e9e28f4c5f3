"""A running daemon honours ``jadwal pause`` issued from another process, and ``resume``."""

from __future__ import annotations

import getpass
import socket
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from scheduler.database import open_store
from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.daemonproc import DaemonProcess, two_pages_calendar


@pytest.mark.slow
def test_a_running_daemon_skips_the_next_post_of_a_stopped_account(
    write_calendar: WriteCalendar, daemons: list[DaemonProcess]
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    first, second = now + timedelta(seconds=10), now + timedelta(seconds=18)
    calendar = write_calendar(two_pages_calendar([first, second]))
    daemon = DaemonProcess([*JADWAL, "daemon", str(calendar), "--dry-run"], calendar.parent)
    daemons.append(daemon)
    assert daemon.wait_for(lambda: daemon.count("INFO started") == 1, 20), daemon.output()

    def jadwal(*args: str) -> str:
        done = subprocess.run(
            [*JADWAL, *args, "--calendar", str(calendar), "--dry-run"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    jadwal("pause", "fb", "--reason", "Hari berkabung nasional")
    store = open_store(f"sqlite:///{calendar.parent / '.jadwal' / 'dryrun.db'}")
    key = f"p0/fb/{first:%Y%m%dT%H%M%SZ}" if first.second else f"p0/fb/{first:%Y%m%dT%H%MZ}"

    def state(row_key: str) -> str | None:
        row = store.get(row_key)
        return None if row is None else row.state

    assert daemon.wait_for(lambda: state(key) == "skipped", 30), daemon.output()
    row = store.get(key)
    assert row is not None and row.error_message is not None
    assert row.error_message.endswith("until resumed: Hari berkabung nasional")
    assert daemon.wait_for(lambda: daemon.count("INFO published p0/fb2/") == 1, 10)
    person = f"{getpass.getuser()}@{socket.gethostname()}"
    assert daemon.count(f"WARNING STOPPED fb by {person} since ") == 1
    jadwal("resume", "fb")
    assert daemon.wait_for(lambda: daemon.count("INFO published p1/") == 2, 30), daemon.output()
    assert daemon.count("INFO RESUMED fb: the stop set by") == 1
    assert state(key) == "skipped"  # not sent after the stop
    store.close()
    assert daemon.stop() == 0
    assert daemon.count("WARNING STOPPED") == 1
