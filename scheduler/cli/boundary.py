"""The one place that turns what escapes a command into jadwal's exit code.

A command returns its own outcome (0, 1, or 2 when a publication failed); whatever it raises
ends here, most specific first::

    CalendarError             every problem, then a pointer to 'jadwal check'    exit 1
    DatabaseUrlError          'jadwal: error: MESSAGE' (--db is wrong)           exit 2
    LanguageError             'jadwal: error: MESSAGE' (JADWAL_LANG is wrong)    exit 2
    MonthError                'jadwal: error: --month: …' (report)               exit 1
    JadwalError               'jadwal: error: MESSAGE' (the user can fix it)     exit 1
    Abort, KeyboardInterrupt  'jadwal: interrupted'                              exit 130
    a usage error (Typer)     Click's message, with the usage line               exit 2
    Exit                      the code it carries
    BrokenPipeError           nothing more: the reader has gone ('| head')       0, or the code
                              (also when Typer or rich made it their exit 1)     of a command
                                                                                 that finished
    anything else             a bug: one line, and the traceback appended to a  exit 3
                              crash log with every known secret blanked out

A reader that stops reading is not a failure: it took what it wanted. So a closed pipe ends
with 0, not with the 1 of Python's documentation (1 says "a problem you can fix") nor the 141
of a program killed by SIGPIPE (not in the README's table, and under ``set -o pipefail`` it
would fail every script that reads the first lines of ``jadwal history``). When only the
output still buffered at the end is lost, the command had finished and its own code stands:
``jadwal check`` still exits 1 for errors.

The prefixes ``jadwal: error:`` and ``FILE:LINE:COL: error:`` stay in English in every
language, for the problem matchers of editors and CI; the message after them is translated.

The codes themselves are in ``scheduler.commands``, because the commands return them too.
"""

from __future__ import annotations

import contextlib
import os
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from scheduler import __version__
from scheduler.cli import translated
from scheduler.cli.options import calendar_path
from scheduler.commands import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_USER,
    print_problems,
)
from scheduler.errors import (
    CalendarError,
    DatabaseUrlError,
    JadwalError,
    LanguageError,
    MonthError,
)
from scheduler.i18n import _, ngettext
from scheduler.secrets import scrub, secret_values


def outcome(command: Callable[[], object]) -> int:
    """Run ``command`` and return its exit code; a reader that has gone (``| head``) ends it
    quietly, with the command's own code when it had finished, else 0."""
    code = EXIT_OK
    try:
        code = _exit_code(command)
        sys.stdout.flush()  # here, not at exit, where Python would complain of the closed pipe
    except BrokenPipeError:
        stop_writing()
    except SystemExit as exc:
        # Typer and rich meet a closed pipe with an exit 1 of their own: the choice is ours.
        if not isinstance(exc.__context__, BrokenPipeError):
            raise
        stop_writing()
    return code


def _exit_code(command: Callable[[], object]) -> int:
    try:
        result = command()
    except CalendarError as exc:
        print_problems(exc.problems, sys.stderr)
        errors = sum(p.is_error for p in exc.problems)
        summary = ngettext(
            "the calendar has {count} error; run 'jadwal check' for details",
            "the calendar has {count} errors; run 'jadwal check' for details",
            errors,
        )
        print(f"jadwal: {summary.format(count=errors)}", file=sys.stderr)
        return EXIT_USER
    except (DatabaseUrlError, LanguageError) as exc:
        print(f"jadwal: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (MonthError, JadwalError) as exc:
        # A month that is no month is the user's to fix, as a wrong file is (exit 1), though
        # it was typed on the command line: the report's --month is read by the command.
        print(f"jadwal: error: {exc}", file=sys.stderr)
        return EXIT_USER
    except (typer.Abort, KeyboardInterrupt):
        interrupted = _("interrupted")
        print(f"jadwal: {interrupted}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except typer.TyperException as exc:
        show_usage_error(exc)
        return EXIT_USAGE
    except typer.Exit as exc:
        return int(exc.exit_code)
    except BrokenPipeError:  # not a bug: see outcome
        raise
    except Exception as exc:
        where = crash_log(exc)
        bug = _("internal error ({name}); this is a bug in jadwal. Details are in {where}")
        print(f"jadwal: {bug.format(name=type(exc).__name__, where=where)}", file=sys.stderr)
        return EXIT_BUG
    return int(result) if isinstance(result, int) else EXIT_OK


def stop_writing() -> None:
    """What Python's documentation advises once the reader has gone: point stdout and stderr
    at /dev/null, so that flushing them at exit raises nothing more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        # A stream that is no real file (a test's capture) has nothing to redirect.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


def show_usage_error(exc: typer.TyperException) -> None:
    """Click's rendering (usage line, hint, error), in jadwal's language."""
    if isinstance(exc, NoArgsIsHelpError):  # 'jadwal' alone: the help, translated already
        print(exc.format_message(), file=sys.stderr)
    elif isinstance(exc, UsageError):
        translated.show_usage_error(exc, sys.stderr)
    else:
        print(f"jadwal: error: {exc.format_message()}", file=sys.stderr)


def crash_log(exc: BaseException) -> Path:
    """Write the traceback of a bug where the user can find it and send it to us."""
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    path = base / "jadwal" / "crash.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(traceback.format_exception(exc))
    with path.open("a", encoding="utf-8") as log:
        log.write(f"--- {datetime.now().isoformat()} jadwal {__version__} {sys.argv[1:]}\n")
        log.write(scrub_secrets(text))
    return path


def scrub_secrets(text: str) -> str:
    """Blank out anything that looks like a secret we know of: a bug report is shared."""
    return scrub(text, secret_values(calendar_path(None).resolve().parent))
