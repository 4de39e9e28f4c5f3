"""Days to greet and days off: national observances from the data file, the office's own days,
the tone and words of each greeting, a day's own greeting, and routine posts on days off."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from scheduler.calendar import Calendar, load_calendar, read_calendar_file
from scheduler.calendar.days import national_days
from scheduler.calendar.expand import expand
from scheduler.calendar.observances import day_names
from scheduler.check import check_calendar
from scheduler.render import Renderer
from tests.conftest import ROOT, WriteCalendar
from tests.helpers import calendar_text

DATA = ROOT / "scheduler" / "calendar" / "data" / "observances.yaml"
BASIC = "  country: ID\n  caption: '{{ greeting }}'\n"


def load(write_calendar: WriteCalendar, holidays: str, posts: str | None = None) -> Calendar:
    return load_calendar(write_calendar(calendar_text(holidays=holidays, posts=posts)))


def greeted(calendar: Calendar, first: date, last: date) -> dict[date, str]:
    """Each greeting of the window: its day and its caption (for fb-desa)."""
    renderer = Renderer(calendar)
    return {
        o.at.date(): renderer.render(o)
        for o in expand(calendar, first, last, "fb-desa")
        if o.source == "holiday"
    }


def year(calendar: Calendar, number: int) -> dict[date, str]:
    return greeted(calendar, date(number, 1, 1), date(number, 12, 31))


def errors(path: Path, today: date = date(2026, 12, 1)) -> list[str]:
    """``check``'s errors about the holidays (the test accounts have no tokens)."""
    found = check_calendar(path, today)
    return [str(p) for p in found if p.is_error and "holidays" in p.message]


# -- national days ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", [2026, 2027, 2028])
def test_observances_are_greeted_on_the_days_the_data_file_gives(
    write_calendar: WriteCalendar, number: int
) -> None:
    listed = yaml.safe_load(DATA.read_text(encoding="utf-8"))["observances"]
    expected = {date.fromisoformat(f"{number}-{d['date']}"): d["name"] for d in listed}
    calendar = load(write_calendar, BASIC + "  observances: true\n")
    occurrences = expand(calendar, date(number, 1, 1), date(number, 12, 31))
    names = {o.at.date(): o.holiday for o in occurrences}
    # 2027-05-20 is Hari Raya Waisak too: one greeting names both days.
    assert {day: names[day].split(" dan ")[-1] for day in expected} == expected  # type: ignore[union-attr]
    assert len(expected) == 14


def test_the_data_file_names_its_source_and_a_decree_for_most_days() -> None:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert "Keppres 316/1959" in data["source"]
    decrees = {d["name"]: d.get("decree") for d in data["observances"]}
    assert decrees["Hari Batik Nasional"] == "Keppres 33/2009"
    assert decrees["Hari Pers Nasional"] is None  # not verified: left out, not guessed
    assert decrees["Hari Bela Negara"] == "Keppres 28/2006"
    assert decrees["Hari Kesaktian Pancasila"] == "Keppres 153/1967"
    assert "Hari Lahir Pancasila" not in decrees  # a public holiday, from the holidays package


def test_observances_are_not_greeted_unless_asked(write_calendar: WriteCalendar) -> None:
    found = year(load(write_calendar, BASIC), 2027)
    assert date(2027, 4, 21) not in found  # Hari Kartini
    assert date(2027, 11, 10) not in found  # Hari Pahlawan
    assert found[date(2027, 8, 17)] == "Dirgahayu Republik Indonesia"


def test_the_views_name_the_national_days_of_the_data_file(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC)
    names = day_names(calendar, date(2027, 1, 1), date(2027, 12, 31))
    for day, national in national_days(2027):
        assert national.name in names[day].observances
    assert names[date(2027, 12, 19)].observances == ("Hari Bela Negara",)


def test_collective_leave_gets_no_greeting(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC + "  observances: true\n")
    found = year(calendar, 2027)
    leave = [date(2027, 3, 9), date(2027, 3, 12), date(2027, 3, 15), date(2027, 12, 24)]
    assert [day for day in leave if day in found] == []
    names = day_names(calendar, date(2027, 3, 9), date(2027, 3, 9))
    assert names[date(2027, 3, 9)].observances == ("Cuti Bersama Hari Raya Idul Fitri",)


# -- the office's own days -------------------------------------------------------------------

EXTRA = (
    BASIC + "  extra:\n"
    "    - {name: Hari Jadi Kabupaten Contoh, date: '06-15', kind: commemoration}\n"
    "    - {name: Festival Danau, date: 2027-08-21}\n"
    "    - {name: Hari Kabisat, date: '02-29', kind: solemn}\n"
)


