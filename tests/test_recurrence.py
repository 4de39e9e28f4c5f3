"""``expand``: when posts happen, in the calendar's zone, with stable keys."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from types import FrameType

import pytest

from scheduler.calendar import Calendar, load_calendar
from scheduler.calendar.expand import Occurrence, expand
from scheduler.errors import CalendarError
from tests.conftest import WriteCalendar
from tests.helpers import calendar_text

DEC_1, DEC_31 = date(2026, 12, 1), date(2026, 12, 31)


def load(write_calendar: WriteCalendar, posts: str, timezone: str = "Asia/Jakarta") -> Calendar:
    return load_calendar(write_calendar(calendar_text(timezone=timezone, posts=posts)))


def times(calendar: Calendar, first: date = DEC_1, last: date = DEC_31) -> list[str]:
    return [o.at.isoformat() for o in expand(calendar, first, last)]


def days(calendar: Calendar, first: date, last: date) -> list[str]:
    return [o.at.date().isoformat() for o in expand(calendar, first, last)]


def keys(occurrences: list[Occurrence]) -> list[str]:
    return [o.key for o in occurrences]


# -- at and dates ----------------------------------------------------------------------------


def test_at_inside_the_window(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, "  - {id: rapat, at: '2026-12-08 10:00', caption: x}\n")
    assert times(calendar) == ["2026-12-08T10:00:00+07:00"]


def test_at_outside_the_window(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, "  - {id: rapat, at: '2026-12-08 10:00', caption: x}\n")
    assert times(calendar, date(2026, 12, 9), DEC_31) == []
    assert times(calendar, DEC_1, date(2026, 12, 7)) == []


def test_dates_plain_dates_take_time(write_calendar: WriteCalendar) -> None:
    posts = """\
  - id: posyandu
    dates: [2026-12-01, 2026-12-15]
    time: "09:00"
    caption: x
"""
    assert times(load(write_calendar, posts)) == [
        "2026-12-01T09:00:00+07:00",
        "2026-12-15T09:00:00+07:00",
    ]


def test_dates_full_datetime_keeps_its_own_time(write_calendar: WriteCalendar) -> None:
    posts = """\
  - id: posyandu
    dates: [2026-12-01, "2026-12-15 14:30"]
    time: "09:00"
    caption: x
