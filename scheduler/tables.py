"""The terminal tables of ``preview``, ``history`` (and its stops) and ``accounts check``
(rich), made one way; ``preview``'s, which can have thousands of rows, is printed a row at a
time (``scheduler.views.rows``) in the same layout.

Every table has its title on the left and a line between rows; cells that come from the user
or a platform (captions, errors, details) are plain ``Text`` or escaped, so a ``[`` in them is
shown, not read as markup. JSON output never goes through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

from scheduler.i18n import N_, _, every_language, ngettext
from scheduler.views.rows import Cell, RowTable
from scheduler.views.symbols import COLOURS
from scheduler.words import state_word

if TYPE_CHECKING:  # the store and the adapters are heavy; a preview needs neither
    from scheduler.accounts import AccountReport
    from scheduler.calendar.expand import Occurrence
    from scheduler.preview import PreviewItem
    from scheduler.store import Publication, Stop


def new_table(title: str, *columns: Column | str) -> Table:
    """A table titled ``title``; a column given by its header alone folds long cells."""
    made = [Column(c, overflow="fold") if isinstance(c, str) else c for c in columns]
    return Table(*made, title=title, show_lines=True, title_justify="left")


def preview_table(
    occurrences: Sequence[Occurrence], items: Iterable[PreviewItem], first_day: date, last_day: date
) -> None:
    """The window's posts, a row each, printed as each caption is rendered (``RowTable``):
    the widths come from what is known before rendering (the times, the labels) and the
    terminal's width; the caption takes the room that is left."""
    console = Console()
    widths = _preview_widths(occurrences, console.width)
    narrow = widths[2] < MIN_CAPTION
    if narrow:  # too narrow for three columns: one, each field on lines of its own
        table = RowTable(console, (_("post"),), (max(1, console.width - 4),))
    else:
        table = RowTable(console, (_("when"), _("post / account"), _("caption")), widths)
    going = sum(o.skipped is None for o in occurrences)
    title = ngettext("{first} → {last}: {count} post", "{first} → {last}: {count} posts", going)
    table.start(f"jadwal preview {title.format(first=first_day, last=last_day, count=going)}")
    for item in items:
        o = item.occurrence
        cells = [[(_when_label(o), "")], _preview_label(o), _caption(item)]
        table.row([[text for cell in cells for text in cell]] if narrow else cells)
    table.end()


# Below this a caption column is a few letters a line (a terminal narrower than about 56
# columns, a phone's): the table becomes one column, the time, the post and the caption each
# on lines of their own, which fits any width from 20 columns.
MIN_CAPTION = 16


