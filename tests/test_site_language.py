"""``jadwal site`` speaks the operator's language, as every other view does: the shipped
calendar says ``language: id`` and its site is Indonesian; a calendar that says ``language: en``
gets an English site; a site written again in the other language is drawn again, every page."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from html import unescape
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

import scheduler
from scheduler import i18n
from scheduler.calendar import load_calendar
from scheduler.site import prints
from scheduler.site.build import write_site
from tests.conftest import ROOT
from tests.helpers import calendar_folder

NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)  # Thursday 10 December, 10.00 in Jakarta
DECEMBER = date(2026, 12, 1), date(2026, 12, 31)
MONDAY = "post/info-layanan-senin-20261207T020000Z.html"
CHRISTMAS = "post/hari-besar-2026-12-25-20261225T000000Z.html"


def words(html: str) -> str:
    """The page's words, tags dropped and spaces collapsed, as a reader meets them."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def attributes(html: str, name: str) -> list[str]:
    """Every value of the attribute ``name`` (alt, aria-label, title), in page order."""
    return [unescape(value) for value in re.findall(rf'\b{name}="([^"]*)"', html)]


def read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


@pytest.fixture
def calendar_speaks(monkeypatch: pytest.MonkeyPatch) -> None:
    """No JADWAL_LANG (the suite's English): the calendar's ``language`` decides."""
    monkeypatch.delenv("JADWAL_LANG")


