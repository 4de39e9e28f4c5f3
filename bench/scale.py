"""Scale benchmark: ``jadwal check`` and a one-year ``jadwal preview`` on large calendars.

For each size (posts x accounts) the calendar from ``bench/gen.py`` is written once to a
temporary folder, then every measurement runs in a fresh interpreter
(``python bench/scale.py --one COMMAND POSTS --calendar PATH``) so that no cache (compiled
templates, media headers, holiday tables) survives from one measurement to the next:

- ``check``: ``check_calendar(path, today=2027-01-01)``;
- ``preview``: ``load_calendar(path)`` then ``preview(calendar, 2027-01-01, 2027-12-31)``.

``seconds`` is wall-clock time of that call only: interpreter start-up and the imports of
jadwal and its libraries (PyYAML, Jinja2, holidays, dateutil, Pillow) are done before
the clock starts. ``peak_mb`` is the process's peak resident set size
(``getrusage(RUSAGE_SELF).ru_maxrss``) read at the end, so it includes the interpreter and the
imported libraries; ``baseline_mb`` is the same figure read just before the clock starts.
With ``--repeat N`` each measurement runs N times; ``seconds`` is the median, ``peak_mb``
the largest; ``load1`` is the machine's one-minute load average when the measurement started
(figures taken on a busy machine are slower). Prints one JSON line per measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from gen import write_calendar

HERE = Path(__file__).resolve()
COMMANDS = ("check", "preview")
DEFAULT_SIZES = (100, 1_000, 10_000)
FIRST_DAY = date(2027, 1, 1)
LAST_DAY = date(2027, 12, 31)
PRELOAD = (
    "dateutil.rrule",
    "holidays",
    "jinja2.sandbox",
    "PIL.Image",
    "yaml",
    "scheduler.calendar",
    "scheduler.check",
    "scheduler.preview",
)

Result = dict[str, object]


def peak_mb() -> float:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def import_everything() -> None:
    """Import jadwal and the libraries it imports lazily, so the clock measures work only."""
    for module in PRELOAD:
        with contextlib.suppress(ModuleNotFoundError):  # a library jadwal no longer uses
            importlib.import_module(module)


def run_check(path: Path) -> Result:
    from scheduler.check import check_calendar

    problems = check_calendar(path, today=FIRST_DAY)
    errors = sum(p.is_error for p in problems)
    return {"errors": errors, "warnings": len(problems) - errors}


def run_preview(path: Path) -> Result:
    from scheduler.calendar import load_calendar
    from scheduler.preview import preview

    started = time.perf_counter()
    calendar = load_calendar(path)
    loaded = time.perf_counter()
    items = preview(calendar, FIRST_DAY, LAST_DAY)
    return {
        "occurrences": len(items),
        "render_errors": sum(item.problem is not None for item in items),
        "load_seconds": round(loaded - started, 3),
    }


RUNNERS: dict[str, Callable[[Path], Result]] = {"check": run_check, "preview": run_preview}


def measure_here(command: str, path: Path) -> Result:
    """One measurement in this process: time the command, then read the peak memory."""
    import_everything()
    baseline = peak_mb()
    started = time.perf_counter()
    details = RUNNERS[command](path)
    seconds = time.perf_counter() - started
    result = {"seconds": round(seconds, 3), "peak_mb": peak_mb(), "baseline_mb": baseline}
    if command == "check":
        details = {"occurrences": checked_occurrences(path), **details}
    return {**result, **details}


def checked_occurrences(path: Path) -> int | None:
    """How many occurrences ``check`` renders; counted after the clock and the memory reading.

    Uses check's private ``_samples``: ``None`` if it is renamed one day.
    """
    from scheduler import check
    from scheduler.calendar import load_calendar

    samples = getattr(check, "_samples", None)
    return None if samples is None else len(samples(load_calendar(path), FIRST_DAY))


def measure_fresh(command: str, posts: int, path: Path) -> Result:
    """One measurement in a fresh interpreter; its result is the child's last stdout line."""
    argv = [sys.executable, str(HERE), "--one", command, str(posts), "--calendar", str(path)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr}")
    result: Result = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(command: str, posts: int, accounts: int, path: Path, repeat: int) -> Result:
    load = os.getloadavg()[0]
    runs = [measure_fresh(command, posts, path) for _ in range(repeat)]
    last = runs[-1]
    return {
        "bench": "scale",
        "command": command,
        "posts": posts,
        "accounts": accounts,
        "occurrences": last.get("occurrences"),
        "seconds": statistics.median(float(str(r["seconds"])) for r in runs),
        "peak_mb": max(float(str(r["peak_mb"])) for r in runs),
        **{k: v for k, v in last.items() if k not in ("seconds", "peak_mb", "occurrences")},
        "yaml_kb": round(path.stat().st_size / 1024),
        "runs": repeat,
        "load1": round(load, 2),
    }


def run_sizes(sizes: list[int], accounts: int, repeat: int, seed: int) -> None:
    for posts in sizes:
        with tempfile.TemporaryDirectory(prefix=f"jadwal-scale-{posts}-") as folder:
            path = write_calendar(Path(folder), posts, accounts, seed)
            for command in COMMANDS:
                result = measure(command, posts, accounts, path, repeat)
                print(json.dumps(result), flush=True)


def run_one(command: str, posts: int, accounts: int, calendar: Path | None, seed: int) -> None:
    """``--one``: measure here; without ``--calendar``, write one first in a separate process."""
    if calendar is not None:
        print(json.dumps(measure_here(command, calendar)))
        return
    with tempfile.TemporaryDirectory(prefix=f"jadwal-scale-{posts}-") as folder:
        gen = [sys.executable, str(HERE.with_name("gen.py")), folder, "--posts", str(posts)]
        gen += ["--accounts", str(accounts), "--seed", str(seed)]
        subprocess.run(gen, check=True, capture_output=True)
        print(json.dumps(measure_here(command, Path(folder) / "calendar.yaml")))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", nargs=2, metavar=("COMMAND", "POSTS"), help="check or preview")
    parser.add_argument("--calendar", type=Path, help="with --one: an existing calendar.yaml")
    args = parser.parse_args(argv)
    if args.one and args.one[0] not in COMMANDS:
        parser.error(f"--one: choose {' or '.join(COMMANDS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.one:
        run_one(args.one[0], int(args.one[1]), args.accounts, args.calendar, args.seed)
        return 0
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    run_sizes(sizes, args.accounts, args.repeat, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
