"""Two publishers holding the same claim race into ``Store.start_publishing``: one must win.

How two publishers come to hold one claim: a claim waiting in a daemon's queue is not
renewed, so after ``LEASE`` (60 s) the next ``publish_due`` — the same daemon's sweep, or
another daemon's — settles it as dead (``claimed → retry``) and claims it again. The first
queue still holds it. Found by ``bench/burst.py`` (1,000 posts due at one minute, SQLite):
two threads of one daemon started attempt 1 of the same key 39 ms apart; the fake refused the
second copy as a duplicate (#506), a platform that doesn't would have shown the post twice.

Queued claims now keep their lease, and ``start_publishing`` is one guarded UPDATE; this
test lines the two racers' statements up deterministically (each waits up to 1 s for the
other's first statement) and checks that exactly one of them starts the attempt, on both
SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from scheduler.database import open_store
from scheduler.store import LEASE, Publication, Store

KEY = "p1/fb/20270301T0200Z"
OWNER = "host:daemon"
NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.close()


def claimed_row() -> Publication:
    return Publication(
        key=KEY,
        post_id="p1",
        account="fb",
        platform="facebook",
        scheduled_at=NOW,
        state="claimed",
        owner=OWNER,
        lease_until=NOW + LEASE,
        created_at=NOW,
        updated_at=NOW,
    )


class LinedUpReads:
    """Holds each racer just after its read of the row until the other has read it too."""

    def __init__(self, racers: int) -> None:
        self.read = {f"racer-{n}": threading.Event() for n in range(racers)}

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        name = threading.current_thread().name
        if name not in self.read or not statement.lstrip().upper().startswith("SELECT"):
            return
        if "FROM publications" not in statement:
            return
        self.read[name].set()
        for other, done in self.read.items():
            if other != name:
                done.wait(timeout=1.0)


def race(store: Store, racers: int = 2) -> list[int]:
    lined_up = LinedUpReads(racers)
    event.listen(store.engine, "after_cursor_execute", lined_up)
    results: list[int] = []

    def run() -> None:
        started = store.start_publishing(KEY, OWNER, NOW + timedelta(seconds=1), "hash")
        results.append(started.number if started is not None else 0)

    threads = [threading.Thread(target=run, name=name) for name in lined_up.read]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    event.remove(store.engine, "after_cursor_execute", lined_up)
    return results


def test_only_one_of_two_racers_starts_publishing(store: Store) -> None:
    assert store.claim_new(claimed_row())
    results = race(store)
    assert sorted(results) == [0, 1], results
    assert len(store.attempts(KEY)) == 1
    row = store.get(KEY)
    assert row is not None and row.state == "publishing" and row.attempts == 1
