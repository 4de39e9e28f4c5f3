"""The report's charts as inline SVG: drawn here, written into the page, so that the file
needs nothing else to show them (no script, no image file) and prints as sharply as text.
Each chart has a title and its figures as text, so it reads without colour too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from markupsafe import Markup, escape

from scheduler.i18n import _
from scheduler.report.rhythm import WeekFigure

BAR, GAP, HEIGHT, TOP = 34, 10, 90, 18


def weeks_chart(weeks: tuple[WeekFigure, ...], minimum: int, label: str) -> Markup:
    """One bar per week (what was published), the rule as a dashed line across."""
    most = max([minimum, *(w.published for w in weeks), 1])
    width = len(weeks) * (BAR + GAP) + GAP
    scale = HEIGHT / most
    parts = [_svg_open(width, HEIGHT + TOP + 30, label)]
    for i, week in enumerate(weeks):
        x = GAP + i * (BAR + GAP)
        tall = max(week.published * scale, 2.0)  # a week of none still shows its colour
        css = {True: "met", False: "below", None: "open"}[week.meets_rule]
        y = TOP + HEIGHT - tall
        parts.append(
            f'<rect class="{css}" x="{x}" y="{y:.1f}" width="{BAR}" height="{tall:.1f}"/>'
            f'<text x="{x + BAR / 2}" y="{y - 4:.1f}" class="value">{week.published}</text>'
            f'<text x="{x + BAR / 2}" y="{TOP + HEIGHT + 14}" class="axis">'
            f"W{week.monday.isocalendar().week:02d}</text>"
        )
    if minimum:
        y = TOP + HEIGHT - minimum * scale
        parts.append(f'<line class="rule" x1="0" x2="{width}" y1="{y:.1f}" y2="{y:.1f}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars_chart(counts: Counter[str], label: str, name: Callable[[str], str]) -> Markup:
    """One horizontal bar per category (or kind), the most frequent first."""
    items = counts.most_common()
    if not items:
        nothing = escape(_("nothing was published"))
        return Markup(f'<p class="none">{nothing}</p>')
    most, row, left, width = items[0][1], 22, 150, 460
    parts = [_svg_open(width, row * len(items) + 6, label)]
    for i, (key, n) in enumerate(items):
        y = 4 + i * row
        long = (width - left - 40) * n / most
        parts.append(
            f'<text x="{left - 8}" y="{y + 13}" class="name">{escape(name(key))}</text>'
            f'<rect class="bar" x="{left}" y="{y}" width="{long:.1f}" height="16"/>'
            f'<text x="{left + long + 6:.1f}" y="{y + 13}" class="count">{n}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _svg_open(width: int, height: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
    )
