"""Parsers for the scalar values a calendar holds: date-times, dates, times, durations, cron.

Each raises ``ValueError`` with a message written for the operator (what was expected, with
an example); the loader attaches the YAML location.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.calendar.model import CronSpec
from scheduler.i18n import N_, _

_LOCAL_DT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DURATION = re.compile(r"^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?$")
MAX_DURATION_MINUTES = 30 * 24 * 60
YEARS = (1970, 2100)  # beyond these a "date" is a typo, and some arithmetic would overflow


def parse_date(text: str) -> date:
    if not _DATE.match(text):
        raise ValueError(
            _("'{text}' is not a date: write YYYY-MM-DD, e.g. 2026-12-01").format(text=text)
        )
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("'{text}' is not a real date (check the day and month)").format(text=text)
        ) from None
    _check_year(text, day.year)
    return day


def parse_month(text: str) -> date:
    """``YYYY-MM``, as the month's first day."""
    match = _MONTH.match(text)
    if not match:
        raise ValueError(
            _("'{text}' is not a month: write YYYY-MM, e.g. 2026-12").format(text=text)
        )
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(
            _("'{text}' is not a real month (the month is 01 to 12)").format(text=text)
        )
    _check_year(text, year)
    return date(year, month, 1)


def _check_year(text: str, year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(
            _("'{text}' is outside the years {first}–{last}").format(
                text=text, first=YEARS[0], last=YEARS[1]
            )
        )


def parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise ValueError(
            _("'{text}' is not a time of day: write HH:MM, e.g. 09:00").format(text=text)
        )
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(_("'{text}' is not a real time of day (00:00 to 23:59)").format(text=text))
    return time(hour, minute)


def parse_datetime(text: str, tz: ZoneInfo) -> datetime:
    """``YYYY-MM-DD HH:MM`` in the calendar's zone, or ISO 8601 with an explicit offset."""
    if _DATE.match(text):
        parse_date(text)
        raise ValueError(_("'{text}' has no time of day: write '{text} HH:MM'").format(text=text))
    local = _LOCAL_DT.match(text)
    if local:
        day = parse_date(local.group(1))
        return datetime.combine(day, parse_time(local.group(2)), tzinfo=tz)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _(
                "'{text}' is not a date-time: write 'YYYY-MM-DD HH:MM' (calendar time zone) or "
                "ISO 8601 with an offset, e.g. 2026-12-01T09:00:00+07:00"
            ).format(text=text)
        ) from None
    _check_year(text, value.year)
    if value.tzinfo is None:
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)


def parse_duration(text: str) -> timedelta:
    match = _DURATION.match(text.strip())
    if not text.strip() or not match or not any(match.groups()):
        raise ValueError(
            _("'{text}' is not a duration: write e.g. 6h, 30m, 1h30m or 2d").format(text=text)
        )
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    if days * 24 * 60 + hours * 60 + minutes > MAX_DURATION_MINUTES:
        raise ValueError(_("'{text}' is too long: at most 30d").format(text=text))
    return timedelta(days=days, hours=hours, minutes=minutes)


