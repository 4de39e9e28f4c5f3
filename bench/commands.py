"""Whole-process times of ``jadwal preview`` and ``jadwal check`` on a regency's calendar.

What a person waits for: each command runs as a new process (the ``jadwal`` script beside
this interpreter, so interpreter start-up and every import are counted), its standard output
goes to a pipe that this script reads to the end and throws away (as ``| less`` or ``> file``
would take it), and the clock stops when the process has exited. The calendar is the
1,000-post x 10-account one of ``bench/gen.py`` (a year: 2027), written once to a temporary
folder; the commands run in that folder, so paths are as an operator's.

Each command runs once unmeasured (the operating system's file cache, Python's bytecode),
then ``--repeat`` times (default 5) in turn with the others, A B C D A B C D ..., so a machine
that slows down part way slows every command alike. ``--jadwal`` times another checkout's
script on the same calendar (the figures before a change).

jadwal keeps a calendar it has read, and its captions compiled, in its cache
(``scheduler.cache``); each command is timed in the three states a person meets (``--cache``,
all three by default), each in a cache of the benchmark's own:

- ``kept``: the calendar unchanged since the last command (running ``check``, then
  ``preview``, then ``calendar``);
- ``edited``: the calendar file changed before each run (a comment line), so it is read
  afresh while the captions' compiled templates are kept (the command after an edit);
- ``cold``: the cache emptied before each run (the first command after an install or an
  upgrade).

Prints one JSON line per command and state: the median, minimum and maximum seconds, the
bytes written, the exit code, the target and whether the median meets it; ``cpu_median_s`` is
the median of the process's own CPU time (user + system), which a busy machine inflates less
than the wall clock; ``load1`` is the one-minute load average before the state's first run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from gen import write_calendar

YEAR = ("--from", "2027-01-01", "--to", "2027-12-31")


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    stdout_bytes: int
    exit_code: int


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...]
    target_s: float


COMMANDS = (
    Command(
        "preview month",
        ("preview", "calendar.yaml", "--from", "2027-03-01", "--to", "2027-03-31"),
        0.5,
    ),
    Command("preview year", ("preview", "calendar.yaml", *YEAR), 2.0),
    Command("preview year json", ("preview", "calendar.yaml", *YEAR, "--format", "json"), 1.5),
    Command("check", ("check", "calendar.yaml", "--today", "2027-01-01"), 1.0),
)


def jadwal(given: Path | None) -> list[str]:
    """The ``jadwal`` script to time: ``given``, or the one beside this interpreter (as a
    person runs it), or ``python -m scheduler`` when there is none."""
    script = given or Path(sys.executable).with_name("jadwal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scheduler"]


CACHE_STATES = ("kept", "edited", "cold")


def prepare(folder: Path, state: str, edit: int) -> None:
    """Put the calendar and the cache (``folder/.cache``) in ``state`` for the next run
    (``edit``: a number no earlier run has seen)."""
    if state == "edited":
        calendar = folder / "calendar.yaml"
        text = calendar.read_text(encoding="utf-8").split("\n# bench edit ")[0]
        calendar.write_text(f"{text}\n# bench edit {edit}\n", encoding="utf-8")
    elif state == "cold":
        shutil.rmtree(folder / ".cache", ignore_errors=True)


def run_once(argv: list[str], folder: Path) -> Run:
    """Seconds from start to exit, CPU seconds, bytes read from its stdout, its exit code."""
    # No COLUMNS, no colour: output to a pipe, as in a script or `> file`. Bytecode written
    # (by the warm-up) and read, as for anyone who has run jadwal once.
    dropped = ("COLUMNS", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["XDG_CACHE_HOME"] = str(folder / ".cache")
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdout is not None
    size = 0
    while chunk := process.stdout.read(1 << 16):
        size += len(chunk)
    _, status, usage = os.wait4(process.pid, 0)  # its own CPU time, not the machine's
    seconds = time.perf_counter() - started
    process.stdout.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_utime + usage.ru_stime, size, process.returncode)


def summary(command: Command, state: str, runs: list[Run], load: float) -> dict[str, object]:
    seconds = [r.seconds for r in runs]
    median = statistics.median(seconds)
    return {
        "bench": "commands",
        "command": f"jadwal {' '.join(command.args)}",
        "name": command.name,
        "cache": state,
        "median_s": round(median, 3),
        "min_s": round(min(seconds), 3),
        "max_s": round(max(seconds), 3),
        "cpu_median_s": round(statistics.median(r.cpu_seconds for r in runs), 3),
        "runs": len(runs),
        "stdout_bytes": runs[-1].stdout_bytes,
        "exit_code": runs[-1].exit_code,
        "target_s": command.target_s,
        "target_met": median < command.target_s,
        "load1": round(load, 2),
    }


def measure(
    folder: Path, commands: list[Command], states: list[str], repeat: int, script: Path | None
) -> None:
    base, edits = jadwal(script), itertools.count()
    for command in commands:  # warm-up: the file cache, Python's bytecode, jadwal's cache
        run_once([*base, *command.args], folder)
    for state in states:
        load = os.getloadavg()[0]
        runs: dict[str, list[Run]] = {c.name: [] for c in commands}
        for _ in range(repeat):
            for command in commands:
                prepare(folder, state, next(edits))
                runs[command.name].append(run_once([*base, *command.args], folder))
        for command in commands:
            print(json.dumps(summary(command, state, runs[command.name], load)), flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each command")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--jadwal", type=Path, help="the jadwal script to time (another checkout's, to compare)"
    )
    parser.add_argument(
        "--cache", action="append", choices=CACHE_STATES, help="the cache's state (default: all)"
    )
    names = ", ".join(c.name for c in COMMANDS)
    parser.add_argument("--only", action="append", metavar="NAME", help=f"one of: {names}")
    args = parser.parse_args(argv)
    unknown = set(args.only or ()) - {c.name for c in COMMANDS}
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))}; choose from {names}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    commands = [c for c in COMMANDS if not args.only or c.name in args.only]
    with tempfile.TemporaryDirectory(prefix="jadwal-commands-") as folder:
        write_calendar(Path(folder), args.posts, args.accounts, args.seed)
        measure(Path(folder), commands, args.cache or list(CACHE_STATES), args.repeat, args.jadwal)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
