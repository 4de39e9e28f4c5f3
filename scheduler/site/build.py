"""``write_site``: the whole site for a range of months, from the calendar and the history.

One expansion of the calendar over the weeks the months show, one read of the store, each
occurrence rendered and checked once (``check.OccurrenceChecks``; not at all when the last
run's answers still hold: ``site.verdicts``), each picture copied once
(``Thumbs``); then the pages and the iCalendar feed (``calendar.ics``, as ``jadwal ical``
writes it), each written only when its bytes change (``Output``). A page whose fingerprint
(``site.prints``) is the one it was written with is not drawn at all, so a rerun's cost
follows what changed. Nothing on a page depends on when it was written: the same calendar,
history and ``now`` give the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.calendar.expand import Occurrence, expand
from scheduler.calendar.model import Calendar
from scheduler.calendar.secrets import secrets_of
from scheduler.i18n import language
from scheduler.secrets import scrub
from scheduler.site.entries import Entry, build_entries
from scheduler.site.looks import Looks
from scheduler.site.output import Output
from scheduler.site.pages import (
    STYLESHEET,
    Pages,
    Site,
    list_file,
    month_file,
    post_file,
    zone_label,
)
from scheduler.site.prints import Prints
from scheduler.site.thumbs import Thumbs
from scheduler.site.verdicts import KeptChecks
from scheduler.views import month as months
from scheduler.views.feed import emit_feed
from scheduler.views.ranges import last_day
from scheduler.views.strip import Strip, rhythm_strips

if TYPE_CHECKING:
    from scheduler.store import Store


FEED = "calendar.ics"


@dataclass(frozen=True)
class Written:
    """What a run wrote, for the command's summary."""

    folder: Path
    months: int
    posts: int
    with_errors: int  # post pages that show a check error
    changed: int  # files whose bytes changed
    removed: int  # files of an earlier run that are no longer part of the site
    drawn: int = 0  # pages drawn: those whose fingerprint was new (the rest were kept)


def write_site(
    calendar: Calendar,
    outdir: Path,
    first: date,
    last: date,
    store: Store | None = None,
    now: datetime | None = None,
) -> Written:
    """Write the months from ``first``'s to ``last``'s into ``outdir`` (states from ``store``
    when there is one, as of ``now``); the daemon can call it to keep a site fresh."""
    now = now or datetime.now(UTC)
    output = Output(outdir)  # refuses a file in the folder's place before any work
    start, end = months.weeks_shown(first, last)
    occurrences = expand(calendar, start, end)
    shown = months.months_view(calendar, first, last, store, now=now, occurrences=occurrences)
    entries, checks = _entries(calendar, shown, occurrences)
    thumbs = Thumbs(outdir)
    site = Site(
        tuple((m.year, m.month) for m in shown),
        zone_label(calendar.timezone.key, now.astimezone(calendar.timezone)),
        calendar.rules.min_posts_per_week,
    )
    secrets = secrets_of(calendar)
    pages = Pages(site, Looks(calendar.folder, thumbs), secrets)
    # A page drawn in English is drawn again in Indonesian: the language is every page's.
    shared = (language(), site, str(calendar.folder.resolve()))
    prints = Prints(shared, lambda text: scrub(text, secrets), thumbs.source)
    strips = rhythm_strips(calendar, store, now)
    _write_pages(output, pages, prints, entries, shown, strips, calendar.folder)
    today = now.astimezone(calendar.timezone).date()
    counts = {(m.year, m.month): len(m.entries()) for m in shown}
    output.write("index.html", pages.index(_current(site.months, today), counts))
    output.write(STYLESHEET, files("scheduler.site").joinpath("static", STYLESHEET).read_bytes())
    span = (date(first.year, first.month, 1), last_day(last.year, last.month))
    output.write(FEED, _feed(calendar, span, store, now, output.existing(FEED), entries, checks))
    removed = output.finish(thumbs.written)
    errors = sum(any(p.is_error for p in e.problems) for e in entries)
    counted = (len(shown), len(entries), errors, output.changed, len(removed), output.drawn)
    return Written(outdir, *counted)


def _entries(
    calendar: Calendar, shown: list[months.Month], occurrences: list[Occurrence]
) -> tuple[list[Entry], KeptChecks]:
    """Every entry the months show with its cards, rendered and checked (or as the last run
    found them, while that holds)."""
    checks = KeptChecks(calendar, occurrences)
    entries = build_entries(_views(shown), occurrences, checks)
    checks.keep()
    return entries, checks


def _write_pages(
    output: Output,
    pages: Pages,
    prints: Prints,
    entries: list[Entry],
    shown: list[months.Month],
    strips: list[Strip],
    folder: Path,
) -> None:
    """The posts' pages, then each month's grid and list (which link to them), each drawn
    only when its fingerprint is new (``folder``: the calendar's, where the media are)."""
    for entry in entries:
        draw = functools.partial(_post_page, pages, entry)
        output.page(post_file(entry.slug), prints.post(entry, folder), draw)
    for view in shown:
        grid, listing = month_file(view.year, view.month), list_file(view.year, view.month)
        draw = functools.partial(_page, pages.month, view, strips)
        output.page(grid, prints.month(view, strips, "month"), draw)
        draw = functools.partial(_page, pages.month_list, view)
        output.page(listing, prints.month(view, (), "list"), draw)


def _post_page(pages: Pages, entry: Entry) -> tuple[str, tuple[str, ...]]:
    """The post's page and the media copies it shows."""
    looks = pages.looks_of(entry)
    return pages.post(entry, looks), looks.copies()


def _page(draw: Callable[..., str], *values: object) -> tuple[str, tuple[str, ...]]:
    """A page that shows no media copy."""
    return draw(*values), ()


def _feed(
    calendar: Calendar,
    span: tuple[date, date],
    store: Store | None,
    now: datetime,
    existing: bytes | None,
    entries: list[Entry],
    checks: KeptChecks,
) -> bytes:
    """The same feed as ``jadwal ical``, for a supervisor's calendar app once the site is
    served: from the occurrences and captions the pages already have (one that could not be
    rendered is rendered again, so that the feed gets its error as ``Renderer.render``
    raises it)."""
    # By id(): the feed is given these very occurrences (``occurrences`` keeps them alive),
    # and an occurrence's key is worked out from its time each time it is asked for.
    rendered = {id(c.occurrence): c.caption for e in entries for c in e.cards}
    occurrences = [c.occurrence for e in entries for c in e.cards]

    def render(occurrence: Occurrence) -> str:
        caption = rendered.get(id(occurrence))
        return caption if caption is not None else checks.renderer.render(occurrence)

    return emit_feed(calendar, span, store, now, existing, occurrences, render).data


def _views(shown: list[months.Month]) -> list[months.Entry]:
    """Every entry the months show, each once (the weeks at a month's edges are shown in
    both months), in time order."""
    found: dict[tuple[datetime, str], months.Entry] = {}
    for view in shown:
        for week in view.weeks:
            for day in week.days:
                for entry in day.entries:
                    found.setdefault((entry.at, entry.post_id), entry)
    return list(found.values())


def _current(shown: tuple[tuple[int, int], ...], today: date) -> tuple[int, int]:
    """The month the index opens: this month, or the nearest end of the range."""
    here = (today.year, today.month)
    if here in shown:
        return here
    return shown[0] if here < shown[0] else shown[-1]
