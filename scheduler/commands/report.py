"""``jadwal report``: a month's evaluation, as a page to print and sign (HTML), Markdown for a
message, CSV for a spreadsheet or JSON for a program.

A report reads the history and never starts one (``existing_options_store``): a month with no
history has nothing to evaluate, and a database made by looking would move the moment the
publishers' record begins. It never asks a platform: the public's figures are the readings
the insight collector kept.
"""

from __future__ import annotations

import dataclasses
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.calendar.values import parse_month
from scheduler.commands import EXIT_OK, write_out
from scheduler.errors import JadwalError, MonthError
from scheduler.files import display_path
from scheduler.i18n import _
from scheduler.report.build import Report, build_report
from scheduler.runtime import Options, existing_options_store
from scheduler.views.ranges import add_months

FOLDER = "reports"  # beside the calendar, for the HTML report when --out is not given


def now() -> datetime:
    """The moment that decides the default month and what is missed or still to come (a
    function, so that a test can set it)."""
    return datetime.now(UTC)


def report(options: Options, month: str | None, output: str, out: Path | None) -> int:
    calendar = load_calendar(options.calendar_path)
    moment = now()
    first = chosen_month(month, calendar, moment)
    store = existing_options_store(options)
    if store is None:
        raise JadwalError(
            _(
                "there is no history at {path}: nothing has been published from this calendar "
                "yet, so there is no month to report (give --db for another database)"
            ).format(path=display_path(Path(options.url.removeprefix("sqlite:///"))))
        )
    try:
        built = build_report(calendar, store, first.year, first.month, moment)
    finally:
        store.close()
    built = dataclasses.replace(built, rehearsal=options.dry_run)
    data = rendered(built, output)
    if out is None and output == "html":
        # A rehearsal's page never takes the place of the month's real one.
        rehearsal = "-uji-coba" if options.dry_run else ""
        out = calendar.folder / FOLDER / f"laporan-{built.name}{rehearsal}.html"
        out.parent.mkdir(exist_ok=True)
    if out is None:
        sys.stdout.buffer.write(data)
        return EXIT_OK
    shown = write_out(out, data)
    print(_("jadwal report: {month} written to {path}").format(month=built.name, path=shown))
    return EXIT_OK


def chosen_month(text: str | None, calendar: Calendar, moment: datetime) -> date:
    """``--month``, or the last full month where the office is."""
    if text is None:
        return add_months(moment.astimezone(calendar.timezone).date(), -1)
    try:
        return parse_month(text)
    except ValueError as exc:
        raise MonthError(_("--month: {problem}").format(problem=exc)) from None


def rendered(built: Report, output: str) -> bytes:
    if output == "json":
        import json

        from scheduler.report.as_json import as_dict

        text = json.dumps(as_dict(built), ensure_ascii=False, indent=2) + "\n"
        return text.encode("utf-8")
    if output == "csv":
        from scheduler.report.as_csv import as_csv

        return as_csv(built)
    if output == "markdown":
        from scheduler.report.as_markdown import as_markdown

        return as_markdown(built).encode("utf-8")
    from scheduler.report.as_html import as_html

    return as_html(built).encode("utf-8")
