"""``--format json``: the report as data, for other programs. The names of ``month``,
``timezone``, ``accounts`` (``account`` … ``engagement``), ``categories`` and ``posts``
(``key`` … ``metrics_read_at``) are a contract; the other fields are extras."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.report.build import Figures, Report
from scheduler.report.lines import Line
from scheduler.report.metrics import METRICS


def as_dict(report: Report) -> dict[str, Any]:
    calendar = report.calendar
    return {
        "month": report.name,
        "timezone": calendar.timezone.key,
        "dry_run": report.rehearsal,
        "office": calendar.name,
        "made_at": _iso(report.now, report),
        "record_begins": _iso(report.since, report),
        "accounts": [figures_dict(report, f) for f in report.accounts],
        "total": figures_dict(report, report.office),
        "categories": dict(sorted(report.office.categories.items())),
        "kinds": dict(sorted(report.office.kinds.items())),
        "top": [line.key for line in report.top],
        "posts": [post_dict(report, line) for line in report.lines],
    }


def figures_dict(report: Report, f: Figures) -> dict[str, Any]:
    c = f.counts
    return {
        "account": f.account,
        "platform": f.platform,
        "planned": f.planned,
        "published": c["published"],
        "late": f.late,
        "failed": c["failed"],
        "missed": c["missed"],
        "pending": c["pending"],
        "upcoming": c["upcoming"],
        "drafts": c["draft"],
        "skipped": c["skipped"],
        "before_jadwal": c["before_jadwal"],
        "followers_start": f.followers.start,
        "followers_end": f.followers.end,
        "followers_growth": f.followers.growth,
        "weeks": [
            {"week": w.name, "published": w.published, "meets_rule": w.meets_rule} for w in f.weeks
        ],
        "longest_gap": None
        if f.gap is None
        else {"from": _iso(f.gap.start, report), "to": _iso(f.gap.end, report), "days": f.gap.days},
        "categories": dict(sorted(f.categories.items())),
        "kinds": dict(sorted(f.kinds.items())),
        "engagement": f.engagement,
        "insights": f.insights_note,
        "previous_month": {
            "published": f.previous.published,
            "engagement": f.previous.engagement,
            "followers_start": f.previous.followers.start,
            "followers_end": f.previous.followers.end,
        },
    }


def post_dict(report: Report, line: Line) -> dict[str, Any]:
    metrics = report.metrics_of(line)
    return {
        "key": line.key,
        "post_id": line.post_id,
        "account": line.account,
        "platform": line.platform,
        "title": line.title,
        "category": line.category,
        "kind": line.kind,
        "at": _iso(line.at, report),
        "state": line.state,
        "recorded_state": line.recorded,
        "published_at": _iso(line.published_at, report),
        "late_minutes": None if line.late_by is None else round(line.late_by.total_seconds() / 60),
        "permalink": line.permalink,
        "reason": line.reason,
        "in_calendar": line.in_calendar,
        "caption": line.caption,
        "media": list(line.media),
        "revision": line.revision,
        "metrics": {name: metrics.values[name] for name in METRICS},
        "metrics_read_at": _iso(metrics.read_at, report),
        "interactions": metrics.interactions,
        "engagement_rate": None if metrics.rate is None else round(metrics.rate, 4),
    }


def _iso(moment: datetime | None, report: Report) -> str | None:
    """ISO 8601 in the calendar's zone, as the office reads its times."""
    return None if moment is None else moment.astimezone(report.calendar.timezone).isoformat()
