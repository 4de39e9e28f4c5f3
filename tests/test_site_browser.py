"""The site in Debian's headless Chromium, opened from ``file://`` as an office would open the
folder: what a person sees, that nothing is fetched from outside the folder, that nothing
breaks in the console, and the two screenshots the docs show (docs/img/site-*.png)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from scheduler import i18n
from scheduler.calendar import load_calendar
from scheduler.site.build import write_site
from tests.browser import Browser, Opened
from tests.conftest import ROOT, WriteCalendar
from tests.helpers import calendar_text

pytestmark = pytest.mark.browser

NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)  # Thursday 10 December, 10.00 in Jakarta
MONDAY = "post/info-layanan-senin-20261207T020000Z.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped calendar's site from November 2026 to January 2027, in the calendar's
    language (``language: id``), as the office gets it."""
    out = tmp_path_factory.mktemp("situs")
    with pytest.MonkeyPatch.context() as environment:
        environment.delenv("JADWAL_LANG", raising=False)
        calendar = load_calendar(ROOT / "calendar.yaml")
        try:
            assert i18n.language() == "id"
            write_site(calendar, out, date(2026, 11, 1), date(2027, 1, 31), None, NOW)
        finally:
            i18n.set_language("en")
    return out


def opened_cleanly(browser: Browser, site: Path, name: str, **size: int) -> Opened:
    opened = browser.open(site / name, folder=site, **size)
    assert opened.console_errors == []
    assert opened.outside_requests == []
    return opened


def test_the_december_page_shows_each_post_on_its_day(browser: Browser, site: Path) -> None:
    opened = opened_cleanly(browser, site, "2026-12.html", width=1280, height=900)
    page = opened.page
    assert page.locator("h1").inner_text() == "Desember 2026"

    def entries(day: str) -> list[str]:
        return page.locator(f'td:has(time[datetime="{day}"]) .entry').all_inner_texts()

    assert entries("2026-12-05") == ["○ 08.00 posyandu-bulanan terjadwal"]
    assert entries("2026-12-07") == ["○ 09.00 info-layanan-senin terjadwal"]
    assert entries("2026-12-08") == ["○ 10.00 musdes-rkp-2027 terjadwal"]
    assert entries("2026-12-13") == ["○ 16.00 kerja-bakti-desember terjadwal"]
    assert entries("2026-12-20") == ["✎ 09.00 rekap-bansos draf"]
    assert entries("2026-12-25") == ["○ 07.00 Hari Raya Natal terjadwal"]
    assert entries("2026-12-09") == []
    natal = page.locator('td:has(time[datetime="2026-12-25"]) .holiday-name')
    assert natal.inner_text() == "Hari Raya Natal"
    ibu = page.locator('td:has(time[datetime="2026-12-22"]) .observance')
    assert ibu.inner_text() == "Hari Ibu"
    headers = page.locator("table.grid thead th[scope=col]").all_inner_texts()
    assert headers == ["Minggu", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
    opened.screenshot(ROOT / "docs" / "img" / "site-month.png")


def test_states_differ_by_colour_and_also_by_symbol_and_word(browser: Browser, site: Path) -> None:
    page = opened_cleanly(browser, site, "2026-12.html").page
    legend = page.locator(".legend .state")
    assert legend.all_inner_texts() == [
        "○ terjadwal",
        "✓ terbit",
        "✗ gagal",
        "! terlewat",
        "✎ draf",
    ]
    colours = legend.evaluate_all("els => els.map(e => getComputedStyle(e).color)")
    assert len(set(colours)) == 5


def test_the_keyboard_reaches_every_link_and_shows_where_it_is(
    browser: Browser, site: Path
) -> None:
    page = opened_cleanly(browser, site, "2026-12.html").page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Langsung ke isi"
    for _ in range(2):  # the site's name, then the first month
        page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.textContent, getComputedStyle(document.activeElement)"
        ".outlineStyle]"
    )
    assert focused == ["November 2026", "solid"]


def test_a_post_page_shows_the_instagram_card_with_its_pictures_and_caption(
    browser: Browser, site: Path
) -> None:
    opened = opened_cleanly(browser, site, MONDAY, width=1280, height=900)
    page = opened.page
    card = page.locator("article.ig")
    slides = card.locator(".slides img")
    assert slides.count() == 2
    loaded = slides.evaluate_all("els => els.map(e => e.complete && e.naturalWidth)")
    assert loaded == [640, 640]
    assert card.locator(".dots span").count() == 2
    assert slides.first.get_attribute("alt") == "ℹ️ SOP LAYANAN: Perekaman KTP-el (gambar 1 dari 2)"
    caption = card.locator(".caption")
    assert caption.locator(".text").first.inner_text() == (
        "ℹ️ SOP LAYANAN: Perekaman KTP-el\n\nPersyaratan:"
    )
    rest = caption.locator("details .text")
    assert not rest.is_visible()
    caption.locator("summary").click()  # "… selengkapnya", as in the app
    assert rest.is_visible() and "Biaya: Gratis" in rest.inner_text()
    assert card.locator(".tags .tag").all_inner_texts() == ["#DesaSukamaju", "#InfoDesa"]
    grid = page.locator(".grid-tile img")
    assert grid.evaluate("e => [e.naturalWidth, e.naturalHeight]") == [240, 320]
    facebook = page.locator("article.fb")
    assert facebook.locator(".photos .row.n2 .tile img").count() == 2
    assert "Biaya: Gratis" in facebook.locator(".text").inner_text()
    caption.locator("summary").evaluate("e => e.parentElement.open = false")
    opened.screenshot(ROOT / "docs" / "img" / "site-post.png")


def test_the_list_fits_a_phone(browser: Browser, site: Path) -> None:
    page = opened_cleanly(browser, site, "2026-12-daftar.html", width=390, height=800).page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator("ul.list .entry").first
    assert first.inner_text() == "○ 08.00 posyandu-bulanan terjadwal"
    assert first.is_visible()


def test_a_printed_month_leaves_out_the_navigation(browser: Browser, site: Path) -> None:
    page = opened_cleanly(browser, site, "2026-12.html").page
    page.emulate_media(media="print")
    assert not page.locator("nav.months").is_visible()
    assert page.locator("table.grid").is_visible()


def test_the_index_opens_this_months_page(browser: Browser, site: Path) -> None:
    opened = browser.open(site / "index.html", folder=site)
    opened.page.wait_for_url("**/2026-12.html")
    assert opened.page.locator("h1").inner_text() == "Desember 2026"
    assert opened.console_errors == [] and opened.outside_requests == []


def test_a_script_in_a_caption_is_shown_and_never_runs(
    browser: Browser, write_calendar: WriteCalendar, tmp_path: Path
) -> None:
    posts = (
        "  - {id: jahil, at: 2026-12-09 09:00, accounts: [fb-desa],\n"
        '     caption: "<script>alert(1)</script><img src=x onerror=alert(2)>"}\n'
    )
    path = write_calendar(calendar_text(timezone="Asia/Jakarta", posts=posts))
    out = tmp_path / "situs"
    write_site(load_calendar(path), out, date(2026, 12, 1), date(2026, 12, 31), None, NOW)
    dialogs: list[str] = []
    opened = browser.open(out / "post" / "jahil-20261209T020000Z.html", folder=out)
    opened.page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    text = opened.page.locator("article.fb .text").inner_text()
    assert text == "<script>alert(1)</script><img src=x onerror=alert(2)>"
    assert dialogs == [] and opened.console_errors == [] and opened.outside_requests == []
