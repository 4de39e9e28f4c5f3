"""``--format csv``: one row per occurrence of the month, for a spreadsheet.

Excel is what offices open it in, and in Indonesia Excel (id-ID) lists with ``;`` and writes
decimals with a comma: so the separator is ``;`` and the engagement rate has a decimal comma,
which opens in columns with a double click. The file is UTF-8 with a byte-order mark, the
only way Excel reads UTF-8 by itself (names and captions have non-ASCII letters). Times are
local (``2026-12-07 09:00``), which Excel reads as dates; a figure the platform didn't give
is an empty cell, never 0.
"""

from __future__ import annotations

import csv
import io

from scheduler.report.build import Report
from scheduler.report.lines import Line
from scheduler.report.metrics import METRICS

COLUMNS = (
    "key",
    "post_id",
    "account",
    "platform",
    "title",
    "category",
    "kind",
    "at",
    "state",
    "published_at",
    "late_minutes",
    "permalink",
    "reason",
    *METRICS,
    "interactions",
    "engagement_rate",
    "metrics_read_at",
)


def as_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for line in report.lines:
        writer.writerow(_row(report, line))
    return buffer.getvalue().encode("utf-8-sig")


def _row(report: Report, line: Line) -> list[str]:
    tz = report.calendar.timezone
    metrics = report.metrics_of(line)
    late = "" if line.late_by is None else str(round(line.late_by.total_seconds() / 60))
    published = line.published_at.astimezone(tz) if line.published_at else None
    read = metrics.read_at.astimezone(tz) if metrics.read_at else None
    rate = "" if metrics.rate is None else f"{metrics.rate:.4f}".replace(".", ",")
    return [
        line.key,
        line.post_id,
        line.account,
        line.platform,
        line.title,
        line.category or "",
        line.kind,
        f"{line.at:%Y-%m-%d %H:%M}",
        line.state,
        f"{published:%Y-%m-%d %H:%M}" if published else "",
        late,
        line.permalink or "",
        line.reason or "",
        *("" if metrics.values[m] is None else str(metrics.values[m]) for m in METRICS),
        "" if metrics.interactions is None else str(metrics.interactions),
        rate,
        f"{read:%Y-%m-%d %H:%M}" if read else "",
    ]
