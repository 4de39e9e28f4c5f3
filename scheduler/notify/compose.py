"""Message bodies from the store's rows: one message per event and account, however many
posts it covers (an expired token pausing an account with twenty posts due is one message).
The texts come from ``messages``, in the language in force when a message is composed; times
are the calendar's local times."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from scheduler.calendar.model import Calendar
from scheduler.i18n import _
from scheduler.notify import messages as m
from scheduler.store import AccountPause, Publication, local_time

OFFICE_VARS = ("office", "instansi", "kantor", "nama")


def office(calendar: Calendar) -> str:
    """The office's name as the calendar gives it (``vars.instansi``…), else its folder's."""
    for name in OFFICE_VARS:
        value = calendar.vars.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return calendar.folder.resolve().name


def title(calendar: Calendar, event: str, **values: object) -> str:
    headline = m.headline(event, **values)
    return m.TITLE.format(office=office(calendar), headline=headline)


def posts_message(calendar: Calendar, event: str, rows: Sequence[Publication]) -> tuple[str, str]:
    """Title and body for ``rows`` of one account that ended ``event``."""
    first = rows[0]
    grace = _duration(calendar)
    lines = [
        m.HEADER.format(office=office(calendar), account=first.account, platform=first.platform),
        _(m.INTROS[event]).format(grace=grace, account=first.account),
    ]
    for row in rows:
        lines += _post_lines(calendar, event, row)
    return title(calendar, event, account=first.account, count=len(rows)), "\n".join(lines)


def _post_lines(calendar: Calendar, event: str, row: Publication) -> list[str]:
    tz = calendar.timezone
    when = local_time(row.scheduled_at, tz)
    detail = row.permalink if event == "published" else row.error_message
    said = detail or _(m.EVENT_WORDS[event])
    lines = [_(m.POST_LINE).format(post=row.post_id, time=when, detail=said)]
    lines.append(_(m.KEY_LINE).format(key=row.key))
    step = m.STEPS.get(event)
    if step is not None:
        short = f"{row.scheduled_at.astimezone(tz):%Y-%m-%d %H:%M}"
        text = _(step).format(post=row.post_id, account=row.account, time_short=short, key=row.key)
        lines.append("  " + _(m.NEXT).format(step=text))
    return lines


def paused_message(
    calendar: Calendar, pause: AccountPause, platform: str, waiting: Sequence[Publication]
) -> tuple[str, str]:
    account = pause.account
    since = local_time(pause.since, calendar.timezone)
    lines = [
        m.HEADER.format(office=office(calendar), account=account, platform=platform),
        _(m.INTROS["paused"]).format(account=account, since=since, reason=pause.reason),
    ]
    if waiting:
        posts = ", ".join(
            f"{row.post_id} ({local_time(row.scheduled_at, calendar.timezone)})" for row in waiting
        )
        lines.append(m.waiting(len(waiting)).format(count=len(waiting), posts=posts))
    lines.append(_(m.NEXT).format(step=_(m.STEPS["paused"]).format(account=account)))
    return title(calendar, "paused", account=account), "\n".join(lines)


def quota_message(calendar: Calendar, rows: Sequence[Publication]) -> tuple[str, str]:
    first = rows[0]
    tz = calendar.timezone
    lines = [
        m.HEADER.format(office=office(calendar), account=first.account, platform=first.platform),
        _(m.INTROS["quota"]).format(account=first.account),
    ]
    for row in rows:
        when = local_time(row.scheduled_at, tz)
        said = row.error_message or ""
        lines.append(_(m.POST_LINE).format(post=row.post_id, time=when, detail=said))
    nexts = [row.next_attempt_at for row in rows if row.next_attempt_at is not None]
    when = local_time(min(nexts), tz) if nexts else _(m.SOON)
    lines.append(_(m.NEXT).format(step=_(m.STEPS["quota"]).format(when=when)))
    return title(calendar, "quota", account=first.account), "\n".join(lines)


def _duration(calendar: Calendar) -> str:
    minutes = int(calendar.rules.grace.total_seconds()) // 60
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _(m.MINUTES).format(minutes=rest)
    if rest:
        return _(m.HOURS_MINUTES).format(hours=hours, minutes=rest)
    return _(m.HOURS).format(hours=hours)


def day(moment: datetime, calendar: Calendar) -> str:
    return f"{moment.astimezone(calendar.timezone):%Y-%m-%d}"
