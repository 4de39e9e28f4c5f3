"""Report benchmark: ``jadwal report`` for a month of a year's history of the 1,000-post ×
10-account calendar.

The calendar from ``bench/gen.py`` is written to a temporary folder, and a store is filled as
a year of publishing and reading would leave it: every occurrence of 2027 recorded (nine in
ten published, a few minutes late or not; the rest failed, missed or skipped), each published
post read four times over 28 days (``1h``, ``1d``, ``7d``, ``28d``, some metrics not given),
and each account's followers read every day. Then ``jadwal report --month 2027-06`` runs as a
new process in each format, as an operator runs it (start-up, imports, loading the calendar
included): ``process_seconds`` is the median of ``--repeat`` runs (target: < 2 s). jadwal's
cache (``scheduler.cache``) is the benchmark's own, made when the store is filled: the
calendar is read from it, as on an office's machine where the daemon has read it.
Prints one JSON line per format.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from gen import write_calendar

HERE = Path(__file__).resolve()
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from scheduler.calendar import load_calendar  # noqa: E402
from scheduler.calendar.expand import expand  # noqa: E402
from scheduler.database import open_store  # noqa: E402
from scheduler.store import FollowerReading, InsightReading, Publication  # noqa: E402

MONTH = "2027-06"
SLOTS = (("1h", timedelta(hours=1)), ("1d", timedelta(days=1)), ("7d", timedelta(days=7)),
         ("28d", timedelta(days=28)))  # fmt: skip
CREATED = datetime(2026, 12, 1, tzinfo=UTC)


def fill(calendar_path: Path, seed: int) -> tuple[str, int, int]:
    """The year's history in a new store beside the calendar: its URL, rows and readings."""
    rng = random.Random(seed)
    calendar = load_calendar(calendar_path)
    occurrences = expand(calendar, date(2027, 1, 1), date(2027, 12, 31))
    url = f"sqlite:///{calendar_path.parent / '.jadwal' / 'jadwal.db'}"
    store = open_store(url)
    with store.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE meta SET value = ? WHERE name = 'created_at'", (CREATED.isoformat(),)
        )
    rows, readings = [], []
    for o in occurrences:
        state = rng.choices(["published", "failed", "missed", "skipped"], [90, 4, 4, 2])[0]
        out = o.at + timedelta(minutes=rng.choice([0, 1, 2, 30])) if state == "published" else None
        rows.append(_row(o.key, o.post.id, o.account.name, o.platform, o.at, state, out))
        if out is not None:
            readings += [_reading(rng, o.key, o.account.name, slot, out + after)
                         for slot, after in SLOTS]  # fmt: skip
    for name in calendar.accounts:
        first = datetime(2027, 1, 1, tzinfo=UTC)
        readings += [_followers(name, first + timedelta(days=d), 1000 + 3 * d) for d in range(365)]
    with store.session() as session:
        session.add_all(rows)
        session.add_all(readings)
        session.commit()
    store.close()
    return url, len(rows), len(readings)


def _row(key: str, post: str, account: str, platform: str, at: datetime, state: str,
         out: datetime | None) -> Publication:  # fmt: skip
    return Publication(key=key, post_id=post, account=account, platform=platform,
                       scheduled_at=at, state=state, published_at=out, created_at=at,
                       updated_at=out or at, error_message=None if out else "bench",
                       sent_caption="…", sent_media="[]", category="pengumuman", kind="feed",
                       revision="sha256:00")  # fmt: skip


def _followers(account: str, at: datetime, count: int) -> FollowerReading:
    return FollowerReading(account=account, read_at=at, followers=count)


def _reading(rng: random.Random, key: str, account: str, slot: str, at: datetime) -> InsightReading:
    reach = rng.randint(50, 3000)
    saves = None if rng.random() < 0.3 else 1  # not every platform gives every figure
    return InsightReading(key=key, account=account, slot=slot, read_at=at, views=reach * 2,
                          reach=reach, likes=reach // 10, comments=rng.randint(0, 20),
                          shares=rng.randint(0, 5), saves=saves)  # fmt: skip


def process(calendar: Path, form: str, out: Path) -> tuple[float, float]:
    """The wall clock of one whole command, and the CPU time (user and system) it took,
    which a machine busy with other work inflates less."""
    jadwal = [sys.executable, "-m", "scheduler", "report", str(calendar), "--month", MONTH]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*jadwal, "--format", form, "--out", str(out)], check=True,
                   capture_output=True, cwd=ROOT)  # fmt: skip
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="runs per format (median)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jadwal-report-") as temp:
        folder = Path(temp)
        # jadwal's cache is the benchmark's own: filling the store reads the calendar first,
        # as the publishing that made the history would have.
        os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
        calendar = write_calendar(folder / "cal", args.posts, args.accounts, args.seed)
        _, rows, readings = fill(calendar, args.seed)
        for form in ("html", "json", "csv", "markdown"):
            load = os.getloadavg()[0]
            out = folder / f"report.{form}"
            runs, cpus = zip(
                *(process(calendar, form, out) for _ in range(args.repeat)), strict=True
            )
            print(json.dumps({
                "bench": "report", "format": form, "month": MONTH, "posts": args.posts,
                "accounts": args.accounts, "publications": rows, "readings": readings,
                "process_seconds": round(statistics.median(runs), 3),
                "max_seconds": round(max(runs), 3),
                "cpu_seconds": round(statistics.median(cpus), 3), "bytes": out.stat().st_size,
                "runs": args.repeat, "load1": round(load, 2),
            }), flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
