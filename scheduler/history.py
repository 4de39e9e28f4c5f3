"""``jadwal history``: what happened, read from the store, and its JSON form.

Beside the publications it shows the emergency stops people issued (``jadwal pause``): those
in force and those that ended within the history's window, with who, since, until and why.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.engine.decide import duration
from scheduler.i18n import _
from scheduler.store import Publication, Stop, Store, local_time

LATE = timedelta(minutes=1)  # later than this after its time, a publication says so


def history_rows(
    store: Store, since: date | None, state: str | None, tz: ZoneInfo
) -> list[Publication]:
    return store.history(_start(since, tz), state)


def history_stops(store: Store, since: date | None, tz: ZoneInfo) -> list[Stop]:
    """The stops in force from ``since`` on (every stop when None), oldest first; they are
    shown whatever ``--state`` says, because they explain what was skipped."""
    return store.stops.recent(ended_after=_start(since, tz))


def _start(since: date | None, tz: ZoneInfo) -> datetime | None:
    return datetime.combine(since, time(0, 0), tzinfo=tz) if since else None


def as_document(
    rows: list[Publication], stops: list[Stop], tz: ZoneInfo, now: datetime | None = None
) -> dict[str, object]:
    """``--format json``: ``{"publications": [...], "stops": [...]}``."""
    now = now or datetime.now(UTC)
    return {
        "publications": [as_json(row, tz) for row in rows],
        "stops": [stop_json(stop, tz, now) for stop in stops],
    }


def as_json(row: Publication, tz: ZoneInfo) -> dict[str, object]:
    error = None
    if row.error_message and row.state not in ("published",):
        error = row.error_message
    return {
        "key": row.key,
        "post_id": row.post_id,
        "account": row.account,
        "platform": row.platform,
        "at": row.scheduled_at.astimezone(tz).isoformat(),
        "state": row.state,
        "attempts": row.attempts,
        "platform_post_id": row.platform_post_id,
        "permalink": row.permalink,
        "error": error,
        "published_at": _iso(row.published_at, tz),
        "waiting_for_connection_since": _iso(row.offline_since, tz),
        "waited_for_connection_seconds": row.waited_seconds,
    }


def lateness(row: Publication, tz: ZoneInfo) -> str | None:
    """Why a post went out late, or waits: ``published 2h05m late: waited 2h04m for the
    connection``, ``waiting for the connection since 08:55 WIB``; None when on time."""
    waited = row.waited_seconds
    if row.state == "retry" and row.offline_since is not None:
        since = local_time(row.offline_since, tz)
        return _("waiting for the connection since {since}").format(since=since)
    if row.state != "published" or row.published_at is None:
        return None
    late = row.published_at - row.scheduled_at
    if late < LATE:
        return None
    if waited:
        said = _("published {late} late: waited {waited} for the connection")
        return said.format(late=duration(late), waited=duration(timedelta(seconds=waited)))
    return _("published {late} late").format(late=duration(late))


def stop_json(stop: Stop, tz: ZoneInfo, now: datetime) -> dict[str, object]:
    """One stop; ``account`` is null for a stop of every account."""
    return {
        "account": stop.account,
        "stopped_by": stop.stopped_by,
        "since": _iso(stop.since, tz),
        "until": _iso(stop.until, tz),
        "reason": stop.reason,
        "lifted_at": _iso(stop.lifted_at, tz),
        "lifted_by": stop.lifted_by,
        "in_force": stop.in_force(now),
    }


def _iso(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return None if moment is None else moment.astimezone(tz).isoformat(timespec="seconds")
