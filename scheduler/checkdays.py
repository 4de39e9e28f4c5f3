"""What ``check`` notes of ``on_holidays``: the occurrences a post's rule moves or skips in
the weeks it looks at, with the days off that made it (a note, not a warning)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from scheduler.calendar.expand import expand
from scheduler.calendar.model import Calendar
from scheduler.calendar.workdays import Where, country_of, names_off
from scheduler.i18n import _, ngettext
from scheduler.problems import Location


def days_off_notes(calendar: Calendar, today: date, weeks: int) -> list[tuple[Location, str]]:
    """A note per post whose ``on_holidays`` moves or skips occurrences in the weeks
    ``check`` renders: what a series does on days off is seen in review, in CI's log, without
    failing anything (a note is no warning)."""
    where = country_of(calendar)
    moved: dict[str, dict[datetime, str]] = {}
    skipped: dict[str, dict[datetime, str]] = {}
    for o in expand(calendar, today, today + timedelta(weeks=weeks), skipped=True):
        if o.skipped is not None:  # each account has the same: the post's moments once
            skipped.setdefault(o.post.id, {})[o.at] = _off(where, o.at)
        elif o.moved_from is not None:
            shown = f"{_off(where, o.moved_from)} → {o.at:%Y-%m-%d %H:%M}"
            moved.setdefault(o.post.id, {})[o.at] = shown
    notes = []
    for post in calendar.posts:
        parts = _moves(list(moved.get(post.id, {}).values()))
        parts += _skips(list(skipped.get(post.id, {}).values()), post.on_holidays == "skip")
        if parts:
            message = _("post '{post}': on_holidays: {rule} in the next {weeks} weeks {parts}")
            said = message.format(
                post=post.id, rule=post.on_holidays, weeks=weeks, parts=", ".join(parts)
            )
            notes.append((post.loc, said))
    return notes


def _moves(found: list[str]) -> list[str]:
    if not found:
        return []
    said = ngettext("moves {n} occurrence: {list}", "moves {n} occurrences: {list}", len(found))
    return [said.format(n=len(found), list="; ".join(found))]


def _skips(found: list[str], asked: bool) -> list[str]:
    """``asked``: skipped by ``skip``; else by ``next_workday``, whose next working day has
    the post already."""
    if not found:
        return []
    if asked:
        said = ngettext("skips {n} occurrence: {list}", "skips {n} occurrences: {list}", len(found))
    else:
        said = ngettext(
            "skips {n} occurrence, as its next working day has the post already: {list}",
            "skips {n} occurrences, as their next working day has the post already: {list}",
            len(found),
        )
    return [said.format(n=len(found), list="; ".join(found))]


def _off(where: Where, moment: datetime) -> str:
    names = names_off(where, moment.date())
    return f"{moment:%Y-%m-%d %H:%M} ({', '.join(names)})" if names else f"{moment:%Y-%m-%d %H:%M}"