def test_extra_days_are_greeted_yearly_or_once(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, EXTRA)
    assert year(calendar, 2027)[date(2027, 6, 15)] == "Selamat Hari Jadi Kabupaten Contoh"
    assert year(calendar, 2028)[date(2028, 6, 15)] == "Selamat Hari Jadi Kabupaten Contoh"
    assert year(calendar, 2027)[date(2027, 8, 21)] == "Selamat Festival Danau"
    assert date(2028, 8, 21) not in year(calendar, 2028)
    assert year(calendar, 2028)[date(2028, 2, 29)] == "Memperingati Hari Kabisat"
    assert date(2027, 2, 28) not in year(calendar, 2027)


def test_extra_days_have_their_kind_and_appear_in_the_views(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, EXTRA)
    [o] = [o for o in expand(calendar, date(2027, 6, 15), date(2027, 6, 15), "fb-desa")]
    assert (o.holiday, o.post.vars["holiday_kind"]) == (
        "Hari Jadi Kabupaten Contoh",
        "commemoration",
    )
    [o] = [o for o in expand(calendar, date(2027, 8, 21), date(2027, 8, 21), "fb-desa")]
    assert o.post.vars["holiday_kind"] == "celebration"  # the default
    names = day_names(calendar, date(2027, 6, 15), date(2027, 6, 15))
    assert names[date(2027, 6, 15)].observances == ("Hari Jadi Kabupaten Contoh",)


def test_an_extra_day_that_is_no_day_is_a_located_error(write_calendar: WriteCalendar) -> None:
    holidays = BASIC + "  extra:\n    - {name: Hari Jadi, date: '13-40'}\n    - {nama: x}\n"
    path = write_calendar(calendar_text(holidays=holidays))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.is_error] == [
        f"{path}:10:31: error: holidays: extra #1: date: '13-40' is no day: write MM-DD "
        "(every year) or YYYY-MM-DD",
        f"{path}:11:7: error: holidays: extra #2 needs a name and a date (MM-DD)",
        f"{path}:11:8: error: holidays: extra #2: unknown key 'nama' is not read; did you "
        "mean 'name'?",
    ]


# -- the greetings of the shipped calendar, 2027 -----------------------------------------------

SHIPPED_2027 = {
    # day: (holiday_kind, the caption's first line)
    "2027-01-01": ("celebration", "Selamat Tahun Baru 2027."),
    "2027-02-06": ("celebration", "Selamat Tahun Baru Imlek 2578."),
    "2027-02-09": ("commemoration", "Selamat Hari Pers Nasional."),
    "2027-03-08": ("religious", "Selamat Hari Raya Nyepi Tahun Baru Saka 1949."),
    "2027-03-10": ("religious", "Selamat Hari Raya Idul Fitri."),
    "2027-03-26": ("solemn", "Memperingati Wafat Yesus Kristus."),
    "2027-03-28": ("religious", "Selamat Paskah."),
    "2027-04-21": ("commemoration", "Selamat Hari Kartini."),
    "2027-05-20": (
        "commemoration",
        "Selamat Hari Raya Waisak dan Selamat Hari Kebangkitan Nasional.",
    ),
    "2027-07-12": ("celebration", "Selamat Hari Jadi Desa Sukamaju."),
    "2027-08-15": ("religious", "Selamat Memperingati Maulid Nabi Muhammad SAW."),
    "2027-08-17": ("celebration", "Dirgahayu Republik Indonesia."),
    "2027-10-01": ("solemn", "Memperingati Hari Kesaktian Pancasila."),
    "2027-11-10": ("solemn", "Memperingati Hari Pahlawan."),
    "2027-12-22": ("celebration", "Selamat Hari Ibu."),
    "2027-12-25": ("religious", "Selamat Hari Raya Natal 🎄"),
}


def shipped_2027() -> dict[str, tuple[str, str, list[str], str]]:
    calendar = load_calendar(ROOT / "calendar.yaml")
    renderer = Renderer(calendar)
    return {
        o.at.date().isoformat(): (
            str(o.post.vars["holiday_kind"]),
            renderer.render(o).splitlines()[0],
            [m.path for m in o.post.media],
            renderer.render(o),
        )
        for o in expand(calendar, date(2027, 1, 1), date(2027, 12, 31), "fb-desa")
        if o.source == "holiday"
    }


def test_the_shipped_calendar_greets_each_kind_of_day_in_its_words() -> None:
    found = shipped_2027()
    assert {day: found[day][:2] for day in SHIPPED_2027} == SHIPPED_2027
    assert len(found) == 31
    assert "2027-03-11" not in found  # skip: Hari kedua dari Hari Raya Idul Fitri
    assert {kind for kind, *_ in found.values()} == {
        "celebration",
        "religious",
        "commemoration",
        "solemn",
    }


def test_the_shipped_template_words_the_body_by_tone() -> None:
    found = shipped_2027()
    assert (
        "turut memperingati Hari Pahlawan, Rabu, 10 November 2027, dengan khidmat"
        in (found["2027-11-10"][3])
    )
    assert "kepada seluruh warga yang merayakan" in found["2027-03-10"][3]
    assert "mengajak seluruh warga memaknai Hari Kartini" in found["2027-04-21"][3]
    assert "Selamat" not in found["2027-11-10"][3]


