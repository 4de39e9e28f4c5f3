"""The parts of the site's pages: the picture copies, the words around a caption, and the
weekly rhythm strip."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image

from scheduler.calendar import load_calendar
from scheduler.calendar.expand import expand
from scheduler.calendar.model import Location, Post, Schedule
from scheduler.database import open_store
from scheduler.site.thumbs import Thumbs
from scheduler.site.words import alt_text, moment_long, with_hashtags
from scheduler.store import State, sqlite_url
from scheduler.store.rows import new_row
from scheduler.views.strip import rhythm_strips
from tests.conftest import WriteCalendar
from tests.helpers import calendar_text, set_created_at


def _picture(folder: Path, name: str, size: tuple[int, int]) -> Path:
    path = folder / name
    Image.new("RGB", size, (200, 40, 40)).save(path)
    return path


def test_the_copies_show_the_feed_frame_the_grid_tile_and_the_carousel_cut(
    tmp_path: Path,
) -> None:
    wide = _picture(tmp_path, "lebar.jpg", (2000, 1000))  # 2:1, wider than Instagram allows
    square = _picture(tmp_path, "kotak.png", (900, 900))
    thumbs = Thumbs(tmp_path / "situs")
    feed = thumbs.feed(wide)
    assert (feed.width, feed.height) == (640, 335)  # padded into 1.91:1, never cut
    grid = thumbs.grid(wide)
    assert (grid.width, grid.height) == (240, 320)  # the profile grid's 3:4 tile
    later = thumbs.feed(square, (4, 5))  # a later carousel item, cut to a 4:5 first item
    assert (later.width, later.height) == (640, 800)
    with Image.open(tmp_path / "situs" / str(later.src)) as made:
        assert (made.format, made.size) == ("JPEG", (640, 800))
    assert thumbs.written == {feed.src, grid.src, later.src}


def test_a_copy_is_named_by_its_source_and_never_made_twice(tmp_path: Path) -> None:
    picture = _picture(tmp_path, "a.jpg", (1080, 1350))
    first = Thumbs(tmp_path / "situs").photo(picture)
    made = (tmp_path / "situs" / str(first.src)).stat().st_mtime_ns
    again = Thumbs(tmp_path / "situs").photo(picture)
    assert again == first
    assert (tmp_path / "situs" / str(first.src)).stat().st_mtime_ns == made
    _picture(tmp_path, "a.jpg", (1080, 1080))
    assert Thumbs(tmp_path / "situs").photo(picture).src != first.src


def test_a_video_or_an_unreadable_file_has_no_copy(tmp_path: Path) -> None:
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(b"not a picture")
    thumbs = Thumbs(tmp_path / "situs")
    assert thumbs.feed(broken).src is None
    assert thumbs.photo(tmp_path / "klip.mp4").src is None
    assert not (tmp_path / "situs").exists()


def test_hashtags_are_marked_and_everything_else_escaped() -> None:
    shown = with_hashtags("<b>Kerja bakti</b> & #GotongRoyong, R&#39 #Desa_1")
    assert str(shown) == (
        '&lt;b&gt;Kerja bakti&lt;/b&gt; &amp; <span class="tag">#GotongRoyong</span>, '
        'R&amp;#39 <span class="tag">#Desa_1</span>'
    )


def _post(**fields: str) -> Post:
    where = Location("calendar.yaml")
    return Post(id="kerja-bakti", loc=where, accounts=(), schedule=Schedule(), **fields)  # type: ignore[arg-type]


def test_a_picture_is_described_by_the_posts_title_holiday_or_first_words(indonesian: None) -> None:
    assert alt_text(_post(title="Kerja bakti RW 01"), None, "Teks") == "Kerja bakti RW 01"
    assert alt_text(_post(), "Hari Raya Natal", "Teks") == "Ucapan Hari Raya Natal"
    caption = "\n📢 PENGUMUMAN\n\nKerja bakti"
    assert alt_text(_post(), None, caption) == "📢 PENGUMUMAN"
    long = "Kerja bakti " * 20
    assert alt_text(_post(), None, long) == ("Kerja bakti " * 8).strip() + " …"
    assert alt_text(_post(), None, None) == "kerja-bakti"


def test_a_moment_is_written_as_an_indonesian_announcement_writes_it(indonesian: None) -> None:
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert moment_long(monday) == "Senin, 7 Desember 2026, 09.00 WIB"


POSTS = """\
  - {id: senin, rrule: "FREQ=WEEKLY;BYDAY=MO", from: 2026-11-02, time: "09:00",
     caption: Layanan, accounts: [fb-desa]}
"""
NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)


def test_the_strip_counts_what_went_out_around_this_week(
    write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    calendar = load_calendar(write_calendar(calendar_text(timezone="Asia/Jakarta", posts=POSTS)))
    (fb, ig) = rhythm_strips(calendar, None, NOW)
    assert (fb.account, ig.account) == ("fb-desa", "ig-desa")
    assert len(fb.weeks) == 25
    assert [w.when for w in fb.weeks[11:14]] == ["past", "now", "next"]
    assert fb.weeks[12].monday == date(2026, 12, 7)
    # Without a history every Monday from 2 November counts; before it, nothing.
    assert [w.posts for w in fb.weeks[:12]] == [0] * 7 + [1] * 5
    assert fb.below == 7 and ig.below == 25

    store = open_store(sqlite_url(tmp_path / "jadwal.db"))
    set_created_at(store, datetime(2026, 11, 1, tzinfo=UTC))
    found = {o.key: o for o in expand(calendar, date(2026, 11, 1), date(2026, 12, 31))}
    store.claim_new(new_row(found["senin/fb-desa/20261123T0200Z"], NOW, State.FAILED))
    store.claim_new(new_row(found["senin/fb-desa/20261130T0200Z"], NOW, State.PUBLISHED))
    (fb, _) = rhythm_strips(calendar, store, NOW)
    # 2, 9, 16 November and 7 December: no record though the history existed (missed);
    # 23 November failed; 30 November went out; 14 December is still to come.
    assert [w.posts for w in fb.weeks[7:14]] == [0, 0, 0, 0, 1, 0, 1]
