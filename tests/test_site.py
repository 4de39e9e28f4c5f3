"""``jadwal site``: the static web calendar, as the office opens it from a folder.

The pages are read as text here (what they say, what they link to, what they escape) and in
Debian's Chromium in ``tests/test_site_browser.py`` (what a person sees, offline)."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

import pytest

from scheduler import cli
from scheduler.calendar import load_calendar
from scheduler.calendar.expand import expand
from scheduler.calendar.model import Calendar
from scheduler.database import open_store
from scheduler.site.build import write_site
from scheduler.store import State, Store, sqlite_url
from scheduler.store.rows import new_row
from scheduler.views.month import month_view, months_view
from scheduler.views.ranges import default_range, months_between
from tests.conftest import ROOT, WriteCalendar
from tests.helpers import calendar_text, set_created_at

NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)  # Thursday 10 December, 10.00 in Jakarta
DECEMBER = date(2026, 12, 1), date(2026, 12, 31)
POSTS = """\
  - {id: senin, rrule: "FREQ=WEEKLY;BYDAY=MO", from: 2026-12-01, time: "09:00",
     template: pengumuman, vars: {judul: Layanan, isi: Buka}, media: media/posyandu.jpg,
     accounts: [fb-desa, ig-desa], title: Info layanan Senin}
  - {id: rapat, at: 2026-12-08 10:00, caption: Rapat desa, accounts: [fb-desa]}
