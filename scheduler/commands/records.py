"""``jadwal history`` and ``resolve``: what the store recorded, and settling what it can't know."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from scheduler import tables
from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK
from scheduler.errors import JadwalError
from scheduler.history import as_document, history_rows, history_stops
from scheduler.runtime import Options, open_options_store


def history(options: Options, since: date | None, state: str | None, output: str) -> int:
    """Every publication (from ``since``, in ``state``) and the stops of that time, as a
    table or JSON."""
    tz = load_calendar(options.calendar_path).timezone
    store = open_options_store(options)
    rows, stops = history_rows(store, since, state, tz), history_stops(store, since, tz)
    if output == "json":
        print(json.dumps(as_document(rows, stops, tz), ensure_ascii=False, indent=2))
    else:
        tables.history_table(rows, tz, stops)
    return EXIT_OK


def resolve(options: Options, key: str, published: str | None) -> int:
    """Settle an unknown publication: it went out at ``published`` (a URL), or, when None,
    it did not and is published again."""
    store = open_options_store(options)
    row = store.get(key)
    if row is None:
        raise JadwalError(f"no publication with key {key} (see jadwal history)")
    if not store.resolve(key, datetime.now(UTC), published):
        raise JadwalError(f"{key} is {row.state}, not unknown: nothing to resolve")
    print(f"{key}: " + (f"published ({published})" if published else "will be published again"))
    return EXIT_OK
