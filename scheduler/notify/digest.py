"""The daily digest at each entry's ``digest_at``: yesterday's publications with their links
and problems, today's plan, the weeks at risk of the weekly rule, and the tokens to look at.
Marked per entry and day, so it goes out once a day whoever runs first."""

from __future__ import annotations

from datetime import datetime, timedelta

from scheduler.calendar.expand import expand
from scheduler.calendar.model import Calendar, Notify
from scheduler.calendar.rhythm import thin_weeks, week_start
from scheduler.i18n import _
from scheduler.notify import compose
from scheduler.notify import messages as m
from scheduler.notify.outgoing import outgoing
from scheduler.notify.tokens import digest_lines
from scheduler.store import Store, local_time
from scheduler.store.outbox import Outbox

PROBLEMS = ("failed", "unknown", "missed", "retry")


def collect_digest(calendar: Calendar, store: Store, outbox: Outbox, now: datetime) -> int:
    local = now.astimezone(calendar.timezone)
    queued = 0
    for entry in calendar.notify:
        if "digest" not in entry.events or local.time() < entry.digest_at:
            continue
        subject = f"{entry.variable}@{local:%Y-%m-%d}"
        if outbox.marked("digest", [subject]):
            continue
        title, body = digest(calendar, store, now)
        messages = [x for x in outgoing(calendar, "digest", title, body, now) if _for(x, entry)]
        if outbox.enqueue("digest", [subject], messages, now):
            queued += len(messages)
    return queued


def _for(message: object, entry: Notify) -> bool:
    return getattr(message, "target", None) == entry.variable


def digest(calendar: Calendar, store: Store, now: datetime) -> tuple[str, str]:
    tz = calendar.timezone
    today = now.astimezone(tz).date()
    start = datetime.combine(today, datetime.min.time(), tz)
    lines = [_(m.DIGEST_YESTERDAY).format(day=today - timedelta(days=1))]
    rows = [r for r in store.history(since=start - timedelta(days=1)) if r.scheduled_at < start]
    for row in rows:
        detail = f" {row.permalink}" if row.permalink else ""
        if row.state in PROBLEMS and row.error_message:
            detail = f": {row.error_message}"
        when = f"{row.scheduled_at.astimezone(tz):%H:%M}"
        lines.append(_(m.DIGEST_ROW).format(time=when, post=row.post_id, account=row.account,
                                            state=m.state(row.state), detail=detail))  # fmt: skip
    if not rows:
        lines.append(_(m.DIGEST_NOTHING))
    problems = sum(1 for row in rows if row.state in PROBLEMS)
    if problems:
        lines.append(_(m.DIGEST_PROBLEMS).format(count=problems, day=today - timedelta(days=1)))
    lines += ["", _(m.DIGEST_TODAY).format(day=today)]
    plan = [o for o in expand(calendar, today, today) if o.post.status == "approved"]
    for o in plan:
        planned = {"post": o.post.id, "account": o.account.name, "detail": ""}
        lines.append(
            _(m.DIGEST_ROW).format(time=f"{o.at:%H:%M}", state=m.state("planned"), **planned)
        )
    if not plan:
        lines.append(_(m.DIGEST_NOTHING))
    lines += _at_risk(calendar, today)
    lines += digest_lines(calendar, now)
    return compose.title(calendar, "digest", day=today), "\n".join(lines)


def _at_risk(calendar: Calendar, today: object) -> list[str]:
    minimum = calendar.rules.min_posts_per_week
    if not minimum:
        return []
    assert hasattr(today, "weekday")
    thin = thin_weeks(calendar, week_start(today), 2)  # type: ignore[arg-type]
    weeks = [(a, w) for a, mondays in thin.items() for w in mondays]
    if not weeks:
        return []
    lines = ["", m.digest_at_risk(minimum).format(minimum=minimum)]
    lines += [_(m.DIGEST_WEEK).format(account=a, week=w) for a, w in weeks]
    return lines


__all__ = ["collect_digest", "digest", "local_time"]
