"""Each ``jadwal`` command as a plain function that prints its result and returns an exit code.

The Typer layer (``scheduler.cli``) parses the command line and calls one of these; what they
raise is turned into an exit code by ``scheduler.cli.boundary``. The codes both use are here,
below the command line, because the commands return them::

    0    done (for ``check``: no errors)
    1    a problem the user can fix: the calendar has errors, a file is missing
    2    the command line was wrong; for ``tick`` and ``post``: a publication failed; for
         ``insights``: a reading failed (tried again on a later run)
    3    a bug in jadwal, with the details in a crash log
    130  interrupted
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scheduler.errors import JadwalError
from scheduler.files import display_path, write_atomic
from scheduler.i18n import _
from scheduler.problems import Problem

if TYPE_CHECKING:
    from scheduler.calendar.model import Calendar

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_FAILED = 2  # tick/post/insights: something could not be done (cron mails the output)


class OptionError(Exception):
    """A command-line value the command cannot use, found once the command is running (a date
    before another, a time read in the calendar's zone): a usage error, exit 2."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option
        self.message = message


@contextmanager
def option_value(option: str) -> Iterator[None]:
    """Report a ``ValueError`` raised inside as a wrong value of ``option``."""
    try:
        yield
    except ValueError as exc:
        raise OptionError(option, str(exc)) from None


def known_account(calendar: Calendar, account: str | None) -> None:
    """Refuse an ``--account`` the calendar does not have, naming those it has."""
    if account is not None and account not in calendar.accounts:
        known = ", ".join(sorted(calendar.accounts))
        raise JadwalError(
            _("account '{account}' is not in the calendar (accounts: {known})").format(
                account=account, known=known
            )
        )


def print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    for problem in problems:
        print(problem, file=stream or sys.stdout)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def write_out(out: Path, data: bytes) -> str:
    """Write an ``--out`` file in one step; how the path is shown. A missing folder is an
    error, not created: a mistyped path should not grow new folders."""
    shown = display_path(out)
    if not out.parent.is_dir():
        raise JadwalError(
            _("cannot write {shown}: there is no folder {display_path}").format(
                shown=shown, display_path=display_path(out.parent)
            )
        )
    try:
        write_atomic(out, data)
    except OSError as exc:
        raise JadwalError(
            _("cannot write {shown}: {value}").format(shown=shown, value=exc.strerror or exc)
        ) from None
    return shown
