"""The month model behind ``jadwal calendar`` and ``jadwal site``: weeks Monday first, each
post at a time once with every account's state from the history, named days, and the weekly
rule per account."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from scheduler.calendar import load_calendar
from scheduler.calendar.expand import expand
from scheduler.database import open_store
from scheduler.store import State, sqlite_url
from scheduler.store.rows import new_row
from scheduler.views.month import Entry, Month, as_dict, month_view
from tests.conftest import WriteCalendar
from tests.helpers import calendar_text, set_created_at

POSTS = """\
  - {id: senin, rrule: "FREQ=WEEKLY;BYDAY=MO", from: 2026-12-01, time: "09:00",
     caption: Layanan, accounts: [fb-desa, ig-desa], title: Info layanan Senin}
  - {id: rapat, at: 2026-12-08 10:00, caption: Rapat, accounts: [fb-desa]}
  - {id: konsep, at: 2026-12-10 09:00, caption: Konsep, status: draft}
"""


def _calendar(write_calendar: WriteCalendar, **sections: str) -> Path:
    text = calendar_text(timezone="Asia/Jakarta", posts=POSTS, **sections)
    return write_calendar(text)


def _entry(month: Month, day: int, post_id: str) -> Entry:
    (found,) = [e for e in month.entries() if e.at.day == day and e.post_id == post_id]
    return found


def test_weeks_run_monday_to_sunday_over_the_edges_of_the_month(
    write_calendar: WriteCalendar,
) -> None:
    month = month_view(load_calendar(_calendar(write_calendar)), 2026, 12)
    assert [w.monday for w in month.weeks] == [
        date(2026, 11, 30),
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 21),
        date(2026, 12, 28),
    ]
    assert [w.number for w in month.weeks] == [49, 50, 51, 52, 53]
    first = month.weeks[0].days
    assert [(d.date.day, d.in_month) for d in first[:2]] == [(30, False), (1, True)]
    assert month.weeks[-1].days[-1].date == date(2027, 1, 3)


def test_a_post_at_a_time_is_one_entry_with_its_accounts_in_local_time(
    write_calendar: WriteCalendar,
) -> None:
    month = month_view(load_calendar(_calendar(write_calendar)), 2026, 12)
    senin = _entry(month, 7, "senin")
    assert senin.at.isoformat() == "2026-12-07T09:00:00+07:00"
    assert senin.accounts == ("fb-desa", "ig-desa")
    assert senin.title == "Info layanan Senin"
    assert _entry(month, 8, "rapat").title == "rapat"  # no title: the id
    assert [d.key for d in senin.deliveries] == [
        "senin/fb-desa/20261207T0200Z",
        "senin/ig-desa/20261207T0200Z",
    ]
    assert month.history is False
    assert {e.state for e in month.entries()} == {"planned", "draft"}


def test_states_come_from_the_history(write_calendar: WriteCalendar, tmp_path: Path) -> None:
    calendar = load_calendar(_calendar(write_calendar))
    store = open_store(sqlite_url(tmp_path / "jadwal.db"))
    set_created_at(store, datetime(2026, 12, 1, tzinfo=UTC))
    found = {o.key: o for o in expand(calendar, date(2026, 12, 1), date(2026, 12, 31))}
    now = datetime(2026, 12, 1, tzinfo=UTC)
    published = new_row(found["senin/fb-desa/20261207T0200Z"], now, State.PUBLISHED)
    published.permalink = "https://www.facebook.com/1_2"
    store.claim_new(published)
    store.claim_new(new_row(found["senin/ig-desa/20261207T0200Z"], now, State.FAILED))
    store.claim_new(new_row(found["konsep/fb-desa/20261210T0200Z"], now, State.SKIPPED))

    month = month_view(calendar, 2026, 12, store, now=datetime(2026, 12, 15, 12, tzinfo=UTC))
    senin = _entry(month, 7, "senin")
    assert [(d.state, d.recorded, d.permalink) for d in senin.deliveries] == [
        ("published", "published", "https://www.facebook.com/1_2"),
        ("failed", "failed", None),
    ]
    assert senin.state == "failed"  # the worst of its accounts
    assert _entry(month, 8, "rapat").state == "missed"  # no row, grace over: nothing ran
    assert _entry(month, 10, "konsep").state == "draft"
    assert _entry(month, 14, "senin").state == "missed"  # 09:00 + 6 h grace < 19:00
    assert _entry(month, 21, "senin").state == "planned"
    assert month.history is True


def test_posts_from_before_the_store_existed_stay_planned(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    calendar = load_calendar(_calendar(write_calendar))
    store = open_store(sqlite_url(tmp_path / "jadwal.db"))
    set_created_at(store, datetime(2026, 12, 9, tzinfo=UTC))
    month = month_view(calendar, 2026, 12, store, now=datetime(2026, 12, 15, tzinfo=UTC))
    assert _entry(month, 8, "rapat").state == "planned"


def test_weeks_below_the_rule_are_flagged_per_account(write_calendar: WriteCalendar) -> None:
    path = _calendar(write_calendar, rules="  min_posts_per_week: 2\n")
    month = month_view(load_calendar(path), 2026, 12)
    second = month.weeks[1]  # 7–13 December: senin on both, rapat on fb-desa, konsep a draft
    assert [(c.account, c.posts, c.below) for c in second.counts] == [
        ("fb-desa", 2, False),
        ("ig-desa", 1, True),
    ]
    assert [c.account for c in month.weeks[2].below] == ["fb-desa", "ig-desa"]


def test_one_account(write_calendar: WriteCalendar) -> None:
    month = month_view(load_calendar(_calendar(write_calendar)), 2026, 12, account="ig-desa")
    assert month.accounts == ("ig-desa",)
    assert {e.post_id for e in month.entries()} == {"senin"}
    assert all(e.accounts == ("ig-desa",) for e in month.entries())


def test_holidays_and_observances_are_named(shipped_calendar: Path) -> None:
    month = month_view(load_calendar(shipped_calendar), 2026, 12)
    days = {d.date: d for w in month.weeks for d in w.days}
    assert days[date(2026, 12, 25)].holidays == ("Hari Raya Natal",)
    assert days[date(2026, 12, 24)].observances == ("Cuti Bersama Hari Raya Natal",)
    assert days[date(2026, 12, 22)].observances == ("Hari Ibu",)
    greeting = _entry(month, 25, "hari-besar-2026-12-25")
    assert (greeting.title, greeting.holiday) == ("Hari Raya Natal", "Hari Raya Natal")


def test_json_has_the_same_data(write_calendar: WriteCalendar) -> None:
    document = as_dict(month_view(load_calendar(_calendar(write_calendar)), 2026, 12))
    assert document["month"] == "2026-12"
    weeks = document["weeks"]
    assert isinstance(weeks, list)
    monday = weeks[1]["days"][0]
    assert monday["date"] == "2026-12-07"
    assert monday["entries"][0]["at"] == "2026-12-07T09:00:00+07:00"
    assert monday["entries"][0]["state"] == "planned"
    assert [a["account"] for a in monday["entries"][0]["accounts"]] == ["fb-desa", "ig-desa"]
    assert weeks[1]["counts"][1] == {"account": "ig-desa", "posts": 1, "below": False}
