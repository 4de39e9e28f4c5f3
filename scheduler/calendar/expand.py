"""From a calendar to dated occurrences: the one place that decides *when* posts happen.

``expand(calendar, first_day, last_day)`` lists every (post, account, time) in the window,
recurring series and holiday greetings included, in time order. An occurrence's ``key`` is
stable: the same post, account and moment always give the same key, which is what the store
uses to publish each occurrence exactly once. A post's ``on_holidays`` may keep an
occurrence back from a day off or move it to the next working day (``workdays.py``); the
key of a moved one is made from the time it moved to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from scheduler.calendar.holidays import holiday_posts
from scheduler.calendar.model import Account, Calendar, CronSpec, Post, Schedule
from scheduler.calendar.values import compile_rrule
from scheduler.calendar.workdays import LOOKBACK, SKIPPED, Placed, country_of, place


@dataclass(frozen=True, slots=True)
class Occurrence:
    post: Post
    account: Account
    at: datetime  # aware, in the calendar's time zone
    source: Literal["post", "holiday"] = "post"
    holiday: str | None = None
    again: int = 0  # the Nth deliberate re-publication (jadwal post --again)
    moved_from: datetime | None = None  # its series' own time, before on_holidays moved it
    skipped: str | None = None  # why it does not go out (``on_holidays``), in listings only

    @property
    def key(self) -> str:
        """``POST/ACCOUNT/YYYYMMDDTHHMMZ`` (UTC; seconds only when not zero)."""
        moment = self.at.astimezone(UTC)
        stamp = moment.strftime("%Y%m%dT%H%M%SZ" if moment.second else "%Y%m%dT%H%MZ")
        suffix = f"~again{self.again}" if self.again else ""
        return f"{self.post.id}/{self.account.name}/{stamp}{suffix}"

    @property
    def platform(self) -> str:
        return self.account.platform


def expand(
    calendar: Calendar,
    first_day: date,
    last_day: date,
    account: str | None = None,
    skipped: bool = False,
) -> list[Occurrence]:
    """Every occurrence from ``first_day`` 00:00 to ``last_day`` 24:00 (calendar time), sorted;
    with ``skipped``, those ``on_holidays`` keeps back too (marked ``skipped``)."""
    out: list[Occurrence] = []
    for post, holiday in _all_posts(calendar, first_day, last_day):
        accounts = _accounts(calendar, post, account)
        if not accounts:
            continue
        source: Literal["post", "holiday"] = "holiday" if holiday else "post"
        for placed in _placed(calendar, post, first_day, last_day):
            if placed.skipped and not skipped:
                continue
            reason = SKIPPED if placed.skipped else None
            out.extend(
                Occurrence(post, a, placed.at, source, holiday, 0, placed.moved_from, reason)
                for a in accounts
            )
    out.sort(key=lambda o: (o.at, o.post.id, o.account.name))
    return out


def _placed(calendar: Calendar, post: Post, first_day: date, last_day: date) -> list[Placed]:
    """The post's moments in the window, where its ``on_holidays`` puts them."""
    tz = calendar.timezone
    if post.on_holidays == "keep":
        moments = occurrence_times(post.schedule, tz, first_day, last_day)
        return [Placed(moment) for moment in moments]
    # An occurrence moved into the window may come from days before it.
    since = first_day - LOOKBACK if post.on_holidays == "next_workday" else first_day
    moments = [m.astimezone(tz) for m in occurrence_times(post.schedule, tz, since, last_day)]
    return place(country_of(calendar), post.on_holidays, moments, first_day, last_day)


def by_post_and_time(occurrences: Iterable[Occurrence]) -> list[tuple[Occurrence, ...]]:
    """Each post at each moment, its accounts together, in the order they first come
    (``expand``'s: time, then post): one entry of the calendar views, one event of the feed."""
    grouped: dict[tuple[datetime, str], list[Occurrence]] = {}
    for o in occurrences:
        grouped.setdefault((o.at, o.post.id), []).append(o)
    return [tuple(group) for group in grouped.values()]


