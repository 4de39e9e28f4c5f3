"""The HTML report in Debian's headless Chromium, opened from ``file://`` as the supervisor
would open it: it shows the month, needs nothing outside the file, prints to A4 (``page.pdf``)
and gives the screenshot docs/report.md shows (docs/img/report.png)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scheduler import cli
from scheduler.commands import report as report_command
from tests.browser import Browser
from tests.conftest import ROOT, WriteCalendar
from tests.reportdata import CALENDAR, NOW, december

pytestmark = pytest.mark.browser

A4_POINTS = (595, 842)  # 210 × 297 mm at 72 points to the inch, as PDF measures a page


@pytest.fixture
def report(write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(report_command, "now", lambda: NOW)
    calendar = write_calendar(CALENDAR)
    december(calendar)
    out = calendar.parent / "laporan.html"
    assert cli.run(["report", str(calendar), "--month", "2026-12", "--out", str(out)]) == 0
    return out


def test_the_report_opens_offline_prints_on_a4_and_is_shown_in_the_docs(
    browser: Browser, report: Path
) -> None:
    opened = browser.open(report, width=1100, height=900)
    page = opened.page
    assert page.locator("h1").inner_text() == "Monthly social media report"
    assert page.locator(".masthead .office").inner_text() == "PEMERINTAH DESA SUKAMAJU"
    assert page.locator(".masthead .month").inner_text() == "December 2026"
    total = page.locator("table.counts tr.total").inner_text().split("\t")
    assert [cell.strip() for cell in total] == [
        "all accounts", "14", "5", "1", "1", "2", "3", "1", "1", "2",
    ]  # fmt: skip
    assert page.locator("section.rhythm svg").count() == 2
    signers = page.locator(".signatures .who").all_inner_texts()
    assert signers == ["Siti Aminah, Pranata Humas", "Drs. Budi Santoso, Kepala Bidang IKP"]
    assert opened.console_errors == []
    assert opened.outside_requests == []
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    assert _a4_box(pdf)
    opened.screenshot(ROOT / "docs" / "img" / "report.png")


def _a4_box(pdf: bytes) -> bool:
    """Chromium writes each page's size as ``/MediaBox [0 0 594.96 841.92]``: A4 in points."""
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    return bool(boxes) and all(
        abs(float(w) - A4_POINTS[0]) < 1.5 and abs(float(h) - A4_POINTS[1]) < 1.5 for w, h in boxes
    )


def test_in_indonesian_the_report_is_the_one_the_operators_guide_shows(
    browser: Browser, write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A calendar with ``language: id`` gets its report in Indonesian, numbers written the
    Indonesian way; its screenshot is the one docs/panduan.md shows (docs/img/laporan.png)."""
    monkeypatch.setattr(report_command, "now", lambda: NOW)
    monkeypatch.delenv("JADWAL_LANG")  # the tests speak English unless told: here the calendar
    calendar = write_calendar(CALENDAR.replace("version: 1\n", "version: 1\nlanguage: id\n"))
    december(calendar)
    out = calendar.parent / "laporan.html"
    assert cli.run(["report", str(calendar), "--month", "2026-12", "--out", str(out)]) == 0
    opened = browser.open(out, width=1100, height=900)
    page = opened.page
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("h1").inner_text() == "Laporan bulanan media sosial"
    assert page.locator(".masthead .month").inner_text() == "Desember 2026"
    total = page.locator("table.counts tr.total").inner_text().split("\t")
    assert total[0].strip() == "semua akun"
    assert "1.200 → 1.290 (+90)" in page.locator("body").inner_text()
    made = page.locator(".made").inner_text()
    assert made.startswith("Dibuat Minggu, 20 Desember 2026, 10.00 (Asia/Jakarta)")
    assert "Sel 1 Des 09.00" in page.locator("table.list").inner_text()
    assert opened.console_errors == []
    assert opened.outside_requests == []
    opened.screenshot(ROOT / "docs" / "img" / "laporan.png")


def test_a_rehearsals_report_says_so_at_its_top_on_screen_and_on_paper(
    browser: Browser, write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``report --dry-run`` on an Indonesian office's rehearsals: its page opens with the
    dashed box that says nothing in it was published (docs/img/laporan-uji-coba.png)."""
    monkeypatch.setattr(report_command, "now", lambda: NOW)
    monkeypatch.delenv("JADWAL_LANG")
    calendar = write_calendar(CALENDAR.replace("version: 1\n", "version: 1\nlanguage: id\n"))
    tick = ["tick", str(calendar), "--dry-run", "--now", "2026-12-07 08:00"]
    assert cli.run(tick) == 0
    assert cli.run(["report", str(calendar), "--month", "2026-12", "--dry-run"]) == 0
    out = calendar.parent / "reports" / "laporan-2026-12-uji-coba.html"
    opened = browser.open(out, width=1100, height=420)
    page = opened.page
    box = page.locator(".masthead .rehearsal")
    assert box.inner_text() == (
        "Uji coba: dibuat dari riwayat uji coba (jadwal tick --dry-run); tidak ada isi laporan "
        "ini yang benar-benar diterbitkan"
    )
    assert box.evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
    assert page.title().startswith("Uji coba · Laporan bulanan media sosial · Desember 2026")
    page.emulate_media(media="print")
    assert box.is_visible()  # the printed page says it too
    page.emulate_media(media="screen")
    assert opened.console_errors == []
    assert opened.outside_requests == []
    opened.screenshot(ROOT / "docs" / "img" / "laporan-uji-coba.png", full_page=False)