def test_the_shipped_greetings_of_their_own() -> None:
    found = shipped_2027()
    assert found["2027-03-10"][2] == ["media/idul-fitri.jpg"]  # Idul Fitri (perkiraan)
    assert found["2027-12-25"][2] == ["media/ucapan.png"]
    assert "Damai Natal menyertai kita semua." in found["2027-12-25"][3]
    assert found["2027-08-17"][2] == ["media/ucapan.png"]


# -- a day's own greeting --------------------------------------------------------------------


def test_a_days_own_greeting_falls_back_to_the_section(write_calendar: WriteCalendar) -> None:
    holidays = BASIC + (
        "  media: media/ucapan.png\n  greetings:\n"
        "    hari raya idul fitri (PERKIRAAN): {caption: 'Mohon maaf lahir dan batin'}\n"
        "    Hari Raya Natal: {media: media/kerja-bakti.jpg, accounts: [ig-desa]}\n"
        "    Hari Buruh Internasional: {skip: true}\n"
    )
    calendar = load(write_calendar, holidays)
    renderer = Renderer(calendar)
    lebaran = expand(calendar, date(2026, 3, 21), date(2026, 3, 21))
    assert [(renderer.render(o), [m.path for m in o.post.media]) for o in lebaran] == [
        ("Mohon maaf lahir dan batin", ["media/ucapan.png"])
    ]
    [natal] = expand(calendar, date(2026, 12, 25), date(2026, 12, 25))
    assert (natal.account.name, renderer.render(natal)) == ("ig-desa", "Selamat Hari Raya Natal")
    assert [m.path for m in natal.post.media] == ["media/kerja-bakti.jpg"]
    assert expand(calendar, date(2026, 5, 1), date(2026, 5, 1)) == []


def test_a_misspelt_greeting_name_is_a_located_error(write_calendar: WriteCalendar) -> None:
    holidays = BASIC + "  greetings:\n    Hari Raya Idul Fitry: {media: media/ucapan.png}\n"
    path = write_calendar(calendar_text(holidays=holidays))
    assert errors(path) == [
        f"{path}:10:5: error: holidays: greetings: 'Hari Raya Idul Fitry' is not a holiday of "
        "ID in 2026–2027; did you mean 'Hari Raya Idul Fitri'?"
    ]


def test_a_national_day_needs_observances_to_be_greeted(write_calendar: WriteCalendar) -> None:
    holidays = BASIC + "  greetings:\n    Hari Guru Nasional: {caption: 'Terima kasih, Guru'}\n"
    path = write_calendar(calendar_text(holidays=holidays))
    assert errors(path) == [
        f"{path}:10:5: error: holidays: greetings: 'Hari Guru Nasional' is a national day that "
        "is no day off: add 'observances: true' under holidays to greet it"
    ]
    fixed = write_calendar(calendar_text(holidays=holidays + "  observances: true\n"))
    assert errors(fixed) == []


def test_a_days_own_template_is_checked_months_ahead(write_calendar: WriteCalendar) -> None:
    holidays = BASIC + "  greetings:\n    Hari Raya Idul Fitri: {caption: '{{ nama_desa }}'}\n"
    path = write_calendar(calendar_text(holidays=holidays))
    found = [str(p) for p in check_calendar(path, date(2026, 12, 1)) if "nama_desa" in p.message]
    assert found == [
        f"{path}:10:37: error: post 'hari-besar-2026-12-01': variable 'nama_desa' is "
        "undefined; define it under vars (of the calendar or of the post)"
    ]


def test_an_unknown_tone_is_a_single_warning(write_calendar: WriteCalendar) -> None:
    path = write_calendar(
        calendar_text(holidays=BASIC + "  language: en_US\n  only: Christmas Day\n")
    )
    warnings = [str(p) for p in check_calendar(path, date(2026, 12, 1)) if "tone" in p.message]
    assert warnings == [
        f"{path}:7:3: warning: holidays: jadwal does not know the tone of 'Christmas Day': it "
        'is greeted as a celebration ("Selamat …"); give it words of its own under '
        "holidays.greetings"
    ]


def test_a_greeting_name_alone_is_an_error(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text(holidays=BASIC + "  greetings:\n    Hari Raya Natal:\n"))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.is_error] == [
        f"{path}:10:5: error: holidays: greetings: Hari Raya Natal: give it template, caption, "
        "media, accounts or skip: true"
    ]


def test_greeting_keys_are_declared(write_calendar: WriteCalendar) -> None:
    holidays = BASIC + "  greetings:\n    Hari Raya Natal: {captoin: x}\n  observance: true\n"
    path = write_calendar(calendar_text(holidays=holidays))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.is_error] == [
        f"{path}:10:23: error: holidays: greetings: Hari Raya Natal: unknown key 'captoin' is "
        "not read, so the day gets the section's text; did you mean 'caption'?",
        f"{path}:11:3: error: holidays: unknown key 'observance' is not read, so the national "
        "days get no greeting; did you mean 'observances'?",
    ]
