"""``jadwal preview``: the occurrences of a window, rendered, in time order, and the window
itself when the command line leaves it open.

``Preview`` renders each caption when it is read, not before: the table and the JSON list of
``jadwal preview`` print their first posts while the later ones are still to be rendered, and
a year's preview never holds every rendered caption at once. Expanding the window (cheap) is
done first, so the count and the columns' widths are known before the first row.
Occurrences that ``on_holidays`` keeps back from a day off are listed too, marked
``skipped`` and not rendered; those it moved carry ``moved_from``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.calendar.expand import Occurrence, expand
from scheduler.calendar.model import Calendar
from scheduler.i18n import _
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
        if o.moved_from is not None:
            item["moved_from"] = o.moved_from.isoformat()
        if o.skipped is not None:
            item["skipped"] = o.skipped
        if self.problem is not None:
            item["error"] = str(self.problem)
        return item


@dataclass(frozen=True)
class Preview:
    """The occurrences of a window, in time order; iterating renders them one by one."""

    calendar: Calendar
    occurrences: list[Occurrence]

    @classmethod
    def of(
        cls, calendar: Calendar, first_day: date, last_day: date, account: str | None = None
    ) -> Preview:
        return cls(calendar, expand(calendar, first_day, last_day, account, skipped=True))

    def __len__(self) -> int:
        return len(self.occurrences)

    def __iter__(self) -> Iterator[PreviewItem]:
        renderer = Renderer(self.calendar)
        for occurrence in self.occurrences:
            if occurrence.skipped is not None:  # not published: nothing to render
                yield PreviewItem(occurrence, None)
                continue
            try:
                yield PreviewItem(occurrence, renderer.render(occurrence))
            except RenderError as exc:
                yield PreviewItem(occurrence, None, exc.problem)


def preview(
    calendar: Calendar, first_day: date, last_day: date, account: str | None = None
) -> list[PreviewItem]:
    """Every occurrence of the window, rendered."""
    return list(Preview.of(calendar, first_day, last_day, account))


def check_window(first: date, last: date) -> None:
    """Refuse a window that ends before it starts (the message names the command's options)."""
    if last < first:
        raise ValueError(_("{last} is before --from {first}").format(last=last, first=first))


def window(calendar: Calendar, first: date | None, last: date | None) -> tuple[date, date]:
    """The days to preview, both included: from ``first`` (default: today where the calendar's
    office is, not where the computer is) to ``last`` (default: two weeks)."""
    start = first or datetime.now(calendar.timezone).date()
    end = last or start + timedelta(days=DEFAULT_DAYS - 1)
    check_window(start, end)
    return start, end
