"""The insight readings and follower readings: kept as a time series on SQLite and PostgreSQL,
and an older database gains their tables and the publications' snapshot columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduler.database import HEAD, open_store
from scheduler.store import FollowerReading, InsightReading

MOMENT = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_readings_are_kept_in_order_and_missing_metrics_stay_none(database_url: str) -> None:
    assert HEAD == "0007"
    store = open_store(database_url)
    try:
        later = MOMENT + timedelta(days=1)
        store.insights.add(
            [
                InsightReading(key="a", account="ig", slot="1d", read_at=later, likes=9),
                InsightReading(key="a", account="ig", slot="1h", read_at=MOMENT, likes=2),
                InsightReading(key="b", account="fb", slot="1h", read_at=MOMENT, views=3),
                FollowerReading(account="ig", read_at=MOMENT, followers=1200),
                FollowerReading(account="ig", read_at=later, followers=1290),
            ]
        )
        readings = store.insights.readings(["a", "b", "c"])
        assert [(r.slot, r.likes) for r in readings["a"]] == [("1h", 2), ("1d", 9)]
        latest = store.insights.latest(["a", "b"])
        assert latest["a"].likes == 9 and latest["a"].read_at == later
        assert latest["b"].views == 3 and latest["b"].reach is None and latest["b"].likes is None
        assert [f.followers for f in store.insights.followers("ig")] == [1200, 1290]
        assert [f.followers for f in store.insights.followers("ig", since=later)] == [1290]
        assert store.insights.followers("fb") == []
    finally:
        store.close()
