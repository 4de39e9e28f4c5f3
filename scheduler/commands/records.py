"""``jadwal history``, ``resolve`` and ``done``: what the store recorded, settling what it
can't know, and the posts people made by hand."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

from scheduler import tables
from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK
from scheduler.errors import JadwalError
from scheduler.history import as_document, history_rows, history_stops
from scheduler.i18n import _
from scheduler.runtime import Options, existing_options_store


def history(options: Options, since: date | None, state: str | None, output: str) -> int:
    """Every publication (from ``since``, in ``state``) and the stops of that time, as a
    table or JSON."""
    tz = load_calendar(options.calendar_path).timezone
    store = existing_options_store(options)  # reading the history never starts one
    if store is None and output != "json":
        print(
            _("jadwal history: no history yet ({where} does not exist)").format(
                where=_where(options)
            )
        )
        return EXIT_OK
    rows = [] if store is None else history_rows(store, since, state, tz)
    stops = [] if store is None else history_stops(store, since, tz)
    if output == "json":
        print(json.dumps(as_document(rows, stops, tz), ensure_ascii=False, indent=2))
    else:
        tables.history_table(rows, tz, stops)
    return EXIT_OK


def _where(options: Options) -> str:
    """The database file that would hold the history, as the operator knows it."""
    path = Path(options.url.removeprefix("sqlite:///"))
    with contextlib.suppress(ValueError):
        return str(path.relative_to(options.calendar_path.resolve().parent))
    return str(path)


def resolve(options: Options, key: str, published: str | None) -> int:
    """Settle an unknown publication: it went out at ``published`` (a URL), or, when None,
    it did not and is published again."""
    store = existing_options_store(options)
    row = None if store is None else store.get(key)
    if store is None or row is None:
        raise JadwalError(_("no publication with key {key} (see jadwal history)").format(key=key))
    if not store.resolve(key, datetime.now(UTC), published):
        raise JadwalError(
            _("{key} is {state}, not unknown: nothing to resolve").format(key=key, state=row.state)
        )
    if published:
        print(_("{key}: published ({link})").format(key=key, link=published))
    else:
        print(_("{key}: will be published again").format(key=key))
    return EXIT_OK


def done(options: Options, key: str, link: str | None) -> int:
    """A post made by hand after its reminder: awaiting → published (at ``link``)."""
    store = existing_options_store(options)
    row = None if store is None else store.get(key)
    if store is None or row is None:
        raise JadwalError(_("no publication with key {key} (see jadwal history)").format(key=key))
    if not store.by_hand.done(key, datetime.now(UTC), link):
        raise JadwalError(
            _(
                "{key} is {state}, not awaiting: only a post made by hand after its reminder "
                "(platform: whatsapp) is confirmed with jadwal done"
            ).format(key=key, state=row.state)
        )
    said = _("{key}: published ({link})") if link else _("{key}: published")
    print(said.format(key=key, link=link))
    return EXIT_OK
