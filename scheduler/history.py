"""``jadwal history``: what happened, from the store, as a table or JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
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


def history_table(rows: list[Publication], tz: ZoneInfo) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"jadwal history: {len(rows)} publication(s)",
        show_lines=True,
        title_justify="left",
    )
    # Four columns, as in `jadwal preview`: on an 80-column terminal the post id stays whole
    # and the link or error gets the room that is left.
    table.add_column("when", no_wrap=True)
    table.add_column("post / account", overflow="fold")
    table.add_column("state", overflow="fold")
    table.add_column("link / error", overflow="fold", ratio=1)
    colours = {
        "published": "green",
        "failed": "red",
        "unknown": "magenta",
        "missed": "red",
        "retry": "yellow",
    }
    for row in rows:
        colour = colours.get(row.state, "white")
        detail = row.permalink if row.state == "published" else row.error_message
        if row.state == "unknown":  # the key is what `jadwal resolve` needs
            detail = f"{detail or ''}\n→ jadwal resolve {row.key}".lstrip("\n")
        tries = "" if row.attempts <= 1 else f"\n{row.attempts} tries"
        table.add_row(
            row.scheduled_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            f"{row.post_id}\n{row.account}",
            f"[{colour}]{row.state}[/{colour}]{tries}",
            _escape(detail or ""),
        )
    Console().print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def now_utc() -> datetime:
    return datetime.now(UTC)
