"""Routine posts on days off (``on_holidays``): Lebaran 2027, its collective leave, what
``check`` says of it and how ``preview`` shows it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from scheduler import cli
from scheduler.calendar import Calendar, load_calendar, read_calendar_file
from scheduler.calendar.expand import expand, find_occurrence
from scheduler.check import check_calendar
from tests.conftest import ROOT, WriteCalendar
from tests.helpers import calendar_text

# Lebaran 2027 in the holidays package: Nyepi on Monday 8 March, collective leave on the 9th,
# Idul Fitri on the 10th and 11th (estimated), leave again on the 12th and on Monday the 15th.
MONDAYS = (
    "  - id: sop\n    rrule: FREQ=WEEKLY;BYDAY=MO\n    from: 2027-03-01\n"
    "    until: 2027-03-29\n    time: '09:00'\n    caption: Layanan KTP-el\n"
)


def mondays(write_calendar: WriteCalendar, rule: str | None, defaults: str = "") -> Calendar:
    posts = MONDAYS + (f"    on_holidays: {rule}\n" if rule else "")
    text = calendar_text(posts=posts, defaults=None) + (
        f"defaults: {{accounts: [fb-desa]{defaults}}}\n"
    )
    return load_calendar(write_calendar(text))


def listed(calendar: Calendar, first: date, last: date) -> list[tuple[str, str | None, str | None]]:
    """Each occurrence of the window: its time, where it was moved from, why it is skipped."""
    return [
        (
            f"{o.at:%m-%d %H:%M}",
            None if o.moved_from is None else f"{o.moved_from:%m-%d}",
            o.skipped,
        )
        for o in expand(calendar, first, last, skipped=True)
    ]


MARCH = (date(2027, 3, 1), date(2027, 3, 31))


def test_keep_publishes_on_days_off(write_calendar: WriteCalendar) -> None:
    assert listed(mondays(write_calendar, None), *MARCH) == [
        ("03-01 09:00", None, None),
        ("03-08 09:00", None, None),
        ("03-15 09:00", None, None),
        ("03-22 09:00", None, None),
        ("03-29 09:00", None, None),
    ]


def test_skip_leaves_out_a_holiday_and_a_collective_leave_day(
    write_calendar: WriteCalendar,
) -> None:
    calendar = mondays(write_calendar, "skip")
    assert listed(calendar, *MARCH) == [
        ("03-01 09:00", None, None),
        ("03-08 09:00", None, "on_holidays"),  # Hari Suci Nyepi
        ("03-15 09:00", None, "on_holidays"),  # Cuti Bersama Hari Raya Idul Fitri
        ("03-22 09:00", None, None),
        ("03-29 09:00", None, None),
    ]
    assert [o.at.day for o in expand(calendar, *MARCH)] == [1, 22, 29]


def test_next_workday_moves_past_the_whole_lebaran_leave(write_calendar: WriteCalendar) -> None:
    assert listed(mondays(write_calendar, "next_workday"), *MARCH) == [
        ("03-01 09:00", None, None),
        # The 15th is leave too, and its next working day is the 16th: the post is there.
        ("03-15 09:00", None, "on_holidays"),
        ("03-16 09:00", "03-08", None),
        ("03-22 09:00", None, None),
        ("03-29 09:00", None, None),
    ]


def test_next_workday_skips_weekends_and_holidays_after_leave(
    write_calendar: WriteCalendar,
) -> None:
    posts = (
        "  - {id: kamis, cron: '0 9 * * 4', from: 2027-03-01, until: 2027-03-31, caption: x,"
        " on_holidays: next_workday}\n"
    )
    calendar = load_calendar(write_calendar(calendar_text(posts=posts)))
    assert listed(calendar, *MARCH) == [
        ("03-04 09:00", None, None),
        ("03-16 09:00", "03-11", None),  # Idul Fitri's second day: 12 leave, weekend, 15 leave
        ("03-18 09:00", None, None),
        ("03-29 09:00", "03-25", None),  # 25 leave, 26 Wafat Yesus Kristus, weekend
    ]


def test_a_moved_occurrence_is_found_from_the_window_it_moved_to(
    write_calendar: WriteCalendar,
) -> None:
    calendar = mondays(write_calendar, "next_workday")
    [moved] = expand(calendar, date(2027, 3, 16), date(2027, 3, 16))
    assert moved.key == "sop/fb-desa/20270316T0200Z"  # from the time it goes out
    found = find_occurrence(calendar, moved.key)
    assert found is not None and found.moved_from == moved.moved_from
    assert find_occurrence(calendar, "sop/fb-desa/20270308T0200Z") is None


def test_defaults_give_on_holidays_and_a_post_keeps_its_own(write_calendar: WriteCalendar) -> None:
    calendar = mondays(write_calendar, None, ", on_holidays: skip")
    assert [o.at.day for o in expand(calendar, *MARCH)] == [1, 22, 29]
    calendar = mondays(write_calendar, "keep", ", on_holidays: skip")
    assert [o.at.day for o in expand(calendar, *MARCH)] == [1, 8, 15, 22, 29]


def test_holiday_greetings_are_not_moved(write_calendar: WriteCalendar) -> None:
    holidays = "  country: ID\n  caption: x\n"
    text = calendar_text(holidays=holidays, defaults=None)
    text += "defaults: {accounts: [fb-desa], on_holidays: skip}\n"
    calendar = load_calendar(write_calendar(text))
    assert [o.holiday for o in expand(calendar, date(2027, 3, 8), date(2027, 3, 8))] == [
        "Hari Suci Nyepi"
    ]


def test_a_misspelt_or_wrong_on_holidays_is_a_located_error(
    write_calendar: WriteCalendar,
) -> None:
    posts = (
        "  - {id: a, at: '2027-03-08 09:00', caption: x, on_holiday: skip}\n"
        "  - {id: b, at: '2027-03-08 09:00', caption: x, on_holidays: never}\n"
    )
    path = write_calendar(calendar_text(posts=posts))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.is_error] == [
        f"{path}:7:49: error: post 'a': unknown key 'on_holiday' is not read, so its "
        "occurrences go out on public holidays and collective leave days too; did you mean "
        "'on_holidays'?",
        f"{path}:8:62: error: post 'b': on_holidays must be one of keep, skip, next_workday, "
        "not 'never'",
    ]


# -- what check and preview say --------------------------------------------------------------

SHIPPED_NOTE = (
    "calendar.yaml:42:5: note: post 'info-layanan-senin': on_holidays: next_workday in the next "
    "12 weeks moves 1 occurrence: 2027-03-08 09:00 (Hari Suci Nyepi) → 2027-03-16 09:00, skips "
    "1 occurrence, as its next working day has the post already: 2027-03-15 09:00 (Cuti "
    "Bersama Hari Raya Idul Fitri)"
)


def test_check_notes_what_on_holidays_moves_and_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    problems = check_calendar(ROOT / "calendar.yaml", date(2027, 2, 20))
    assert [str(p) for p in problems if p.severity == "note"] == [SHIPPED_NOTE]


def test_check_words_a_skip_as_asked(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text(posts=MONDAYS + "    on_holidays: skip\n"))
    notes = [p.message for p in check_calendar(path, date(2027, 3, 1)) if p.severity == "note"]
    assert notes == [
        "post 'sop': on_holidays: skip in the next 12 weeks skips 2 occurrences: 2027-03-08 "
        "09:00 (Hari Suci Nyepi); 2027-03-15 09:00 (Cuti Bersama Hari Raya Idul Fitri)"
    ]


def test_a_note_is_no_warning_in_checks_verdict(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code = cli.run(["check", "calendar.yaml", "--today", "2027-02-20"])
    out = capsys.readouterr().out
    assert code == 0
    assert SHIPPED_NOTE in out.splitlines()
    assert out.splitlines()[-1] == "calendar.yaml: ok (0 errors, 7 warnings)"


def test_preview_marks_moved_and_skipped_occurrences(capsys: pytest.CaptureFixture[str]) -> None:
    window = ("--from", "2027-03-15", "--to", "2027-03-16", "--account", "fb-desa")
    code = cli.run(["preview", str(ROOT / "calendar.yaml"), *window, "--format", "json"])
    items = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [
        (i["post_id"], i["at"], i.get("moved_from"), i.get("skipped"), i["caption"] is None)
        for i in items
    ] == [
        ("info-layanan-senin", "2027-03-15T09:00:00+07:00", None, "on_holidays", True),
        (
            "info-layanan-senin",
            "2027-03-16T09:00:00+07:00",
            "2027-03-08T09:00:00+07:00",
            None,
            False,
        ),
    ]


def test_the_preview_table_says_so(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # each mark on one line
    window = ("--from", "2027-03-15", "--to", "2027-03-16", "--account", "fb-desa")
    assert cli.run(["preview", str(ROOT / "calendar.yaml"), *window]) == 0
    out = capsys.readouterr().out
    assert "1 post" in out.splitlines()[0]
    assert "moved from 2027-03-08 09:00 (on_holidays)" in out
    assert "skipped: a day off" in out
    assert "not published on this day" in out
