"""Properties: any file gives located problems (never a traceback), cron and keys hold up.

The generators reach every level of a calendar with random types, unicode (NUL included),
huge numbers, years 1-9999, deep nesting and over-long file names; the inputs that once
crashed the loader are pinned one by one at the end of this file.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from scheduler.calendar import keys, load_calendar, read_calendar_file
from scheduler.calendar.expand import expand
from scheduler.calendar.json_schema import json_schema
from scheduler.calendar.keyspec import Section
from scheduler.commands.preview import _indented
from scheduler.errors import CalendarError
from scheduler.platforms.captions import find_words
from tests.helpers import FB, calendar_folder, calendar_text

FAST = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A calendar folder with the shipped templates and media; each example rewrites the file."""
    return calendar_folder(tmp_path_factory.mktemp("properties"))


# -- (a) whatever the file holds, problems come back located -------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
LONG_NAME = st.integers(240, 400).map(lambda n: "media/" + "m" * n + ".jpg")
HUGE = st.integers(min_value=10**18, max_value=10**80) | st.integers(max_value=-(10**18))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    HUGE,
    st.floats(),
    TEXT,
    st.dates(),
    st.datetimes(),
    st.sampled_from(["", " ", "~", "null", "yes", "0x1F", "1e999", ".nan", "${X}", "-", "*"]),
)
ANYTHING = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


def nest(value: object, depth: int) -> object:
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


DEEP = st.builds(nest, SCALARS, st.integers(0, 90))


def two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


YEARS = st.integers(1, 9999).map(lambda year: f"{year:04d}")
DATE_TEXT = st.builds(lambda y, m, d: f"{y}-{m}-{d}", YEARS, two(0, 13), two(0, 32))
TIME_TEXT = st.builds(lambda h, m: f"{h}:{m}", two(0, 25), two(0, 61))
OFFSET = st.sampled_from(["", "Z", "+07:00", "-03:30", "+14:00", "+0900", "+07:00:30"])
DATETIME_TEXT = st.one_of(
    st.builds(lambda d, t: f"{d} {t}", DATE_TEXT, TIME_TEXT),
    st.builds(lambda d, t, o: f"{d}T{t}:00{o}", DATE_TEXT, TIME_TEXT, OFFSET),
    st.datetimes().map(str),
)
CRON_TOKEN = st.sampled_from(["*", "*/15", "0", "7", "1-5", "5/10", "mon-fri", "jan", "60", "x"])
CRON_TEXT = st.lists(CRON_TOKEN, min_size=3, max_size=7).map(" ".join)
RRULE_PART = st.one_of(
    st.sampled_from(["FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=HOURLY"]),
    st.sampled_from(["BYDAY=MO", "BYDAY=1FR", "BYMONTHDAY=31", "BYMONTH=2", "BYSETPOS=-1"]),
    st.builds("BYHOUR={}".format, st.integers(-2, 25) | HUGE),
    st.builds("INTERVAL={}".format, st.integers(1, 100) | HUGE),
    st.builds("COUNT={}".format, st.integers(0, 100) | HUGE),
    st.builds("UNTIL={}{}{}".format, YEARS, two(0, 13), two(0, 32)),
    st.sampled_from(["DTSTART=20260101T090000", "RRULE:", "WKST=SU", "BYEASTER=0", "X=1"]),
)
RRULE_TEXT = st.lists(RRULE_PART, max_size=5).map(";".join)
DURATION = st.builds(
    "{}{}".format, st.integers(0, 10**5) | HUGE, st.sampled_from(["d", "h", "m", "", "h30m"])
)
NAMES = st.sampled_from(["fb", "ig", "fb-desa", "tidak-ada", "a b", ""])
TEMPLATE_NAMES = LONG_NAME | st.sampled_from(
    ["pengumuman", "kegiatan.j2", "hari_besar", "sop", "nope", "../calendar.yaml", "/etc/x", "a:b"]
)
MEDIA_PATHS = LONG_NAME | st.sampled_from(
    [
        *("media/ucapan.png", "media/posyandu.jpg", "media/none.jpg", "media", "."),
        *("../x.jpg", "/etc/passwd", "media/../../x.jpg", "media/a\x00.jpg"),
    ]
)
CAPTIONS = st.sampled_from(["Halo {{ instansi }}", "{{ at | tanggal }}", "{% if %}", "x"])


