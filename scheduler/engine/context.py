"""What one engine run works with (``Context``) and what it reports (``Report``)."""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from scheduler.adapters.base import Adapter, Draft
from scheduler.adapters.network import Endpoint, probe
from scheduler.calendar.expand import Occurrence, expand, find_occurrence
from scheduler.calendar.model import Account, Calendar
from scheduler.engine.decide import RetryPolicy
from scheduler.engine.publisher import Publisher
from scheduler.engine.snapshot import Snapshots
from scheduler.errors import CalendarError
from scheduler.i18n import N_, _
from scheduler.render import Renderer
from scheduler.store import Connection, Store


@dataclass
class Context:
    """Everything one engine run needs; the daemon makes one per loaded calendar, all
    sharing the process's ``Publisher`` (a run from before a reload may still be going)."""

    calendar: Calendar
    store: Store
    owner: str
    adapter_for: Callable[[Account], Adapter]
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    publisher: Publisher = field(default_factory=Publisher)
    # Whether an endpoint answers (None) or why not: the connection check while offline.
    probe: Callable[[Endpoint], str | None] = field(default=probe)
    renderer: Renderer = field(init=False)
    # Endpoints this process found offline (key → why), so that the claims queued behind a
    # failed attempt wait untried instead of each waiting for a connect timeout.
    offline: dict[str, str] = field(default_factory=dict)
    # What the store said was offline at this run's start, after its checks (key → outage):
    # a post that needs a host beside its account's endpoint waits for that host's return.
    outages: dict[str, Connection] = field(default_factory=dict)
    # What each attempt sends is kept on its row: media digests and the calendar's revision,
    # worked out once per version of each file.
    snapshots: Snapshots = field(default_factory=Snapshots)
    _expanded: dict[tuple[str, str], list[Occurrence]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.renderer = Renderer(self.calendar)
        problems = self.renderer.compile_templates()
        if problems:
            raise CalendarError(problems)

    def occurrences(self, since: datetime, until: datetime) -> list[Occurrence]:
        """Occurrences with ``since <= at <= until``; each day range is expanded once."""
        tz = self.calendar.timezone
        first, last = since.astimezone(tz).date(), until.astimezone(tz).date()
        with self._lock:
            found = self._expanded.get((first.isoformat(), last.isoformat()))
            if found is None:
                found = expand(self.calendar, first, last)
                if len(self._expanded) >= 4:  # a few windows (today's, the look-back): flat memory
                    self._expanded.pop(next(iter(self._expanded)))
                self._expanded[(first.isoformat(), last.isoformat())] = found
        # ``expand`` returns occurrences sorted by time: cut the window out by bisection.
        start = bisect_left(found, since, key=_at)
        end = bisect_right(found, until, key=_at)
        return found[start:end]

    def find(self, key: str) -> Occurrence | None:
        return find_occurrence(self.calendar, key)

    def draft(self, occurrence: Occurrence, caption: str) -> Draft:
        """What the adapter is handed: the occurrence, its rendered caption, its media."""
        folder = self.calendar.folder
        return Draft(
            key=occurrence.key,
            post_id=occurrence.post.id,
            account=occurrence.account.name,
            platform=occurrence.platform,
            at=occurrence.at,
            caption=caption,
            media=tuple(folder / m.path for m in occurrence.post.media),
            kind=occurrence.post.kind,
            link=occurrence.post.link,
        )


def _at(occurrence: Occurrence) -> datetime:
    return occurrence.at


# How a run's summary counts each outcome ("jadwal tick: 2 published, 1 failed").
COUNTED = {
    "published": N_("{count} published"),
    "awaiting": N_("{count} to be posted by hand"),
    "retry": N_("{count} retry"),
    "offline": N_("{count} waiting for the connection"),
    "paused": N_("{count} paused"),
    "failed": N_("{count} failed"),
    "unknown": N_("{count} unknown"),
    "missed": N_("{count} missed"),
    "skipped": N_("{count} skipped"),
}


@dataclass
class Report:
    """How many publications ended each way in one run (or one ``jadwal post``)."""

    counts: Counter[str] = field(default_factory=Counter)
    # The earliest moment a run should come back for work it had to leave (an unknown post
    # whose upload may still be arriving): the daemon wakes then, not at its next sweep.
    come_back_at: datetime | None = None

    def add(self, outcome: str) -> None:
        self.counts[str(outcome)] += 1  # plain strings, as reports and JSON have always shown

    def come_back(self, moment: datetime) -> None:
        if self.come_back_at is None or moment < self.come_back_at:
            self.come_back_at = moment

    @property
    def failed(self) -> int:
        """Publications a person must look at: failed, or waiting on a paused account."""
        return self.counts["failed"] + self.counts["paused"]

    def summary(self) -> str:
        parts = [
            _(text).format(count=self.counts[name])
            for name, text in COUNTED.items()
            if self.counts[name]
        ]
        return ", ".join(parts) or _("nothing due")
