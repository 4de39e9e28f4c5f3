"""Schedules that are valid but do not do what they seem to, as warnings for ``check``.

- cron's OR trap: with both day-of-month and day-of-week restricted, classic cron fires on a
  day matching *either* (``0 8 1-7 * mon`` is not "the first Monday" but ten days of some
  months); the warning gives the RRULE that means the days matching both;
- a series that never fires (``0 8 31 2 *``, or nothing between ``from`` and ``until``);
- a post wholly in the past, and an ``until`` already past.

"Today" is ``check``'s ``--today``, so the warnings are reproducible.
"""

from __future__ import annotations

import calendar as months
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduler.calendar.expand import occurrence_times
from scheduler.calendar.model import CronSpec, Post, Schedule
from scheduler.calendar.values import compile_rrule
from scheduler.i18n import _, people_month
from scheduler.problems import Location

_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ORDINALS = ("first", "second", "third", "fourth")
# How far a cron series is walked day by day before its fields alone decide.
_WALK_DAYS = 400
_RRULE_DAYS = 3653  # a rule without an end is probed for ten years, as check_rrule does

Warning = tuple[Location, str]


def schedule_warnings(post: Post, tz: ZoneInfo, today: date) -> Iterator[Warning]:
    """What about the post's schedule means it is not published as the operator expects."""
    schedule, what = post.schedule, _("post '{id}'").format(id=post.id)
    where = schedule.loc or post.loc
    cron = schedule.cron
    if cron is not None and cron.days_restricted and cron.weekdays_restricted:
        yield where, f"{what}: {or_trap(cron, schedule.first or today, today)}"
    if schedule.until is not None and schedule.until < today and schedule.at is None:
        yield (
            schedule.until_loc or where,
            _(
                "{what}: until ({until}) is already past (today is {today}): the series publishes "
                "nothing more"
            ).format(what=what, until=schedule.until, today=today),
        )
        return
    if _fires(schedule, tz, max(today, schedule.first or today), schedule.until):
        return
    began = schedule.first is not None or schedule.at or schedule.dates
    if began and _fires(schedule, tz, schedule.first or date.min, today - timedelta(days=1)):
        yield (
            where,
            _("{what} is wholly in the past (today is {today}): nothing is published").format(
                what=what, today=today
            ),
        )
        return
    yield where, f"{what}: {_never(schedule)}"


def _never(schedule: Schedule) -> str:
    span = _("{first} and {until}").format(
        first=schedule.first or _("the start"), until=schedule.until or _("the end")
    )
    if schedule.dates:
        return _(
            "none of its dates is between {span} (from, until), so nothing is published"
        ).format(span=span)
    kind = f"cron '{schedule.cron.text}'" if schedule.cron else f"rrule '{schedule.rrule}'"
    if schedule.first or schedule.until:
        return _(
            "its {kind} never fires between {span} (from, until), so nothing is published"
        ).format(kind=kind, span=span)
    return _("its {kind} never fires, so nothing is published").format(kind=kind)


def _fires(schedule: Schedule, tz: ZoneInfo, low: date, high: date | None) -> bool:
    """Whether the schedule has a moment on a day from ``low`` to ``high`` (None: ever)."""
    if high is not None and high < low:
        return False
    if schedule.at is not None or schedule.dates:
        moments = [schedule.at] if schedule.at else list(schedule.dates)
        return any(low <= m.astimezone(tz).date() <= (high or date.max) for m in moments)
    if schedule.cron is not None:
        return _cron_fires(schedule, tz, low, high)
    if schedule.rrule is not None and schedule.first is not None:
        start = datetime.combine(schedule.first, schedule.time_of_day or time(0, 0))
        end = datetime.combine(high or schedule.first + timedelta(days=_RRULE_DAYS), time.max)
        rule = compile_rrule(schedule.rrule, start, end)
        return rule.after(datetime.combine(low, time(0, 0)), inc=True) is not None
    return True


def _cron_fires(schedule: Schedule, tz: ZoneInfo, low: date, high: date | None) -> bool:
    assert schedule.cron is not None
    last = low + timedelta(days=_WALK_DAYS)
    if high is not None and high <= last:
        return bool(occurrence_times(schedule, tz, low, high))
    return _cron_can_fire(schedule.cron)


def _cron_can_fire(cron: CronSpec) -> bool:
    """Whether some month of the cron has one of its days (February counted with 29)."""
    if cron.weekdays_restricted or not cron.days_restricted:
        return True  # every weekday comes round in every month
    leap = 2028
    return any(day <= months.monthrange(leap, m)[1] for m in cron.months for day in cron.days)


def or_trap(cron: CronSpec, first: date, today: date) -> str:
    """The warning for a cron whose day-of-month and day-of-week are both restricted."""
    year, month, count = _busy_month(cron, today)
    rule, meaning = _rrule_for(cron)
    return _(
        "cron '{text}' restricts both the day of month and the day of week, so it fires on every "
        "day matching either ({count} days in {month}); for the days matching both{meaning}, "
        'write rrule: "{rule}" with from: {first} instead'
    ).format(
        text=cron.text,
        count=count,
        month=people_month(date(year, month, 1)),
        meaning=meaning,
        rule=rule,
        first=first,
    )


def _busy_month(cron: CronSpec, today: date) -> tuple[int, int, int]:
    """The first whole month after today that the cron runs in, and its days that fire."""
    year, month = (today.year, today.month + 1) if today.month < 12 else (today.year + 1, 1)
    for _month in range(12):
        if month in cron.months:
            break
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    length = months.monthrange(year, month)[1]
    days = [date(year, month, day) for day in range(1, length + 1)]
    fired = [d for d in days if d.day in cron.days or d.weekday() in cron.weekdays]
    return year, month, len(fired)


def _rrule_for(cron: CronSpec) -> tuple[str, str]:
    """The RRULE for the days matching both fields, and in words what it means, if short."""
    days, weekdays = sorted(cron.days), sorted(cron.weekdays)
    parts = ["FREQ=MONTHLY"]
    if len(cron.months) < 12:
        parts.append("BYMONTH=" + ",".join(map(str, sorted(cron.months))))
    week = next((n for n in range(4) if days == list(range(7 * n + 1, 7 * n + 8))), None)
    meaning = ""
    if week is None:
        parts += ["BYMONTHDAY=" + ",".join(map(str, days))]
        parts += ["BYDAY=" + ",".join(_CODES[d] for d in weekdays)]
    else:
        parts.append("BYDAY=" + ",".join(f"{week + 1}{_CODES[d]}" for d in weekdays))
        if len(weekdays) == 1:
            meaning = f" (the {_ORDINALS[week]} {_DAY_NAMES[weekdays[0]]})"
    parts.append("BYHOUR=" + ",".join(map(str, sorted(cron.hours))))
    parts.append("BYMINUTE=" + ",".join(map(str, sorted(cron.minutes))))
    return ";".join(parts), meaning
