"""``jadwal preview``: the occurrences of a window, rendered, in time order, and the window
itself when the command line leaves it open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.calendar.expand import Occurrence, expand
from scheduler.calendar.model import Calendar
from scheduler.problems import Problem
from scheduler.render import Renderer, RenderError

# Without --to, a preview shows two weeks: the first day and the 13 after it.
DEFAULT_DAYS = 14


@dataclass(frozen=True)
class PreviewItem:
    occurrence: Occurrence
    caption: str | None
    problem: Problem | None = None

    def as_dict(self) -> dict[str, object]:
        o = self.occurrence
        item: dict[str, object] = {
            "key": o.key,
            "post_id": o.post.id,
            "account": o.account.name,
            "platform": o.platform,
            "kind": o.post.kind,
            "at": o.at.isoformat(),
            "caption": self.caption,
            "media": [m.path for m in o.post.media],
            "status": o.post.status,
            "category": o.post.category,
        }
        if o.source == "holiday":
            item.update(source="holiday", holiday=o.holiday)
        if self.problem is not None:
            item["error"] = str(self.problem)
        return item


def preview(
    calendar: Calendar, first_day: date, last_day: date, account: str | None = None
) -> list[PreviewItem]:
    renderer = Renderer(calendar)
    items = []
    for occurrence in expand(calendar, first_day, last_day, account):
        try:
            items.append(PreviewItem(occurrence, renderer.render(occurrence)))
        except RenderError as exc:
            items.append(PreviewItem(occurrence, None, exc.problem))
    return items


def check_window(first: date, last: date) -> None:
    """Refuse a window that ends before it starts (the message names the command's options)."""
    if last < first:
        raise ValueError(f"{last} is before --from {first}")


def window(calendar: Calendar, first: date | None, last: date | None) -> tuple[date, date]:
    """The days to preview, both included: from ``first`` (default: today where the calendar's
    office is, not where the computer is) to ``last`` (default: two weeks)."""
    start = first or datetime.now(calendar.timezone).date()
    end = last or start + timedelta(days=DEFAULT_DAYS - 1)
    check_window(start, end)
    return start, end
