"""``jadwal preview``: the occurrences of a window, rendered, in time order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.calendar.expand import Occurrence, expand
from scheduler.calendar.model import Calendar
from scheduler.problems import Problem
from scheduler.render import Renderer, RenderError


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
