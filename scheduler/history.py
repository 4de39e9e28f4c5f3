"""``jadwal history``: what happened, read from the store, and its JSON form."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from scheduler.store import Publication, Store


def history_rows(
    store: Store, since: date | None, state: str | None, tz: ZoneInfo
) -> list[Publication]:
    start = datetime.combine(since, time(0, 0), tzinfo=tz) if since else None
    return store.history(start, state)


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
    }
