"""The publication state machine as an operator meets it: each occurrence goes out exactly once.

Every test runs on SQLite and on PostgreSQL (``database_url``), with the clock held still: the
engine is handed explicit ``now`` values and ``ctx.clock`` reads the same moment.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from scheduler import cli
from scheduler.adapters.base import Draft, Lookup, Progress, Published
from scheduler.commands import report as report_command
from scheduler.engine import Context, Publisher, Report, publish_due
from scheduler.errors import (
    AuthError,
    JadwalError,
    OutcomeUnknown,
    QuotaExhausted,
    Rejected,
    Throttled,
    Transient,
)
from scheduler.manual import choose, publish_now
from scheduler.store import Publication, Store
from tests.conftest import WriteCalendar
from tests.fakes import Clock, ScriptedAdapter, make_ctx
from tests.helpers import wait_until

JKT = ZoneInfo("Asia/Jakarta")
STORE_CREATED = datetime(2027, 2, 1, tzinfo=UTC)

HEAD = """\
version: 1
timezone: Asia/Jakarta
accounts:
  fb-a: {platform: facebook, page_id: "1", token: "${FB_A_TOKEN}"}
  fb-b: {platform: facebook, page_id: "2", token: "${FB_B_TOKEN}"}
defaults: {accounts: [fb-a]}
rules: {min_posts_per_week: 0, grace: 6h}
posts:
"""


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """A moment in March 2027, Jakarta time (the calendars' zone)."""
    return datetime(2027, 3, day, hour, minute, tzinfo=JKT)


T0 = at(9)


def post(post_id: str, when: str = "2027-03-01 09:00", caption: str = "", **extra: str) -> str:
    caption = json.dumps(caption or post_id)  # a JSON string is a YAML double-quoted scalar
    lines = [f"  - id: {post_id}", f"    at: {when}", f"    caption: {caption}"]
    lines += [f"    {name}: {value}" for name, value in extra.items()]
    return "\n".join(lines) + "\n"


DAILY = "  - id: apel\n    cron: '0 9 * * *'\n    from: 2027-03-01\n    caption: Apel pagi\n"


def key(post_id: str, when: datetime = T0, account: str = "fb-a") -> str:
    return f"{post_id}/{account}/{when.astimezone(UTC):%Y%m%dT%H%MZ}"


class Harness:
    """One calendar folder, one database, one scripted platform and one clock per test."""

    def __init__(self, write_calendar: WriteCalendar, database_url: str) -> None:
        self.write_calendar = write_calendar
        self.url = database_url
        self.adapter = ScriptedAdapter()
        self.clock = Clock(T0)
        self.path: Path | None = None
        self.contexts: list[Context] = []

    def calendar(self, *posts: str) -> Harness:
        self.path = self.write_calendar(HEAD + "".join(posts))
        return self

    def ctx(self, owner: str = "test-owner", publisher: Publisher | None = None) -> Context:
        assert self.path is not None, "write a calendar first"
        ctx = make_ctx(
            self.path, self.url, self.adapter, owner=owner, clock=self.clock, publisher=publisher
        )
        if not self.contexts:
            set_created_at(ctx.store, STORE_CREATED)
        self.contexts.append(ctx)
        return ctx

    def run(self, ctx: Context, now: datetime) -> Report:
        self.clock.now = now
        return publish_due(ctx, now)

    def row(self, ctx: Context, row_key: str) -> Publication:
        row = ctx.store.get(row_key)
        assert row is not None, f"no row for {row_key}"
        return row

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.store.engine.dispose()


def set_created_at(store: Store, when: datetime) -> None:
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE meta SET value = :value WHERE name = 'created_at'"),
            {"value": when.isoformat()},
        )


def plant(ctx: Context, row_key: str, state: str, owner: str, lease_until: datetime) -> None:
    """A row as a publisher that died mid-work would have left it."""
    post_id, account, _ = row_key.split("/")
    row = Publication(
        key=row_key,
        post_id=post_id,
        account=account,
        platform="facebook",
        scheduled_at=T0,
        state=state,
        attempts=1 if state == "publishing" else 0,
        owner=owner,
        lease_until=lease_until,
        created_at=T0,
        updated_at=T0,
    )
    assert ctx.store.claim_new(row)


