"""``jadwal ical``: the feed a supervisor subscribes to, read back with ``icalendar`` as a
calendar app reads it — the same posts as ``preview``, stable UIDs, the same bytes while
nothing changes, and a higher SEQUENCE when something does."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar as ICalendar
from icalendar import Event

from scheduler import __version__, cli
from scheduler.commands import ical as ical_command
from scheduler.database import HEAD, open_store
from scheduler.store.feed import FeedEvents
from scheduler.store.tables import FeedEvent
from scheduler.views.ranges import default_range
from tests.conftest import ROOT, WriteCalendar
from tests.helpers import calendar_text

POSTS = """\
  - {id: rapat, at: 2026-12-08 10:00, caption: "Rapat warga di balai desa",
     accounts: [fb-desa, ig-desa], category: pengumuman, title: Rapat warga}
  - {id: senin, rrule: "FREQ=WEEKLY;BYDAY=MO", from: 2026-12-01, time: "09:00",
     caption: "Layanan {{ account }}", accounts: [fb-desa, ig-desa]}
  - {id: konsep, at: 2026-12-10 09:00, caption: Konsep, status: draft}
"""
GREETING = "  country: ID\n  at: '07:00'\n  caption: 'Selamat {{ holiday }}'\n"
SPAN = ("--from", "2026-12-01", "--to", "2026-12-31")


@dataclass
class Clock:
    now: datetime = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)

    def later(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    held = Clock()
    monkeypatch.setattr(ical_command, "now", lambda: held.now)
    return held


def write(
    write_calendar: WriteCalendar, posts: str = POSTS, zone: str = "Asia/Jakarta", **sections: str
) -> Path:
    return write_calendar(calendar_text(timezone=zone, posts=posts, **sections))


def run(capsys: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err.decode("utf-8")


def feed(capsys: pytest.CaptureFixture[bytes], path: Path, *args: str) -> bytes:
    code, out, err = run(capsys, "ical", str(path), *SPAN, *args)
    assert (code, err) == (0, "")
    return out


def events(data: bytes) -> dict[str, Event]:
    return {str(e["UID"]): e for e in ICalendar.from_ical(data).events}


def with_store(path: Path) -> str:
    """The calendar's default history, created as ``tick`` creates it."""
    url = f"sqlite:///{path.parent / '.jadwal' / 'jadwal.db'}"
    open_store(url).close()
    return url


# -- what the feed holds ---------------------------------------------------------------------


