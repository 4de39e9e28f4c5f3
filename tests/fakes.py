"""Test doubles for the engine: a scripted platform adapter, a settable clock, a context."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler.adapters.base import Draft, Lookup, Progress, Published
from scheduler.calendar import load_calendar
from scheduler.database import open_store
from scheduler.engine import Context, Publisher, RetryPolicy


@dataclass(frozen=True)
class Call:
    """One ``publish`` the engine made: which occurrence, with which caption."""

    key: str
    caption: str


@dataclass(frozen=True)
class Step:
    """What one scripted ``publish`` call does: save a container id, then raise ``error``."""

    error: BaseException | None = None
    container: str | None = None


class ScriptedAdapter:
    """Implements ``scheduler.adapters.base.Adapter``; succeeds unless told otherwise.

    ``fail(...)`` queues outcomes for the next calls (per account, or for any account);
    ``lookup`` is what ``find`` answers (or raises, when it is an exception). Thread-safe:
    the engine publishes accounts in parallel.
    """

    def __init__(self, lookup: Lookup | BaseException | None = None) -> None:
        self.calls: list[Call] = []
        self.finds: list[tuple[str, str | None]] = []
        self.lookup: Lookup | BaseException = lookup or Lookup("unknown")
        self._script: dict[str | None, deque[Step]] = {}
        self._lock = threading.Lock()

    def fail(
        self, *errors: BaseException, container: str | None = None, account: str | None = None
    ) -> ScriptedAdapter:
        """The next ``len(errors)`` calls (for ``account``, or any) raise these, in order."""
        queue = self._script.setdefault(account, deque())
        queue.extend(Step(error, container) for error in errors)
        return self

    @property
    def keys(self) -> list[str]:
        return [call.key for call in self.calls]

    def publish(self, draft: Draft, progress: Progress) -> Published:
        progress.confirm()  # as every real adapter does before the call that publishes
        with self._lock:
            self.calls.append(Call(draft.key, draft.caption))
            number = len(self.calls)
            queue = self._script.get(draft.account) or self._script.get(None)
            step = queue.popleft() if queue else Step()
        if step.container is not None:
            progress.save(step.container)
        if step.error is not None:
            raise step.error
        return Published(platform_post_id=f"fake-{number}", permalink=f"https://fake/p/{number}")

    def find(self, draft: Draft, container_id: str | None) -> Lookup:
        with self._lock:
            self.finds.append((draft.key, container_id))
        if isinstance(self.lookup, BaseException):
            raise self.lookup
        return self.lookup


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_ctx(
    calendar_path: Path,
    database_url: str,
    adapter: ScriptedAdapter,
    owner: str = "test-owner",
    clock: Callable[[], datetime] | None = None,
    publisher: Publisher | None = None,
) -> Context:
    """An engine context on a freshly loaded calendar; every account publishes via ``adapter``.

    Each context has a ``Publisher`` of its own (as a separate process would) unless one is
    given: the daemon hands the same one to the context of every calendar it reloads.
    """
    return Context(
        calendar=load_calendar(calendar_path),
        store=open_store(database_url),
        owner=owner,
        adapter_for=lambda account: adapter,
        retry=RetryPolicy(max_attempts=3, base=timedelta(minutes=1)),
        clock=clock or Clock(datetime(2027, 3, 1, tzinfo=UTC)),
        publisher=publisher or Publisher(),
    )