"""
    assert times(load(write_calendar, posts)) == [
        "2026-12-01T09:00:00+07:00",
        "2026-12-15T14:30:00+07:00",
    ]


# -- cron --------------------------------------------------------------------------------------


def cron_post(cron: str, extra: str = "") -> str:
    return f'  - id: rutin\n    cron: "{cron}"\n    caption: x\n{extra}'


@pytest.mark.parametrize("sunday", ["0", "7", "sun", "SUN"])
def test_cron_sunday_is_0_and_7(write_calendar: WriteCalendar, sunday: str) -> None:
    calendar = load(write_calendar, cron_post(f"0 9 * * {sunday}"))
    sundays = ["2026-12-06", "2026-12-13", "2026-12-20", "2026-12-27"]
    assert days(calendar, DEC_1, DEC_31) == sundays


# -- rrule -------------------------------------------------------------------------------------


def rrule_post(rule: str, first: str = "2026-01-01", extra: str = "") -> str:
    return (
        f'  - id: rutin\n    rrule: "{rule}"\n    from: {first}\n    time: "09:00"\n'
        f"    caption: x\n{extra}"
    )


# -- series: the days and moments they fire on ---------------------------------------------------

# A series, the window looked at, and the days it fires on inside it.
SERIES_DAYS = {
    "cron end of month fires on every existing day": (
        cron_post("0 9 28-31 * *"),
        (date(2028, 1, 1), date(2028, 4, 30)),
        "2028-01-28 2028-01-29 2028-01-30 2028-01-31 2028-02-28 2028-02-29 2028-03-28 "
        "2028-03-29 2028-03-30 2028-03-31 2028-04-28 2028-04-29 2028-04-30",
    ),
    "cron end of February in a common year": (
        cron_post("0 9 28-31 * *"),
        (date(2027, 2, 1), date(2027, 2, 28)),
        "2027-02-28",
    ),
    # The 1st (a Tuesday in December 2026) and every Monday.
    "cron day of month or day of week": (
        cron_post("0 9 1 * mon"),
        (DEC_1, DEC_31),
        "2026-12-01 2026-12-07 2026-12-14 2026-12-21 2026-12-28",
    ),
    # "*/2" starts with "*": both fields must match (odd days that are Mondays).
    "cron star step day of month is unrestricted": (
        cron_post("0 9 */2 * mon"),
        (DEC_1, DEC_31),
        "2026-12-07 2026-12-21",
    ),
    "cron month names": (
        cron_post("0 8 1 JAN,jul *"),
        (date(2027, 1, 1), date(2027, 12, 31)),
        "2027-01-01 2027-07-01",
    ),
    "rrule monthly on the 31st skips short months": (
        rrule_post("FREQ=MONTHLY;BYMONTHDAY=31"),
        (date(2026, 1, 1), date(2026, 12, 31)),
        "2026-01-31 2026-03-31 2026-05-31 2026-07-31 2026-08-31 2026-10-31 2026-12-31",
    ),
}


@pytest.mark.parametrize(
    ("posts", "window", "expected"), SERIES_DAYS.values(), ids=list(SERIES_DAYS)
)
def test_series_fire_on_these_days(
    write_calendar: WriteCalendar, posts: str, window: tuple[date, date], expected: str
) -> None:
    assert days(load(write_calendar, posts), *window) == expected.split()


# A series in a zone, the window looked at, and the moments it fires at inside it.
SERIES_TIMES = {
    "cron weekday names": (
        cron_post("30 9 * * mon-fri"),
        "Asia/Jakarta",
        (DEC_1, date(2026, 12, 7)),
        "2026-12-01T09:30:00+07:00 2026-12-02T09:30:00+07:00 2026-12-03T09:30:00+07:00 "
        "2026-12-04T09:30:00+07:00 2026-12-07T09:30:00+07:00",
    ),
    "cron several times a day": (
        cron_post("0,30 8-9 5 * *"),
        "Asia/Jakarta",
        (DEC_1, DEC_31),
        "2026-12-05T08:00:00+07:00 2026-12-05T08:30:00+07:00 2026-12-05T09:00:00+07:00 "
        "2026-12-05T09:30:00+07:00",
    ),
    "rrule leap day only in leap years": (
        rrule_post("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        "Asia/Jakarta",
        (date(2026, 1, 1), date(2031, 12, 31)),
        "2028-02-29T09:00:00+07:00",
    ),
    "rrule runs on local wall clock": (
        rrule_post("FREQ=WEEKLY;BYDAY=MO"),
        "Asia/Jayapura",
        (DEC_1, date(2026, 12, 14)),
        "2026-12-07T09:00:00+09:00 2026-12-14T09:00:00+09:00",
    ),
}


@pytest.mark.parametrize(
    ("posts", "zone", "window", "expected"), SERIES_TIMES.values(), ids=list(SERIES_TIMES)
)
def test_series_fire_at_these_moments(
    write_calendar: WriteCalendar, posts: str, zone: str, window: tuple[date, date], expected: str
) -> None:
    assert times(load(write_calendar, posts, zone), *window) == expected.split()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def give_up(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"still expanding after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=-1",
        "FREQ=MONTHLY;BYDAY=53MO",
        "FREQ=DAILY;BYEASTER=400",
    ],
)
def test_rrule_that_loads_also_expands(write_calendar: WriteCalendar, rule: str) -> None:
    try:
        calendar = load(write_calendar, rrule_post(rule))
    except CalendarError as exc:  # refusing the rule with a located error is fine too
        assert [p.line for p in exc.problems if p.is_error] == [9]  # the rrule line
        return
    try:
        with time_limit(3):
            expand(calendar, DEC_1, DEC_31)
    except TimeoutError:
        # Not re-raised: pytest cannot print a traceback through the interrupted generator.
        hung = True
    else:
        hung = False
    assert not hung, f"expand still running after 3 s for {rule}"


# -- from and until ----------------------------------------------------------------------------

DAILY = {
    "cron": '    cron: "0 9 * * *"\n',
    "rrule": '    rrule: "FREQ=DAILY"\n    time: "09:00"\n',
    "dates": "    dates: [2026-12-09, 2026-12-10, 2026-12-11, 2026-12-12]\n    time: '09:00'\n",
}


@pytest.mark.parametrize("kind", sorted(DAILY))
def test_until_is_inclusive(write_calendar: WriteCalendar, kind: str) -> None:
    posts = (
        f"  - id: rutin\n{DAILY[kind]}    from: 2026-12-09\n    until: 2026-12-10\n    caption: x\n"
    )
    calendar = load(write_calendar, posts)
    assert days(calendar, DEC_1, DEC_31) == ["2026-12-09", "2026-12-10"]


@pytest.mark.parametrize("kind", sorted(DAILY))
def test_from_is_inclusive(write_calendar: WriteCalendar, kind: str) -> None:
    posts = f"  - id: rutin\n{DAILY[kind]}    from: 2026-12-11\n    caption: x\n"
    calendar = load(write_calendar, posts)
    assert days(calendar, date(2026, 12, 10), date(2026, 12, 12)) == ["2026-12-11", "2026-12-12"]


# -- the window and time zones -----------------------------------------------------------------


def test_window_is_inclusive_calendar_days_in_calendar_zone(
    write_calendar: WriteCalendar,
) -> None:
    posts = """\
  - {id: sebelum, at: '2026-11-30 23:59', caption: x}
  - {id: awal, at: '2026-12-01 00:00', caption: x}
  - {id: akhir, at: '2026-12-31 23:59', caption: x}
  - {id: sesudah, at: '2027-01-01 00:00', caption: x}
