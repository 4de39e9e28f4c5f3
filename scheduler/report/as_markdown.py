"""``--format markdown``: the report as a message, for an e-mail or WhatsApp: the summary
table, the weeks, the variety, the public's response, what did not go out, the signatures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from scheduler.i18n import _
from scheduler.report import words as w
from scheduler.report.build import Figures, Report
from scheduler.report.lines import Line
from scheduler.report.page import account_name, before_jadwal, heading, not_published


def as_markdown(report: Report) -> str:
    head = heading(report)
    parts = [
        f"# {head.title}",
        f"**{head.rehearsal}**" if head.rehearsal else "",
        " · ".join(
            p for p in (head.office, w.month_name(report.year, report.month)) if p is not None
        ),
        _summary(report),
        _weeks(report),
        _variety(report.office),
        _response(report),
        _top(report),
        _lines(_("Not published"), not_published(report)),
        _lines(_("Before jadwal ran (not counted as missed)"), before_jadwal(report)),
        _signatures(head.prepared_by, head.approved_by),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _summary(report: Report) -> str:
    header = [
        _("account"),
        _("planned"),
        _("published"),
        _("late"),
        _("failed"),
        _("missed"),
        _("pending"),
        _("upcoming"),
        _("drafts"),
    ]
    rows = [_counts(f) for f in [*report.accounts, report.office]]
    return "## " + _("Plan and what went out") + "\n\n" + _table(header, rows)


def _counts(f: Figures) -> list[str]:
    c = f.counts
    name = account_name(f)
    names = ("published", "late", "failed", "missed", "pending", "upcoming", "draft")
    cells = [str(f.late) if n == "late" else str(c[n]) for n in names]
    return [name, str(f.planned), *cells]


def _weeks(report: Report) -> str:
    minimum = report.calendar.rules.min_posts_per_week
    header = [_("week"), *(account_name(f) for f in report.accounts)]
    marks = {True: "✓", False: "✗", None: "…"}
    rows = [
        [
            week.name,
            *(f"{f.weeks[i].published} {marks[f.weeks[i].meets_rule]}" for f in report.accounts),
        ]
        for i, week in enumerate(report.office.weeks)
    ]
    title = _("Weeks (the rule: at least {n} a week per account)").format(n=minimum)
    gaps = [
        _("Longest gap, {account}: {days}").format(account=account_name(f), days=w.days(f.gap.days))
        for f in report.accounts
        if f.gap is not None
    ]
    return (
        f"## {title}\n\n"
        + _table(header, rows)
        + ("\n\n" + "\n".join(f"- {g}" for g in gaps) if gaps else "")
    )


def _variety(office: Figures) -> str:
    categories = _listed(office.categories, w.category_label)
    kinds = _listed(office.kinds, w.kind_label)
    return (
        "## " + _("Variety") + "\n\n"
        "- " + _("By category") + f": {categories or '—'}\n"
        "- " + _("By kind") + f": {kinds or '—'}"
    )


def _listed(counts: Counter[str], label: Callable[[str], str]) -> str:
    return ", ".join(f"{label(name)}: {n}" for name, n in counts.most_common())


def _response(report: Report) -> str:
    header = [
        _("account"),
        _("views"),
        _("reach"),
        _("interactions"),
        _("followers"),
        _("previous month"),
    ]
    rows = []
    for f in [*report.accounts, report.office]:
        e = f.engagement
        known = [e[k] for k in ("likes", "comments", "shares", "saves") if e[k] is not None]
        followers = (
            f"{w.number(f.followers.start)} → {w.number(f.followers.end)} "
            f"({w.growth(f.followers.growth)})"
        )
        before = _("{n} published").format(n=f.previous.published)
        rows.append(
            [
                account_name(f) + (f" — {f.insights_note}" if f.insights_note else ""),
                w.number(e["views"]),
                w.number(e["reach"]),
                w.number(sum(v for v in known if v is not None) if known else None),
                followers,
                before,
            ]
        )
    return "## " + _("What the public did") + "\n\n" + _table(header, rows)


def _top(report: Report) -> str:
    if not report.top:
        return ""
    rows = []
    for line in report.top:
        metrics = report.metrics_of(line)
        rows.append(
            [
                w.moment(line.at),
                f"{line.title} ({line.account})",
                w.number(metrics.interactions),
                w.number(metrics.values["reach"]),
                w.percent(metrics.rate),
            ]
        )
    header = [_("time"), _("post"), _("interactions"), _("reach"), _("engagement rate")]
    return "## " + _("Top five posts") + "\n\n" + _table(header, rows)


def _lines(title: str, lines: list[Line]) -> str:
    if not lines:
        return ""
    items = [
        f"- {w.moment(ln.at)} {ln.title} ({ln.account}): {w.state_label(ln.state)}"
        + (f" — {ln.reason}" if ln.reason else "")
        for ln in lines
    ]
    return f"## {title}\n\n" + "\n".join(items)


def _signatures(prepared: str | None, approved: str | None) -> str:
    blank = "______________________"
    prepared_by, approved_by = _("Prepared by"), _("Approved by")
    return f"{prepared_by}: {prepared or blank}\n\n{approved_by}: {approved or blank}"