@pytest.fixture
def h(write_calendar: WriteCalendar, database_url: str) -> Iterator[Harness]:
    harness = Harness(write_calendar, database_url)
    yield harness
    harness.close()


# -- the happy path and time ---------------------------------------------------------------


def test_due_post_is_published_once_and_recorded(h: Harness) -> None:
    ctx = h.calendar(post("rapat", caption="Rapat desa {{ at | jam }}")).ctx()
    assert h.run(ctx, T0 - timedelta(seconds=1)).summary() == "nothing due"
    assert ctx.store.get(key("rapat")) is None
    assert h.run(ctx, T0).summary() == "1 published"
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.attempts) == ("published", 1)
    assert (row.platform_post_id, row.permalink) == ("fake-1", "https://fake/p/1")
    [attempt] = ctx.store.attempts(key("rapat"))
    assert (attempt.number, attempt.outcome, attempt.owner) == (1, "published", "test-owner")
    assert attempt.finished_at is not None
    assert h.adapter.calls[0].caption == "Rapat desa 09.00 WIB"
    assert h.run(ctx, T0).summary() == "nothing due"
    assert h.run(ctx, T0 + timedelta(hours=1)).summary() == "nothing due"
    assert h.adapter.keys == [key("rapat")]


def test_draft_is_never_published_and_skipped_after_grace(h: Harness) -> None:
    ctx = h.calendar(post("bansos", status="draft")).ctx()
    h.run(ctx, T0)
    assert ctx.store.get(key("bansos")) is None
    assert h.run(ctx, T0 + timedelta(hours=6, minutes=1)).summary() == "1 skipped"
    assert h.row(ctx, key("bansos")).state == "skipped"
    assert h.adapter.calls == []