def shipped_in(language: str, folder: Path) -> Path:
    """The shipped calendar, with its templates and media, saying ``language: <language>``."""
    text = (ROOT / "calendar.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: id " in text
    path = calendar_folder(folder) / "calendar.yaml"
    path.write_text(text.replace("\nlanguage: id ", f"\nlanguage: {language} "), "utf-8")
    return path


def site_of(path: Path, out: Path, language: str) -> Path:
    calendar = load_calendar(path)  # as the command reads it: its language with it
    assert i18n.language() == language
    write_site(calendar, out, *DECEMBER, None, NOW)
    return out


def test_the_shipped_calendars_site_is_indonesian(calendar_speaks: None, tmp_path: Path) -> None:
    out = site_of(ROOT / "calendar.yaml", tmp_path / "situs", "id")
    month = read(out, "2026-12.html")
    assert '<html lang="id">' in month
    text = words(month)
    assert text.startswith(
        "Desember 2026 · Kalender publikasi Langsung ke isi Kalender publikasi "
        "Semua waktu dalam WIB (Asia/Jakarta) Desember 2026 Desember 2026 Lihat sebagai daftar "
    )
    assert (
        "○ terjadwal ✓ terbit ✗ gagal ! terlewat ✎ draf ⚠ minggu di bawah aturan "
        "Unggahan Desember 2026, minggu demi minggu (Senin sampai Minggu); aturan: minimal 1 "
        "unggahan per minggu per akun Minggu Sen Sel Rab Kam Jum Sab Min"
    ) in text
    assert "7 ○ 09.00 info-layanan-senin terjadwal fb-desa, ig-desa" in text
    assert "20 ✎ 09.00 rekap-bansos draf fb-desa, ig-desa" in text
    assert "Ritme mingguan per akun Dua belas minggu terakhir, minggu ini," in text
    assert "Jumlah unggahan per minggu: ✓ cukup, ⚠ kurang Akun" in text
    assert attributes(month, "aria-label")[:2] == ["Bulan", "Arti tanda"]
    assert "Minggu 50, mulai Senin, 7 Desember 2026 (minggu ini)" in attributes(month, "title")

    post = read(out, MONDAY)
    assert '<html lang="id">' in post
    text = words(post)
    assert (
        "info-layanan-senin Senin, 7 Desember 2026, 09.00 WIB Status ○ terjadwal "
        "Unggahan info-layanan-senin Jenis unggahan feed, kategori sop Akun fb-desa, ig-desa "
        "Hasil jadwal check ✓ Tidak ada masalah. fb-desa Facebook ○ terjadwal"
    ) in text
    assert "… selengkapnya" in text and "Tagar: #DesaSukamaju #InfoDesa" in text
    assert "Di petak profil (3:4) Teks lengkap untuk ig-desa" in text
    assert "ℹ️ SOP LAYANAN: Perekaman KTP-el (gambar 1 dari 2)" in attributes(post, "alt")
    labels = attributes(post, "aria-label")
    assert "Seperti tampil di Instagram" in labels and "Carousel, 2 gambar" in labels
    assert "Ucapan Hari Raya Natal" in attributes(read(out, CHRISTMAS), "alt")
    assert "Hari Raya Natal Jumat, 25 Desember 2026, 07.00 WIB" in words(read(out, CHRISTMAS))


def test_a_calendar_in_english_gets_an_english_site(calendar_speaks: None, tmp_path: Path) -> None:
    out = site_of(shipped_in("en", tmp_path / "calendar"), tmp_path / "site", "en")
    month = read(out, "2026-12.html")
    assert '<html lang="en">' in month
    text = words(month)
    assert text.startswith(
        "December 2026 · Publication calendar Skip to the content Publication calendar "
        "All times in WIB (Asia/Jakarta) December 2026 December 2026 See as a list "
    )
    assert (
        "○ planned ✓ published ✗ failed ! missed ✎ draft ⚠ a week below the rule "
        "Posts of December 2026, week by week (Monday to Sunday); the rule: at least 1 "
        "post a week per account Week Mon Tue Wed Thu Fri Sat Sun"
    ) in text
    assert "7 ○ 09:00 info-layanan-senin planned fb-desa, ig-desa" in text
    assert "20 ✎ 09:00 rekap-bansos draft fb-desa, ig-desa" in text
    assert "Weekly rhythm per account The last twelve weeks, this week and the next" in text
    assert "Posts per week: ✓ enough, ⚠ too few Account" in text
    assert attributes(month, "aria-label")[:2] == ["Months", "What the signs mean"]
    assert "Week 50, from Monday, 7 December 2026 (this week)" in attributes(month, "title")

    post = read(out, MONDAY)
    assert '<html lang="en">' in post
    text = words(post)
    assert (
        "info-layanan-senin Monday, 7 December 2026, 09:00 WIB State ○ planned "
        "Post info-layanan-senin Kind feed, category sop Accounts fb-desa, ig-desa "
        "What jadwal check says ✓ No problems. fb-desa Facebook ○ planned"
    ) in text
    assert "… more" in text and "Hashtags: #DesaSukamaju #InfoDesa" in text
    assert "In the profile grid (3:4) The whole caption for ig-desa" in text
    assert "ℹ️ SOP LAYANAN: Perekaman KTP-el (picture 1 of 2)" in attributes(post, "alt")
    labels = attributes(post, "aria-label")
    assert "As shown on Instagram" in labels and "Carousel of 2 pictures" in labels
    assert "Greeting for Hari Raya Natal" in attributes(read(out, CHRISTMAS), "alt")
    assert "Hari Raya Natal Friday, 25 December 2026, 07:00 WIB" in words(read(out, CHRISTMAS))
    # The caption is the office's own text, in Indonesian whatever the operator reads.
    assert "Waktu layanan: Senin–Jumat, 08.00–14.00 WIB" in text


def test_a_site_written_again_in_indonesian_is_drawn_again_every_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = calendar_folder(tmp_path / "calendar") / "calendar.yaml"
    shutil.copy(ROOT / "calendar.yaml", path)
    calendar = load_calendar(path)  # JADWAL_LANG=en (the suite's): English first
    out = tmp_path / "site"
    first = write_site(calendar, out, *DECEMBER, None, NOW)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    english = {name: read(out, name) for name in pages}
    assert all('<html lang="en">' in page for page in english.values())

    monkeypatch.setenv("JADWAL_LANG", "id")
    calendar = load_calendar(path)
    assert i18n.language() == "id"
    again = write_site(calendar, out, *DECEMBER, None, NOW)
    # Every page with a fingerprint (all but index.html, written each run) is drawn again.
    assert again.drawn == first.drawn == len(pages) - 1
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == pages
    for name in pages:
        page = read(out, name)
        assert page != english[name], name
        assert '<html lang="id">' in page and "Kalender publikasi" in page, name
        assert "Publication calendar" not in page, name


def test_the_site_and_report_templates_words_are_extracted_for_the_catalog(
    tmp_path: Path,
) -> None:
    """``make messages`` (babel.cfg) finds the templates' ``_()`` and ``ngettext()``."""
    pot = tmp_path / "jadwal.pot"
    arguments = ["pybabel", "--quiet", "extract", "-F", str(ROOT / "babel.cfg")]
    CommandLineInterface().run([*arguments, "--no-location", "-o", str(pot), str(ROOT)])
    with pot.open("rb") as source:
        extracted = read_po(source)
    assert extracted.get("Skip to the content") is not None  # base.html
    assert extracted.get("What <code>jadwal check</code> says") is not None  # post.html
    assert extracted.get("(%(num)d post)") is not None  # index.html, a plural
    assert extracted.get("Every post of the month") is not None  # the report's template


def test_a_changed_catalog_draws_every_page_again(tmp_path: Path) -> None:
    """A translation corrected in the catalog is on every page: the catalog is part of what
    draws the pages (``prints.CODE``)."""
    root = tmp_path / "scheduler"
    shutil.copytree(Path(scheduler.__file__).parent, root, ignore=shutil.ignore_patterns("*.pyc"))
    before = prints.code_digest(root)
    catalog = root / "locale" / "id" / "LC_MESSAGES" / "jadwal.mo"
    catalog.write_bytes(catalog.read_bytes() + b"\0")
    assert prints.code_digest(root) != before
