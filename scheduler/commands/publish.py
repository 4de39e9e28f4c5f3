"""``jadwal daemon``, ``tick`` and ``post``: the three ways posts go out."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable
from datetime import UTC, datetime

from scheduler.calendar.load import load_calendar
from scheduler.calendar.values import parse_datetime
from scheduler.commands import EXIT_FAILED, EXIT_OK, option_value
from scheduler.daemon import configure_logging
from scheduler.engine import Context
from scheduler.i18n import N_, _, ngettext
from scheduler.manual import choose, publish_now
from scheduler.runtime import (
    Options,
    make_context,
    open_options_store,
    owner_name,
    run_daemon,
)
from scheduler.runtime import tick as run_tick

DAEMON_GC = (700, 10, 10)


def daemon(options: Options, instance: str | None, verbose: bool) -> int:
    """Publish every post at its time until stopped."""
    gc.set_threshold(*DAEMON_GC)  # months of running: Python's own collection pace
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    run_daemon(options, instance, None if options.dry_run else refresh_after)
    return EXIT_OK


def refresh_after(ctx: Context) -> None:
    """After a run that published: the static site at ``site.dir``, if the calendar has one
    (a dry run redraws nothing: its history is a rehearsal's)."""
    from scheduler.site.refresh import refresh_site

    refresh_site(ctx.calendar, ctx.store, ctx.clock())


WAITS = N_(
    "no connection; it was not sent, and goes out by itself as soon as the connection is "
    "back, when the daemon or jadwal tick runs (within its grace period)"
)


BY_HAND = N_(
    "to be posted by hand: its reminder goes out with the next jadwal tick (or from the "
    "daemon); once it is posted, jadwal done KEY --link URL"
)


def tick(options: Options, now: str | None, verbose: bool) -> int:
    """Publish what is due and exit; 2 if a publication failed, so cron mails the output."""
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    moment = None
    if now is not None:
        # Read in the calendar's zone, and a wrong one is a usage error (exit 2) like every
        # other bad date on the command line.
        with option_value("--now"):
            moment = parse_datetime(now, load_calendar(options.calendar_path).timezone)
    report = run_tick(options, moment, None if options.dry_run else refresh_after)
    print(f"jadwal tick: {report.summary()}")
    return EXIT_FAILED if report.failed else EXIT_OK


def post(
    options: Options,
    post_id: str,
    account: str | None,
    at: str | None,
    again: bool,
    confirm: Callable[[str], bool] | None,
) -> int:
    """Show the captions of one post's occurrence(s), ask ``confirm`` (unless None), publish.

    2 if one failed, its outcome is unknown, or it waits for the connection.
    """
    configure_logging(logging.INFO)
    calendar = load_calendar(options.calendar_path)
    with option_value("--at"):
        when = None if at is None else parse_datetime(at, calendar.timezone)
    # Chosen (and a draft refused) before the database is opened: a refusal records nothing.
    chosen = choose(calendar, post_id, account, when, datetime.now(UTC))
    ctx = make_context(calendar, open_options_store(options), options, owner_name("post"))
    for occurrence in chosen:
        print(
            f"--- {occurrence.key} ({occurrence.platform}, "
            f"{occurrence.at:%Y-%m-%d %H:%M %Z})\n{ctx.renderer.render(occurrence)}\n"
        )
    target = _("dry run") if options.dry_run else _("LIVE")
    question = ngettext(
        "Publish {count} post now ({target})?", "Publish {count} posts now ({target})?", len(chosen)
    )
    if confirm is not None and not confirm(question.format(count=len(chosen), target=target)):
        print(_("nothing published"))
        return EXIT_OK
    report = publish_now(ctx, chosen, datetime.now(UTC), again)
    print(f"jadwal post: {report.summary()}")
    if report.counts["offline"]:
        print("jadwal post: " + _(WAITS), file=sys.stderr)
    if report.counts["awaiting"]:
        print("jadwal post: " + _(BY_HAND), file=sys.stderr)
    waiting = report.counts["unknown"] + report.counts["offline"]
    return EXIT_FAILED if report.failed or waiting else EXIT_OK
