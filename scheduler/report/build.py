"""``build_report``: a month's evaluation per account and for the office, from the store.

The lines come from ``lines.gather`` (records and plan, each occurrence once), the weeks and
the longest gap from ``rhythm``, the public response from the readings the insight collector
kept (``Store.insights``). Reading is all it does: nothing is written, no platform is asked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from scheduler.calendar.model import Calendar
from scheduler.i18n import _
from scheduler.report import metrics as m
from scheduler.report.lines import LINE_STATES, PLANNED, Line, gather, month_span
from scheduler.report.rhythm import Gap, WeekFigure, longest_gap, week_span, weeks
from scheduler.store import Publication, Store
from scheduler.store.reads import latest_readings, scheduled_between

TOP = 5  # the posts the public answered most


@dataclass(frozen=True, slots=True)
class Previous:
    """The month before, for comparison: what went out and what the public did."""

    published: int
    engagement: m.Values
    followers: m.Followers


@dataclass(frozen=True, slots=True)
class Figures:
    """One account's month, or the office's (``account`` None: every account together)."""

    account: str | None
    platform: str | None
    counts: Counter[str]
    late: int
    weeks: tuple[WeekFigure, ...]
    gap: Gap | None
    categories: Counter[str]
    kinds: Counter[str]
    engagement: m.Values
    followers: m.Followers
    previous: Previous
    insights_note: str | None = None  # why there are no figures of the public, when so

    @property
    def planned(self) -> int:
        return sum(self.counts[s] for s in PLANNED)


@dataclass(frozen=True)
class Report:
    calendar: Calendar
    year: int
    month: int
    now: datetime
    since: datetime  # when the store's record begins
    lines: list[Line]  # the month's, in time order
    metrics: dict[str, m.PostMetrics]
    accounts: list[Figures]
    office: Figures
    top: list[Line] = field(default_factory=list)
    rehearsal: bool = False  # made from the dry run's history: nothing in it went out

    @property
    def name(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def complete(self) -> bool:
        """Whether the month is over (else what is still to come is listed upcoming)."""
        return self.now >= month_span(self.calendar, self.year, self.month)[1]

    def metrics_of(self, line: Line) -> m.PostMetrics:
        return self.metrics.get(line.key, m.NONE)


def build_report(calendar: Calendar, store: Store, year: int, month: int, now: datetime) -> Report:
    start, end = month_span(calendar, year, month)
    first_monday, last_sunday = week_span(date(year, month, 1))
    tz = calendar.timezone
    wide = gather(
        calendar,
        store,
        min(start, datetime.combine(first_monday, datetime.min.time(), tz)),
        max(end, datetime.combine(last_sunday + timedelta(days=1), datetime.min.time(), tz)),
        now,
    )
    lines = [line for line in wide if start <= line.at < end]
    published = [line.key for line in lines if line.state == "published"]
    readings = latest_readings(store, published)
    metrics = {key: m.post_metrics(readings.get(key)) for key in published}
    context = _Context(calendar, store, start, end, now, wide, metrics)
    accounts = [context.figures(name) for name in sorted(calendar.accounts)]
    office = context.figures(None, _office_weeks(accounts))
    since = store.created_at()
    return _with_top(Report(calendar, year, month, now, since, lines, metrics, accounts, office))


def _office_weeks(accounts: list[Figures]) -> tuple[WeekFigure, ...]:
    """The office meets the rule in a week when each of its accounts does."""
    found = []
    for same in zip(*(a.weeks for a in accounts), strict=True):
        verdicts = [w.meets_rule for w in same]
        met = False if False in verdicts else (None if None in verdicts else True)
        found.append(WeekFigure(same[0].monday, sum(w.published for w in same), met))
    return tuple(found)


def _with_top(report: Report) -> Report:
    ranked = [line for line in report.lines if report.metrics_of(line).interactions is not None]
    ranked.sort(key=lambda line: _rank(report.metrics_of(line)), reverse=True)
    return Report(**{**report.__dict__, "top": ranked[:TOP]})


def _rank(metrics: m.PostMetrics) -> tuple[int, int]:
    return metrics.interactions or 0, metrics.values["reach"] or 0


@dataclass(frozen=True)
class _Context:
    calendar: Calendar
    store: Store
    start: datetime
    end: datetime
    now: datetime
    wide: list[Line]  # the lines of every week touching the month
    metrics: dict[str, m.PostMetrics]
    cache: _Cache = field(default_factory=lambda: _Cache())

    def figures(self, account: str | None, office: tuple[WeekFigure, ...] = ()) -> Figures:
        mine = [ln for ln in self.wide if account is None or ln.account == account]
        lines = [ln for ln in mine if self.start <= ln.at < self.end]
        out = [ln for ln in lines if ln.state == "published"]
        known = self.calendar.accounts.get(account) if account is not None else None
        platform = known.platform if known is not None else None
        names = [account] if account is not None else sorted(self.calendar.accounts)
        return Figures(
            account=account,
            platform=platform,
            counts=Counter({s: 0 for s in LINE_STATES}) + Counter(ln.state for ln in lines),
            late=sum(ln.late for ln in out),
            weeks=self.weeks(mine) if account is not None else office,
            gap=self.gap(out),
            categories=Counter(ln.category or "none" for ln in out),
            kinds=Counter(ln.kind for ln in out),
            engagement=m.totals(self.metrics.get(ln.key, m.NONE) for ln in out),
            followers=self.followers(names, self.start, self.end),
            previous=self.previous(account, names),
            insights_note=self.insights_note(account, out),
        )

    def weeks(self, lines: list[Line]) -> tuple[WeekFigure, ...]:
        minimum = self.calendar.rules.min_posts_per_week
        today = self.now.astimezone(self.calendar.timezone).date()
        return weeks(lines, self.start.date(), minimum, today)

    def gap(self, out: Sequence[Line]) -> Gap | None:
        begins = max(self.start, self.store.created_at())
        ends = min(self.end, self.now)
        moments = sorted(ln.published_at or ln.at for ln in out)
        return longest_gap(moments, begins, ends)

    def followers(self, names: list[str], since: datetime, until: datetime) -> m.Followers:
        found = [self.account_followers(n, since, until) for n in names]
        starts = [f.start for f in found if f.start is not None]
        ends = [f.end for f in found if f.end is not None]
        if len(starts) != len(found) or len(ends) != len(found):
            return m.Followers(None, None)  # an office's sum is known only when each is
        return m.Followers(sum(starts), sum(ends))

    def account_followers(self, name: str, since: datetime, until: datetime) -> m.Followers:
        """One account's readings, read once (the office's figures need them again)."""
        cached = self.cache.followers
        if (name, since) not in cached:
            cached[(name, since)] = m.followers(self.store.insights.followers(name, since, until))
        return cached[(name, since)]

    def previous(self, account: str | None, names: list[str]) -> Previous:
        first, rows, metrics = self.cache.previous_month(self)
        mine = [r for r in rows if account is None or r.account == account]
        engagement = m.totals(metrics[r.key] for r in mine)
        return Previous(len(mine), engagement, self.followers(names, first, self.start))

    def insights_note(self, account: str | None, out: list[Line]) -> str | None:
        if account is None:
            return None
        if self.calendar.accounts[account].platform == "whatsapp":
            return _("posted by hand: the channel gives jadwal no figures")
        if out and all(self.metrics.get(ln.key, m.NONE).read_at is None for ln in out):
            return _("no readings of this account's posts: its insights could not be read")
        return None


@dataclass
class _Cache:
    """What every account's figures read from the store, read once for all of them."""

    followers: dict[tuple[str, datetime], m.Followers] = field(default_factory=dict)
    previous: tuple[datetime, list[Publication], dict[str, m.PostMetrics]] | None = None

    def previous_month(
        self, context: _Context
    ) -> tuple[datetime, list[Publication], dict[str, m.PostMetrics]]:
        """The month before's first moment, its published rows and their latest readings."""
        if self.previous is None:
            start = context.start
            first = (start - timedelta(days=1)).replace(day=1)
            rows = scheduled_between(context.store, first, start)
            rows = [r for r in rows if r.state == "published"]
            readings = latest_readings(context.store, [r.key for r in rows])
            metrics = {r.key: m.post_metrics(readings.get(r.key)) for r in rows}
            self.previous = (first, rows, metrics)
        return self.previous
