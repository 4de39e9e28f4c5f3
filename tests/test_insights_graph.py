"""Reading insights through the Graph API, against the fake on 127.0.0.1: what is due, what is
stored (always what the fake served, None where it gave nothing), how few requests it takes,
and what happens when Meta refuses, throttles or lacks a permission."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.adapters import adapter_factory
from scheduler.calendar import load_calendar
from scheduler.calendar.model import Calendar
from scheduler.database import open_store
from scheduler.insights.collect import Summary, collect
from scheduler.insights.slots import due_slot, followers_due
from scheduler.store import Store
from scheduler.store.tables import InsightReading, Publication
from tests.fakegraph import DEFAULT_SCOPES, FakeGraph
from tests.fakeinsights import DEPRECATED, ig_asked_metrics

TOKEN = "EAAGcanaryINSIGHTtoken0123456789abcdef"
PAGE = "1001"
IG = "17841"
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
INSIGHT_SCOPES = (*DEFAULT_SCOPES, "instagram_manage_insights", "read_insights")
CALENDAR = (
    "version: 1\ntimezone: Asia/Jakarta\n"
    f"accounts:\n  fb: {{platform: facebook, page_id: '{PAGE}', token: '${{META_TOKEN}}'}}\n"
    f"  ig: {{platform: instagram, ig_user_id: '{IG}', page_id: '{PAGE}', "
    "token: '${META_TOKEN}'}\n"
    "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\nposts: []\n"
)


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG], scopes=INSIGHT_SCOPES)
    fake.clock = lambda: NOW - timedelta(hours=1)  # when the seeded posts went out
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("META_TOKEN", TOKEN)
    yield fake
    fake.stop()
    assert not fake.server_errors, fake.server_errors
    assert not fake.deprecated_asked, fake.deprecated_asked


class Setup:
    def __init__(self, folder: Path, graph: FakeGraph) -> None:
        (folder / "calendar.yaml").write_text(CALENDAR, encoding="utf-8")
        self.calendar: Calendar = load_calendar(folder / "calendar.yaml")
        self.store: Store = open_store(f"sqlite:///{folder / 'jadwal.db'}")
        self.graph = graph
        self.adapters = adapter_factory(self.calendar, None)

    def published(
        self,
        account: str,
        platform_id: str,
        kind: str = "feed",
        ago: timedelta = timedelta(hours=1),
    ) -> str:
        at = NOW - ago
        key = f"{platform_id}/{account}"
        platform = "facebook" if account == "fb" else "instagram"
        row = Publication(key=key, post_id=platform_id, account=account, platform=platform,
                          scheduled_at=at, state="published", created_at=at, updated_at=at,
                          platform_post_id=platform_id, published_at=at, kind=kind)  # fmt: skip
        assert self.store.claim_new(row)
        return key

    def collect(self, now: datetime = NOW, **options: object) -> Summary:
        return collect(self.calendar, self.store, self.adapters, "test", lambda: now, **options)  # type: ignore[arg-type]

    def readings(self, key: str) -> list[InsightReading]:
        return self.store.insights.readings([key]).get(key, [])


@pytest.fixture
def setup(tmp_path: Path, graph: FakeGraph) -> Iterator[Setup]:
    made = Setup(tmp_path, graph)
    yield made
    made.store.close()


# -- when ------------------------------------------------------------------------------------


def test_a_slot_is_due_once_its_time_has_come_and_only_the_newest_is_read() -> None:
    at = NOW
    assert due_slot(at, "feed", set(), at + timedelta(minutes=59)) is None
    first = due_slot(at, "feed", set(), at + timedelta(hours=1))
    assert first is not None and (first.slot, first.urgent) == ("1h", True)
    assert due_slot(at, "feed", {"1h"}, at + timedelta(hours=5)) is None
    day = due_slot(at, "feed", {"1h"}, at + timedelta(days=1, hours=1))
    assert day is not None and (day.slot, day.urgent) == ("1d", False)  # waits for company
    later = due_slot(at, "feed", {"1h"}, at + timedelta(days=1, hours=2))
    assert later is not None and later.urgent
    # Found three days late: the 1h reading is not made any more; the 1d one is, once, late.
    late = due_slot(at, "feed", set(), at + timedelta(days=3))
    assert late is not None and late.slot == "1d"
    assert due_slot(at, "feed", {"1d"}, at + timedelta(days=3)) is None
    assert due_slot(at, "feed", {"1h", "1d", "7d", "28d"}, at + timedelta(days=40)) is None
    # A story's insights last 24 hours: its 1h reading and nothing after.
    story = due_slot(at, "story", set(), at + timedelta(hours=2))
    assert story is not None and story.slot == "1h"
    assert due_slot(at, "story", set(), at + timedelta(hours=25)) is None
    assert followers_due(None, at) is not None
    assert followers_due(at - timedelta(hours=3), at) is None
    along = followers_due(at - timedelta(hours=13), at)
    assert along is not None and not along.urgent


def test_nothing_is_read_before_its_time_and_each_slot_only_once(setup: Setup) -> None:
    media = setup.graph.seed_media(IG)
    key = setup.published("ig", media, ago=timedelta(minutes=30))
    early = setup.collect()
    assert (early.posts, setup.readings(key)) == (0, [])
    setup.collect(NOW + timedelta(minutes=30))
    setup.collect(NOW + timedelta(minutes=45))
    assert [r.slot for r in setup.readings(key)] == ["1h"]
    setup.collect(NOW + timedelta(days=1, hours=2))
    assert [r.slot for r in setup.readings(key)] == ["1h", "1d"]


# -- what ------------------------------------------------------------------------------------


def test_each_platform_reading_is_what_the_fake_served_and_none_where_it_gave_nothing(
    setup: Setup,
) -> None:
    fake = setup.graph
    image, reel, story = (fake.seed_media(IG, kind) for kind in ("image", "reel", "story"))
    post = fake.seed_page_post(PAGE)
    keys = {name: setup.published("fb" if name == "post" else "ig", pid, kind)
            for name, pid, kind in (("image", image, "feed"), ("reel", reel, "reel"),
                                    ("story", story, "story"), ("post", post, "feed"))}  # fmt: skip
    fake.withhold(reel, "reach")
    summary = setup.collect()
    assert (summary.posts, summary.followers, summary.failed) == (4, 2, 0)
    for name, pid in (("image", image), ("reel", reel)):
        served, got = fake.served(pid), setup.readings(keys[name])[0]
        assert (got.slot, got.views, got.likes, got.comments) == (
            "1h", served["views"], served["likes"], served["comments"])  # fmt: skip
        assert (got.shares, got.saves) == (served["shares"], served["saved"])
        assert got.clicks is None and got.replies is None  # Instagram gives neither of a post
    assert setup.readings(keys["image"])[0].reach == fake.served(image)["reach"]
    assert setup.readings(keys["reel"])[0].reach is None  # withheld by Meta: not known, not 0
    got, served = setup.readings(keys["story"])[0], fake.served(story)
    assert (got.views, got.reach, got.replies, got.shares) == (
        served["views"], served["reach"], served["replies"], served["shares"])  # fmt: skip
    assert got.likes is None and got.comments is None and got.saves is None
    got, served = setup.readings(keys["post"])[0], fake.served(post)
    assert (got.views, got.reach, got.clicks) == (
        served["views"],
        served["reach"],
        served["clicks"],
    )
    assert got.likes == sum(served["reactions"].values())  # type: ignore[attr-defined]
    assert (got.comments, got.shares) == (served["comments"], served["shares"])
    assert got.saves is None and got.replies is None
    followers = {a: [f.followers for f in setup.store.insights.followers(a)] for a in ("fb", "ig")}
    assert followers == {"fb": [fake.followers_of(PAGE)], "ig": [fake.followers_of(IG)]}


def test_retired_metrics_are_never_asked_and_the_fake_refuses_them(setup: Setup) -> None:
    import requests

    fake = setup.graph
    for kind in ("image", "reel", "story", "carousel"):
        setup.published("ig", fake.seed_media(IG, kind), "story" if kind == "story" else "feed")
    setup.published("fb", fake.seed_page_post(PAGE))
    setup.collect()
    asked = ig_asked_metrics(
        fake.batch_operations + [json.dumps(r["params"]) for r in fake.requests]
    )
    assert asked and not asked & set(DEPRECATED)
    media = fake.seed_media(IG)
    answer = requests.get(
        f"{fake.url}/v25.0/{media}/insights",
        params={"metric": "reach,impressions"},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    ).json()
    fake.deprecated_asked.clear()  # asked on purpose, to see the refusal
    assert answer["error"]["code"] == 100
    assert answer["error"]["message"].startswith(
        "Starting from version 22 and above, the impressions metric is no longer supported"
    )


def test_a_page_under_100_likes_is_read_without_insights_and_said_once(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    fake = setup.graph
    fake.set_page_likes(PAGE, 40)
    first, second = fake.seed_page_post(PAGE), fake.seed_page_post(PAGE)
    keys = [setup.published("fb", first), setup.published("fb", second, ago=timedelta(hours=2))]
    with caplog.at_level(logging.INFO, logger="jadwal"):
        setup.collect()
        third = setup.published("fb", fake.seed_page_post(PAGE), ago=timedelta(minutes=20))
        setup.collect(NOW + timedelta(minutes=45))
    got, served = setup.readings(keys[0])[0], fake.served(first)
    assert (got.views, got.reach, got.clicks) == (None, None, None)
    assert (got.likes, got.comments, got.shares) == (
        served["likes"], served["comments"], served["shares"])  # fmt: skip
    assert (
        setup.readings(third)[0].likes
        == fake.served(setup.readings(third)[0].key.split("/")[0])["likes"]
    )
    said = [r.message for r in caplog.records if "fewer than 100 likes" in r.message]
    assert said == [
        "fb: the Page has fewer than 100 likes, and Meta gives no insights for it: views, reach "
        "and clicks stay empty; likes, comments and shares are read from the posts"
    ]
    assert "fewer than 100 likes" in setup.store.insights.problems()["fb"]


# -- how many requests -----------------------------------------------------------------------


def test_batching_bounds_the_requests(setup: Setup) -> None:
    fake = setup.graph
    fb = [setup.published("fb", fake.seed_page_post(PAGE)) for _ in range(60)]
    ig = [setup.published("ig", fake.seed_media(IG)) for _ in range(40)]
    summary = setup.collect()
    assert (summary.posts, summary.followers, summary.failed) == (100, 2, 0)
    # The Page: 61 operations in two batches; Instagram: one batch (its media with their
    # insights, and its followers).
    assert len(fake.requests) == 3
    assert all(r["method"] == "POST" and r["path"] == "/v25.0/" for r in fake.requests)
    assert len(fake.batch_operations) == 61 + 2
    assert all(setup.readings(key) for key in fb + ig)


# -- refusals --------------------------------------------------------------------------------


def test_throttling_holds_every_read_off_until_meta_allows_it(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    fake = setup.graph
    key = setup.published("fb", fake.seed_page_post(PAGE))
    other = setup.published("ig", fake.seed_media(IG))
    fake.fail_next(code=4, message="Application request limit reached", is_transient=True)
    with caplog.at_level(logging.WARNING, logger="jadwal"):
        held = setup.collect()
    assert held.held and held.posts == 0 and held.failed == 2
    assert setup.readings(key) == [] and setup.readings(other) == []  # the IG account waited
    requests_then = len(fake.requests)
    assert setup.collect(NOW + timedelta(minutes=10)).held
    assert len(fake.requests) == requests_then  # nothing asked while held
    assert any("Meta asked to slow down" in r.message for r in caplog.records)
    done = setup.collect(NOW + timedelta(minutes=16))
    assert (done.posts, done.held) == (2, False)


def test_usage_headers_above_the_limit_stop_reads_after_the_account_in_hand(
    setup: Setup,
) -> None:
    fake = setup.graph
    fb = setup.published("fb", fake.seed_page_post(PAGE))
    ig = setup.published("ig", fake.seed_media(IG))
    fake.usage_headers = {
        "X-App-Usage": json.dumps({"call_count": 81, "total_cputime": 10, "total_time": 12})
    }
    summary = setup.collect()
    assert summary.held and summary.accounts == 1
    assert setup.readings(fb) and not setup.readings(ig)
    fake.usage_headers = {}
    assert setup.collect(NOW + timedelta(minutes=20)).posts == 0  # held: half an hour at least
    assert setup.collect(NOW + timedelta(minutes=31)).posts == 1


def test_a_missing_permission_is_recorded_and_logged_once_and_tried_again_later(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    fake = setup.graph
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG], scopes=DEFAULT_SCOPES)
    key = setup.published("ig", fake.seed_media(IG))
    with caplog.at_level(logging.WARNING, logger="jadwal"):
        failed = setup.collect()
        again = setup.collect(NOW + timedelta(minutes=15))
    assert (failed.failed, again.failed) == (1, 1)  # released each time, so tried again
    said = [r.message for r in caplog.records if r.message.startswith("ig: insights can't be read")]
    assert said == [
        "ig: insights can't be read: (#10) Application does not have permission for this "
        "action; grant the missing permission to the app, then run 'jadwal accounts check'; "
        "publishing goes on"
    ]
    assert setup.store.insights.problems()["ig"].startswith("(#10) Application does not have")
    fake.add_token(TOKEN, pages=[PAGE], ig_users=[IG], scopes=INSIGHT_SCOPES)
    assert setup.collect(NOW + timedelta(minutes=30)).posts == 1
    assert setup.readings(key)[0].slot == "1h" and "ig" not in setup.store.insights.problems()


def test_reading_now_takes_every_readable_post_as_manual_and_claims_nothing(
    setup: Setup,
) -> None:
    fake = setup.graph
    key = setup.published("ig", fake.seed_media(IG), ago=timedelta(minutes=10))
    story = setup.published("ig", fake.seed_media(IG, "story"), "story", ago=timedelta(hours=30))
    setup.collect(manual=True)
    setup.collect(manual=True)
    assert [r.slot for r in setup.readings(key)] == ["manual", "manual"]
    assert setup.store.insights.taken([key]) == {}  # the planned 1h reading is still to come
    assert setup.readings(story) == []  # a story's insights are gone after 24 hours


def test_a_story_not_known_as_one_is_read_with_a_storys_metrics(setup: Setup) -> None:
    fake = setup.graph
    story = fake.seed_media(IG, "story")
    key = setup.published("ig", story, kind=None)
    assert setup.collect().failed == 0
    got = setup.readings(key)[0]
    assert (got.replies, got.likes) == (fake.served(story)["replies"], None)