_CRON_FIELDS = (
    (N_("minute"), 0, 59),
    (N_("hour"), 0, 23),
    (N_("day of month"), 1, 31),
    (N_("month"), 1, 12),
    (N_("day of week"), 0, 7),
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
_WEEKDAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
_DAY_WORDS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTH_WORDS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Names cron does not take but an operator writes: Indonesian, and English in full. Each
# gets the number to write instead.
_SPELT_DAYS = {
    **{name.lower(): i for i, name in enumerate(_DAY_WORDS)},
    **{
        d: i
        for i, d in enumerate(["minggu", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu"])
    },
    "ahad": 0, "jum'at": 5, "tues": 2, "thur": 4, "thurs": 4,
}  # fmt: skip
_SPELT_MONTHS = {
    **{name.lower(): i for i, name in enumerate(_MONTH_WORDS, 1)},
    **{
        m: i
        for i, m in enumerate(
            ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
             "september", "oktober", "november", "desember"], 1
        )
    },
    "agt": 8, "agu": 8, "okt": 10, "des": 12, "sept": 9,
}  # fmt: skip


def _cron_number(token: str, names: dict[str, int], name: str, low: int, high: int) -> int:
    value = names.get(token.lower()) if names else None
    if value is None:
        if not token.isdigit():
            raise ValueError(
                _("{name} field: {not_a_number}").format(
                    name=name, not_a_number=_not_a_number(token, names)
                )
            )
        value = int(token)
    if not low <= value <= high:
        raise ValueError(
            _("{name} field: {value} is outside {low}-{high}").format(
                name=name, value=value, low=low, high=high
            )
        )
    return value


def _not_a_number(token: str, names: dict[str, int]) -> str:
    """What a word in a cron field means, as the number to write there."""
    if names is _WEEKDAYS and token.lower() in _SPELT_DAYS:
        number = _SPELT_DAYS[token.lower()]
        return _("'{token}' is {value}: write {number}").format(
            token=token, value=_DAY_WORDS[number], number=number
        )
    if names is _MONTHS and token.lower() in _SPELT_MONTHS:
        number = _SPELT_MONTHS[token.lower()]
        return _("'{token}' is {value}: write {number}").format(
            token=token, value=_MONTH_WORDS[number - 1], number=number
        )
    return _("'{token}' is not a number").format(token=token)


def _cron_field(text: str, index: int) -> set[int]:
    name, low, high = _CRON_FIELDS[index]
    name = _(name)  # said in messages only
    names = _MONTHS if index == 3 else _WEEKDAYS if index == 4 else {}
    values: set[int] = set()
    for part in text.split(","):
        body, _sep, step_text = part.partition("/")
        step = _cron_step(step_text, name) if step_text else 1
        start, end = _cron_span(body, names, (name, low, high), stepped=bool(step_text))
        values.update(range(start, end + 1, step))
    return values


def _cron_step(text: str, name: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise ValueError(
            _("{name} field: step '{text}' must be a positive number").format(name=name, text=text)
        )
    return int(text)


def _cron_span(
    body: str, names: dict[str, int], field: tuple[str, int, int], stepped: bool
) -> tuple[int, int]:
    """The first and last value of ``*``, ``A-B`` or ``A`` (``A/N``: from A to the end)."""
    name, low, high = field
    if body == "*":
        return low, high
    if "-" not in body:
        value = _cron_number(body, names, name, low, high)
        return value, high if stepped else value
    first, _sep, last = body.partition("-")
    start = _cron_number(first, names, name, low, high)
    end = _cron_number(last, names, name, low, high)
    if end < start:
        raise ValueError(
            _("{name} field: range '{body}' runs backwards").format(name=name, body=body)
        )
    return start, end


def parse_cron(text: str) -> CronSpec:
    """Standard 5-field cron (minute hour day-of-month month day-of-week), names allowed."""
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(
            _(
                "'{text}' has {count} fields; jadwal's cron has 5: minute hour day-of-month month "
                "day-of-week, e.g. '0 9 * * 1' (Mondays 09:00)"
            ).format(text=text, count=len(fields))
        )
    minutes, hours, days, months, weekdays = (_cron_field(f, i) for i, f in enumerate(fields))
    # cron counts Sunday as 0 (or 7); Python's weekday() counts Monday as 0.
    python_weekdays = frozenset((d - 1) % 7 for d in weekdays)
    return CronSpec(
        text=text,
        minutes=frozenset(minutes),
        hours=frozenset(hours),
        days=frozenset(days),
        months=frozenset(months),
        weekdays=python_weekdays,
        days_restricted=not fields[2].startswith("*"),
        weekdays_restricted=not fields[4].startswith("*"),
    )


def normalize_rrule(text: str) -> str:
    """jadwal runs rules on the calendar's wall clock, so ``UNTIL`` is local time too."""
    return re.sub(r"(UNTIL=\d{8}(?:T\d{6})?)Z", r"\1", text.strip(), flags=re.IGNORECASE)


RRULE_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY")
_RRULE_PARTS = {
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "BYHOUR",
    "BYMINUTE",
    "WKST",
}
_RRULE_RANGES = {
    "INTERVAL": (1, 1000),
    "COUNT": (1, 100_000),
    "BYMONTHDAY": (-31, 31),
    "BYYEARDAY": (-366, 366),
    "BYWEEKNO": (-53, 53),
    "BYMONTH": (1, 12),
    "BYSETPOS": (-366, 366),
    "BYHOUR": (0, 23),
    "BYMINUTE": (0, 59),
}
RRULE_PROBE_YEARS = 10


def compile_rrule(text: str, start: datetime, until: datetime) -> Any:
    """The dateutil rule from ``start`` (naive local time), cut off at ``until``.

    The cut-off matters: a rule that never matches would otherwise make dateutil search
    every year up to 9999 before giving up.
    """
    from dateutil.rrule import rrule, rrulestr

    compiled = rrulestr(text, dtstart=start)
    assert isinstance(compiled, rrule)  # check_rrule allows a single RRULE line only
    # dateutil keeps COUNT and UNTIL only in these private attributes.
    own_until = compiled._until  # type: ignore[attr-defined]
    if compiled._count is None and (own_until is None or own_until > until):  # type: ignore[attr-defined]
        compiled = compiled.replace(until=until)
    return compiled


def check_rrule(text: str) -> None:
    """Raise ``ValueError`` unless the rule is one jadwal can expand: a single RRULE line,
    daily or slower, every part in range. jadwal supplies DTSTART itself."""
    body = text.strip().removeprefix("RRULE:").removeprefix("rrule:")
    if "DTSTART" in body.upper():
        raise ValueError(
            _(
                "write the first day as 'from: YYYY-MM-DD' and the time as 'time: HH:MM' instead "
                "of DTSTART inside the rule"
            )
        )
    if "\n" in body:
        raise ValueError(_("give one RRULE line (no EXDATE/RDATE lines)"))
    parts = _rrule_parts(body)
    if "FREQ" not in parts:
        raise ValueError(
            _("'{body}' has no FREQ: write e.g. 'FREQ=WEEKLY;BYDAY=MO'").format(body=body)
        )
    if parts["FREQ"].upper() not in RRULE_FREQS:
        raise ValueError(
            _("FREQ={freq} is not allowed: jadwal repeats posts at most daily ({names})").format(
                freq=parts["FREQ"], names=", ".join(RRULE_FREQS)
            )
        )
    _check_rrule_ranges(parts)
    start = datetime(2026, 1, 1, 9)
    try:
        rule = compile_rrule(body, start, start.replace(year=start.year + RRULE_PROBE_YEARS))
        rule.after(start, inc=True)
    except (ValueError, TypeError, OverflowError, IndexError, KeyError) as exc:
        raise ValueError(
            _("'{body}' is not valid RFC 5545: {exc}").format(body=body, exc=exc)
        ) from None


def _rrule_parts(body: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in filter(None, body.split(";")):
        name, _sep, value = piece.partition("=")
        name = name.strip().upper()
        if name not in _RRULE_PARTS:
            raise ValueError(
                _("'{name}' is not a rule part jadwal supports ({names})").format(
                    name=name, names=", ".join(sorted(_RRULE_PARTS))
                )
            )
        parts[name] = value.strip()
    return parts


def _check_rrule_ranges(parts: dict[str, str]) -> None:
    for name, (low, high) in _RRULE_RANGES.items():
        for item in filter(None, parts.get(name, "").split(",")):
            if not _rrule_number_in_range(item, low, high):
                raise ValueError(
                    _("{name}={item} is out of range ({low} to {high})").format(
                        name=name, item=item, low=low, high=high
                    )
                )
    monthly = parts["FREQ"].upper() == "MONTHLY"
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        if not _rrule_weekday(item, monthly):
            raise ValueError(
                _("BYDAY={item} is not a weekday such as MO, 1FR or -1SU").format(item=item)
            )


def _rrule_number_in_range(item: str, low: int, high: int) -> bool:
    if not re.fullmatch(r"[+-]?\d{1,6}", item):
        return False
    # Where negative numbers count from the end, 0 means nothing.
    return low <= int(item) <= high and not (int(item) == 0 and low < 0)


def _rrule_weekday(item: str, monthly: bool) -> bool:
    """``MO``, ``1FR`` or ``-1SU``; a month has at most 5 of a weekday (-1 to -5 from its end)."""
    match = re.fullmatch(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)", item.upper())
    if match is None:
        return False
    return not (match.group(1) and monthly and not 1 <= abs(int(match.group(1))) <= 5)