def test_events_are_the_posts_preview_lists_each_at_its_time_with_its_accounts(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    path = write(write_calendar, holidays=GREETING)
    code, out, _ = run(capsysbinary, "preview", str(path), *SPAN, "--format", "json")
    assert code == 0
    expected: dict[tuple[str, str], list[str]] = {}
    for item in json.loads(out):
        part = f"{item['account']} ({item['platform']})\n{item['caption']}"
        expected.setdefault((item["post_id"], item["at"]), []).append(part)
    found = {
        (str(e["UID"]).rsplit("-", 1)[0], e.start.isoformat()): str(e["DESCRIPTION"]).split("\n\n")
        for e in events(feed(capsysbinary, path)).values()
    }
    assert found == expected
    assert ("hari-besar-2026-12-25", "2026-12-25T07:00:00+07:00") in found
    assert found[("senin", "2026-12-07T09:00:00+07:00")] == [
        "fb-desa (facebook)\nLayanan fb-desa",
        "ig-desa (instagram)\nLayanan ig-desa",
    ]


def test_an_event_has_its_title_category_status_and_a_quarter_of_an_hour(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    found = events(feed(capsysbinary, write(write_calendar, holidays=GREETING)))
    rapat = found["rapat-20261208T030000Z@jadwal"]
    assert str(rapat["SUMMARY"]) == "Rapat warga"
    assert rapat.categories == ["pengumuman"]
    assert rapat.end - rapat.start == timedelta(minutes=15)
    assert str(rapat["STATUS"]) == "CONFIRMED"
    draft = found["konsep-20261210T020000Z@jadwal"]
    assert (str(draft["SUMMARY"]), str(draft["STATUS"])) == ("konsep", "TENTATIVE")
    assert "CATEGORIES" not in draft
    greeting = found["hari-besar-2026-12-25-20261225T000000Z@jadwal"]
    assert str(greeting["SUMMARY"]) == "Hari Raya Natal"
    assert str(greeting["DESCRIPTION"]) == "fb-desa (facebook)\nSelamat Hari Raya Natal"


def test_the_feed_names_itself_its_maker_and_its_zone(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    named = write(write_calendar, name="Pemerintah Desa Sukamaju")
    calendar = ICalendar.from_ical(feed(capsysbinary, named))
    assert str(calendar["PRODID"]) == f"-//jadwal//jadwal {__version__}//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Pemerintah Desa Sukamaju"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Jakarta"
    unnamed = ICalendar.from_ical(feed(capsysbinary, write(write_calendar)))
    assert "X-WR-CALNAME" not in unnamed


@pytest.mark.parametrize(
    ("zone", "offset", "utc"),
    [
        ("Asia/Makassar", "+0800", "20261208T020000Z"),
        ("Asia/Jayapura", "+0900", "20261208T010000Z"),
    ],
)
def test_times_are_in_the_calendar_s_zone_with_its_vtimezone(
    capsysbinary: pytest.CaptureFixture[bytes],
    write_calendar: WriteCalendar,
    clock: Clock,
    zone: str,
    offset: str,
    utc: str,
) -> None:
    data = feed(capsysbinary, write(write_calendar, zone=zone))
    text = data.decode("utf-8")
    assert f"DTSTART;TZID={zone}:20261208T100000\r\n" in text
    (timezone,) = ICalendar.from_ical(data).timezones
    assert timezone.tz_name == zone
    assert f"TZOFFSETTO:{offset}\r\n" in text
    rapat = events(data)[f"rapat-{utc}@jadwal"]
    assert rapat.start.astimezone(UTC) == datetime.strptime(utc, "%Y%m%dT%H%M%SZ").replace(
        tzinfo=UTC
    )


def test_a_caption_that_cannot_be_rendered_is_shown_as_its_problem_and_exits_1(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    posts = "  - {id: rusak, at: 2026-12-08 10:00, caption: 'Halo {{ nama }}'}\n"
    path = write(write_calendar, posts=posts)
    code, out, err = run(capsysbinary, "ical", str(path), *SPAN)
    assert code == 1
    message = (
        "8:48: error: post 'rusak': variable 'nama' is undefined; define it under vars "
        "(of the calendar or of the post)"
    )
    assert err == f"{path}:{message}\n"
    (event,) = events(out).values()
    # The file as the calendar's folder names it: the same feed wherever the command ran.
    assert str(event["DESCRIPTION"]) == f"fb-desa (facebook)\ncalendar.yaml:{message}"


# -- the same feed, run after run ------------------------------------------------------------


def test_without_a_history_the_feed_is_the_same_and_none_is_started(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    path = write(write_calendar)
    first = feed(capsysbinary, path)
    clock.later(hours=5)
    assert feed(capsysbinary, path) == first
    assert not (path.parent / ".jadwal").exists()
    # Every event is stamped with the span's start, 2026-12-01 00:00 WIB: before any run.
    span_start = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    for event in events(first).values():
        assert (event["SEQUENCE"], event["DTSTAMP"].dt) == (0, span_start)
        assert event["LAST-MODIFIED"].dt == span_start


def test_with_a_history_nothing_changed_gives_the_same_bytes(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    path = write(write_calendar)
    with_store(path)
    first = feed(capsysbinary, path)
    clock.later(days=1)
    assert feed(capsysbinary, path) == first
    assert sorted(events(first)) == [
        "konsep-20261210T020000Z@jadwal",
        "rapat-20261208T030000Z@jadwal",
        *(f"senin-202612{day:02d}T020000Z@jadwal" for day in (7, 14, 21, 28)),
    ]
    rapat = events(first)["rapat-20261208T030000Z@jadwal"]
    assert rapat["SEQUENCE"] == 0
    assert rapat["DTSTAMP"].dt == rapat["LAST-MODIFIED"].dt == datetime(2026, 12, 2, 8, tzinfo=UTC)


def test_a_changed_caption_raises_sequence_and_moves_last_modified(
    capsysbinary: pytest.CaptureFixture[bytes],
    write_calendar: WriteCalendar,
    clock: Clock,
    database_url: str,
) -> None:
    path = write(write_calendar)
    open_store(database_url).close()
    before = events(feed(capsysbinary, path, "--db", database_url))
    path.write_text(path.read_text().replace("Rapat warga di", "Rapat warga ditunda, di"))
    edited = clock.later(hours=3)
    data = feed(capsysbinary, path, "--db", database_url)
    after = events(data)
    rapat = after["rapat-20261208T030000Z@jadwal"]
    assert str(rapat["DESCRIPTION"]).startswith("fb-desa (facebook)\nRapat warga ditunda, di")
    assert rapat["SEQUENCE"] == 1
    assert rapat["LAST-MODIFIED"].dt == rapat["DTSTAMP"].dt == edited
    konsep = "konsep-20261210T020000Z@jadwal"
    assert after[konsep].to_ical() == before[konsep].to_ical()  # the others did not change
    clock.later(hours=3)
    assert feed(capsysbinary, path, "--db", database_url) == data


def test_a_moved_post_is_a_new_event_and_the_old_one_leaves_the_feed(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    path = write(write_calendar)
    with_store(path)
    assert "rapat-20261208T030000Z@jadwal" in events(feed(capsysbinary, path))
    path.write_text(path.read_text().replace("2026-12-08 10:00", "2026-12-09 13:30"))
    clock.later(hours=1)
    after = events(feed(capsysbinary, path))
    assert "rapat-20261208T030000Z@jadwal" not in after
    moved = after["rapat-20261209T063000Z@jadwal"]
    assert (moved.start.isoformat(), moved["SEQUENCE"]) == ("2026-12-09T13:30:00+07:00", 0)


# -- the command line ------------------------------------------------------------------------


def test_out_writes_the_file_and_says_so(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    path = write(write_calendar)
    target = path.parent / "calendar.ics"
    code, out, _ = run(capsysbinary, "ical", str(path), *SPAN, "--out", str(target))
    assert (code, out.decode()) == (0, f"wrote 6 events to {target}\n")
    assert target.read_bytes() == feed(capsysbinary, path)
    missing = path.parent / "web" / "calendar.ics"
    code, _, err = run(capsysbinary, "ical", str(path), *SPAN, "--out", str(missing))
    assert (code, err) == (
        1,
        f"jadwal: error: cannot write {missing}: there is no folder {missing.parent}\n",
    )


def test_the_default_span_is_a_month_back_to_three_ahead(
    capsysbinary: pytest.CaptureFixture[bytes], write_calendar: WriteCalendar, clock: Clock
) -> None:
    days = ["2026-10-31", "2026-11-01", "2027-03-31", "2027-04-01"]
    posts = "".join(
        f"  - {{id: p{n}, at: {day} 09:00, caption: x}}\n" for n, day in enumerate(days)
    )
    clock.now = datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    code, out, _ = run(capsysbinary, "ical", str(write(write_calendar, posts=posts)))
    assert code == 0
    assert sorted(str(e["SUMMARY"]) for e in events(out).values()) == ["p1", "p2"]


@pytest.mark.parametrize(
    ("today", "span"),
    [
        (date(2026, 12, 15), (date(2026, 11, 1), date(2027, 3, 31))),
        (date(2026, 1, 31), (date(2025, 12, 1), date(2026, 4, 30))),
        (date(2026, 10, 1), (date(2026, 9, 1), date(2027, 1, 31))),
    ],
)
def test_default_range_runs_over_years_in_whole_months(
    today: date, span: tuple[date, date]
) -> None:
    noon = datetime.combine(today, time(12), ZoneInfo("Asia/Jakarta"))
    assert default_range(ZoneInfo("Asia/Jakarta"), noon) == span


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--from", "2026-12-10", "--to", "2026-12-01"),
            "Invalid value for --to: 2026-12-01 is before --from 2026-12-10",
        ),
        (
            ("--from", "2027-05-01"),
            "Invalid value for --from: 2027-05-01 is after 2027-03-31, the last day by default: "
            "add --to",
        ),
        (
            ("--to", "2026-10-01"),
            "Invalid value for --to: 2026-10-01 is before 2026-11-01, the first day by default: "
            "add --from",
        ),
    ],
)
def test_a_span_that_ends_before_it_starts_is_a_usage_error(
    capsysbinary: pytest.CaptureFixture[bytes],
    write_calendar: WriteCalendar,
    clock: Clock,
    args: tuple[str, ...],
    message: str,
) -> None:
    clock.now = datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    code, _, err = run(capsysbinary, "ical", str(write(write_calendar)), *args)
    assert code == 2
    assert message in " ".join(err.replace("│", " ").split())


# -- the store -------------------------------------------------------------------------------


def _at(revision: str, url: str) -> None:
    """A database migrated only as far as ``revision``, as an older jadwal left it."""
    from alembic import command
    from alembic.config import Config

    from scheduler.database import MIGRATIONS
    from scheduler.store import make_engine

    engine = make_engine(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


@pytest.fixture
def older_store(database_url: str) -> Iterator[str]:
    _at("0004", database_url)
    yield database_url


def test_an_older_database_gains_the_feed_s_table_and_keeps_its_rows(older_store: str) -> None:
    assert HEAD >= "0005"
    store = open_store(older_store)
    try:
        events = FeedEvents(store.session)
        moment = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
        events.record([FeedEvent(uid="a@jadwal", digest="d1", sequence=0, modified=moment)])
        later = moment + timedelta(hours=1)
        events.record([FeedEvent(uid="a@jadwal", digest="d2", sequence=1, modified=later)])
        (row,) = events.emitted(["a@jadwal", "b@jadwal"]).values()
        assert (row.uid, row.digest, row.sequence, row.modified) == ("a@jadwal", "d2", 1, later)
    finally:
        store.close()


def test_the_docs_show_the_shipped_calendar_s_feed_as_it_is(
    capsysbinary: pytest.CaptureFixture[bytes], shipped_calendar: Path, tmp_path: Path
) -> None:
    doc = (ROOT / "docs" / "ical.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r"^```text\n(BEGIN:VCALENDAR\n.*?^END:VCALENDAR\n)```", doc, re.M | re.S)
    no_history = f"sqlite:///{tmp_path / 'none.db'}"
    day = ("--from", "2026-12-08", "--to", "2026-12-08")
    code, out, _ = run(capsysbinary, "ical", str(shipped_calendar), *day, "--db", no_history)
    assert code == 0
    assert out.decode("utf-8").replace("\r\n", "\n") == shown
