"""A real headless browser for the pages people look at (the site, the report).

Debian's Chromium, driven by Playwright (``.ci/run`` installs ``chromium`` when it is missing).
A test that needs it fails when it is not there: a page nobody opened is not tested.
Every page opened through :class:`Browser` records its console errors and every request that
leaves the folder it was opened from, so a test can assert that a page works offline.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Route,
    sync_playwright,
)

CHROMIUM_NAMES = ("chromium", "chromium-browser")


def chromium_path() -> str:
    """The Chromium to drive: $JADWAL_CHROMIUM_PATH, else Debian's on the PATH."""
    wanted = os.environ.get("JADWAL_CHROMIUM_PATH")
    if wanted:
        return wanted
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "no Chromium for the browser tests: install Debian's chromium package "
        "(.ci/run does) or set JADWAL_CHROMIUM_PATH"
    )


@dataclass
class Opened:
    """A page opened from a folder, with what went wrong while it loaded."""

    page: Page
    folder: Path
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def screenshot(self, target: Path, *, full_page: bool = True) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(target), full_page=full_page)
        return target


class Browser:
    def __init__(self, playwright: Playwright) -> None:
        self._browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            # Containers run tests as root, where Chromium's sandbox cannot start.
            args=["--no-sandbox"],
        )

    def open(
        self, path: Path, *, width: int = 1280, height: int = 900, folder: Path | None = None
    ) -> Opened:
        """Open ``path`` as ``file://`` in a fresh page; a request outside ``folder`` (by
        default the file's own: a site's page in a subfolder names the site's) is refused."""
        page = self._browser.new_page(viewport={"width": width, "height": height})
        opened = Opened(page=page, folder=(folder or path.parent).resolve())
        root = opened.folder.as_uri()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error":
                opened.console_errors.append(message.text)

        def request(route: Route, req: Request) -> None:
            # Recorded and refused: a test page never reaches the network.
            if req.url.startswith(root) or req.url.startswith(("data:", "about:", "blob:")):
                route.continue_()
            else:
                opened.outside_requests.append(req.url)
                route.abort()

        page.on("console", console)
        page.on("pageerror", lambda exc: opened.console_errors.append(str(exc)))
        page.route("**/*", request)
        page.goto(path.resolve().as_uri())
        return opened

    def close(self) -> None:
        self._browser.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        opened = Browser(playwright)
        try:
            yield opened
        finally:
            opened.close()
