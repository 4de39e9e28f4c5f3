"""``jadwal backup FILE``: a consistent copy of the history while the daemon runs."""

from __future__ import annotations

from pathlib import Path

from scheduler.backup import backup as copy_database
from scheduler.commands import EXIT_OK
from scheduler.i18n import ngettext
from scheduler.runtime import Options


def backup(options: Options, target: Path) -> int:
    done = copy_database(options.url, target)
    line = ngettext(
        "backed up {source} to {target}: {count} publication, {mb} MB",
        "backed up {source} to {target}: {count} publications, {mb} MB",
        done.publications,
    )
    mb = f"{done.size / 1_000_000:.1f}"
    print(line.format(source=done.source, target=done.target, count=done.publications, mb=mb))
    return EXIT_OK
