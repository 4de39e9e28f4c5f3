"""``jadwal site``: write the static web calendar of a range of months into a folder."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

from scheduler.calendar import load_calendar
from scheduler.commands import EXIT_OK, option_value
from scheduler.i18n import _, ngettext
from scheduler.preview import check_window
from scheduler.runtime import Options, existing_options_store
from scheduler.site.build import Written, write_site
from scheduler.views.ranges import default_range


def site(options: Options, outdir: Path, first: date | None, last: date | None) -> int:
    """Write the months from ``first``'s to ``last``'s (default: last month to three months
    ahead) with each post's state from the history, when there is one."""
    if first is not None and last is not None:
        with option_value("--to"):
            check_window(first, last)
    calendar = load_calendar(options.calendar_path)
    default_first, default_last = default_range(calendar.timezone)
    first, last = first or default_first, last or default_last
    with option_value("--to"):
        check_window(first, last)
    store = existing_options_store(options)  # looking never starts a history
    written = write_site(calendar, outdir, first, last, store, datetime.now(UTC))
    print(summary(written, outdir))
    return EXIT_OK


def summary(written: Written, outdir: Path) -> str:
    """One line: what was written where, and the page to open."""
    months = ngettext("{count} month", "{count} months", written.months)
    pages = ngettext("{count} post page", "{count} post pages", written.posts)
    errors = ""
    if written.with_errors:
        errors = " " + ngettext(
            "({count} with check errors)", "({count} with check errors)", written.with_errors
        ).format(count=written.with_errors)
    index = os.path.join(outdir, "index.html")
    line = _("wrote {months}, {pages}{errors} to {folder} (open {index})")
    return "jadwal site: " + line.format(
        months=months.format(count=written.months),
        pages=pages.format(count=written.posts),
        errors=errors,
        folder=outdir,
        index=index,
    )
