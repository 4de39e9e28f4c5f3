"""``jadwal site`` again into its folder: a page whose fingerprint did not change is neither
drawn nor written, a changed post rewrites its own pages only, and the bytes stay the same
whatever the folder went through (``site.prints``, ``site.output``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scheduler.calendar import load_calendar
from scheduler.site import prints
from scheduler.site.build import Written, write_site
from tests.conftest import WriteCalendar
from tests.helpers import calendar_text

NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)
DECEMBER = date(2026, 12, 1), date(2026, 12, 31)
ACCOUNTS = {
    "fb-desa": 'platform: facebook, page_id: "1"',
    "ig-desa": 'platform: instagram, ig_user_id: "2", page_id: "1"',
}
SENIN = """\
  - {id: senin, rrule: "FREQ=WEEKLY;BYDAY=MO", from: 2026-12-01, time: "09:00",
     caption: Layanan buka, media: media/posyandu.jpg, accounts: [fb-desa, ig-desa]}
"""
RAPAT = "  - {id: rapat, at: 2026-12-08 10:00, caption: Rapat desa, accounts: [fb-desa]}\n"
RAPAT_PAGE = "post/rapat-20261208T030000Z.html"
PAGES = 4 + 1 + 2  # the Mondays of December, the meeting, the month's grid and list


def _write(write_calendar: WriteCalendar, rapat: str = RAPAT) -> Path:
    text = calendar_text(
        accounts=ACCOUNTS, timezone="Asia/Jakarta", media="  staging: facebook_page\n",
        posts=SENIN + rapat,
    )  # fmt: skip
    return write_calendar(text)


def _site(path: Path, out: Path) -> Written:
    return write_site(load_calendar(path), out, *DECEMBER, None, NOW)


def _stamps(out: Path) -> dict[str, int]:
    files = (f for f in out.rglob("*") if f.is_file())
    return {f.relative_to(out).as_posix(): f.stat().st_mtime_ns for f in files}


def _touched(before: dict[str, int], out: Path) -> set[str]:
    after = _stamps(out)
    return {name for name in after if before.get(name) != after[name]} - {".jadwal-site"}


def test_an_unchanged_rerun_draws_and_writes_no_page(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path, out = _write(write_calendar), tmp_path / "out"
    assert _site(path, out).drawn == PAGES
    before = _stamps(out)
    again = _site(path, out)
    assert (again.drawn, again.changed, again.posts) == (0, 0, 5)
    assert _stamps(out) == before  # not one file written, the list of files included


def test_a_changed_caption_rewrites_its_page_and_the_feed_only(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _site(_write(write_calendar), out)
    before = _stamps(out)
    edited = _write(write_calendar, RAPAT.replace("Rapat desa", "Rapat desa diundur"))
    written = _site(edited, out)
    # The grid and the list name the post by its id: they are drawn again and come out the
    # same, so they are not written.
    assert written.drawn == 1
    assert _touched(before, out) == {RAPAT_PAGE, "calendar.ics"}
    assert "Rapat desa diundur" in (out / RAPAT_PAGE).read_text(encoding="utf-8")


def test_a_changed_title_rewrites_the_month_and_list_that_show_it(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _site(_write(write_calendar), out)
    before = _stamps(out)
    titled = RAPAT.replace("accounts: [fb-desa]}", "accounts: [fb-desa], title: Musyawarah}")
    written = _site(_write(write_calendar, titled), out)
    assert written.drawn == 3
    month_pages = {"2026-12.html", "2026-12-daftar.html"}
    assert _touched(before, out) == {RAPAT_PAGE, "calendar.ics", *month_pages}
    assert "Musyawarah" in (out / "2026-12.html").read_text(encoding="utf-8")


def test_a_page_gone_or_edited_in_the_folder_is_made_again(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path, out = _write(write_calendar), tmp_path / "out"
    _site(path, out)
    (out / RAPAT_PAGE).unlink()
    monday = out / "post" / "senin-20261207T020000Z.html"
    monday.write_text("edited by hand\n", encoding="utf-8")  # another size
    written = _site(path, out)
    assert (written.drawn, written.changed) == (2, 2)
    assert (out / RAPAT_PAGE).is_file()
    assert "edited by hand" not in monday.read_text(encoding="utf-8")


def test_a_picture_gone_from_the_folder_is_copied_again(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path, out = _write(write_calendar), tmp_path / "out"
    _site(path, out)
    copies = sorted((out / "media").iterdir())
    for copy in copies:
        copy.unlink()
    written = _site(path, out)
    assert all(copy.is_file() for copy in copies)
    assert (written.drawn, written.changed) == (4, 0)  # the Mondays that show them


def test_another_version_of_the_code_draws_every_page_again(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, out = _write(write_calendar), tmp_path / "out"
    _site(path, out)
    monkeypatch.setattr(prints, "code_digest", lambda: "another jadwal")
    written = _site(path, out)
    assert (written.drawn, written.changed) == (PAGES, 0)  # drawn, and the same bytes


def test_the_same_calendar_gives_the_same_bytes_fresh_or_again(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path = _write(write_calendar)
    _site(path, tmp_path / "a")
    _site(_write(write_calendar, RAPAT.replace("Rapat desa", "Rapat")), tmp_path / "a")
    _site(path, tmp_path / "a")  # back as it was, over a run that changed a page
    _site(path, tmp_path / "b")

    def files(out: Path) -> dict[str, bytes]:
        return {f.relative_to(out).as_posix(): f.read_bytes() for f in out.rglob("*.*")}

    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_a_damaged_line_in_the_list_draws_its_page_again(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path, out = _write(write_calendar), tmp_path / "out"
    _site(path, out)
    manifest = out / ".jadwal-site"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    damaged = [f"{RAPAT_PAGE}\tsize?\tx" if line.startswith(RAPAT_PAGE) else line for line in lines]
    manifest.write_text("\n".join(damaged) + "\n", encoding="utf-8")
    assert _site(path, out).drawn == 1
