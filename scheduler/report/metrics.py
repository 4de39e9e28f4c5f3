"""Public response: each post's latest reading, and the sums a report shows.

A metric the platform didn't give is None ("not available") wherever it goes: a sum is None
when no post had it, never 0, and the engagement rate of a post is known only where its reach
is (interactions / reach; interactions: likes, comments, shares and saves, those known).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from scheduler.store import FollowerReading

METRICS = ("views", "reach", "likes", "comments", "shares", "saves", "clicks")
INTERACTIONS = ("likes", "comments", "shares", "saves")
TOTALS = ("views", "reach", "likes", "comments", "shares", "saves")  # an account's engagement

Values = dict[str, int | None]


@dataclass(frozen=True, slots=True)
class PostMetrics:
    values: Values
    read_at: datetime | None

    @property
    def interactions(self) -> int | None:
        known = [self.values[m] for m in INTERACTIONS if self.values[m] is not None]
        return sum(v for v in known if v is not None) if known else None

    @property
    def rate(self) -> float | None:
        """Interactions per person reached, where the reach is known (and not 0)."""
        reach, interactions = self.values["reach"], self.interactions
        if not reach or interactions is None:
            return None
        return interactions / reach


NONE = PostMetrics(dict.fromkeys(METRICS), None)


def post_metrics(reading: Mapping[str, Any] | None) -> PostMetrics:
    """A post's figures from its latest reading's columns (``reads.latest_readings``)."""
    if reading is None:
        return NONE
    return PostMetrics({m: reading[m] for m in METRICS}, reading["read_at"])


def totals(posts: Iterable[PostMetrics], names: tuple[str, ...] = TOTALS) -> Values:
    """Each metric summed over the posts that have it; None when none has it."""
    found: Values = dict.fromkeys(names)
    for post in posts:
        for name in names:
            value = post.values[name]
            if value is not None:
                found[name] = (found[name] or 0) + value
    return found


@dataclass(frozen=True, slots=True)
class Followers:
    start: int | None  # the first reading at or after the month's start
    end: int | None  # the last reading before its end

    @property
    def growth(self) -> int | None:
        return None if self.start is None or self.end is None else self.end - self.start


def followers(readings: list[FollowerReading]) -> Followers:
    known = [r.followers for r in readings if r.followers is not None]
    return Followers(known[0], known[-1]) if known else Followers(None, None)
