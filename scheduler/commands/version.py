"""``jadwal version``."""

from __future__ import annotations

from scheduler import __version__
from scheduler.commands import EXIT_OK


def version() -> int:
    print(f"jadwal {__version__}")
    return EXIT_OK