def _accounts(calendar: Calendar, post: Post, only: str | None) -> list[Account]:
    """The post's accounts that the calendar defines, or just ``only`` among them."""
    names = [n for n in post.accounts if only is None or n == only]
    return [calendar.accounts[n] for n in names if n in calendar.accounts]


def _all_posts(
    calendar: Calendar, first_day: date, last_day: date
) -> Iterator[tuple[Post, str | None]]:
    for post in calendar.posts:
        yield post, None
    if calendar.holidays is not None:
        yield from holiday_posts(calendar.holidays, first_day, last_day, calendar.timezone)


def occurrence_times(
    schedule: Schedule, tz: ZoneInfo, first_day: date, last_day: date
) -> list[datetime]:
    """The moments a schedule fires inside the window and inside its own from/until."""
    low = max(first_day, schedule.first) if schedule.first else first_day
    high = min(last_day, schedule.until) if schedule.until else last_day
    if low > high:
        return []
    if schedule.at is not None:
        moments = [schedule.at]
    elif schedule.dates:
        moments = list(schedule.dates)
    elif schedule.cron is not None:
        return list(_cron_times(schedule.cron, tz, low, high))
    elif schedule.rrule is not None:
        return _rrule_times(schedule, tz, low, high)
    else:
        return []
    return [m for m in moments if low <= m.astimezone(tz).date() <= high]


def _cron_times(cron: CronSpec, tz: ZoneInfo, low: date, high: date) -> Iterator[datetime]:
    clock = [time(h, m) for h in sorted(cron.hours) for m in sorted(cron.minutes)]
    day, one = low, timedelta(days=1)
    while day <= high:
        if day.month not in cron.months:  # a whole month skipped in one step
            day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
            continue
        if _cron_day_matches(cron, day):
            for moment in clock:
                yield datetime.combine(day, moment, tzinfo=tz)
        day += one


def _cron_day_matches(cron: CronSpec, day: date) -> bool:
    by_day = day.day in cron.days
    by_weekday = day.weekday() in cron.weekdays
    # Classic cron: when both fields are restricted, a day matching either one fires.
    if cron.days_restricted and cron.weekdays_restricted:
        return by_day or by_weekday
    return by_day and by_weekday


def _rrule_times(schedule: Schedule, tz: ZoneInfo, low: date, high: date) -> list[datetime]:
    assert schedule.rrule is not None and schedule.first is not None
    start = datetime.combine(schedule.first, schedule.time_of_day or time(0, 0))
    window_start = datetime.combine(low, time(0, 0))
    window_end = datetime.combine(high, time(23, 59, 59))
    rule = compile_rrule(schedule.rrule, start, window_end)
    # The rule runs on naive local wall-clock times; the zone is attached afterwards so that
    # "every Monday 09:00" stays 09:00 whatever the zone's offset does.
    return [m.replace(tzinfo=tz) for m in rule.between(window_start, window_end, inc=True)]


_KEY = re.compile(
    r"^(?P<post>[^/]+)/(?P<account>[^/]+)/(?P<stamp>\d{8}T\d{4}(\d{2})?Z)"
    r"(~again(?P<again>\d+))?$"
)


def key_post_and_time(key: str) -> tuple[str, datetime] | None:
    """The post id and the moment (UTC) an occurrence key names; None for another text."""
    match = _KEY.match(key)
    return None if match is None else (match["post"], _stamp_time(match["stamp"]))


def _stamp_time(stamp: str) -> datetime:
    moment = datetime.strptime(stamp, "%Y%m%dT%H%M%SZ" if len(stamp) == 16 else "%Y%m%dT%H%MZ")
    return moment.replace(tzinfo=UTC)


def find_occurrence(calendar: Calendar, key: str) -> Occurrence | None:
    """The occurrence a store key names, if the calendar still has it (same post, same time)."""
    match = _KEY.match(key)
    if match is None or match["account"] not in calendar.accounts:
        return None
    moment = _stamp_time(match["stamp"])
    day = moment.astimezone(calendar.timezone).date()
    for occurrence in expand(calendar, day, day, match["account"]):
        if occurrence.post.id == match["post"] and occurrence.at.replace(microsecond=0) == moment:
            return replace(occurrence, again=int(match["again"] or 0))
    return None