def _preview_widths(occurrences: Sequence[Occurrence], width: int) -> tuple[int, int, int]:
    """The text widths of the time, label and caption columns in ``width`` columns: the time
    and the label as wide as their longest line (the label at most half of what the time
    leaves; longer lines fold), the caption the rest. rich's own ``Table`` gives the same
    widths at 80 columns and wider."""
    when = max((cell_len(_when_label(o)) for o in occurrences), default=0)
    label = max(
        (
            cell_len(line)
            for o in occurrences
            for text, _ in _preview_label(o)
            for line in text.split("\n")
        ),
        default=0,
    )
    when, label = max(when, cell_len(_("when"))), max(label, cell_len(_("post / account")))
    rest = width - 10 - when  # four borders, and a space each side of three columns
    label = max(1, min(label, rest // 2))
    return when, label, max(1, rest - label)


def _when_label(o: Occurrence) -> str:
    return o.at.strftime("%Y-%m-%d %H:%M %Z")


def _preview_label(o: Occurrence) -> Cell:
    label = [(f"{o.post.id}\n{o.account.name} ({o.platform}, {o.post.kind})", "")]
    if o.post.category:
        label.append((_("category: {category}").format(category=o.post.category), ""))
    if o.post.status != "approved":
        label.append((o.post.status, "yellow"))
    if o.holiday:
        label.append((o.holiday, ""))
    if o.moved_from is not None:
        moved = _("moved from {time} (on_holidays)")
        label.append((moved.format(time=f"{o.moved_from:%Y-%m-%d %H:%M}"), "yellow"))
    if o.skipped is not None:
        label.append((_("skipped: a day off (on_holidays)"), "yellow"))
    return label


def _caption(item: PreviewItem) -> Cell:
    """The caption and the media; for a caption that cannot be rendered, where its problem
    is (printed in full after the table), all of it in red."""
    text, style = item.caption or "", ""
    if item.occurrence.skipped is not None:
        return [(_("not published on this day"), "yellow")]
    if item.problem is not None:
        p = item.problem
        text, style = _("cannot render (see below)") + f"\n{p.path}:{p.line}:{p.column}", "red"
    return [(text, style), *((f"🖼 {media.path}", style) for media in item.occurrence.post.media)]


def history_table(rows: list[Publication], tz: ZoneInfo, stops: Sequence[Stop] = ()) -> None:
    # Four columns, as in `jadwal preview`: on an 80-column terminal the post id stays whole
    # and the link or error gets the room that is left.
    table = new_table(
        _count(
            "jadwal history: ",
            ngettext("{count} publication", "{count} publications", len(rows)),
            len(rows),
        ),
        Column(_("when"), no_wrap=True),
        _("post / account"),
        _("state"),
        Column(_("link / error"), overflow="fold", ratio=1),
    )
    for row in rows:
        colour = COLOURS.get(row.state, "white")
        tries = ""
        if row.attempts > 1:
            tries = "\n" + ngettext("{count} try", "{count} tries", row.attempts)
        table.add_row(
            row.scheduled_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            f"{row.post_id}\n{row.account}",
            f"[{colour}]{state_word(row.state)}[/{colour}]{tries.format(count=row.attempts)}",
            escape(_detail(row, tz) or ""),
        )
    Console().print(table)
    if stops:  # below the publications: the last lines on the screen, seen first
        stops_table(stops, tz)


def _detail(row: Publication, tz: ZoneInfo) -> str | None:
    """The link or the error, how late it went out, and the command a state asks for."""
    from scheduler.engine.decide import WAITING
    from scheduler.history import lateness

    detail = row.permalink if row.state == "published" else row.error_message
    late = lateness(row, tz)
    if late is not None and row.state == "published":
        detail = f"{detail or ''}\n{late}".lstrip("\n")
    elif late is not None:  # waiting for the connection: since when, and why
        detail = f"{late}\n{_without(detail or '', every_language(WAITING))}"
    if row.state == "unknown":  # the key is what `jadwal resolve` needs
        detail = f"{detail or ''}\n→ jadwal resolve {row.key}".lstrip("\n")
    if row.state == "awaiting":  # posted by hand: the operator confirms with the key
        detail = _("to be posted by hand") + f"\n→ jadwal done {row.key} --link URL"
    return detail


def _without(text: str, prefixes: frozenset[str]) -> str:
    return next((text.removeprefix(p) for p in prefixes if text.startswith(p)), text)


def _count(head: str, text: str, count: int) -> str:
    return head + text.format(count=count)


def stops_table(stops: Sequence[Stop], tz: ZoneInfo, now: datetime | None = None) -> None:
    """The emergency stops: whom, who and since when, until when, why."""
    now = now or datetime.now(UTC)
    in_force = sum(stop.in_force(now) for stop in stops)
    table = new_table(
        "jadwal history: "
        + ngettext(
            "{count} stop, {in_force} in force", "{count} stops, {in_force} in force", len(stops)
        ).format(count=len(stops), in_force=in_force),
        Column(_("stop"), no_wrap=True),
        _("by / since"),
        _("until"),
        Column(_("reason"), overflow="fold", ratio=1),
    )
    for stop in stops:
        in_force_word = _("in force")
        state = f"[red]{in_force_word}[/red]" if stop.in_force(now) else _("ended")
        table.add_row(
            f"{escape(stop.target)}\n{state}",
            f"{escape(stop.stopped_by)}\n{_when(stop.since, tz)}",
            _stop_end(stop, tz),
            escape(stop.reason),
        )
    Console().print(table)


def _stop_end(stop: Stop, tz: ZoneInfo) -> str:
    if stop.lifted_at is not None and stop.lifted_at == stop.end:
        lifted = _("lifted {time}\nby {who}")
        return lifted.format(time=_when(stop.lifted_at, tz), who=escape(stop.lifted_by or ""))
    if stop.until:
        return _("until {time}").format(time=_when(stop.until, tz))
    return _("until resumed")


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


# The names of ``accounts check``'s lines (``CheckResult.item``), as the table shows them.
CHECKS = {
    "token": N_("token"),
    "permissions": N_("permissions"),
    "insights": N_("insights"),
    "page": N_("page"),
    "videos": N_("videos"),
    "account": N_("account"),
    "quota": N_("quota"),
    "media": N_("media"),
    "session": N_("session"),
    "session location": N_("session location"),
    "login": N_("login"),
    "credentials": N_("credentials"),
    "dry run": N_("dry run"),
    "by hand": N_("by hand"),
}


def accounts_table(reports: list[AccountReport], resumed: list[str]) -> None:
    table = new_table("jadwal accounts check", _("account"), _("platform"), _("check"), _("result"))
    for report in reports:
        account = report.account
        via = f" ({account.via})" if account.via else ""
        for index, result in enumerate(report.results):
            ok, fix = _("ok"), _("FIX")
            mark = f"[green]{ok}[/green]" if result.ok else f"[red]{fix}[/red]"
            if result.ok and result.warning:
                warned = _("warning")
                mark = f"[yellow]{warned}[/yellow]"
            table.add_row(
                account.name if index == 0 else "",
                account.platform + via if index == 0 else "",
                _(CHECKS[result.item]) if result.item in CHECKS else result.item,
                f"{mark} {escape(result.detail)}",
            )
    Console().print(table)
    for name in resumed:
        Console().print(_("{name}: was paused; resumed now that its checks pass").format(name=name))
