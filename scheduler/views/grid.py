"""The month grid of ``jadwal calendar``: a ``Month`` drawn in the terminal, a week a row.

Seven days of ten characters and their borders fit 80 columns; a wider terminal widens the
days (up to ``CELL[1]``), and what is still too long ends in "…"::

    ┌──────────┬──────────┬── …
    │ Mon      │ Tue      │
    ├──────────┼──────────┼── …
    │ 30 Nov   │ 1 ★      │     the day (with its month when it is another month's),
    │          │ Hari Ra… │     ★ a public holiday; then the holidays' and observances' names
    │          │ ✓ 09:00  │     each post: its state's symbol and its local time,
    │          │ info-la… │     then its title (the post id, unless it has a title)
    ├──────────┴──────────┴── …
    │ week 49: ig-desa 1/3 below the weekly rule     (a week below rules.min_posts_per_week)
    ├──────────┬──────────┬── …

A day shows its first ``POSTS_PER_DAY`` posts and "+K more". A state reads by its symbol
(``scheduler.views.symbols``, the site's too) and the legend under the grid says which is
which; the colour is only added to it, on a terminal. The days of the months before and after
are shown, dimmed, because the week's count against the rule includes them.

Why the borders are drawn here and not by a rich ``Table``: rich has no cell that spans
columns (Textualize/rich#164), and a week's note must run under the whole week. rich does the
rest: the width of every character (an emoji in a title is two columns), the colours, and
whether to use them at all (a terminal only, never under ``NO_COLOR``).
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from scheduler.i18n import N_, _, ngettext, people_month, people_short_month, people_time
from scheduler.views.month import Day, Entry, Month, Week
from scheduler.views.symbols import COLOURS, SYMBOLS
from scheduler.words import state_word

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
LEGEND = ("planned", "published", "failed", "missed", "draft")
HOLIDAY = "★"
POSTS_PER_DAY = 3  # two lines each: a week of busy days still fits a screen
CELL = (10, 24)  # a day's width in columns (a space, then its text): least, most


def print_grid(month: Month, console: Console | None = None) -> None:
    console = console or Console()
    for line in grid_lines(month, console.width):
        # The lines are made to fit: never wrapped, never cut at a narrow terminal's edge.
        console.print(line, soft_wrap=True)


def grid_lines(month: Month, width: int) -> list[Text]:
    """The title, the grid at ``width`` columns (at least 78), the legend."""
    cell = max(CELL[0], min(CELL[1], (width - 1) // 7 - 1))
    lines = [_title(month), _rule("┌┬┐", cell), *_row([[Text(_(d))] for d in WEEKDAYS], cell)]
    lines.append(_rule("├┼┤", cell))
    for number, week in enumerate(month.weeks, start=1):
        last = number == len(month.weeks)
        lines += _week(week, cell)
        notes = _notes(week, month.min_posts_per_week)
        if notes:
            lines.append(_rule("├┴┤", cell))
            lines += [_note(note, cell) for note in notes]
            lines.append(_rule("└─┘" if last else "├┬┤", cell))
        else:
            lines.append(_rule("└┴┘" if last else "├┼┤", cell))
    return [*lines, *_legend(month)]


def _title(month: Month) -> Text:
    count = len(month.entries())
    accounts = ", ".join(month.accounts)
    said = ngettext("{count} post for {accounts}", "{count} posts for {accounts}", count)
    shown = f"{people_month(month.first_day)} ({month.timezone}): " + said.format(
        count=count, accounts=accounts
    )
    return Text(f"jadwal calendar {shown}")


def _rule(corners: str, cell: int) -> Text:
    """A border line: ``corners`` is its left end, the joint between days, its right end."""
    return Text(corners[0] + corners[1].join(["─" * cell] * 7) + corners[2])


def _week(week: Week, cell: int) -> list[Text]:
    return _row([_day(day) for day in week.days], cell)


def _row(cells: list[list[Text]], cell: int) -> list[Text]:
    """The lines of one row of seven cells, each cell's lines fitted to its width."""
    height = max(len(lines) for lines in cells)
    rows = []
    for index in range(height):
        line = Text("│")
        for lines in cells:
            text = lines[index] if index < len(lines) else Text()
            line.append(" ").append(_fit(text, cell - 1)).append("│")
        rows.append(line)
    return rows


def _fit(text: Text, width: int) -> Text:
    fitted = text.copy()
    fitted.truncate(width, overflow="ellipsis", pad=True)
    return fitted


def _day(day: Day) -> list[Text]:
    label = str(day.date.day) if day.in_month else f"{day.date.day} {people_short_month(day.date)}"
    if day.holidays:
        label += f" {HOLIDAY}"
    lines = [Text(label, style="bold red" if day.holidays else "bold")]
    lines += [Text(name, style="red") for name in day.holidays]
    lines += [Text(name, style="italic") for name in day.observances]
    for entry in day.entries[:POSTS_PER_DAY]:
        lines += _entry(entry)
    if len(day.entries) > POSTS_PER_DAY:
        lines.append(Text(_("+{count} more").format(count=len(day.entries) - POSTS_PER_DAY)))
    if not day.in_month:
        for line in lines:
            line.stylize("dim")
    return lines


def _entry(entry: Entry) -> list[Text]:
    style = COLOURS.get(entry.state, "")
    at = people_time(entry.at.time())  # 09.00 in Indonesian, 09:00 in English
    return [Text(f"{SYMBOLS[entry.state]} {at}", style), Text(entry.title, style)]


def _notes(week: Week, minimum: int) -> list[str]:
    return [
        _("week {number}: {account} {posts}/{minimum} below the weekly rule").format(
            number=week.number, account=count.account, posts=count.posts, minimum=minimum
        )
        for count in week.below
    ]


def _note(note: str, cell: int) -> Text:
    inner = 7 * cell + 6  # the week's width inside its borders
    return Text("│ ").append(_fit(Text(note, style="yellow"), inner - 1)).append("│")


def _legend(month: Month) -> list[Text]:
    legend = Text()
    # A post awaiting its person (made by hand) is rare: named only in a month that has one.
    awaiting = any(entry.state == "awaiting" for entry in month.entries())
    for state in (*LEGEND, "awaiting") if awaiting else LEGEND:
        word = state_word(state)
        legend.append(SYMBOLS[state], COLOURS.get(state, "")).append(f" {word}  ")
    holiday = _("public holiday")
    legend.append(f"{HOLIDAY} {holiday}", "red")
    if month.history:
        return [legend]
    return [legend, Text(_("no history yet: every post is planned, or a draft"))]
