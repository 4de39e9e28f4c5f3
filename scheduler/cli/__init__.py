"""The ``jadwal`` command line, a thin layer over ``scheduler.commands``.

``app`` parses the command line and calls one command function; ``boundary`` turns what comes
out into the exit code. Each command's module is imported when the command runs, so
``--help``, ``check`` and ``preview`` never load SQLAlchemy, APScheduler or the platform SDKs.
"""

from __future__ import annotations

import gc
import sys

from scheduler import i18n
from scheduler.cli.app import app, app_for
from scheduler.cli.boundary import outcome

__all__ = ["app", "main", "run"]


# A command is a short process that allocates much and frees nearly all of it by reference
# counting; looking for cycles every 700 new objects (Python's default) took about a tenth of
# a year's site or a month's report (docs/performance.md). ``jadwal daemon``, which runs for
# months, sets the default back (``commands.publish.daemon``).
COMMAND_GC = (50_000, 20, 20)


def run(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv``) and return its exit code."""
    args = sys.argv[1:] if argv is None else argv
    gc.set_threshold(*COMMAND_GC)

    def command() -> object:
        # The environment's language until a calendar is read (a wrong JADWAL_LANG: exit 2).
        i18n.use_environment()
        return app_for(args)(args=args, prog_name="jadwal", standalone_mode=False)

    return outcome(command)


def main() -> None:
    sys.exit(run())
