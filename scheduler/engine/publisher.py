"""``Publisher``: the order in which one process's claims go out; one per process.

An account's publications go out one at a time in time order, even when two runs (a wake-up
and the next second's, or a run started before a calendar reload and one after it) each
claimed some of them; accounts run in parallel. Claiming and queueing are one step
(``Publisher.claim``), so runs queue in the order they claimed. The daemon makes one
``Publisher`` and hands it to the ``Context`` of every calendar it loads.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime

from scheduler.calendar.expand import Occurrence
from scheduler.store import Outcome

MAX_WORKERS = 64  # accounts published in parallel; each waits on the network, not the CPU


class Publisher:
    def __init__(self) -> None:
        self._claiming = threading.Lock()
        self._changed = threading.Condition()
        self._waiting: dict[str, list[tuple[datetime, str]]] = defaultdict(list)

    def claim(self, take: Callable[[], list[Occurrence]]) -> list[Occurrence]:
        """Run ``take`` (which claims in the store) and queue what it claimed, as one step."""
        with self._claiming:
            work = take()
            self._enter(work)
        return work

    def run(
        self, work: list[Occurrence], publish: Callable[[Occurrence], Outcome | None]
    ) -> list[Outcome]:
        """``publish`` each claimed occurrence in its account's turn; what they returned."""
        by_account: dict[str, list[Occurrence]] = defaultdict(list)
        for occurrence in sorted(work, key=lambda o: o.at):
            by_account[occurrence.account.name].append(occurrence)
        if not by_account:
            return []
        workers = min(MAX_WORKERS, len(by_account))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="publish") as pool:
            done = pool.map(lambda items: self._run_account(items, publish), by_account.values())
            return [outcome for outcomes in done for outcome in outcomes]

    def _run_account(
        self, items: list[Occurrence], publish: Callable[[Occurrence], Outcome | None]
    ) -> list[Outcome]:
        outcomes = []
        try:
            for occurrence in items:
                with self._turn(occurrence):
                    outcome = publish(occurrence)
                if outcome is not None:
                    outcomes.append(outcome)
        finally:
            self._forget(items)  # after an error, later runs must not wait for these forever
        return outcomes

    def _enter(self, items: list[Occurrence]) -> None:
        with self._changed:
            for occurrence in items:
                self._waiting[occurrence.account.name].append((occurrence.at, occurrence.key))
                self._waiting[occurrence.account.name].sort()

    def _forget(self, items: list[Occurrence]) -> None:
        with self._changed:
            for occurrence in items:
                queue = self._waiting[occurrence.account.name]
                if (occurrence.at, occurrence.key) in queue:
                    queue.remove((occurrence.at, occurrence.key))
            self._changed.notify_all()

    @contextmanager
    def _turn(self, occurrence: Occurrence) -> Iterator[None]:
        mine = (occurrence.at, occurrence.key)
        with self._changed:
            queue = self._waiting[occurrence.account.name]
            self._changed.wait_for(lambda: queue[0] == mine)
        try:
            yield
        finally:
            with self._changed:
                queue.remove(mine)
                self._changed.notify_all()
