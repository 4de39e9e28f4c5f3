"""A daemon frozen mid-publication (SIGSTOP: a suspended laptop, a paused VM) past its lease,
while another publisher takes the post over: when it wakes up (SIGCONT) it must not send it.

Waiting out the real 60 s lease would make this test a minute long, so the test ages the lease
in the database while the daemon is stopped, and then does what the other daemon's sweep would
do: ``release_dead_claims`` marks the row ``unknown``. The daemon is frozen while Instagram is
still processing the container, i.e. before the publishing call; on waking, it polls the
container to the end and must then stop at the claim check, not call ``media_publish``.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from scheduler.database import open_store
from scheduler.store import Publication
from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.daemonproc import DaemonProcess
from tests.fakegraph import FakeGraph
from tests.helpers import wait_until

pytestmark = pytest.mark.slow

TOKEN = "EAAGpausedTOKEN0123456789abcdef0123"
JAKARTA = ZoneInfo("Asia/Jakarta")
CONTAINER_DELAY = 4.0  # seconds Instagram "processes" the container: the daemon polls meanwhile


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph(container_delay=CONTAINER_DELAY).start()
    fake.add_token(TOKEN, pages=["2001"], ig_users=["17841"])
    yield fake
    fake.stop()


def test_a_daemon_frozen_past_its_lease_does_not_publish_on_waking(
    graph: FakeGraph,
    write_calendar: WriteCalendar,
    daemons: list[DaemonProcess],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
    calendar = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  ig: {platform: instagram, ig_user_id: '17841', page_id: '2001', "
        "token: '${META_TOKEN}'}\n"
        "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\n"
        "posts:\n  - id: rapat\n    accounts: [ig]\n"
        f"    at: '{due.astimezone(JAKARTA).isoformat()}'\n"
        "    caption: Rapat desa\n    media: media/posyandu.jpg\n"
    )
    monkeypatch.setenv("JADWAL_GRAPH_URL", graph.url)  # the daemon inherits the environment
    monkeypatch.setenv("META_TOKEN", TOKEN)
    daemon = DaemonProcess([*JADWAL, "daemon", str(calendar)], calendar.parent)
    daemons.append(daemon)

    def container_created() -> bool:
        return any(q["method"] == "POST" and q["path"].endswith("/media") for q in graph.requests)

    assert wait_until(container_created, 30), daemon.output()
    store = open_store(f"sqlite:///{calendar.parent / '.jadwal' / 'jadwal.db'}")
    # Frozen while it polls the container, not in the middle of writing the container's id:
    # a process stopped inside a write transaction would hold SQLite's lock, and nobody could
    # take the row over (a database lock, not a lease, is then what stops the others).
    assert wait_until(lambda: any(r.container_id for r in store.history()), 30), daemon.output()
    daemon.process.send_signal(signal.SIGSTOP)
    try:
        [row] = store.history()
        assert row.state == "publishing" and row.owner is not None, row
        # The lease runs out while the process is frozen ...
        with store.session() as session:
            session.execute(
                update(Publication)
                .where(Publication.key == row.key)  # type: ignore[arg-type]
                .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
            )
            session.commit()
        # ... and another daemon's sweep takes the row over.
        assert store.release_dead_claims(datetime.now(UTC)) == [row.key]
    finally:
        daemon.process.send_signal(signal.SIGCONT)

    lost = f"lost {row.key}: this process was paused past its claim; not sent"
    assert daemon.wait_for(lambda: daemon.count(lost) == 1, CONTAINER_DELAY + 20), daemon.output()
    assert not any(q["path"].endswith("/media_publish") for q in graph.requests)
    assert graph.posts == []
    after = store.get(row.key)
    assert after is not None and after.state == "unknown"  # for the lookup, not a resend
    assert daemon.stop() == 0, daemon.output()
    store.close()
    assert "Traceback" not in daemon.output()
