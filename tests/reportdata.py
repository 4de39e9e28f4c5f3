"""A December 2026 of one office, as the publishers and the insight collector would have left
it in the store: every way a post can end, and the readings of what the public did.

The rows are planted as the engine writes them (``Store.claim_new`` with the engine's states
and messages), the readings as the collector adds them (``Store.insights.add``), so the
report is read from a store like a real one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.database import open_store
from scheduler.engine.claims import DRAFT
from scheduler.store import FollowerReading, InsightReading, Publication, Store
from tests.helpers import set_created_at

WIB = ZoneInfo("Asia/Jakarta")
# The moment the report is made: Sunday 20 December, 10.00 in Jakarta.
NOW = datetime(2026, 12, 20, 3, 0, tzinfo=UTC)
CREATED = datetime(2026, 12, 1, 8, 0, tzinfo=WIB)  # the store began at 08.00 on the 1st

CALENDAR = """\
version: 1
timezone: Asia/Jakarta
name: Pemerintah Desa Sukamaju
vars: {instansi: Desa Sukamaju, approved_by: "Drs. Budi Santoso, Kepala Bidang IKP"}
accounts:
  ig: {platform: instagram, ig_user_id: "2", token: "${IG_TOKEN}"}
  fb: {platform: facebook, page_id: "1", token: "${FB_TOKEN}"}
defaults: {accounts: [ig]}
rules: {min_posts_per_week: 1}
report: {prepared_by: "Siti Aminah, Pranata Humas", late_after: 15}
posts:
  - {id: subuh, at: "2026-12-01 07:00", caption: "Sebelum jadwal", category: info}
  - {id: pbb-2026, at: "2026-12-01 09:00", caption: "PBB", category: pengumuman}
  - {id: telat, at: "2026-12-02 09:00", caption: "Telat", category: pengumuman}
  - {id: gagal, at: "2026-12-03 09:00", caption: "Gagal", category: kegiatan}
  - {id: entah, at: "2026-12-04 09:00", caption: "Entah", category: kegiatan}
  - {id: tunggu, at: "2026-12-05 09:00", caption: "Tunggu", category: kegiatan}
  - {id: draf, at: "2026-12-08 09:00", caption: "Draf", status: draft}
  - {id: henti, at: "2026-12-09 09:00", caption: "Henti", category: kegiatan}
  - {id: pindah, at: "2026-12-10 10:00", caption: "Pindah", category: kegiatan}
  - {id: rapat, at: "2026-12-15 09:00", caption: "Rapat", category: kegiatan}
  - {id: mati, at: "2026-12-16 09:00", caption: "Mesin mati", category: kegiatan}
  - {id: kini, at: "2026-12-20 09:00", caption: "Hari ini", category: kegiatan}
  - {id: nanti, at: "2026-12-28 09:00", caption: "Nanti", category: kegiatan}
  - {id: fb-satu, accounts: [fb], at: "2026-12-07 08:00", caption: "FB", category: info}
"""


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=WIB)


def key(post: str, moment: datetime, account: str = "ig", again: int = 0) -> str:
    stamp = moment.astimezone(UTC).strftime("%Y%m%dT%H%MZ")
    return f"{post}/{account}/{stamp}" + (f"~again{again}" if again else "")


@dataclass(frozen=True)
class Row:
    post: str
    at: datetime
    state: str
    published_at: datetime | None = None
    error: str | None = None
    code: str | None = None
    again: int = 0
    account: str = "ig"
    caption: str | None = None

    @property
    def key(self) -> str:
        return key(self.post, self.at, self.account, self.again)


ROWS = (
    Row("pbb-2026", local(1, 9), "published", local(1, 9, 2), caption="PBB as sent"),
    Row("telat", local(2, 9), "published", local(2, 9, 40)),
    Row("gagal", local(3, 9), "failed", error="aspect ratio not supported", code="36003"),
    Row("entah", local(4, 9), "unknown", error="the publisher stopped during publication"),
    Row("tunggu", local(5, 9), "awaiting"),
    Row("draf", local(8, 9), "skipped", error=DRAFT),
    Row("henti", local(9, 9), "skipped", error="stopped by budi since 2026-12-09 08:00 WIB"),
    # Published at 09.00; its time was then edited to 10.00, which the engine skipped.
    Row("pindah", local(10, 9), "published", local(10, 9, 1)),
    Row("pindah", local(10, 10), "skipped", error="not sent again: already handled"),
    Row("rapat", local(15, 9), "missed", error="not published within the grace period"),
    Row("pbb-2026", local(1, 9), "published", local(1, 13), again=1),  # jadwal post --again
    Row("fb-satu", local(7, 8), "published", local(7, 8, 1), account="fb"),
)


def plant(store: Store, rows: tuple[Row, ...] = ROWS) -> None:
    for row in rows:
        platform = "facebook" if row.account == "fb" else "instagram"
        store.claim_new(
            Publication(
                key=row.key,
                post_id=row.post,
                account=row.account,
                platform=platform,
                scheduled_at=row.at,
                state=row.state,
                published_at=row.published_at,
                error_message=row.error,
                error_code=row.code,
                created_at=row.at,
                updated_at=row.at,
                sent_caption=row.caption,
                kind="feed" if row.caption else None,
                category="pengumuman" if row.caption else None,
            )
        )


def reading(row_key: str, slot: str, read_at: datetime, **metrics: int | None) -> InsightReading:
    return InsightReading(
        key=row_key, account=row_key.split("/")[1], slot=slot, read_at=read_at, **metrics
    )


def readings() -> list[InsightReading | FollowerReading]:
    """New rows each time: a row the store kept once belongs to that store."""
    return [*_readings(), *_followers()]


def _readings() -> tuple[InsightReading, ...]:
    return (
        reading(key("pbb-2026", local(1, 9)), "1d", local(2, 9), views=100, reach=80, likes=10),
        reading(
            key("pbb-2026", local(1, 9)),
            "7d",
            local(8, 9),
            views=512,
            reach=380,
            likes=61,
            comments=4,
            shares=2,
            saves=1,
            clicks=None,
        ),
        # The platform gave no reach for this one: its rate is not available, never 0.
        reading(key("telat", local(2, 9)), "1d", local(3, 9), views=90, likes=5, comments=1),
        reading(key("pindah", local(10, 9)), "1d", local(11, 9), views=40, reach=30, likes=3),
        reading(key("fb-satu", local(7, 8), "fb"), "1d", local(8, 8), views=7, reach=6),
    )


def _followers() -> tuple[FollowerReading, ...]:
    return (
        FollowerReading(account="ig", read_at=local(1, 0) - timedelta(hours=1), followers=1100),
        FollowerReading(account="ig", read_at=local(1, 10), followers=1200),
        FollowerReading(account="ig", read_at=local(15, 10), followers=None),
        FollowerReading(account="ig", read_at=local(19, 10), followers=1290),
    )


def december(calendar: Path) -> str:
    """Plant the month in a new store beside ``calendar``; its URL."""
    url = f"sqlite:///{calendar.parent / '.jadwal' / 'jadwal.db'}"
    store = open_store(url)
    try:
        set_created_at(store, CREATED)
        plant(store)
        store.insights.add(readings())
    finally:
        store.close()
    return url