"""
    calendar = load(write_calendar, posts)
    assert [o.post.id for o in expand(calendar, DEC_1, DEC_31)] == ["awal", "akhir"]


def test_single_day_window(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, cron_post("0 0,23 * * *"))
    assert times(calendar, DEC_1, DEC_1) == [
        "2026-12-01T00:00:00+07:00",
        "2026-12-01T23:00:00+07:00",
    ]


@pytest.mark.parametrize(
    ("zone", "offset", "utc"),
    [
        ("Asia/Jakarta", "+07:00", "20261201T0200Z"),
        ("Asia/Makassar", "+08:00", "20261201T0100Z"),
        ("Asia/Jayapura", "+09:00", "20261201T0000Z"),
    ],
)
def test_indonesian_zones(write_calendar: WriteCalendar, zone: str, offset: str, utc: str) -> None:
    calendar = load(write_calendar, "  - {id: rapat, at: '2026-12-01 09:00', caption: x}\n", zone)
    [occurrence] = expand(calendar, DEC_1, DEC_1)
    assert occurrence.at.isoformat() == f"2026-12-01T09:00:00{offset}"
    assert occurrence.key == f"rapat/fb-desa/{utc}"


def test_iso_datetime_with_another_offset_is_converted(write_calendar: WriteCalendar) -> None:
    calendar = load(
        write_calendar, "  - {id: rapat, at: '2026-12-01T09:00:00+00:00', caption: x}\n"
    )
    [occurrence] = expand(calendar, DEC_1, DEC_1)
    assert occurrence.at.isoformat() == "2026-12-01T16:00:00+07:00"
    assert occurrence.key == "rapat/fb-desa/20261201T0900Z"


def test_iso_datetime_falls_on_its_calendar_day(write_calendar: WriteCalendar) -> None:
    # 20:00 UTC on 30 November is already 1 December in Makassar.
    posts = "  - {id: rapat, at: '2026-11-30T20:00:00Z', caption: x}\n"
    calendar = load(write_calendar, posts, "Asia/Makassar")
    assert times(calendar, DEC_1, DEC_1) == ["2026-12-01T04:00:00+08:00"]
    assert times(calendar, date(2026, 11, 30), date(2026, 11, 30)) == []


# -- keys, order, accounts ---------------------------------------------------------------------

MIXED = """\
  - id: senin
    rrule: "FREQ=WEEKLY;BYDAY=MO"
    from: 2026-12-01
    time: "09:00"
    accounts: [fb-desa, ig-desa]
    caption: x
  - id: posyandu
    cron: "0 8 5,7 * *"
    accounts: [fb-desa, ig-desa]
    caption: x
  - {id: rapat, at: '2026-12-07 08:00', accounts: [ig-desa], caption: x}
