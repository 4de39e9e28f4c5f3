"""When a published post's insights are read: about 1 hour, 1 day, 7 days and 28 days after
publication (``SLOTS``), and on demand (``MANUAL``).

A slot is due once its time has come and it has no reading. Only the newest slot that has
come is ever read: an older one still unread was missed by more than its own span (the 1h
reading of a post found a day later), and reading it now would only repeat the newer one's
figures, so it is read once, late, as that newer slot, never again. A story's insights exist
for 24 hours only, so a story has its 1h slot and nothing after.

To spend requests well, a due reading may wait a little for company (``SETTLE``): an account
is read when one of its readings has waited its settle time, and every other reading then
due goes in the same request. The 1h reading never waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SLOTS: tuple[tuple[str, timedelta], ...] = (
    ("1h", timedelta(hours=1)),
    ("1d", timedelta(days=1)),
    ("7d", timedelta(days=7)),
    ("28d", timedelta(days=28)),
)
SETTLE = {"1h": timedelta(0), "1d": timedelta(hours=2), "7d": timedelta(hours=6),
          "28d": timedelta(hours=12)}  # fmt: skip
MANUAL = "manual"
STORY_LIFE = timedelta(hours=24)
# The 28d slot is read up to its own span late; older posts are no longer read by schedule.
HORIZON = SLOTS[-1][1] * 2
FOLLOWERS_EVERY = timedelta(hours=30)  # alone; a post read first usually brings them along
FOLLOWERS_ALONG = timedelta(hours=12)  # read earlier, along with posts, once this old


@dataclass(frozen=True)
class Due:
    slot: str
    urgent: bool  # waited its settle time: the account is read now


def due_slot(
    published_at: datetime, kind: str | None, taken: set[str], now: datetime
) -> Due | None:
    """The slot to read now, or None when none is due."""
    if kind == "story" and now >= published_at + STORY_LIFE:
        return None
    came = [i for i, (_, span) in enumerate(SLOTS) if now >= published_at + span]
    done = [i for i, (name, _) in enumerate(SLOTS) if name in taken]
    newer = [i for i in came if i > max(done, default=-1)]
    if not newer:
        return None
    name, span = SLOTS[newer[-1]]
    return Due(name, now >= published_at + span + SETTLE[name])


def followers_due(last: datetime | None, now: datetime) -> Due | None:
    """An account's follower count, about once a day (slot: the day's date): along with its
    posts once 12 hours old, alone only after 30, so that a daily post brings it along."""
    if last is not None and now - last < FOLLOWERS_ALONG:
        return None
    return Due(f"{now:%Y-%m-%d}", last is None or now - last >= FOLLOWERS_EVERY)


def followers_key(account: str) -> str:
    return f"followers:{account}"
