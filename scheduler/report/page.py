"""What the printed forms of a report (HTML, Markdown) share: its heading, the names in its
signature block, and the lines a supervisor reads apart (not published, before jadwal)."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.i18n import _
from scheduler.report.build import Figures, Report
from scheduler.report.lines import Line


@dataclass(frozen=True, slots=True)
class Heading:
    title: str
    office: str | None
    prepared_by: str | None
    approved_by: str | None
    rehearsal: str | None = None  # what a rehearsal's report says before anything else


def heading(report: Report) -> Heading:
    """The ``report`` section's names, each falling back to the calendar's ``vars``."""
    calendar = report.calendar
    settings, found = calendar.report, calendar.vars

    def pick(given: str | None, name: str) -> str | None:
        if given:
            return given
        value = found.get(name)
        return str(value) if value not in (None, "") else None

    return Heading(
        title=pick(settings.title, "title") or _("Monthly social media report"),
        office=calendar.name or pick(None, "instansi"),
        prepared_by=pick(settings.prepared_by, "prepared_by"),
        approved_by=pick(settings.approved_by, "approved_by"),
        rehearsal=_(
            "Rehearsal: made from the dry run's history (jadwal tick --dry-run); nothing in "
            "this report was published"
        )
        if report.rehearsal
        else None,
    )


def not_published(report: Report) -> list[Line]:
    """What a supervisor asks about: failed and missed posts, and those still pending."""
    return [ln for ln in report.lines if ln.state in ("failed", "missed", "pending")]


def before_jadwal(report: Report) -> list[Line]:
    return [ln for ln in report.lines if ln.state == "before_jadwal"]


def account_name(figures: Figures) -> str:
    return figures.account or _("all accounts")
