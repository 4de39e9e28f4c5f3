"""The browser the site and report tests rely on: it sees what a person would, and it notices
a page that reaches outside its folder or breaks in the console."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import Browser

pytestmark = pytest.mark.browser


def test_a_page_from_its_folder_is_read_and_requests_outside_it_are_recorded(
    browser: Browser, tmp_path: Path
) -> None:
    (tmp_path / "style.css").write_text("h1 { color: rgb(1, 2, 3); }", encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text(
        '<!doctype html><html lang="id"><head><link rel="stylesheet" href="style.css">'
        '<link rel="stylesheet" href="https://cdn.example.invalid/x.css"></head>'
        "<body><h1>Desember 2026</h1><script>console.error('rusak')</script></body></html>",
        encoding="utf-8",
    )
    opened = browser.open(page)
    heading = opened.page.locator("h1")
    assert heading.inner_text() == "Desember 2026"
    assert heading.evaluate("e => getComputedStyle(e).color") == "rgb(1, 2, 3)"
    assert opened.outside_requests == ["https://cdn.example.invalid/x.css"]
    assert opened.console_errors == ["Failed to load resource: net::ERR_FAILED", "rusak"]
