"""``jadwal daemon`` as a child process, its output collected line by line as it comes, and the
small calendar of two Facebook pages that the daemon tests publish (in dry run) to."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


class DaemonProcess:
    def __init__(self, argv: Sequence[str], cwd: Path) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.process.stdout is not None
        self.reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self.reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))

    def output(self) -> str:
        return "\n".join(self.lines)

    def exited(self) -> bool:
        return self.process.poll() is not None

    def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """True as soon as ``predicate`` holds; stops waiting early if the daemon exits."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return True
            if self.exited():
                self.reader.join(5)  # its last lines
                return predicate()
            time.sleep(0.1)
        return predicate()

    def stop(self) -> int:
        """SIGTERM (SIGKILL after 20 s); the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(10)
        assert self.process.stdout is not None
        self.process.stdout.close()
        return self.process.returncode


def two_pages_calendar(moments: list[datetime], accounts: str = "fb, fb2", extra: str = "") -> str:
    """One post ``p{i}`` at each moment, on both Facebook pages unless ``accounts`` says."""
    posts = "".join(
        f"  - id: p{i}\n    at: '{m.astimezone(JAKARTA).isoformat()}'\n    caption: Halo {i}\n"
        for i, m in enumerate(moments)
    )
    return (
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  fb: {platform: facebook, page_id: '1', token: '${FB_TOKEN}'}\n"
        "  fb2: {platform: facebook, page_id: '2', token: '${FB_TOKEN}'}\n"
        f"defaults: {{accounts: [{accounts}]}}\nrules: {{min_posts_per_week: 0}}\n"
        f"posts:\n{posts}{extra}"
    )


def dry_run_files(calendar: Path) -> list[Path]:
    """What a dry-run daemon "published": one text file per publication."""
    return sorted((calendar.parent / ".jadwal" / "dryrun").rglob("*.txt"))