def value(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(plausible, st.lists(plausible, max_size=3), ANYTHING, DEEP)


def section(keys: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    known = st.fixed_dictionaries({}, optional={k: value(v) for k, v in keys.items()})
    extra = st.dictionaries(TEXT, ANYTHING, max_size=2)
    return st.one_of(st.builds(lambda a, b: {**b, **a}, known, extra), ANYTHING)


ACCOUNT = section(
    {
        "platform": st.sampled_from(["facebook", "instagram", "tiktok"]),
        "via": st.sampled_from(["graph", "instagrapi", "x"]),
        "page_id": st.integers(0, 10**20),
        "ig_user_id": st.integers(0, 10**20),
        "username": TEXT,
        "token": st.sampled_from(["${FB_TOKEN}", "EAA" + "x" * 30, "rahasia"]),
        "password": st.sampled_from(["${IG_PASSWORD}", "rahasia"]),
    }
)
WHEN = {
    "at": DATETIME_TEXT,
    "dates": st.lists(DATETIME_TEXT | DATE_TEXT, max_size=3),
    "cron": CRON_TEXT,
    "rrule": RRULE_TEXT,
    "from": DATE_TEXT,
    "until": DATE_TEXT,
    "time": TIME_TEXT,
}
POST = section(
    {
        "id": st.sampled_from(["rapat", "rapat", "a b", "x" * 101, "-x", "2026"]),
        "accounts": st.lists(NAMES, max_size=3),
        **WHEN,
        "template": TEMPLATE_NAMES,
        "caption": CAPTIONS,
        "vars": ANYTHING,
        "media": MEDIA_PATHS,
        "kind": st.sampled_from(["feed", "story", "reel", "tv"]),
        "category": TEXT,
        "status": st.sampled_from(["approved", "draft", "done"]),
    }
)
HOLIDAYS = section(
    {
        "country": st.sampled_from(["ID", "id", "XX", "MY", ""]),
        "language": st.sampled_from(["id", "en_US", "jv"]),
        "at": TIME_TEXT,
        "accounts": NAMES,
        "template": TEMPLATE_NAMES,
        "caption": CAPTIONS,
        "media": MEDIA_PATHS,
        "skip": st.sampled_from(["Hari Raya Natal", "2026-12-25"]),
        "only": st.sampled_from(["Hari Raya Natal", "2026-13-45"]),
    }
)
CALENDAR = section(
    {
        "version": st.integers(-2, 3),
        "timezone": st.sampled_from([*ZONES, "Asia/Kolkata", "UTC", "Mars/Base", "Asia", ""]),
        "vars": ANYTHING,
        "defaults": section({"accounts": NAMES}),
        "accounts": st.dictionaries(NAMES, ACCOUNT, max_size=3),
        "posts": st.lists(POST, max_size=3),
        "holidays": HOLIDAYS,
        "rules": section(
            {
                "min_posts_per_week": st.integers(-1, 2000),
                "grace": DURATION,
                "blocked_words": st.lists(TEXT, max_size=2),
                "warn_words": TEXT,
            }
        ),
        "graph": section({"version": st.sampled_from(["v25.0", "v1"]), "url": TEXT}),
        "media": section({"public_base_url": TEXT, "staging": st.sampled_from(["facebook_page"])}),
    }
)

FRAGMENTS = st.sampled_from(
    [
        "version: 1\n",
        "accounts:\n  fb: {platform: facebook, page_id: '1'}\n",
        "defaults: {accounts: [fb]}\n",
        "posts:\n",
        "  - id: rapat\n",
        "    at: 2026-12-01 09:00\n",
        "    cron: '0 9 * * *'\n",
        "    caption: x\n",
        "holidays: {country: ID, caption: x}\n",
        "rules: {grace: 6h}\n",
        "key: value\n",
        ": ",
        "- ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "[",
        "]",
        "{",
        "}",
        ",",
        "&a ",
        "*a",
        "<<: *a\n",
        "!!int ",
        "!!binary ",
        "!!python/object:os.system ",
        "!custom ",
        "|\n",
        ">-\n",
        "'",
        '"',
        "\\",
        "# komentar\n",
        "%YAML 1.2\n",
        "%TAG ! tag:x,2000:\n",
        "---\n",
        "...\n",
        "? ",
        "~",
        "2026-02-30",
        "9" * 40,
        "\ufeff",
        "\x07",
        "é",
        "🎉",
    ]
)
YAMLISH = st.lists(FRAGMENTS | TEXT, max_size=40).map("".join)


def dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True)


def assert_located(path: Path) -> None:
    calendar, problems = read_calendar_file(path)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message.strip(), problem
    if calendar is None:
        assert any(p.is_error for p in problems)
    try:
        load_calendar(path)
    except CalendarError as exc:
        assert any(p.is_error for p in exc.problems)
    else:
        assert calendar is not None and not any(p.is_error for p in problems)


@FAST
@given(text=YAMLISH)
def test_any_text_gives_located_problems(folder: Path, text: str) -> None:
    path = folder / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    assert_located(path)


@FAST
@given(raw=st.binary(max_size=200))
def test_any_bytes_give_located_problems(folder: Path, raw: bytes) -> None:
    path = folder / "calendar.yaml"
    path.write_bytes(raw)
    assert_located(path)


@pytest.mark.slow
@FAST
@given(data=CALENDAR)
def test_any_structure_gives_located_problems(folder: Path, data: object) -> None:
    path = folder / "calendar.yaml"
    path.write_text(dump(data), encoding="utf-8")
    assert_located(path)


# -- (b) cron: every moment matches its fields ----------------------------------------------------

MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
FIELDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def spell(number: int, index: int, named: bool) -> str:
    if named and index == 3:
        return MONTH_NAMES[number - 1]
    if named and index == 4 and number < 7:
        return DAY_NAMES[number]
    return str(number)


@st.composite
def cron_atom(draw: st.DrawFn, index: int) -> tuple[str, set[int]]:
    """One comma-separated piece of a cron field and the values it stands for."""
    low, high = FIELDS[index]
    kind = draw(st.sampled_from(["star", "number", "range", "from"]))
    step = draw(st.integers(1, high - low + 1))
    named = draw(st.booleans())
    if kind == "star":
        return (f"*/{step}" if step > 1 else "*"), set(range(low, high + 1, step))
    first = draw(st.integers(low, high))
    if kind == "number":
        return spell(first, index, named), {first}
    if kind == "from":
        return f"{first}/{step}", set(range(first, high + 1, step))
    last = draw(st.integers(first, high))
    text = f"{spell(first, index, named)}-{spell(last, index, named)}"
    return (f"{text}/{step}" if step > 1 else text), set(range(first, last + 1, step))


@st.composite
def cron_field(draw: st.DrawFn, index: int) -> tuple[str, set[int]]:
    atoms = draw(st.lists(cron_atom(index), min_size=1, max_size=3))
    return ",".join(text for text, _ in atoms), set().union(*(values for _, values in atoms))


def cron_day_matches(fields: list[tuple[str, set[int]]], day: date) -> bool:
    (dom_text, dom), (dow_text, dow) = fields[2], fields[4]
    by_day = day.day in dom
    by_weekday = day.isoweekday() % 7 in dow or (day.isoweekday() == 7 and 7 in dow)
    if not dom_text.startswith("*") and not dow_text.startswith("*"):
        return by_day or by_weekday
    return by_day and by_weekday


def cron_calendar(folder: Path, cron: str, zone: str) -> Path:
    path = folder / "calendar.yaml"
    posts = f'  - id: rutin\n    accounts: [fb]\n    cron: "{cron}"\n    caption: x\n'
    text = calendar_text(accounts=FB, timezone=zone, defaults=None, posts=posts)
    path.write_text(text, encoding="utf-8")
    return path


@FAST
@given(
    fields=st.tuples(*(cron_field(i) for i in range(5))),
    first=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
    length=st.integers(0, 10),
    zone=st.sampled_from(ZONES),
)
def test_cron_moments_match_the_fields(
    folder: Path,
    fields: tuple[tuple[str, set[int]], ...],
    first: date,
    length: int,
    zone: str,
) -> None:
    cron = " ".join(text for text, _ in fields)
    calendar = load_calendar(cron_calendar(folder, cron, zone))
    last = first + timedelta(days=length)
    moments = [o.at for o in expand(calendar, first, last)]
    (_, minutes), (_, hours), _, (_, months), _ = fields
    expected = [
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone))
        for day in (first + timedelta(days=n) for n in range(length + 1))
        if day.month in months and cron_day_matches(list(fields), day)
        for hour in sorted(hours)
        for minute in sorted(minutes)
    ]
    assert moments == expected, cron
    assert all(m.tzinfo == ZoneInfo(zone) for m in moments)


