"""``jadwal ical``: the iCalendar feed of a span of days, printed or written to a file.

What the feed last said of each event is kept in the store (``FeedEvents``), so that an event
whose content changed gets a higher SEQUENCE and a later LAST-MODIFIED, and one that did not
the same bytes. The command uses the store only when there is one: like ``history`` it never
starts one, because a new database's creation is where the publishers' record begins (a post
due after it that has no row counts as missed), and a feed made before anything publishes
must not move that moment. Without a store every event has SEQUENCE 0 (``views.feed``).
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.commands import (
    EXIT_OK,
    EXIT_USER,
    OptionError,
    option_value,
    print_problems,
    write_out,
)
from scheduler.i18n import _, ngettext
from scheduler.preview import check_window
from scheduler.runtime import Options, existing_options_store
from scheduler.views.feed import Feed, emit_feed
from scheduler.views.ranges import default_range


def now() -> datetime:
    """The moment a new or changed event is stamped with (tests hold it still)."""
    return datetime.now(UTC)


def ical(options: Options, first: date | None, last: date | None, out: Path | None) -> int:
    """Print the feed (or write it to ``out``) and keep what it said in the store; captions
    that cannot be rendered are shown in it as problems, and make the exit status 1."""
    if first is not None and last is not None:
        with option_value("--to"):  # a wrong pair is wrong whatever the calendar says
            check_window(first, last)
    calendar = load_calendar(options.calendar_path)
    span = feed_span(calendar, first, last)
    store = existing_options_store(options)
    try:
        feed = emit_feed(calendar, span, store, now())
        _emit(feed, feed.events, out)
    finally:
        if store is not None:
            store.close()
    print_problems(sorted(set(feed.problems), key=str), sys.stderr)
    return EXIT_USER if feed.problems else EXIT_OK


def feed_span(calendar: Calendar, first: date | None, last: date | None) -> tuple[date, date]:
    """``first`` to ``last``, each by default an end of ``views.ranges.default_range`` (a
    month back to three ahead of today where the calendar's office is)."""
    default_first, default_last = default_range(calendar.timezone, now())
    start, end = first or default_first, last or default_last
    if end < start and first is not None:
        raise OptionError(
            "--from",
            _("{start} is after {end}, the last day by default: add --to").format(
                start=start, end=end
            ),
        )
    if end < start:
        raise OptionError(
            "--to",
            _("{end} is before {start}, the first day by default: add --from").format(
                end=end, start=start
            ),
        )
    return start, end


def _emit(feed: Feed, count: int, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(feed.data)
        return
    shown = write_out(out, feed.data)
    line = ngettext("wrote {count} event to {shown}", "wrote {count} events to {shown}", count)
    print(line.format(count=count, shown=shown))
