"""Calendars for tests: the text they start with, a folder to write them in, and real
videos to put in it; and the small waits and store edits that tests on real time and
threads share."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.platforms.frames import find_ffmpeg
from tests.conftest import ROOT

if TYPE_CHECKING:
    from scheduler.store import Store

# A village office's two accounts, each written as ``name: {...}``.
DESA = {
    "fb-desa": 'platform: facebook, page_id: "1"',
    "ig-desa": 'platform: instagram, ig_user_id: "2"',
}
FB = {"fb": "platform: facebook, page_id: '1'"}


def calendar_text(
    *,
    accounts: Mapping[str, str] = DESA,
    timezone: str | None = None,
    defaults: str | None = "fb-desa",
    **sections: str | None,
) -> str:
    """``version: 1``, the time zone, the accounts and ``defaults``, then ``sections`` in order.

    A section is a one-line value (``posts="[]"``) or indented lines ending with a newline
    (``posts="  - id: a\\n"``); ``None`` leaves it out, as ``None`` does for the zone and the
    default accounts.
    """
    text = "version: 1\n"
    if timezone is not None:
        text += f"timezone: {timezone}\n"
    text += "accounts:\n" + "".join(f"  {name}: {{{spec}}}\n" for name, spec in accounts.items())
    if defaults is not None:
        text += f"defaults: {{accounts: [{defaults}]}}\n"
    for key, value in sections.items():
        if value is not None:
            text += f"{key}:\n{value}" if value.endswith("\n") else f"{key}: {value}\n"
    return text


def calendar_folder(path: Path) -> Path:
    """``path`` with the shipped templates and media, ready for a calendar to be written in."""
    shutil.copytree(ROOT / "templates", path / "templates")
    shutil.copytree(ROOT / "media", path / "media")
    return path


def wait_until(predicate: Callable[[], bool], seconds: float = 10) -> bool:
    """True as soon as ``predicate`` holds, False if it still doesn't after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def set_created_at(store: Store, moment: datetime) -> None:
    """A test that holds its own clock has its new database born at the clock's moment."""
    from sqlalchemy import text

    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE meta SET value = :v WHERE name = 'created_at'"), {"v": moment.isoformat()}
        )


VIDEO_SIZE = (180, 320)  # 9:16, as reels and stories are


@cache
def real_mp4(seconds: int = 4) -> bytes:
    """A real H.264 MP4 (ffmpeg's test pattern, 9:16, index at the front), made once a run:
    what a phone exports, decodable by ffmpeg and by instagrapi's MP4 reader."""
    ffmpeg = find_ffmpeg()
    assert ffmpeg, "the tests need ffmpeg (imageio-ffmpeg is a dev dependency)"
    width, height = VIDEO_SIZE
    source = f"testsrc=duration={seconds}:size={width}x{height}:rate=10"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "video.mp4"
        command = [ffmpeg, "-v", "error", "-f", "lavfi", "-i", source, "-c:v", "libx264"]
        command += ["-pix_fmt", "yuv420p", "-movflags", "+faststart", "-y", str(path)]
        subprocess.run(command, check=True, capture_output=True)
        return path.read_bytes()