# -- (c) at: the key is stable and names the occurrence's moment in UTC ----------------------------


def at_text(moment: datetime, offset_minutes: int | None) -> str:
    if offset_minutes is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    aware = moment.replace(tzinfo=timezone(timedelta(minutes=offset_minutes)))
    return aware.isoformat()


@FAST
@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31, 23, 59)
    ).map(lambda m: m.replace(second=0, microsecond=0)),
    offset=st.none() | st.integers(-14 * 60, 14 * 60),
    zone=st.sampled_from(ZONES),
    days_before=st.integers(0, 400),
    days_after=st.integers(0, 400),
)
def test_at_key_is_stable_and_names_the_moment(
    folder: Path,
    moment: datetime,
    offset: int | None,
    zone: str,
    days_before: int,
    days_after: int,
) -> None:
    path = folder / "calendar.yaml"
    posts = f"  - {{id: rapat, accounts: [fb], at: '{at_text(moment, offset)}', caption: x}}\n"
    text = calendar_text(accounts=FB, timezone=zone, defaults=None, posts=posts)
    path.write_text(text, encoding="utf-8")
    calendar = load_calendar(path)
    tz = ZoneInfo(zone)
    expected = moment.replace(tzinfo=tz if offset is None else timezone(timedelta(minutes=offset)))
    day = expected.astimezone(tz).date()
    [occurrence] = expand(calendar, day, day)
    wide = expand(
        load_calendar(path), day - timedelta(days=days_before), day + timedelta(days=days_after)
    )
    assert [o.key for o in wide] == [occurrence.key]
    assert occurrence.at == expected
    assert occurrence.at.tzinfo == tz
    post_id, account, stamp = occurrence.key.split("/")
    assert (post_id, account) == ("rapat", "fb")
    assert datetime.strptime(stamp, "%Y%m%dT%H%MZ").replace(tzinfo=UTC) == occurrence.at