"""


def test_keys_are_stable(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, MIXED)
    december = keys(expand(calendar, DEC_1, DEC_31))
    assert december == keys(expand(calendar, DEC_1, DEC_31))
    assert december == keys(expand(load(write_calendar, MIXED), DEC_1, DEC_31))


def test_keys_do_not_depend_on_the_window(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, MIXED)
    one_day = keys(expand(calendar, date(2026, 12, 7), date(2026, 12, 7)))
    wide = keys(expand(calendar, date(2026, 11, 1), date(2027, 2, 28)))
    assert one_day == [
        "posyandu/fb-desa/20261207T0100Z",
        "posyandu/ig-desa/20261207T0100Z",
        "rapat/ig-desa/20261207T0100Z",
        "senin/fb-desa/20261207T0200Z",
        "senin/ig-desa/20261207T0200Z",
    ]
    assert set(one_day) <= set(wide)


def test_keys_are_unique(write_calendar: WriteCalendar) -> None:
    found = keys(expand(load(write_calendar, MIXED), DEC_1, date(2027, 12, 31)))
    assert len(found) == len(set(found)) > 100


def test_keys_are_unique_for_dates_within_one_minute(write_calendar: WriteCalendar) -> None:
    posts = """\
  - id: rapat
    dates: ["2026-12-01T09:00:10+07:00", "2026-12-01T09:00:50+07:00"]
    caption: x
"""
    found = keys(expand(load(write_calendar, posts), DEC_1, DEC_1))
    assert len(found) == len(set(found))


def test_output_is_sorted_by_time(write_calendar: WriteCalendar) -> None:
    occurrences = expand(load(write_calendar, MIXED), DEC_1, DEC_31)
    moments = [o.at for o in occurrences]
    assert moments == sorted(moments)
    assert [o.post.id for o in occurrences[:5]] == [
        "posyandu",
        "posyandu",
        "posyandu",
        "posyandu",
        "rapat",
    ]


def test_account_filter(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, MIXED)
    only_fb = expand(calendar, DEC_1, DEC_31, account="fb-desa")
    assert {o.account.name for o in only_fb} == {"fb-desa"}
    assert "rapat" not in {o.post.id for o in only_fb}
    everyone = expand(calendar, DEC_1, DEC_31)
    assert [o for o in everyone if o.account.name == "fb-desa"] == only_fb


def test_account_filter_unknown_account_gives_nothing(write_calendar: WriteCalendar) -> None:
    assert expand(load(write_calendar, MIXED), DEC_1, DEC_31, account="tidak-ada") == []


def test_default_accounts_apply(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, "  - {id: rapat, at: '2026-12-01 09:00', caption: x}\n")
    assert [o.account.name for o in expand(calendar, DEC_1, DEC_1)] == ["fb-desa"]
