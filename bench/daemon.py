"""Daemon figures: lateness, idle footprint, ``tick`` and cold-start times.

1. lateness: a dry-run daemon with 10,000 occurrences loaded (9,800 later today, 200 firing in
   the run, one per second across 20 accounts); p50/p99 of attempt start − scheduled time,
   read from the store. In the same run, a bare APScheduler ``BackgroundScheduler`` fires a
   no-op job at the same 200 moments: the difference is what jadwal adds.
2. footprint: the same daemon idle for 60 s after the last publication: resident memory
   (VmRSS) and CPU seconds used.
3. tick: ``jadwal tick --dry-run`` end to end (a new process) on a 1,000-post calendar.
4. cold start: ``jadwal --help`` and ``jadwal check`` as new processes.

Each figure is one JSON line. ``--quick`` shortens the idle window for a smoke run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ACCOUNTS = 20
FIRING = 200
LOADED = 10_000
JADWAL = [sys.executable, "-m", "scheduler"]


def emit(**figures: object) -> None:
    print(json.dumps(figures), flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def write_calendar(folder: Path, first: datetime) -> list[datetime]:
    """10,000 one-off posts: ``FIRING`` of them one per second from ``first``."""
    shutil.copytree(ROOT / "templates", folder / "templates")
    firing = [first + timedelta(seconds=i) for i in range(FIRING)]
    later = [first + timedelta(hours=2, seconds=7 * i) for i in range(LOADED - FIRING)]
    lines = ["version: 1", "timezone: Asia/Jakarta", "rules: {min_posts_per_week: 0}", "accounts:"]
    lines += [f"  fb{a}: {{platform: facebook, page_id: '{a}'}}" for a in range(ACCOUNTS)]
    lines.append("posts:")
    for i, moment in enumerate(firing + later):
        lines += [
            f"  - id: p{i}",
            f"    accounts: [fb{i % ACCOUNTS}]",
            f"    at: '{moment.isoformat()}'",
            f"    caption: 'Info {i}: {{{{ at | jam }}}}'",
        ]
    (folder / "calendar.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return firing


def bare_apscheduler(moments: list[datetime]) -> list[float]:
    """Lateness of no-op APScheduler jobs at the same moments, for comparison."""
    from apscheduler.schedulers.background import BackgroundScheduler

    late: list[float] = []
    scheduler = BackgroundScheduler(timezone=UTC)
    for moment in moments:
        scheduler.add_job(
            lambda m=moment: late.append((datetime.now(UTC) - m).total_seconds()),
            "date",
            run_date=moment,
            misfire_grace_time=60,
        )
    scheduler.start()
    return late


def process_figures(pid: int) -> tuple[float, float]:
    """(resident MB, CPU seconds) of a running process."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss_kb / 1024, cpu


def lateness_and_footprint(idle_seconds: int) -> None:
    from scheduler.database import open_store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=45)
        firing = write_calendar(folder, first)
        log = (folder / "daemon.log").open("w")  # a file, not a pipe: a full pipe would block
        daemon = subprocess.Popen(
            [*JADWAL, "daemon", "calendar.yaml", "--dry-run"],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        bare = bare_apscheduler(firing)
        time.sleep(max(0.0, (firing[-1] - datetime.now(UTC)).total_seconds()) + 5)
        store = open_store(f"sqlite:///{folder / '.jadwal' / 'dryrun.db'}")
        late = [
            (store.attempts(r.key)[0].started_at - r.scheduled_at).total_seconds() * 1000
            for r in store.history(state="published")
        ]
        if not late:
            daemon.kill()
            tail = (folder / "daemon.log").read_text()[-2000:]
            raise SystemExit(f"the daemon published nothing; its log ends with:\n{tail}")
        emit(
            bench="lateness",
            occurrences_loaded=LOADED,
            fired=len(late),
            p50_ms=round(percentile(late, 0.5), 1),
            p99_ms=round(percentile(late, 0.99), 1),
            max_ms=round(max(late), 1),
            bare_apscheduler_p50_ms=round(percentile(bare, 0.5) * 1000, 1),
            bare_apscheduler_p99_ms=round(percentile(bare, 0.99) * 1000, 1),
        )
        rss_before, cpu_before = process_figures(daemon.pid)
        time.sleep(idle_seconds)
        rss, cpu = process_figures(daemon.pid)
        emit(
            bench="footprint",
            occurrences_loaded=LOADED,
            idle_seconds=idle_seconds,
            rss_mb=round(rss, 1),
            rss_mb_after_publishing=round(rss_before, 1),
            cpu_seconds_idle=round(cpu - cpu_before, 2),
        )
        daemon.send_signal(signal.SIGTERM)
        daemon.communicate(timeout=60)
        log.close()


def timed(command: list[str], cwd: Path, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tick_and_cold_start() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from gen import write_calendar as write_big

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_big(folder, 1000, 10)
        command = [*JADWAL, "tick", str(path), "--dry-run", "--now", "2027-03-01 09:00"]
        # The first tick creates the database and records the week's missed posts; cron's
        # every-minute ticks are the later ones.
        first = timed(command, folder, runs=1)
        seconds = timed(command, folder, runs=5)
        emit(
            bench="tick",
            posts=1000,
            accounts=10,
            seconds=round(seconds, 2),
            first_tick_seconds=round(first, 2),
        )
    emit(
        bench="cold_start",
        command="jadwal --help",
        seconds=round(timed([*JADWAL, "--help"], ROOT), 3),
    )
    emit(
        bench="cold_start",
        command="jadwal check calendar.yaml",
        seconds=round(timed([*JADWAL, "check", "calendar.yaml"], ROOT), 3),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="idle for 5 s instead of 60 s")
    args, _ = parser.parse_known_args()
    lateness_and_footprint(5 if args.quick else 60)
    tick_and_cold_start()


if __name__ == "__main__":
    main()
