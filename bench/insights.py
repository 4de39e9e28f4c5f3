"""Benchmark: how many Graph API requests the insight collector spends per reading.

100 accounts (half Facebook Pages, half Instagram accounts through a Page), each publishing
30 posts in a month (one a day at 09:00 Jakarta time), read by the collector the way the
daemon runs it (every ``--step`` minutes, 15 by default) from the first post until the last
one's 28-day reading is in: every post gets its 1h, 1d, 7d and 28d readings and every account
its daily follower count. The Graph API is the fake of ``tests/fakegraph.py`` on 127.0.0.1;
every HTTP request it receives is counted (a batch of 50 operations is one request; Meta
still counts each operation against the rate limits, so they are reported too).

Figures, one JSON line: readings made (post and follower), HTTP requests, batch operations,
``requests_per_post_reading`` (target: well under one) and
``requests_per_reading`` (followers included). ``--accounts``, ``--posts`` and ``--step``
shrink or change the run. Exits 1 when a post is missing one of its four readings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "EAAGbenchINSIGHTtoken0123456789abcdef"
START = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta
SCOPES = ("pages_manage_posts", "pages_read_engagement", "pages_show_list", "instagram_basic",
          "instagram_content_publish", "instagram_manage_insights", "read_insights")  # fmt: skip


def calendar_text(accounts: int) -> str:
    lines = ["version: 1", "timezone: Asia/Jakarta", "accounts:"]
    for n in range(accounts):
        page = str(2000 + n)
        if n % 2 == 0:
            lines.append(f"  fb{n}: {{platform: facebook, page_id: '{page}', token: '${{T}}'}}")
        else:
            lines.append(
                f"  ig{n}: {{platform: instagram, ig_user_id: '{178000 + n}', page_id: '{page}', "
                "token: '${T}'}"
            )
    lines += ["media: {staging: facebook_page}", "rules: {min_posts_per_week: 0}", "posts: []"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--posts", type=int, default=30, help="posts per account, one a day")
    parser.add_argument("--step", type=float, default=15.0, help="minutes between runs")
    args = parser.parse_args()

    from scheduler.adapters import adapter_factory
    from scheduler.calendar import load_calendar
    from scheduler.database import open_store
    from scheduler.insights.collect import collect
    from scheduler.store.tables import Publication
    from tests.fakegraph import FakeGraph

    folder = Path(tempfile.mkdtemp(prefix="jadwal-insights-bench-"))
    (folder / "calendar.yaml").write_text(calendar_text(args.accounts), encoding="utf-8")
    fake = FakeGraph().start()
    os.environ["JADWAL_GRAPH_URL"], os.environ["T"] = fake.url, TOKEN
    calendar = load_calendar(folder / "calendar.yaml")
    pages = [a.page_id or "" for a in calendar.accounts.values()]
    users = [a.ig_user_id for a in calendar.accounts.values() if a.ig_user_id]
    fake.add_token(TOKEN, pages=pages, ig_users=users, scopes=SCOPES)
    store = open_store(f"sqlite:///{folder / 'jadwal.db'}")
    keys, rows = [], []
    for day in range(args.posts):
        at = START + timedelta(days=day)
        fake.clock = lambda at=at: at
        for account in calendar.accounts.values():
            platform_id = (
                fake.seed_page_post(account.page_id or "")
                if account.platform == "facebook"
                else fake.seed_media(account.ig_user_id or "")
            )
            key = f"{platform_id}/{account.name}"
            row = Publication(key=key, post_id=platform_id, account=account.name,
                              platform=account.platform, scheduled_at=at, state="published",
                              created_at=at, updated_at=at, platform_post_id=platform_id,
                              published_at=at, kind="feed")  # fmt: skip
            rows.append(row)
            keys.append(key)
    with store.session() as session:  # one transaction: the publishing is not measured
        session.add_all(rows)
        session.commit()
    adapters = adapter_factory(calendar, None)
    end = START + timedelta(days=args.posts - 1 + 28, hours=13)
    now, runs, started = START, 0, time.monotonic()
    while now <= end:
        collect(calendar, store, adapters, "bench", lambda now=now: now)
        now += timedelta(minutes=args.step)
        runs += 1
        if runs % 960 == 0:  # every 10 days of the simulated clock
            print(f"day {(now - START).days}: {len(fake.requests)} requests", file=sys.stderr)
    seconds = time.monotonic() - started
    readings = store.insights.readings(keys)
    complete = all({r.slot for r in readings.get(k, [])} == {"1h", "1d", "7d", "28d"} for k in keys)
    post_readings = sum(len(rows) for rows in readings.values())
    follower_readings = sum(len(store.insights.followers(a)) for a in calendar.accounts)
    requests = len(fake.requests)
    fake.stop()
    store.close()
    print(json.dumps({
        "accounts": args.accounts, "posts": len(keys), "runs": runs,
        "post_readings": post_readings, "follower_readings": follower_readings,
        "every_post_has_its_four_readings": complete,
        "http_requests": requests, "batch_operations": len(fake.batch_operations),
        "requests_per_post_reading": round(requests / max(post_readings, 1), 3),
        "requests_per_reading": round(requests / max(post_readings + follower_readings, 1), 3),
        "seconds": round(seconds, 1),
    }))  # fmt: skip
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