def test_post_older_than_grace_is_missed_not_published(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    assert h.run(ctx, T0 + timedelta(hours=6, minutes=1)).summary() == "1 missed"
    row = h.row(ctx, key("rapat"))
    assert row.state == "missed"
    assert row.error_message == "not published within the grace period (6h) after its time"
    assert h.adapter.calls == []


def test_the_engines_reasons_are_written_in_the_operators_language(
    h: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a record says of a missed post or a draft is in the language the office reads
    (as the platforms' messages are), and the report still knows a draft for a draft."""
    monkeypatch.setenv("JADWAL_LANG", "id")
    ctx = h.calendar(post("rapat"), post("bansos", "2027-03-01 10:00", status="draft")).ctx()
    assert h.run(ctx, T0 + timedelta(hours=7, minutes=1)).summary() == "1 terlewat, 1 dilewati"
    missed, draft = h.row(ctx, key("rapat")), h.row(ctx, key("bansos", at(10)))
    assert missed.error_message == "tidak terbit dalam batas keterlambatan (6h) setelah jadwalnya"
    assert (draft.state, draft.error_message) == ("skipped", "masih draf saat jadwalnya tiba")
    monkeypatch.setenv("JADWAL_LANG", "en")  # read later, in the other language
    assert h.path is not None
    h.path.write_text(h.path.read_text().replace("    status: draft\n", ""))  # approved since
    monkeypatch.setattr(report_command, "now", lambda: at(12, day=31))
    args = ["report", str(h.path), "--month", "2027-03", "--format", "json", "--db", h.url]
    assert cli.run(args) == 0
    lines = json.loads(capsys.readouterr().out)["posts"]
    assert {line["post_id"]: line["state"] for line in lines} == {
        "rapat": "missed",
        "bansos": "draft",
    }


def test_occurrences_from_before_the_store_existed_are_not_missed(h: Harness) -> None:
    ctx = h.calendar(post("lama", "2027-03-01 09:00"), post("baru", "2027-03-02 11:00")).ctx()
    set_created_at(ctx.store, at(10, day=2))
    assert h.run(ctx, at(17, 30, day=2)).summary() == "1 missed"
    assert ctx.store.get(key("lama")) is None
    assert h.row(ctx, key("baru", at(11, day=2))).state == "missed"


# -- errors from the platform ----------------------------------------------------------------


def test_transient_error_is_retried_after_backoff(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(Transient("connection reset"))
    assert h.run(ctx, T0).summary() == "1 retry"
    row = h.row(ctx, key("rapat"))
    assert row.state == "retry"
    assert row.error_message == "Transient: connection reset"
    assert row.next_attempt_at is not None
    assert T0 + timedelta(seconds=30) <= row.next_attempt_at <= T0 + timedelta(seconds=90)
    h.run(ctx, row.next_attempt_at - timedelta(seconds=1))
    assert len(h.adapter.calls) == 1
    assert h.run(ctx, row.next_attempt_at).summary() == "1 published"
    assert (h.row(ctx, key("rapat")).state, h.row(ctx, key("rapat")).attempts) == ("published", 2)


def test_transient_errors_give_up_after_max_attempts(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(*(Transient("timeout") for _ in range(3)))
    now = T0
    for _ in range(2):
        assert h.run(ctx, now).summary() == "1 retry"
        now = h.row(ctx, key("rapat")).next_attempt_at or now
    assert h.run(ctx, now).summary() == "1 failed"
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.attempts) == ("failed", 3)
    assert row.error_message == "gave up after 3 attempts: Transient: timeout"
    h.run(ctx, now + timedelta(hours=1))
    assert len(h.adapter.calls) == 3


def test_throttled_waits_at_least_retry_after(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(Throttled("rate limited", retry_after=timedelta(hours=2), code=4))
    h.run(ctx, T0)
    next_attempt = h.row(ctx, key("rapat")).next_attempt_at
    assert next_attempt is not None and next_attempt >= T0 + timedelta(hours=2)
    h.run(ctx, T0 + timedelta(hours=1, minutes=59))
    assert len(h.adapter.calls) == 1
    assert h.run(ctx, next_attempt).summary() == "1 published"


def test_rejected_fails_at_once_and_is_never_retried(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(Rejected("aspect ratio not supported", code=36003, subcode=2207009))
    assert h.run(ctx, T0).summary() == "1 failed"
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.attempts, row.error_code) == ("failed", 1, "36003/2207009")
    assert row.error_message == "Rejected: (#36003/2207009) aspect ratio not supported"
    [attempt] = ctx.store.attempts(key("rapat"))
    assert (attempt.outcome, attempt.error_code) == ("failed", "36003/2207009")
    h.run(ctx, T0 + timedelta(hours=1))
    assert len(h.adapter.calls) == 1


def test_auth_error_pauses_only_that_account_until_unpaused(h: Harness) -> None:
    ctx = h.calendar(
        post("satu", "2027-03-01 09:00"),
        post("dua", "2027-03-01 09:05"),
        post("lain", "2027-03-01 09:00", accounts="[fb-b]"),
    ).ctx()
    h.adapter.fail(AuthError("token invalid", code=190), account="fb-a")
    h.run(ctx, at(9, 10))
    assert set(ctx.store.paused()) == {"fb-a"}
    assert h.row(ctx, key("lain", account="fb-b")).state == "published"
    assert h.row(ctx, key("satu")).state == "retry"
    assert h.row(ctx, key("dua", at(9, 5))).state == "retry"
    h.run(ctx, at(9, 20))
    assert sorted(h.adapter.keys) == sorted([key("satu"), key("lain", account="fb-b")])
    assert ctx.store.unpause("fb-a")
    assert h.run(ctx, at(9, 30)).summary() == "2 published"
    assert h.adapter.keys[-2:] == [key("satu"), key("dua", at(9, 5))]


def test_quota_exhausted_retries_exactly_when_it_resets(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    resets = at(14, 30)
    h.adapter.fail(QuotaExhausted("publishing limit", resets_at=resets, code=9, subcode=2207042))
    assert h.run(ctx, T0).summary() == "1 retry"
    assert h.row(ctx, key("rapat")).next_attempt_at == resets
    h.run(ctx, resets - timedelta(seconds=1))
    assert len(h.adapter.calls) == 1
    assert h.run(ctx, resets).summary() == "1 published"


# -- unknown outcomes and reconciliation ------------------------------------------------------


def test_outcome_unknown_is_never_resent_while_the_platform_cannot_tell(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(OutcomeUnknown("read timeout after upload"))
    h.adapter.lookup = Lookup("unknown", detail="no recent posts readable")
    assert h.run(ctx, T0).summary() == "1 unknown"
    assert h.row(ctx, key("rapat")).error_message == "OutcomeUnknown: read timeout after upload"
    assert h.run(ctx, T0 + timedelta(minutes=10)).summary() == "nothing due"
    h.run(ctx, T0 + timedelta(hours=2))
    assert len(h.adapter.calls) == 1
    assert h.row(ctx, key("rapat")).state == "unknown"
    assert h.adapter.finds == [(key("rapat"), None)] * 2


def test_reconcile_records_a_post_found_on_the_platform(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(OutcomeUnknown("lost response"))
    h.run(ctx, T0)
    h.adapter.lookup = Lookup("published", Published("fb-99", "https://facebook.com/p/99"))
    assert h.run(ctx, T0 + timedelta(minutes=10)).summary() == "1 published"
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.platform_post_id, row.permalink) == (
        "published",
        "fb-99",
        "https://facebook.com/p/99",
    )
    assert len(h.adapter.calls) == 1


def test_a_lost_answer_is_looked_up_once_its_upload_has_had_time_to_arrive(
    h: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Facebook photo travels in the request that publishes it: on a slow link it may still
    # reach the platform after the answer was given up on, so the lookup waits for it, and
    # the run says when to come back (the daemon wakes then, not at its next sweep).
    monkeypatch.setattr(h.adapter, "arriving", lambda media: 40.0, raising=False)
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(OutcomeUnknown("lost response"))
    h.run(ctx, T0)
    lost_at = h.row(ctx, key("rapat")).updated_at
    h.adapter.lookup = Lookup("published", Published("fb-99", "https://facebook.com/p/99"))
    early = h.run(ctx, lost_at + timedelta(seconds=10))
    assert (early.summary(), early.come_back_at) == ("nothing due", lost_at + timedelta(seconds=40))
    assert h.adapter.finds == []
    later = h.run(ctx, lost_at + timedelta(seconds=40))
    assert (later.summary(), later.come_back_at) == ("1 published", None)
    assert len(h.adapter.finds) == 1


def test_reconcile_resends_once_what_the_platform_does_not_have(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(OutcomeUnknown("lost response"))
    h.run(ctx, T0)
    h.adapter.lookup = Lookup("not_published")
    assert h.run(ctx, T0 + timedelta(minutes=10)).summary() == "1 published"
    assert h.row(ctx, key("rapat")).state == "published"
    h.run(ctx, T0 + timedelta(minutes=20))
    assert h.adapter.keys == [key("rapat")] * 2


def test_a_crashing_lookup_does_not_stop_other_posts(h: Harness) -> None:
    ctx = h.calendar(post("rapat"), post("lain", "2027-03-01 10:00")).ctx()
    h.adapter.fail(OutcomeUnknown("lost response"))
    h.run(ctx, T0)
    h.adapter.lookup = KeyError("id")
    h.run(ctx, at(10))
    assert h.row(ctx, key("rapat")).state == "unknown"
    assert h.row(ctx, key("lain", at(10))).state == "published"


def test_unexpected_adapter_exception_is_unknown_not_resent(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(ValueError("bad response shape"))
    assert h.run(ctx, T0).summary() == "1 unknown"
    row = h.row(ctx, key("rapat"))
    assert row.error_message == "unexpected error: ValueError: bad response shape"
    h.run(ctx, T0 + timedelta(hours=1))
    assert len(h.adapter.calls) == 1


def test_container_id_saved_before_unknown_outcome_is_used_by_find(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(OutcomeUnknown("media_publish timed out"), container="container-1")
    h.run(ctx, T0)
    assert h.row(ctx, key("rapat")).container_id == "container-1"
    h.run(ctx, T0 + timedelta(minutes=5))
    assert h.adapter.finds == [(key("rapat"), "container-1")]


# -- crashes and leases ----------------------------------------------------------------------


def test_publishing_row_of_a_dead_publisher_is_reconciled_not_resent(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    plant(ctx, key("rapat"), "publishing", "dead-owner", lease_until=T0 - timedelta(seconds=1))
    assert h.run(ctx, T0 + timedelta(minutes=1)).summary() == "nothing due"
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.lease_until) == ("unknown", None)
    assert h.adapter.finds == [(key("rapat"), None)]
    h.adapter.lookup = Lookup("published", Published("fb-7", "https://facebook.com/p/7"))
    assert h.run(ctx, T0 + timedelta(minutes=2)).summary() == "1 published"
    assert h.row(ctx, key("rapat")).permalink == "https://facebook.com/p/7"
    assert h.adapter.calls == []


def test_claimed_row_of_a_dead_publisher_is_published_once(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    plant(ctx, key("rapat"), "claimed", "dead-owner", lease_until=T0 - timedelta(seconds=1))
    assert h.run(ctx, T0 + timedelta(minutes=1)).summary() == "1 published"
    h.run(ctx, T0 + timedelta(minutes=2))
    assert h.adapter.keys == [key("rapat")]
    assert h.row(ctx, key("rapat")).owner == "test-owner"


def test_row_with_a_live_lease_is_left_to_its_owner(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    plant(ctx, key("rapat"), "publishing", "busy-owner", lease_until=T0 + timedelta(minutes=1))
    assert h.run(ctx, T0 + timedelta(seconds=30)).summary() == "nothing due"
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.owner) == ("publishing", "busy-owner")
    assert h.adapter.calls == [] and h.adapter.finds == []


def test_release_dead_claims_of_an_owner_ignores_the_lease(h: Harness) -> None:
    ctx = h.calendar(post("satu", "2027-03-01 09:00"), post("dua", "2027-03-01 09:05")).ctx()
    later = T0 + timedelta(hours=1)
    plant(ctx, key("satu"), "publishing", "daemon-x", lease_until=later)
    plant(ctx, key("dua", at(9, 5)), "claimed", "daemon-x", lease_until=later)
    assert ctx.store.release_dead_claims(T0, owner="other") == []
    assert ctx.store.release_dead_claims(T0, owner="daemon-x") == [key("satu")]
    assert h.row(ctx, key("satu")).state == "unknown"
    assert h.row(ctx, key("dua", at(9, 5))).state == "retry"


class PausedBeforeSending(ScriptedAdapter):
    """A publisher whose process is suspended (a laptop lid, a frozen VM) right before its
    publishing call; ``meanwhile`` is what the world does until it wakes up."""

    def __init__(self, meanwhile: Callable[[], None]) -> None:
        super().__init__()
        self.meanwhile = meanwhile

    def publish(self, draft: Draft, progress: Progress) -> Published:
        self.meanwhile()
        return super().publish(draft, progress)


def test_a_publisher_paused_past_its_lease_sends_nothing(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    b = h.calendar(post("rapat")).ctx("daemon-b")

    def meanwhile() -> None:  # daemon B finds the lease expired and settles the row
        h.clock.now = T0 + timedelta(minutes=2)
        assert b.store.release_dead_claims(h.clock.now) == [key("rapat")]

    assert h.path is not None
    paused = PausedBeforeSending(meanwhile)
    a = make_ctx(h.path, h.url, paused, owner="daemon-a", clock=h.clock)
    h.contexts.append(a)
    assert h.run(a, T0).summary() == "nothing due"
    assert paused.calls == []
    assert f"lost {key('rapat')}: this process was paused past its claim; not sent" in (
        caplog.messages
    )
    h.adapter.lookup = Lookup("not_published")
    h.run(b, T0 + timedelta(minutes=3))  # looked up: absent, so safe to send
    h.run(b, T0 + timedelta(minutes=4))
    assert h.adapter.keys == [key("rapat")]
    assert (h.row(b, key("rapat")).state, h.row(b, key("rapat")).owner) == (
        "published",
        "daemon-b",
    )


# -- calendar edits --------------------------------------------------------------------------


def test_post_removed_from_the_calendar_before_its_retry_is_skipped(h: Harness) -> None:
    ctx = h.calendar(post("rapat"), post("nanti", "2027-04-01 09:00")).ctx()
    h.adapter.fail(Transient("timeout"))
    h.run(ctx, T0)
    ctx = h.calendar(post("nanti", "2027-04-01 09:00")).ctx()
    assert h.run(ctx, T0 + timedelta(minutes=10)).summary() == "1 skipped"
    assert h.row(ctx, key("rapat")).state == "skipped"
    assert len(h.adapter.calls) == 1


def test_caption_edited_after_publication_is_not_republished(h: Harness) -> None:
    ctx = h.calendar(post("rapat", caption="Rapat desa")).ctx()
    h.run(ctx, T0)
    ctx = h.calendar(post("rapat", caption="Rapat desa (ralat: di aula)")).ctx()
    assert h.run(ctx, T0 + timedelta(minutes=5)).summary() == "nothing due"
    assert [call.caption for call in h.adapter.calls] == ["Rapat desa"]


def test_time_edited_after_publication_is_not_republished(h: Harness) -> None:
    ctx = h.calendar(post("rapat", "2027-03-01 09:00")).ctx()
    h.run(ctx, T0)
    ctx = h.calendar(post("rapat", "2027-03-01 11:00")).ctx()
    h.run(ctx, at(11))
    assert h.adapter.keys == [key("rapat")]


# -- order and concurrency -------------------------------------------------------------------


def test_one_accounts_posts_go_out_in_time_order(h: Harness) -> None:
    ctx = h.calendar(
        post("ketiga", "2027-03-01 09:10"),
        post("pertama", "2027-03-01 09:00"),
        post("kedua", "2027-03-01 09:05"),
    ).ctx()
    assert h.run(ctx, at(9, 30)).summary() == "3 published"
    assert h.adapter.keys == [key("pertama"), key("kedua", at(9, 5)), key("ketiga", at(9, 10))]


def test_two_publishers_racing_publish_each_occurrence_once(h: Harness) -> None:
    posts = [post(f"p{n}", f"2027-03-01 09:0{n}", accounts="[fb-a, fb-b]") for n in range(5)]
    h.calendar(*posts)
    contexts = [h.ctx("daemon-1"), h.ctx("daemon-2")]
    start = threading.Barrier(len(contexts))
    now = at(9, 30)
    h.clock.now = now

    def race(ctx: Context) -> Report:
        start.wait()
        return publish_due(ctx, now)

    with ThreadPoolExecutor(max_workers=len(contexts)) as pool:
        reports = list(pool.map(race, contexts))
    assert sum(r.counts["published"] for r in reports) == 10
    assert len(h.adapter.keys) == len(set(h.adapter.keys)) == 10
    assert {row.state for row in contexts[0].store.history()} == {"published"}


class HeldAtFirst(ScriptedAdapter):
    """A platform whose first publication hangs until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.go = threading.Event()

    def publish(self, draft: Draft, progress: Progress) -> Published:
        if not self.entered.is_set():
            self.entered.set()
            assert self.go.wait(timeout=30), "the test never let the first publication go"
        return super().publish(draft, progress)


def test_a_run_from_before_a_reload_keeps_each_accounts_order(h: Harness) -> None:
    """The daemon makes a new context on every reload, all with the process's ``Publisher``:
    a post added by the reload waits for the account's posts an earlier run claimed."""
    h.adapter = HeldAtFirst()
    now = at(9, 6)
    h.clock.now = now
    before = h.calendar(post("pertama", "2027-03-01 09:00"), post("kedua", "2027-03-01 09:05"))
    old = before.ctx()
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(publish_due, old, now)
        try:
            assert h.adapter.entered.wait(timeout=30)  # pertama is going out, kedua waits
            h.calendar(
                post("pertama", "2027-03-01 09:00"),
                post("kedua", "2027-03-01 09:05"),
                post("ketiga", "2027-03-01 09:06"),
            )
            reloaded = h.ctx(publisher=old.publisher)
            second = pool.submit(publish_due, reloaded, now)
            assert wait_until(lambda: reloaded.store.get(key("ketiga", now)) is not None)
            time.sleep(0.3)  # time enough for ketiga to go out, if it were not waiting its turn
            assert h.adapter.keys == []
        finally:
            h.adapter.go.set()
        assert first.result().summary() == "2 published"
        assert second.result().summary() == "1 published"
    assert h.adapter.keys == [key("pertama"), key("kedua", at(9, 5)), key("ketiga", now)]


# -- people: jadwal post and jadwal resolve --------------------------------------------------


def test_manual_publish_of_the_next_occurrence_and_again(h: Harness) -> None:
    ctx = h.calendar(DAILY).ctx()
    now = at(8)
    [occurrence] = choose(ctx.calendar, "apel", None, None, now)
    assert occurrence.at == T0
    assert publish_now(ctx, [occurrence], now, again=False).summary() == "1 published"
    with pytest.raises(JadwalError, match=r"; add --again to publish it once more$"):
        publish_now(ctx, [occurrence], now, again=False)
    assert publish_now(ctx, [occurrence], now, again=True).summary() == "1 published"
    assert h.adapter.keys == [key("apel"), key("apel") + "~again1"]
    assert h.row(ctx, key("apel") + "~again1").state == "published"
    assert h.run(ctx, T0).summary() == "nothing due"


def test_manual_next_occurrence_is_after_now(h: Harness) -> None:
    ctx = h.calendar(DAILY).ctx()
    [occurrence] = choose(ctx.calendar, "apel", None, None, at(10))
    assert occurrence.at == at(9, day=2)


def test_manual_publication_that_failed_transiently_is_retried(h: Harness) -> None:
    ctx = h.calendar(post("rapat", "2027-03-10 09:00")).ctx()
    [occurrence] = choose(ctx.calendar, "rapat", None, None, T0)
    h.adapter.fail(Transient("timeout"))
    assert publish_now(ctx, [occurrence], T0, again=False).summary() == "1 retry"
    h.run(ctx, T0 + timedelta(minutes=5))
    assert h.row(ctx, occurrence.key).state != "skipped"
    h.run(ctx, at(9, day=10))
    assert h.row(ctx, occurrence.key).state == "published"
    assert len(h.adapter.calls) == 2


def test_resolve_settles_only_unknown_rows(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(OutcomeUnknown("lost response"))
    h.run(ctx, T0)
    later = T0 + timedelta(hours=1)
    assert ctx.store.resolve(key("rapat"), later, "https://facebook.com/p/1")
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.permalink) == ("published", "https://facebook.com/p/1")
    assert not ctx.store.resolve(key("rapat"), later, "https://facebook.com/p/2")
    assert h.row(ctx, key("rapat")).permalink == "https://facebook.com/p/1"


def test_head_names_the_newest_migration() -> None:
    from scheduler.database import HEAD, MIGRATIONS

    revisions = sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("0*.py"))
    assert revisions[-1] == HEAD


def test_opening_twice_keeps_the_history(database_url: str) -> None:
    from scheduler.database import open_store

    first = open_store(database_url)
    created = first.created_at()
    first.close()
    second = open_store(database_url)
    assert second.created_at() == created
    second.close()


def test_throttling_waits_without_using_up_attempts(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(*[Throttled("Please wait a few minutes", timedelta(minutes=30))] * 4)
    now = T0
    for _ in range(4):
        h.run(ctx, now)
        row = h.row(ctx, key("rapat"))
        assert row.state == "retry" and row.next_attempt_at is not None
        now = row.next_attempt_at
    h.run(ctx, now)
    assert h.row(ctx, key("rapat")).state == "published"


def test_throttled_for_two_days_gives_up_and_says_why(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.run(ctx, T0 - timedelta(minutes=1))  # nothing due yet
    row_key = key("rapat")
    h.adapter.fail(Throttled("Feedback required", timedelta(hours=12)))
    h.run(ctx, T0)
    h.adapter.fail(Throttled("Feedback required", timedelta(hours=12)))
    h.run(ctx, T0 + timedelta(days=2, minutes=1))
    row = h.row(ctx, row_key)
    assert row.state == "failed"
    assert row.error_message == (
        "still waiting 48h01m after its time: Throttled: Feedback required"
    )
