"""``jadwal backup FILE``: a consistent copy of the history while the daemon runs."""

from __future__ import annotations

from pathlib import Path

from scheduler.backup import backup as copy_database
from scheduler.commands import EXIT_OK, plural
from scheduler.runtime import Options


def backup(options: Options, target: Path) -> int:
    done = copy_database(options.url, target)
    print(
        f"backed up {done.source} to {done.target}: "
        f"{plural(done.publications, 'publication')}, {done.size / 1_000_000:.1f} MB"
    )
    return EXIT_OK