"""


def text_of(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed, as a reader meets them."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def day_cell(page: str, day: str) -> str:
    """The grid cell of ``day`` (YYYY-MM-DD): from its date to the end of the cell."""
    start = page.index(f'<time datetime="{day}">')
    return page[start : page.index("</td>", start)]


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


ACCOUNTS = {
    "fb-desa": 'platform: facebook, page_id: "1"',
    "ig-desa": 'platform: instagram, ig_user_id: "2", page_id: "1"',
}
VARS = "  kontak: WhatsApp 0812\n  instansi: Desa Sukamaju\n  tagar: ['#InfoDesa']\n"


def _calendar(write_calendar: WriteCalendar, posts: str = POSTS) -> Path:
    text = calendar_text(
        accounts=ACCOUNTS,
        timezone="Asia/Jakarta",
        vars=VARS,
        media="  staging: facebook_page\n",
        rules="  blocked_words: [kafir]\n  warn_words: [hoaks]\n",
        posts=posts,
    )
    return write_calendar(text)


def test_the_default_range_is_last_month_to_three_months_ahead_in_the_calendars_zone() -> None:
    jakarta = load_calendar(ROOT / "calendar.yaml").timezone
    assert default_range(jakarta, NOW) == (date(2026, 11, 1), date(2027, 3, 31))
    # 30 November 20:00 UTC is already 1 December in Jakarta.
    evening = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    assert default_range(jakarta, evening) == (date(2026, 11, 1), date(2027, 3, 31))
    january = datetime(2027, 1, 15, tzinfo=UTC)
    assert default_range(jakarta, january) == (date(2026, 12, 1), date(2027, 4, 30))
    assert months_between(date(2026, 11, 20), date(2027, 2, 1)) == [
        (2026, 11),
        (2026, 12),
        (2027, 1),
        (2027, 2),
    ]


def test_several_months_at_once_are_laid_out_as_each_month_alone(
    write_calendar: WriteCalendar,
) -> None:
    calendar = load_calendar(_calendar(write_calendar))
    together = months_view(calendar, date(2026, 11, 1), date(2027, 1, 31), now=NOW)
    alone = [month_view(calendar, y, m, now=NOW) for y, m in ((2026, 11), (2026, 12), (2027, 1))]
    assert together == alone


def test_the_command_writes_the_months_and_says_where(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path = _calendar(write_calendar)
    out = tmp_path / "situs"
    code = cli.run(["site", str(out), str(path), "--from", "2026-12-01", "--to", "2027-01-31"])
    printed, errors = capsys.readouterr()
    assert (code, errors) == (0, "")
    assert printed == (
        f"jadwal site: wrote 2 months, 9 post pages to {out} (open {out}/index.html)\n"
    )
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"index.html", "site.css", ".jadwal-site", "2026-12.html", "2026-12-daftar.html"} < names
    assert {"2027-01.html", "2027-01-daftar.html"} < names
    assert "post/rapat-20261208T030000Z.html" in names
    assert len([n for n in names if n.startswith("post/")]) == 9
    assert not (path.parent / ".jadwal").exists()  # looking never starts a history


def test_without_a_range_the_site_shows_last_month_to_three_months_ahead(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path = _calendar(write_calendar)
    assert cli.run(["site", str(tmp_path / "situs"), str(path)]) == 0
    assert re.fullmatch(
        r"jadwal site: wrote 5 months, \d+ post pages? to .*\n", capsys.readouterr().out
    )
    first, last = default_range(load_calendar(path).timezone)
    shown = sorted(p.name for p in (tmp_path / "situs").glob("20??-??.html"))
    assert shown == [f"{y:04d}-{m:02d}.html" for y, m in months_between(first, last)]


def test_a_wrong_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path = _calendar(write_calendar)
    code = cli.run(
        ["site", str(tmp_path / "o"), str(path), "--from", "2027-01-01", "--to", "2026-12-01"]
    )
    assert code == 2
    assert (
        "Invalid value for --to: 2026-12-01 is before --from 2027-01-01" in capsys.readouterr().err
    )


def test_the_grid_puts_each_post_on_its_day_with_time_title_and_state(
    write_calendar: WriteCalendar, tmp_path: Path, indonesian: None
) -> None:
    calendar = load_calendar(_calendar(write_calendar))
    write_site(calendar, tmp_path / "out", *DECEMBER, None, NOW)
    page = read(tmp_path / "out", "2026-12.html")
    monday = text_of(day_cell(page, "2026-12-07"))
    assert monday == "7 ○ 09.00 Info layanan Senin terjadwal fb-desa, ig-desa"
    assert text_of(day_cell(page, "2026-12-08")) == "8 ○ 10.00 rapat terjadwal fb-desa"
    assert 'href="post/senin-20261207T020000Z.html"' in day_cell(page, "2026-12-07")
    assert text_of(day_cell(page, "2026-12-25")) == "25 Hari Raya Natal"  # no greetings here
    assert text_of(day_cell(page, "2026-12-24")) == "24 Cuti Bersama Hari Raya Natal"
    assert text_of(day_cell(page, "2026-11-30")) == "30 Nov"  # the week begins in November
    index = read(tmp_path / "out", "index.html")
    assert '<meta http-equiv="refresh" content="0; url=2026-12.html">' in index


def test_weeks_below_the_rule_are_named_per_account(
    write_calendar: WriteCalendar, tmp_path: Path, indonesian: None
) -> None:
    posts = POSTS.replace("accounts: [fb-desa, ig-desa], title", "accounts: [fb-desa], title")
    write_site(
        load_calendar(_calendar(write_calendar, posts)), tmp_path / "out", *DECEMBER, None, NOW
    )
    page = read(tmp_path / "out", "2026-12.html")
    rows = [
        text_of(r)
        for r in re.findall(r'<tr class="thin">\s*<th scope="row">(.*?)</th>', page, re.S)
    ]
    assert rows[1] == "50 ⚠ ig-desa: 0 dari 1"  # 7–13 December: nothing on Instagram
    strip = page[page.index('<table class="strip">') :]
    assert '<th scope="row">ig-desa</th>' in strip


def test_the_list_shows_the_same_posts_day_by_day(
    write_calendar: WriteCalendar, tmp_path: Path, indonesian: None
) -> None:
    write_site(load_calendar(_calendar(write_calendar)), tmp_path / "out", *DECEMBER, None, NOW)
    words = text_of(read(tmp_path / "out", "2026-12-daftar.html"))
    assert "Senin, 7 Desember 2026 ○ 09.00 Info layanan Senin terjadwal fb-desa, ig-desa" in words
    assert "Selasa, 8 Desember 2026 ○ 10.00 rapat terjadwal fb-desa" in words
    assert "Jumat, 25 Desember 2026 Hari Raya Natal" in words


def test_a_post_page_shows_each_accounts_card_caption_and_pictures(
    write_calendar: WriteCalendar, tmp_path: Path, indonesian: None
) -> None:
    write_site(load_calendar(_calendar(write_calendar)), tmp_path / "out", *DECEMBER, None, NOW)
    page = read(tmp_path / "out", "post/senin-20261207T020000Z.html")
    words = text_of(page)
    assert "Info layanan Senin Senin, 7 Desember 2026, 09.00 WIB" in words
    assert '<article class="ig" aria-label="Seperti tampil di Instagram">' in page
    assert '<article class="fb" aria-label="Seperti tampil di Facebook">' in page
    assert "<summary>… selengkapnya</summary>" in page  # the template's caption is long
    assert 'alt="Info layanan Senin"' in page
    pictures = re.findall(r'<img src="\.\./(media/[0-9a-f]{24}\.jpg)"', page)
    assert pictures and all((tmp_path / "out" / p).is_file() for p in pictures)
    assert '<span class="tag">#InfoDesa</span>' in page
    assert "✓ Tidak ada masalah." in words


def test_two_runs_write_the_same_bytes_and_a_rerun_changes_nothing(
    shipped_calendar: Path, tmp_path: Path
) -> None:
    calendar = load_calendar(shipped_calendar)
    first = write_site(calendar, tmp_path / "a", date(2026, 11, 1), date(2027, 1, 31), None, NOW)
    write_site(calendar, tmp_path / "b", date(2026, 11, 1), date(2027, 1, 31), None, NOW)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*"))
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*"))
    for name in files:
        if (tmp_path / "a" / name).is_file():
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    again = write_site(calendar, tmp_path / "a", date(2026, 11, 1), date(2027, 1, 31), None, NOW)
    assert (first.changed > 0, again.changed) == (True, 0)


def _published_and_failed(calendar_path: Path, tmp_path: Path) -> tuple[Calendar, Store]:
    calendar = load_calendar(calendar_path)
    store = open_store(sqlite_url(tmp_path / "jadwal.db"))
    set_created_at(store, datetime(2026, 12, 1, tzinfo=UTC))
    found = {o.key: o for o in expand(calendar, *DECEMBER)}
    published = new_row(found["senin/fb-desa/20261207T0200Z"], NOW, State.PUBLISHED)
    published.permalink = "https://www.facebook.com/1_2"
    store.claim_new(published)
    failed = new_row(found["senin/ig-desa/20261207T0200Z"], NOW, State.FAILED)
    failed.error_message = "(#9004) media URL unreachable"
    store.claim_new(failed)
    return calendar, store


def test_states_from_the_history_are_shown_with_the_permalink(
    write_calendar: WriteCalendar, tmp_path: Path, indonesian: None
) -> None:
    calendar, store = _published_and_failed(_calendar(write_calendar), tmp_path)
    write_site(calendar, tmp_path / "out", *DECEMBER, store, NOW)
    page = read(tmp_path / "out", "post/senin-20261207T020000Z.html")
    words = text_of(page)
    assert "fb-desa Facebook ✓ terbit · lihat unggahannya" in words
    assert '<a href="https://www.facebook.com/1_2">lihat unggahannya</a>' in page
    assert "ig-desa Instagram ✗ gagal Pesan terakhir: (#9004) media URL unreachable" in words
    grid = day_cell(read(tmp_path / "out", "2026-12.html"), "2026-12-07")
    assert '<a class="entry s-failed"' in grid  # the worst of its accounts
    # Tuesday's post had no record once its time and grace had passed: nothing ran.
    assert "✗" not in day_cell(read(tmp_path / "out", "2026-12.html"), "2026-12-08")
    assert "! 10.00 rapat terlewat" in text_of(
        day_cell(read(tmp_path / "out", "2026-12.html"), "2026-12-08")
    )


def test_a_check_problem_is_shown_on_its_posts_page(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    tmp_path: Path,
) -> None:
    posts = '  - {id: kabar, at: 2026-12-09 09:00, caption: "Jangan percaya hoaks kafir"}\n'
    path = _calendar(write_calendar, posts)
    out = tmp_path / "out"
    cli.run(["site", str(out), str(path), "--from", "2026-12-01", "--to", "2026-12-31"])
    assert capsys.readouterr().out == (
        f"jadwal site: wrote 1 month, 1 post page (1 with check errors) to {out} "
        f"(open {out}/index.html)\n"
    )
    words = text_of(read(out, "post/kabar-20261209T020000Z.html"))
    assert (
        "✗ error post 'kabar' for fb-desa: caption contains the blocked word 'kafir' "
        "(rules.blocked_words); rephrase it calendar.yaml:17:48" in words
    )
    assert "⚠ warning post 'kabar' for fb-desa: caption contains 'hoaks'" in words


def test_a_caption_is_shown_as_text_never_as_html(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    posts = (
        '  - {id: jahil, at: 2026-12-09 09:00, title: "<b>Judul</b>",\n'
        '     caption: "<script>alert(1)</script> & #tagar <img src=x onerror=alert(2)>"}\n'
    )
    write_site(
        load_calendar(_calendar(write_calendar, posts)), tmp_path / "out", *DECEMBER, None, NOW
    )
    page = read(tmp_path / "out", "post/jahil-20261209T020000Z.html")
    assert "<script>" not in page and "<img src=x" not in page and "<b>Judul" not in page
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; <span class="tag">#tagar</span>' in page
    assert "&lt;b&gt;Judul&lt;/b&gt;" in read(tmp_path / "out", "2026-12.html")


def test_files_of_an_earlier_run_go_and_files_it_did_not_write_stay(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    calendar = load_calendar(_calendar(write_calendar))
    out = tmp_path / "out"
    write_site(calendar, out, date(2026, 12, 1), date(2027, 1, 31), None, NOW)
    (out / "CNAME").write_text("kalender.desa.example\n", encoding="utf-8")
    (out / "post" / "catatan.txt").write_text("milik operator\n", encoding="utf-8")
    january = out / "post" / "senin-20270111T020000Z.html"
    assert january.is_file()
    written = write_site(calendar, out, *DECEMBER, None, NOW)
    assert not (out / "2027-01.html").exists() and not january.exists()
    assert (out / "CNAME").read_text(encoding="utf-8") == "kalender.desa.example\n"
    assert (out / "post" / "catatan.txt").is_file()
    assert written.removed == 2 + 4  # January's grid and list, and its Mondays' pages
    lines = (out / ".jadwal-site").read_text(encoding="utf-8").splitlines()
    listed = [line.split("\t")[0] for line in lines]  # a page's size and fingerprint follow
    assert "2027-01.html" not in listed and "2026-12.html" in listed and "CNAME" not in listed


def test_a_file_of_the_same_name_that_it_did_not_write_is_never_replaced(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<h1>Situs desa</h1>\n", encoding="utf-8")
    path = _calendar(write_calendar)
    code = cli.run(["site", str(out), str(path), "--from", "2026-12-01", "--to", "2026-12-31"])
    assert code == 1
    assert capsys.readouterr().err == (
        f"jadwal: error: {out}/index.html exists and was not written by jadwal site: move it "
        "away or choose another folder for the site\n"
    )
    assert (out / "index.html").read_text(encoding="utf-8") == "<h1>Situs desa</h1>\n"


def test_an_edited_list_of_files_never_reaches_outside_the_folder(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    outside = tmp_path / "penting.txt"
    outside.write_text("jangan dihapus\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".jadwal-site").write_text(f"../penting.txt\n{outside}\n", encoding="utf-8")
    write_site(load_calendar(_calendar(write_calendar)), out, *DECEMBER, None, NOW)
    assert outside.read_text(encoding="utf-8") == "jangan dihapus\n"


def test_a_folder_that_is_a_file_is_refused(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    out = tmp_path / "situs"
    out.write_text("", encoding="utf-8")
    assert cli.run(["site", str(out), str(_calendar(write_calendar))]) == 1
    err = capsys.readouterr().err
    assert err == f"jadwal: error: {out} is a file, not a folder: choose a folder for the site\n"


def test_pictures_are_copied_once_and_named_by_their_content(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    path = _calendar(write_calendar)
    calendar = load_calendar(path)
    out = tmp_path / "out"
    write_site(calendar, out, *DECEMBER, None, NOW)
    copies = {p.name: p.stat().st_mtime_ns for p in (out / "media").iterdir()}
    assert len(copies) == 3  # the feed, the grid tile and the photo of one picture
    write_site(calendar, out, *DECEMBER, None, NOW)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "media").iterdir()} == copies
    shutil.copy(ROOT / "media" / "kerja-bakti.jpg", path.parent / "media" / "posyandu.jpg")
    write_site(load_calendar(path), out, *DECEMBER, None, NOW)
    assert {p.name for p in (out / "media").iterdir()}.isdisjoint(copies)  # the old ones went
    assert len(list((out / "media").iterdir())) == 3


def test_a_secret_in_what_the_history_says_is_never_written(
    write_calendar: WriteCalendar, tmp_path: Path, indonesian: None
) -> None:
    path = _calendar(write_calendar)
    (path.parent / ".env").write_text("FB_PAGE_TOKEN=EAAtokenrahasia123456\n", encoding="utf-8")
    calendar = load_calendar(path)
    store = open_store(sqlite_url(tmp_path / "jadwal.db"))
    (monday,) = [o for o in expand(calendar, *DECEMBER) if o.key == "rapat/fb-desa/20261208T0300Z"]
    failed = new_row(monday, NOW, State.FAILED)
    failed.error_message = "(#190) token EAAtokenrahasia123456 has expired"
    store.claim_new(failed)
    write_site(calendar, tmp_path / "out", *DECEMBER, store, NOW)
    written = [p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert not [page for page in written if b"EAAtokenrahasia" in page]
    page = read(tmp_path / "out", "post/rapat-20261208T030000Z.html")
    assert "Pesan terakhir: (#190) token [secret] has expired" in text_of(page)


def test_the_site_carries_the_same_feed_as_jadwal_ical_for_its_months(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scheduler.commands import ical as ical_command

    path = _calendar(write_calendar)
    monkeypatch.setattr(ical_command, "now", lambda: NOW)
    folder = tmp_path / "situs"
    write_site(load_calendar(path), folder, date(2026, 12, 3), date(2027, 1, 20), None, NOW)
    assert cli.run(["ical", str(path), "--from", "2026-12-01", "--to", "2027-01-31"]) == 0
    printed = capsys.readouterr().out
    assert (folder / "calendar.ics").read_bytes().decode("utf-8") == printed
    assert printed.count("BEGIN:VEVENT") == 9
    assert 'href="calendar.ics"' in read(folder, "2026-12.html")


def test_a_feed_whose_content_did_not_change_is_kept_not_made_again(
    write_calendar: WriteCalendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler.views import feed as feeds

    path = _calendar(write_calendar)
    folder = tmp_path / "situs"
    write_site(load_calendar(path), folder, date(2026, 12, 1), date(2027, 1, 31), None, NOW)
    made = (folder / "calendar.ics").read_bytes()
    monkeypatch.setattr(feeds, "_event", lambda *_: pytest.fail("the feed was made again"))
    write_site(load_calendar(path), folder, date(2026, 12, 1), date(2027, 1, 31), None, NOW)
    assert (folder / "calendar.ics").read_bytes() == made
    monkeypatch.undo()
    # A caption changed: its event is made again, with what changed.
    path.write_text(path.read_text("utf-8").replace("Rapat", "Musyawarah"), "utf-8")
    write_site(load_calendar(path), folder, date(2026, 12, 1), date(2027, 1, 31), None, NOW)
    assert (folder / "calendar.ics").read_bytes() != made
