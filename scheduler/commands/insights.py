"""``jadwal insights``: read the insights that are due now (for cron; the daemon does it on
its own schedule), or every post still readable (``--now``), or only say what is due
(``--dry-run``, which contacts nothing and writes nothing)."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from datetime import UTC, datetime

from scheduler.calendar.load import load_calendar
from scheduler.commands import EXIT_FAILED, EXIT_OK, known_account
from scheduler.daemon import configure_logging
from scheduler.database import existing_store
from scheduler.i18n import _, ngettext
from scheduler.insights.collect import Plan, collect, plan
from scheduler.runtime import Options, make_context, open_options_store, owner_name


def insights(options: Options, manual: bool, account: str | None, verbose: bool) -> int:
    """0 when every reading was made, 2 when some failed (they are tried again later)."""
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    calendar = load_calendar(options.calendar_path)
    known_account(calendar, account)
    if options.dry_run:
        return _dry_run(options, manual, account)
    ctx = make_context(calendar, open_options_store(options), options, owner_name("insights"))

    def tell(text: str) -> None:
        print(f"jadwal insights: {text}", file=sys.stderr, flush=True)

    summary = collect(
        calendar,
        ctx.store,
        ctx.adapter_for,
        ctx.owner,
        lambda: datetime.now(UTC),
        manual=manual,
        only=account,
        tell=tell,
    )
    print(f"jadwal insights: {summary.text()}")
    return EXIT_FAILED if summary.failed else EXIT_OK


def _dry_run(options: Options, manual: bool, account: str | None) -> int:
    """What is due in the live history, read without writing and without contacting Meta."""
    calendar = load_calendar(options.calendar_path)
    store = existing_store(Options(options.calendar_path, options.db).url)
    due = [] if store is None else plan(calendar, store, datetime.now(UTC), manual, account)
    for found in due:
        print(_describe(found))
    readings = sum(len(p.posts) + (1 if p.followers else 0) for p in due)
    text = ngettext(
        "dry run: {n} reading is due; nothing was contacted",
        "dry run: {n} readings are due; nothing was contacted",
        readings,
    )
    print(f"jadwal insights: {text.format(n=readings)}")
    return EXIT_OK


def _describe(found: Plan) -> str:
    slots = Counter(slot for _target, slot in found.posts)
    parts = [f"{slot}: {count}" for slot, count in slots.items()]
    posts = ngettext("{n} post", "{n} posts", len(found.posts)).format(n=len(found.posts))
    line = f"{found.account.name}: {posts}" + (f" ({', '.join(parts)})" if parts else "")
    return line + (_(", followers") if found.followers else "")
