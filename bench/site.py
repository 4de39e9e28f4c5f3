"""Site benchmark: ``jadwal site`` for a year of the 1,000-post × 10-account calendar.

The calendar from ``bench/gen.py`` is written once to a temporary folder; then every
measurement runs in a fresh interpreter, as ``bench/scale.py`` does, so that no cache
(compiled templates, media headers, holiday tables) survives from one to the next:

- ``first``: into an empty folder: every page written and every picture copied;
- ``again``: the same again into that folder: every page made, none written (their bytes are
  the same) and no picture copied (each copy is named by its source's content);
- ``quarter``: three months (2027-04 to 2027-06) into an empty folder, to show that the time
  follows the range.

``seconds`` is the wall clock of ``write_site`` alone (``load_seconds``: reading the calendar
before it), after the imports, as in ``bench/scale.py``; ``cpu_seconds`` is the user and
system time it took (which a busy machine's other work inflates less); ``process_seconds`` is
the wall clock of the whole ``jadwal site`` command as a new process, start-up and imports
included (measured after the others: its clock is the real one). ``peak_mb`` is the peak
resident set size of the measured process. With ``--repeat N`` each figure is the median of
N runs. Prints one JSON line per measurement.

jadwal's own cache (``scheduler.cache``: the calendar as read, the captions compiled) is the
benchmark's, in its temporary folder: the first run makes it and every measured run uses it,
as an operator's second command does; ``load_seconds`` is then the cache's read.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from gen import write_calendar

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
YEAR = ("2027-01-01", "2027-12-31")
QUARTER = ("2027-04-01", "2027-06-30")
NOW = datetime(2027, 6, 1, 3, 0, tzinfo=UTC)  # the strip's "this week"; a fixed clock
PRELOAD = ("holidays", "jinja2.sandbox", "PIL.Image", "yaml", "scheduler.site.build")

Result = dict[str, object]


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """User and system time of this process: the work, whatever else the machine runs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_here(calendar: Path, out: Path, first: str, last: str) -> Result:
    """One ``write_site`` in this process, its imports done before the clock starts."""
    import importlib

    for module in PRELOAD:
        importlib.import_module(module)
    from scheduler.calendar import load_calendar
    from scheduler.site.build import write_site

    started = time.perf_counter()
    loaded = load_calendar(calendar)
    ready, cpu = time.perf_counter(), cpu_seconds()
    span = date.fromisoformat(first), date.fromisoformat(last)
    written = write_site(loaded, out, *span, None, NOW)
    done = time.perf_counter()
    return {
        "seconds": round(done - ready, 3),
        "cpu_seconds": round(cpu_seconds() - cpu, 3),
        "load_seconds": round(ready - started, 3),
        "peak_mb": peak_mb(),
        "months": written.months,
        "post_pages": written.posts,
        "files_changed": written.changed,
    }


def fresh(calendar: Path, out: Path, span: tuple[str, str]) -> Result:
    argv = [sys.executable, str(HERE), "--one", str(calendar), str(out), *span]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr}")
    result: Result = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def process(calendar: Path, out: Path, span: tuple[str, str]) -> float:
    """The whole command, as an operator runs it (its clock is the real one)."""
    jadwal = [sys.executable, "-m", "scheduler", "site", str(out), str(calendar)]
    started = time.perf_counter()
    subprocess.run([*jadwal, "--from", span[0], "--to", span[1]], check=True, capture_output=True)
    return time.perf_counter() - started


def measure(name: str, calendar: Path, folder: Path, span: tuple[str, str], repeat: int) -> Result:
    """``name``: first (an empty folder each time) or again (the folder of a first run)."""
    load = os.getloadavg()[0]
    out = folder / name
    if name == "again":
        fresh(calendar, out, span)
    runs, whole = [], []
    for _ in range(repeat):
        if name != "again":
            shutil.rmtree(out, ignore_errors=True)
        runs.append(fresh(calendar, out, span))
    for _ in range(repeat):  # after the others: the command's clock is the real one
        if name != "again":
            shutil.rmtree(out, ignore_errors=True)
        whole.append(process(calendar, out, span))
    last = runs[-1]
    return {
        "bench": "site",
        "run": name,
        "from": span[0],
        "to": span[1],
        "seconds": statistics.median(float(str(r["seconds"])) for r in runs),
        "cpu_seconds": statistics.median(float(str(r["cpu_seconds"])) for r in runs),
        "load_seconds": statistics.median(float(str(r["load_seconds"])) for r in runs),
        "process_seconds": round(statistics.median(whole), 3),
        "peak_mb": max(float(str(r["peak_mb"])) for r in runs),
        **{k: last[k] for k in ("months", "post_pages", "files_changed")},
        "site_mb": round(sum(f.stat().st_size for f in out.rglob("*")) / 2**20, 1),
        "runs": repeat,
        "load1": round(load, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", nargs=4, metavar=("CALENDAR", "OUT", "FROM", "TO"))
    args = parser.parse_args(argv)
    if args.one:
        calendar, out, first, last = args.one
        print(json.dumps(measure_here(Path(calendar), Path(out), first, last)))
        return 0
    with tempfile.TemporaryDirectory(prefix="jadwal-site-") as name:
        folder = Path(name)
        # jadwal's cache (the calendar read, its captions compiled) is the benchmark's own,
        # made by the first run and used by every later one, as by an operator's commands.
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        calendar = write_calendar(folder / "calendar", args.posts, args.accounts, args.seed)
        for run, span in (("first", YEAR), ("again", YEAR), ("quarter", QUARTER)):
            result = measure(run, calendar, folder, span, args.repeat)
            result.update(posts=args.posts, accounts=args.accounts)
            print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