# -- (d) a misspelt key is an error naming the key meant, and the editor's schema agrees ----------

# A calendar with every section, as data; each example adds one misspelt key to one section.
COMPLETE: dict[str, Any] = {
    "version": 1,
    "accounts": {"fb": {"platform": "facebook", "page_id": "1"}},
    "defaults": {"accounts": ["fb"]},
    "posts": [{"id": "rapat", "at": "2026-12-01 09:00", "caption": "x"}],
    "holidays": {
        "country": "ID",
        "caption": "x",
        "extra": [{"name": "Hari Jadi Desa", "date": "06-15"}],
        "greetings": {"Hari Raya Natal": {"caption": "y"}},
    },
    "rules": {"grace": "6h"},
    "graph": {"version": "v25.0"},
    "media": {"staging": "facebook_page"},
    "site": {"url": "https://desa.example/jadwal"},
    "report": {"late_after": 15},
    "notify": [{"url": "${NOTIFY_URL}", "on": ["failed"]}],
}
# Where each section's mapping is in COMPLETE.
PLACES: dict[Section, tuple[str | int, ...]] = {
    keys.TOP: (),
    keys.ACCOUNT: ("accounts", "fb"),
    keys.POST: ("posts", 0),
    keys.HOLIDAYS: ("holidays",),
    keys.HOLIDAY_EXTRA: ("holidays", "extra", 0),
    keys.GREETING: ("holidays", "greetings", "Hari Raya Natal"),
    keys.RULES: ("rules",),
    keys.DEFAULTS: ("defaults",),
    keys.GRAPH: ("graph",),
    keys.MEDIA: ("media",),
    keys.SITE: ("site",),
    keys.REPORT: ("report",),
    keys.NOTIFY: ("notify", 0),
}
TYPED = "abcdefghijklmnopqrstuvwxyz0123456789_-ERT"
SCHEMA = Draft7Validator(json_schema())


