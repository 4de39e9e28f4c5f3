"""The store: what already happened, and the claims that decide who publishes.

One row per occurrence key in ``publications``; every try in ``attempts``; accounts paused
after a login or token error in ``account_pauses``; the emergency stops people issue, lifted
ones included, in ``stops``. A claim is a single atomic statement — an INSERT guarded by the
primary key, or an UPDATE guarded by the row's state — so whichever process (on this machine
or another sharing PostgreSQL) wins it publishes, and every other one moves on. Claims carry an
owner and a lease that the owner keeps renewing while it works; an expired lease means the
owner died. Every other state change is one guarded statement or one transaction too
(``Store.settle`` applies a ``Transition``). Times are stored in UTC.

- ``states``: ``State``, ``Outcome``, ``Transition``, ``Started``, ``LEASE``;
- ``tables``: the SQLModel tables;
- ``connect``: engines for SQLite and PostgreSQL;
- ``store``: ``Store``, every read and state change;
- ``stops``: ``Stops`` (``Store.stops``), issuing, lifting and reading the stops;
- ``connections``: ``Connections`` (``Store.connections``), the endpoints that can't be
  reached, shared by every process;
- ``byhand``: ``ByHand`` (``Store.by_hand``), the posts a person makes once reminded:
  confirmed (``jadwal done``) or missed after their grace period;
- ``feed``: ``FeedEvents``, what the iCalendar feed last emitted of each event;
- ``insights``: ``Insights`` (``Store.insights``), the metrics and follower readings.
"""

from scheduler.store.connect import make_engine, sqlite_url
from scheduler.store.states import (
    ACTIVE,
    LEASE,
    STATES,
    Outcome,
    Sent,
    Started,
    State,
    Transition,
)
from scheduler.store.stops import Stops
from scheduler.store.store import Store
from scheduler.store.tables import (
    AccountPause,
    Attempt,
    Connection,
    FeedEvent,
    FollowerReading,
    InsightReading,
    Meta,
    Publication,
    Stop,
    UTCDateTime,
    local_time,
)

__all__ = [
    "ACTIVE",
    "LEASE",
    "STATES",
    "AccountPause",
    "Attempt",
    "Connection",
    "FeedEvent",
    "FollowerReading",
    "InsightReading",
    "Meta",
    "Outcome",
    "Publication",
    "Sent",
    "Started",
    "State",
    "Stop",
    "Stops",
    "Store",
    "Transition",
    "UTCDateTime",
    "local_time",
    "make_engine",
    "sqlite_url",
]
