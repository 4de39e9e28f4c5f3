"""Holiday greetings (``ucapan hari besar``): Indonesian names, selection, ids, captions."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from scheduler.calendar import Calendar, load_calendar, read_calendar_file
from scheduler.calendar.expand import expand
from scheduler.errors import CalendarError
from scheduler.render import Renderer
from tests.conftest import WriteCalendar
from tests.helpers import calendar_text


def load(write_calendar: WriteCalendar, holidays: str, posts: str | None = None) -> Calendar:
    return load_calendar(write_calendar(calendar_text(holidays=holidays, posts=posts)))


def greetings(calendar: Calendar, first: date, last: date) -> dict[str, str | None]:
    return {o.at.date().isoformat(): o.holiday for o in expand(calendar, first, last)}


def year(calendar: Calendar, number: int) -> dict[str, str | None]:
    return greetings(calendar, date(number, 1, 1), date(number, 12, 31))


BASIC = "  country: ID\n  caption: 'Selamat {{ holiday }}'\n"


def test_2026_holidays_have_indonesian_names(write_calendar: WriteCalendar) -> None:
    found = year(load(write_calendar, BASIC), 2026)
    assert found["2026-03-21"] == "Hari Raya Idul Fitri"
    assert found["2026-08-17"] == "Hari Kemerdekaan Republik Indonesia"
    assert found["2026-12-25"] == "Hari Raya Natal"
    assert found["2026-01-01"] == "Tahun Baru Masehi"
    assert len(found) == 17


def test_2027_holidays_include_estimates(write_calendar: WriteCalendar) -> None:
    found = year(load(write_calendar, BASIC), 2027)
    assert found["2027-03-10"] == "Hari Raya Idul Fitri (perkiraan)"
    assert found["2027-08-17"] == "Hari Kemerdekaan Republik Indonesia"
    assert found["2027-12-25"] == "Hari Raya Natal"


def test_window_across_new_year(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC)
    assert greetings(calendar, date(2026, 12, 20), date(2027, 1, 5)) == {
        "2026-12-25": "Hari Raya Natal",
        "2027-01-01": "Tahun Baru Masehi",
        "2027-01-05": "Isra Mikraj Nabi Muhammad",
    }


def test_default_time_is_seven(write_calendar: WriteCalendar) -> None:
    [occurrence] = expand(load(write_calendar, BASIC), date(2026, 12, 25), date(2026, 12, 25))
    assert occurrence.at.isoformat() == "2026-12-25T07:00:00+07:00"


def test_at_sets_the_time_of_day(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC + "  at: '06:30'\n")
    [occurrence] = expand(calendar, date(2026, 12, 25), date(2026, 12, 25))
    assert occurrence.at.isoformat() == "2026-12-25T06:30:00+07:00"


def test_time_zone_of_the_calendar_applies(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text(timezone="Asia/Jayapura", holidays=BASIC))
    [occurrence] = expand(load_calendar(path), date(2026, 12, 25), date(2026, 12, 25))
    assert occurrence.at.isoformat() == "2026-12-25T07:00:00+09:00"
    assert occurrence.key == "hari-besar-2026-12-25/fb-desa/20261224T2200Z"


def test_post_ids_and_keys(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC + "  accounts: [fb-desa, ig-desa]\n")
    occurrences = expand(calendar, date(2026, 12, 25), date(2026, 12, 25))
    assert [o.key for o in occurrences] == [
        "hari-besar-2026-12-25/fb-desa/20261225T0000Z",
        "hari-besar-2026-12-25/ig-desa/20261225T0000Z",
    ]
    assert {o.post.id for o in occurrences} == {"hari-besar-2026-12-25"}


def test_source_and_category(write_calendar: WriteCalendar) -> None:
    posts = "  - {id: rapat, at: '2026-12-25 09:00', caption: x}\n"
    occurrences = expand(load(write_calendar, BASIC, posts), date(2026, 12, 25), date(2026, 12, 25))
    assert [(o.post.id, o.source, o.post.category) for o in occurrences] == [
        ("hari-besar-2026-12-25", "holiday", "hari_besar"),
        ("rapat", "post", None),
    ]


# -- skip and only -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Hari Raya Natal", "hari raya natal", "HARI RAYA NATAL"])
def test_skip_by_name_ignores_case(write_calendar: WriteCalendar, name: str) -> None:
    found = year(load(write_calendar, BASIC + f"  skip: ['{name}']\n"), 2026)
    assert "2026-12-25" not in found
    assert "2026-08-17" in found


def test_skip_by_date(write_calendar: WriteCalendar) -> None:
    found = year(load(write_calendar, BASIC + "  skip: 2026-03-22\n"), 2026)
    assert "2026-03-22" not in found
    assert "2026-03-21" in found


def test_skip_without_suffix_skips_the_estimate(write_calendar: WriteCalendar) -> None:
    found = year(load(write_calendar, BASIC + "  skip: [Hari Raya Idul Fitri]\n"), 2027)
    assert "2027-03-10" not in found
    assert found["2027-03-11"] == "Hari kedua dari Hari Raya Idul Fitri (perkiraan)"


def test_skip_with_suffix_skips_the_estimate(write_calendar: WriteCalendar) -> None:
    skip = "  skip: ['hari raya idul fitri (PERKIRAAN)']\n"
    assert "2027-03-10" not in year(load(write_calendar, BASIC + skip), 2027)


def test_skip_with_suffix_skips_the_confirmed_date(write_calendar: WriteCalendar) -> None:
    skip = "  skip: ['Hari Raya Idul Fitri (perkiraan)']\n"
    assert "2026-03-21" not in year(load(write_calendar, BASIC + skip), 2026)


def test_only_with_suffix_selects_the_confirmed_date(write_calendar: WriteCalendar) -> None:
    only = "  only: ['Hari Raya Idul Fitri (perkiraan)']\n"
    assert year(load(write_calendar, BASIC + only), 2026) == {"2026-03-21": "Hari Raya Idul Fitri"}


def test_only_by_name(write_calendar: WriteCalendar) -> None:
    only = "  only: [Hari Raya Natal, hari kemerdekaan republik indonesia]\n"
    assert year(load(write_calendar, BASIC + only), 2026) == {
        "2026-08-17": "Hari Kemerdekaan Republik Indonesia",
        "2026-12-25": "Hari Raya Natal",
    }


def test_only_without_suffix_selects_the_estimate(write_calendar: WriteCalendar) -> None:
    only = "  only: Hari Raya Idul Fitri\n"
    assert year(load(write_calendar, BASIC + only), 2027) == {
        "2027-03-10": "Hari Raya Idul Fitri (perkiraan)"
    }


def test_only_by_date(write_calendar: WriteCalendar) -> None:
    found = year(load(write_calendar, BASIC + "  only: [2026-08-17]\n"), 2026)
    assert found == {"2026-08-17": "Hari Kemerdekaan Republik Indonesia"}


def test_only_then_skip(write_calendar: WriteCalendar) -> None:
    rules = "  only: [Hari Raya Natal, 2026-08-17]\n  skip: [2026-12-25]\n"
    assert list(year(load(write_calendar, BASIC + rules), 2026)) == ["2026-08-17"]


def test_two_holidays_on_one_day_make_one_greeting(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC)
    [occurrence] = expand(calendar, date(2034, 6, 1), date(2034, 6, 1))
    assert occurrence.holiday == "Hari Lahir Pancasila dan Hari Raya Waisak (perkiraan)"
    assert Renderer(calendar).render(occurrence) == (
        "Selamat Hari Lahir Pancasila dan Hari Raya Waisak"
    )


def test_skip_matches_each_name_of_a_shared_day(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC + "  skip: Hari Raya Waisak\n")
    [occurrence] = expand(calendar, date(2034, 6, 1), date(2034, 6, 1))
    assert occurrence.holiday == "Hari Lahir Pancasila"


# -- captions ------------------------------------------------------------------------------------


def render_on(calendar: Calendar, day: date) -> list[str]:
    renderer = Renderer(calendar)
    return [renderer.render(o) for o in expand(calendar, day, day)]


def test_caption_receives_holiday_without_suffix(write_calendar: WriteCalendar) -> None:
    calendar = load(write_calendar, BASIC)
    assert render_on(calendar, date(2027, 3, 10)) == ["Selamat Hari Raya Idul Fitri"]
    assert render_on(calendar, date(2026, 3, 21)) == ["Selamat Hari Raya Idul Fitri"]


def test_caption_knows_whether_the_date_is_estimated(write_calendar: WriteCalendar) -> None:
    caption = "  country: ID\n  caption: '{{ holiday_estimated }}'\n"
    calendar = load(write_calendar, caption)
    assert render_on(calendar, date(2027, 3, 10)) == ["True"]
    assert render_on(calendar, date(2026, 3, 21)) == ["False"]


def test_shipped_template_per_platform(write_calendar: WriteCalendar) -> None:
    holidays = "  country: ID\n  template: hari_besar\n  accounts: [fb-desa, ig-desa]\n"
    calendar_vars = "{instansi: Desa Maju, tagar: ['#Desa']}"
    calendar = load_calendar(write_calendar(calendar_text(vars=calendar_vars, holidays=holidays)))
    facebook, instagram = render_on(calendar, date(2026, 8, 17))
    assert facebook.startswith("Dirgahayu Republik Indonesia.\n")
    assert (
        "selamat merayakan Hari Kemerdekaan Republik Indonesia, Senin, 17 Agustus 2026" in facebook
    )
    assert instagram.startswith("Dirgahayu Republik Indonesia ✨")
    assert instagram.endswith("#Desa #haribesar")


# -- mistakes ------------------------------------------------------------------------------------


def test_unknown_country_is_a_located_error(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text(holidays="  country: XX\n  caption: x\n"))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.is_error] == [
        f"{path}:7:12: error: holidays: country 'XX' is not known; use an ISO code such as ID"
    ]
    with pytest.raises(CalendarError):
        load_calendar(path)


def test_unknown_language_is_a_located_error(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text(holidays="  country: ID\n  language: jv\n  caption: x\n"))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.is_error] == [
        f"{path}:7:12: error: holidays: language 'jv' is not available for ID "
        "(available: en_US, id, th, uk)"
    ]


def test_holidays_without_country(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text(holidays="  caption: x\n"))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.is_error] == [
        f"{path}:7:3: error: holidays needs 'country: ID' (ISO country code)"
    ]


def test_no_holidays_block_no_greetings(write_calendar: WriteCalendar) -> None:
    path = write_calendar(
        calendar_text(posts="  - {id: rapat, at: '2026-12-25 09:00', caption: x}\n")
    )
    found = expand(load_calendar(path), date(2026, 1, 1), date(2026, 12, 31))
    assert {o.source for o in found} == {"post"}


def test_a_calendar_with_holidays_loads_its_country_alone(write_calendar: WriteCalendar) -> None:
    # holidays.countries' own __init__ imports every country (0.1 s); holidaylib avoids it.
    path = write_calendar(calendar_text(holidays=BASIC))
    script = (
        "import sys\nfrom datetime import date\nfrom pathlib import Path\n"
        "from scheduler.calendar import load_calendar\n"
        "from scheduler.calendar.expand import expand\n"
        f"calendar = load_calendar(Path({str(path)!r}))\n"
        "expand(calendar, date(2026, 1, 1), date(2026, 12, 31))\n"
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "['holidays.countries.indonesia']"