def test_every_section_has_a_place_in_the_complete_calendar(folder: Path) -> None:
    assert set(PLACES) == set(keys.SECTIONS)
    path = folder / "calendar.yaml"
    path.write_text(dump(COMPLETE), encoding="utf-8")
    assert read_calendar_file(path)[1] == []
    assert list(SCHEMA.iter_errors(COMPLETE)) == []


@st.composite
def misspelt_key(draw: st.DrawFn) -> tuple[Section, str, str]:
    """A section, one of its keys, and the key with one insertion, deletion, substitution or
    transposition (what a hand slips into): not a key of that section itself."""
    section = draw(st.sampled_from(keys.SECTIONS))
    key = draw(st.sampled_from(section.names))
    edit = draw(st.sampled_from(["insert", "delete", "substitute", "transpose"]))
    at = draw(st.integers(0, len(key) - (edit != "insert") - (edit == "transpose")))
    letter = draw(st.sampled_from(TYPED))
    typo = {
        "insert": key[:at] + letter + key[at:],
        "delete": key[:at] + key[at + 1 :],
        "substitute": key[:at] + letter + key[at + 1 :],
        "transpose": key[:at] + key[at + 1 : at + 2] + key[at : at + 1] + key[at + 2 :],
    }[edit]
    assume(typo not in section.names)
    return section, key, typo


@FAST
@given(slip=misspelt_key())
def test_a_misspelt_key_is_an_error_naming_the_key_meant(
    folder: Path, slip: tuple[Section, str, str]
) -> None:
    section, key, typo = slip
    data = copy.deepcopy(COMPLETE)
    mapping = data
    for step in PLACES[section]:
        mapping = mapping[step]
    mapping[typo] = "x"
    path = folder / "calendar.yaml"
    text = dump(data)
    path.write_text(text, encoding="utf-8")
    _, problems = read_calendar_file(path)
    [said] = [p for p in problems if f"unknown key '{typo}'" in p.message]
    assert said.is_error, said
    assert typo in text.splitlines()[said.line - 1][said.column - 1 :], said
    assert f"'{key}'" in said.message.partition("; did you mean ")[2], said
    assert [e.message for e in SCHEMA.iter_errors(data)] == [
        f"Additional properties are not allowed ({typo!r} was unexpected)"
    ]


# -- inputs that once crashed the loader ----------------------------------------------------------

