"""The lines of a report: one per occurrence of a span of days, from the records and the plan.

Every record of the span is a line, its occurrence in today's calendar or not (a time edited
after publication, ``jadwal post --again`` or ``--at``); then every occurrence of the plan
that has no record. Both are joined by publication key, records first, so each occurrence
counts once. What a record says of the post (caption, media, category, kind) is what was kept
when it was sent; the calendar fills in only what a record without a snapshot lacks.

A line's state, for a supervisor:

- ``published`` (``late`` when it went out more than ``report.late_after`` after its time);
- ``failed``: failed, with the platform's reason;
- ``missed``: recorded missed, or no record at all although its grace period has passed and
  the store existed at its time (nothing ran: the machine was off);
- ``pending``: waiting to be retried, settled (``unknown``) or confirmed by hand
  (``awaiting``), on its way, or due and still within its grace period;
- ``upcoming``: its time has not come;
- ``draft``: a draft never approved; ``skipped``: not sent on purpose (an emergency stop);
- ``before_jadwal``: from before the store existed, with no record: not jadwal's to publish.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from scheduler.calendar.expand import Occurrence, expand
from scheduler.calendar.model import Calendar
from scheduler.engine.claims import DRAFT
from scheduler.engine.snapshot import kind_of
from scheduler.i18n import every_language
from scheduler.store import Publication, Store
from scheduler.store.reads import scheduled_between
from scheduler.views.month import title

LineState = Literal[
    "published",
    "failed",
    "missed",
    "pending",
    "upcoming",
    "draft",
    "skipped",
    "before_jadwal",
]
LINE_STATES: tuple[LineState, ...] = (
    "published",
    "failed",
    "missed",
    "pending",
    "upcoming",
    "draft",
    "skipped",
    "before_jadwal",
)
# What a plan counts: every occurrence jadwal was to publish (drafts and those from before
# the store existed are listed apart).
PLANNED: frozenset[str] = frozenset(
    {"published", "failed", "missed", "pending", "upcoming", "skipped"}
)
AGAIN = "~again"  # in the key of a deliberate re-publication
_RECORDED: dict[str, LineState] = {
    "published": "published",
    "failed": "failed",
    "missed": "missed",
    "skipped": "skipped",
}


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    post_id: str
    account: str
    platform: str
    at: datetime  # the occurrence's time, in the calendar's zone
    state: LineState
    recorded: str | None  # the store's own state; None without a record
    title: str
    category: str | None
    kind: str
    in_calendar: bool  # whether today's calendar still has this occurrence
    published_at: datetime | None = None
    late_by: timedelta | None = None  # set when it went out late
    permalink: str | None = None
    reason: str | None = None  # why it was not published (the platform's words, a stop's)
    caption: str | None = None  # as it went out
    media: tuple[dict[str, Any], ...] = ()
    revision: str | None = None

    @property
    def late(self) -> bool:
        return self.late_by is not None


def gather(
    calendar: Calendar, store: Store, first: datetime, end: datetime, now: datetime
) -> list[Line]:
    """Every line whose time is in ``[first, end)`` (both aware), in time order."""
    tz = calendar.timezone
    last_day = (end - timedelta(microseconds=1)).astimezone(tz).date()
    plan = expand(calendar, first.astimezone(tz).date(), last_day)
    plan_by_key = {o.key: o for o in plan if first <= o.at < end}
    since = store.created_at()
    judge = _Judge(calendar, now, since)
    rows = scheduled_between(store, first, end)
    lines = [judge.recorded(row, plan_by_key.get(_plain(row.key))) for row in rows]
    recorded = {line.key for line in lines}
    lines += [judge.planned(o) for key, o in plan_by_key.items() if key not in recorded]
    lines.sort(key=lambda line: (line.at, line.post_id, line.account, line.key))
    return lines


def month_span(calendar: Calendar, year: int, month: int) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in the calendar's zone."""
    tz = calendar.timezone
    start = datetime(year, month, 1, tzinfo=tz)
    following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start, following


class _Judge:
    """Makes the lines: the state of each record and of each unrecorded occurrence."""

    def __init__(self, calendar: Calendar, now: datetime, since: datetime) -> None:
        self.calendar, self.now, self.since = calendar, now, since
        self.grace = calendar.rules.grace
        self.late_after = calendar.report.late_after

    def recorded(self, row: Publication, o: Occurrence | None) -> Line:
        state = self.row_state(row, o)
        published = state == "published"
        late = self.late_by(row) if published else None
        return Line(
            key=row.key,
            post_id=row.post_id,
            account=row.account,
            platform=row.platform,
            at=row.scheduled_at.astimezone(self.calendar.timezone),
            state=state,
            recorded=row.state,
            title=title(o) if o is not None else row.post_id,
            category=row.category if row.kind else (o.post.category if o else None),
            kind=row.kind or (kind_of(o.post.kind, o.post.media) if o else "feed"),
            in_calendar=o is not None,
            published_at=row.published_at,
            late_by=late,
            permalink=row.permalink if published else None,
            reason=None if published else _reason(row),
            caption=row.sent_caption,
            media=tuple(json.loads(row.sent_media)) if row.sent_media else (),
            revision=row.revision,
        )

    def row_state(self, row: Publication, o: Occurrence | None) -> LineState:
        if row.state == "skipped" and (
            row.error_message in every_language(DRAFT)
            or (o is not None and o.post.status == "draft")
        ):
            return "draft"
        return _RECORDED.get(row.state, "pending")

    def late_by(self, row: Publication) -> timedelta | None:
        if row.published_at is None or AGAIN in row.key:
            # Settled by a person without a time, it can't be said; a re-publication was
            # sent when a person chose, not late.
            return None
        lateness = row.published_at - row.scheduled_at
        return lateness if lateness > self.late_after else None

    def planned(self, o: Occurrence) -> Line:
        return Line(
            key=o.key,
            post_id=o.post.id,
            account=o.account.name,
            platform=o.platform,
            at=o.at,
            state=self.plan_state(o),
            recorded=None,
            title=title(o),
            category=o.post.category,
            kind=kind_of(o.post.kind, o.post.media),
            in_calendar=True,
        )

    def plan_state(self, o: Occurrence) -> LineState:
        if o.post.status == "draft":
            return "draft"
        if o.at < self.since:
            return "before_jadwal"
        if o.at > self.now:
            return "upcoming"
        if o.at + self.grace < self.now:
            return "missed"  # no record at all after its grace: nothing ran
        return "pending"


def _plain(key: str) -> str:
    """The occurrence a re-publication (``jadwal post --again``) repeats."""
    return key.partition(AGAIN)[0]


def _reason(row: Publication) -> str | None:
    if row.error_code and row.error_message:
        return f"(#{row.error_code}) {row.error_message}"
    return row.error_message
