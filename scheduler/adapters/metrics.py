"""What an adapter says of published posts' engagement, in jadwal's one vocabulary.

``Target`` goes in (one published post to read), ``Readings`` comes out: a ``Metrics`` per
post read, the error of each post that could not be read, the account's followers when they
were asked for, and what the collector should know about the account as a whole (a Page too
small for insights, a rate limit that is close). A metric the platform does not give is None,
never 0: a report must be able to tell "nobody" from "not known".
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from scheduler.errors import PublishError

METRICS = ("views", "reach", "likes", "comments", "shares", "saves", "clicks", "replies")


@dataclass(frozen=True)
class Target:
    """One published post to read: the store's key, the platform's id, and its kind
    (``feed``, ``reel``, ``story``…, which decides what the platform can say of it)."""

    key: str
    platform_post_id: str
    kind: str | None
    published_at: datetime


@dataclass(frozen=True)
class Metrics:
    views: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    replies: int | None = None

    def values(self) -> dict[str, int | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Readings:
    """What one read of an account gave. ``failed`` holds the posts that could not be read
    (their slot is tried again later); ``followers_failed`` the same for the follower count.
    ``note``: a fact about the whole account, said once (a Page under 100 likes has no
    insights). ``hold``: how long the platform wants reads to stop (a throttling answer, or
    usage headers above the limit jadwal keeps to); None when it may go on."""

    posts: dict[str, Metrics] = field(default_factory=dict)
    failed: dict[str, PublishError] = field(default_factory=dict)
    followers: int | None = None
    followers_read: bool = False
    followers_failed: PublishError | None = None
    note: str | None = None
    hold: timedelta | None = None