HEAD = calendar_text(accounts=FB, defaults="fb")
POST_AT = "posts:\n  - {id: rapat, at: '2026-12-01 09:00', caption: x, "
RRULE = "posts:\n  - {id: rapat, from: 2026-01-01, time: '09:00', caption: x, rrule: "
EXTREMES = {
    "timezone-a-folder": (  # tzdata's folder of zones, not a zone: IsADirectoryError
        "timezone: Asia\n",
        5,
        "unknown time zone 'Asia'",
    ),
    "grace-overflow": (
        "rules: {grace: 99999999999d}\n",
        5,
        "rules: grace: '99999999999d' is too long: at most 30d",
    ),
    "at-before-year-1": (
        "posts:\n  - {id: rapat, at: '0001-01-01T00:00:00+01:00', caption: x}\n",
        6,
        "post 'rapat': at: '0001-01-01T00:00:00+01:00' is outside the years 1970–2100",
    ),
    "at-after-year-9999": (
        "posts:\n  - {id: rapat, at: '9999-12-31T23:00:00-05:00', caption: x}\n",
        6,
        "post 'rapat': at: '9999-12-31T23:00:00-05:00' is outside the years 1970–2100",
    ),
    "dates-after-year-9999": (
        "posts:\n  - {id: rapat, dates: ['9999-12-31T23:00:00-05:00'], caption: x}\n",
        6,
        "post 'rapat': dates: '9999-12-31T23:00:00-05:00' is outside the years 1970–2100",
    ),
    "rrule-until-overflow": (
        RRULE + "'FREQ=DAILY;UNTIL=99999999999999999999'}\n",
        6,
        "post 'rapat': rrule: 'FREQ=DAILY;UNTIL=99999999999999999999' is not valid RFC 5545",
    ),
    "rrule-byhour-overflow": (
        RRULE + "'FREQ=DAILY;BYHOUR=99999999999999999999'}\n",
        6,
        "post 'rapat': rrule: BYHOUR=99999999999999999999 is out of range (0 to 23)",
    ),
    "rrule-exdate-overflow": (
        RRULE + '"FREQ=DAILY\\nEXDATE:99999999999999999999"}\n',
        6,
        "post 'rapat': rrule: ",
    ),
    "media-nul": (
        POST_AT + 'media: "media/a\\0.jpg"}\n',
        6,
        "post 'rapat': media 'media/a\x00.jpg' must be a path inside the calendar's folder",
    ),
    "media-name-too-long": (
        POST_AT + "media: media/" + "m" * 300 + ".jpg}\n",
        6,
        "post 'rapat': media file 'media/mmm",
    ),
    "template-name-too-long": (
        "posts:\n  - {id: rapat, at: '2026-12-01 09:00', template: " + "t" * 300 + "}\n",
        6,
        "post 'rapat': template 'ttt",
    ),
}


@pytest.mark.parametrize(("body", "line", "message"), EXTREMES.values(), ids=EXTREMES.keys())
def test_extreme_values_are_located_errors(
    folder: Path, body: str, line: int, message: str
) -> None:
    path = folder / "calendar.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    assert_located(path)
    _, problems = read_calendar_file(path)
    assert [p.line for p in problems if p.is_error and p.message.startswith(message)] == [line]


WORDS = st.lists(st.sampled_from(["ras", "kafir", "hoaks", "kata kasar", "Kata", "é", "", "a.b"]))
CAPTION_PIECES = ["beras", "ras", "RAS", "kafir!", "Kata kasar", "kata", " ", "\n", "é", "a.b", "_"]


@FAST
@given(caption=st.lists(st.sampled_from(CAPTION_PIECES)).map("".join), words=WORDS)
def test_a_caption_has_the_listed_words_each_alone_would_find(
    caption: str, words: list[str]
) -> None:
    # find_words tries all the words at once before it tries each: the same words come out.
    alone = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", caption, re.I)]
    assert find_words(caption, tuple(words)) == alone


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=12,
)


@FAST
@given(value=JSON_VALUES)
def test_preview_json_is_laid_out_as_json_dumps_indents_it(value: object) -> None:
    assert _indented(value, "") == json.dumps(value, ensure_ascii=False, indent=2)
