"""The emergency stop (``jadwal pause``/``resume``) as the engine and the store honour it.

Every test runs on SQLite and on PostgreSQL, with the engine's clock held still (the harness of
``tests/test_engine.py``). A stop is issued here the way ``jadwal pause`` issues it: one
``Store.stops.add`` with the person's name and the moment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect
from sqlmodel import SQLModel

from scheduler.accounts import AccountReport, resume_passing
from scheduler.adapters.base import CheckResult, Draft, Progress, Published
from scheduler.engine import Context
from scheduler.engine.attempt import publish_work
from scheduler.engine.claims import claim_due
from scheduler.engine.context import Report
from scheduler.errors import QuotaExhausted, Transient
from scheduler.manual import publish_now
from scheduler.store import Stop
from tests.conftest import WriteCalendar
from tests.fakes import ScriptedAdapter, make_ctx
from tests.test_engine import DAILY, T0, Harness, at, key, post

BUDI, ANI = "budi@kominfo-pc", "ani@kominfo-pc"
MOURNING = "Hari berkabung nasional"


@pytest.fixture
def h(write_calendar: WriteCalendar, database_url: str) -> Iterator[Harness]:
    harness = Harness(write_calendar, database_url)
    yield harness
    harness.close()


def stop(ctx: Context, account: str | None, since: datetime, until: datetime | None = None) -> Stop:
    made, _ = ctx.store.stops.add(account, BUDI, MOURNING, since, until)
    return made


def said(caplog: pytest.LogCaptureFixture, start: str) -> list[str]:
    return [m for m in caplog.messages if m.startswith(start)]


# -- what is due during a stop -------------------------------------------------------------


def test_posts_due_during_a_stop_are_skipped_with_its_reason_and_stay_skipped(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jadwal")
    ctx = h.calendar(
        DAILY, post("ucapan", "2027-03-01 10:00"), post("lain", accounts="[fb-b]")
    ).ctx()
    stop(ctx, "fb-a", at(8))
    assert h.run(ctx, T0).summary() == "1 published, 1 skipped"  # fb-b is not stopped
    row = h.row(ctx, key("apel"))
    assert row.state == "skipped"
    assert row.error_message == (
        "stopped by budi@kominfo-pc since 2027-03-01 08:00 WIB until resumed: "
        "Hari berkabung nasional"
    )
    assert said(caplog, "STOPPED") == [
        "STOPPED fb-a by budi@kominfo-pc since 2027-03-01 08:00 WIB until resumed: "
        "Hari berkabung nasional. Posts due meanwhile are recorded as skipped, not sent "
        "later; 'jadwal resume fb-a' lifts it."
    ]
    assert f"skipped {key('apel')}: {row.error_message}" in caplog.messages
    h.run(ctx, T0 + timedelta(minutes=1))  # the next sweep: nothing logged again
    assert len(said(caplog, "STOPPED")) == 1
    assert ctx.store.stops.lift("fb-a", ANI, at(9, 30))
    assert h.run(ctx, at(9, 31)).summary() == "nothing due"  # not sent after the stop
    assert h.run(ctx, at(10)).summary() == "1 published"
    assert h.adapter.keys == [key("lain", account="fb-b"), key("ucapan", at(10))]
    assert h.row(ctx, key("apel")).state == "skipped"
    assert said(caplog, "RESUMED") == [
        "RESUMED fb-a: the stop set by budi@kominfo-pc at 2027-03-01 08:00 WIB "
        "(Hari berkabung nasional) was lifted by ani@kominfo-pc at 2027-03-01 09:30 WIB"
    ]


def test_a_post_whose_time_fell_in_a_stop_is_skipped_even_if_nothing_ran_meanwhile(
    h: Harness,
) -> None:
    ctx = h.calendar(post("ucapan")).ctx()
    stop(ctx, None, at(8))
    ctx.store.stops.lift(None, ANI, at(9, 30))
    # The daemon was down through the stop and comes back inside the post's grace period.
    assert h.run(ctx, at(9, 45)).summary() == "1 skipped"
    assert h.row(ctx, key("ucapan")).error_message == (
        "stopped by budi@kominfo-pc since 2027-03-01 08:00 WIB until resumed: "
        "Hari berkabung nasional"
    )
    assert h.adapter.calls == []


def test_a_stop_outlasting_the_grace_period_skips_rather_than_misses(h: Harness) -> None:
    ctx = h.calendar(post("ucapan")).ctx()
    stop(ctx, None, at(8))
    assert h.run(ctx, at(16)).summary() == "1 skipped"  # 7 hours late: the stop says why
    assert h.row(ctx, key("ucapan")).state == "skipped"


def test_until_ends_the_stop_by_itself(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="jadwal")
    ctx = h.calendar(
        post("pagi", "2027-03-01 09:00"),
        post("tepat", "2027-03-01 09:30"),
        post("siang", "2027-03-01 10:00"),
    ).ctx()
    stop(ctx, None, at(8), until=at(9, 30))
    assert h.run(ctx, T0).summary() == "1 skipped"
    assert h.row(ctx, key("pagi")).error_message == (
        "stopped by budi@kominfo-pc since 2027-03-01 08:00 WIB until 2027-03-01 09:30 WIB: "
        "Hari berkabung nasional"
    )
    assert said(caplog, "STOPPED") == [
        "STOPPED every account by budi@kominfo-pc since 2027-03-01 08:00 WIB until "
        "2027-03-01 09:30 WIB: Hari berkabung nasional. Posts due meanwhile are recorded as "
        "skipped, not sent later; 'jadwal resume' lifts it."
    ]
    assert h.run(ctx, at(9, 30)).summary() == "1 published"  # the stop ends at its time
    assert h.run(ctx, at(10)).summary() == "1 published"
    assert h.adapter.keys == [key("tepat", at(9, 30)), key("siang", at(10))]
    assert said(caplog, "RESUMED") == [
        "RESUMED every account: the stop set by budi@kominfo-pc at 2027-03-01 08:00 WIB "
        "(Hari berkabung nasional) ended at 2027-03-01 09:30 WIB, the time it was given"
    ]


def test_a_stop_of_one_account_leaves_the_others_alone(h: Harness) -> None:
    ctx = h.calendar(post("rapat", accounts="[fb-a, fb-b]")).ctx()
    stop(ctx, "fb-b", at(8))
    assert h.run(ctx, T0).summary() == "1 published, 1 skipped"
    assert h.adapter.keys == [key("rapat")]
    assert h.row(ctx, key("rapat", account="fb-b")).state == "skipped"


# -- claims and retries --------------------------------------------------------------------


def test_a_claim_queued_before_the_stop_is_not_sent(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.clock.now = T0
    work = ctx.publisher.claim(lambda: claim_due(ctx, T0, Report()))
    assert [o.key for o in work] == [key("rapat")]
    stop(ctx, "fb-a", T0 + timedelta(seconds=1))  # while the claim waits its turn
    h.clock.now = T0 + timedelta(seconds=2)
    assert publish_work(ctx, work) == ["skipped"]
    row = h.row(ctx, key("rapat"))
    assert (row.state, row.owner, row.lease_until) == ("skipped", "test-owner", None)
    assert row.error_message == (
        "stopped by budi@kominfo-pc since 2027-03-01 09:00 WIB until resumed: "
        "Hari berkabung nasional"
    )
    assert h.adapter.calls == []


class StoppedDuringUpload(ScriptedAdapter):
    """Someone runs ``jadwal pause`` while the media uploads, before the post goes public."""

    def __init__(self, issue: Callable[[], None]) -> None:
        super().__init__()
        self.issue = issue

    def publish(self, draft: Draft, progress: Progress) -> Published:
        self.issue()
        return super().publish(draft, progress)  # confirms first, as every adapter does


def test_a_stop_issued_during_the_upload_sends_nothing(h: Harness) -> None:
    h.calendar(post("rapat"))
    assert h.path is not None
    uploading = StoppedDuringUpload(lambda: stop(ctx, None, T0 + timedelta(seconds=5)))
    ctx = make_ctx(h.path, h.url, uploading, clock=h.clock)
    h.contexts.append(ctx)
    h.clock.now = T0 + timedelta(seconds=10)
    assert h.run(ctx, T0 + timedelta(seconds=10)).summary() == "1 skipped"
    assert uploading.calls == []
    row = h.row(ctx, key("rapat"))
    assert row.state == "skipped" and row.error_message is not None
    assert row.error_message.startswith("stopped by budi@kominfo-pc since 2027-03-01 09:00 WIB")
    [attempt] = ctx.store.attempts(key("rapat"))
    assert attempt.outcome == "skipped" and attempt.finished_at is not None


def test_a_retry_due_during_a_stop_is_skipped_not_tried(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(Transient("connection reset"))
    assert h.run(ctx, T0).summary() == "1 retry"
    retry_at = h.row(ctx, key("rapat")).next_attempt_at
    assert retry_at is not None
    stop(ctx, "fb-a", T0 + timedelta(seconds=5))
    assert h.run(ctx, retry_at).summary() == "1 skipped"
    assert h.row(ctx, key("rapat")).error_message == (
        "stopped by budi@kominfo-pc since 2027-03-01 09:00 WIB until resumed: "
        "Hari berkabung nasional"
    )
    ctx.store.stops.lift("fb-a", ANI, retry_at + timedelta(minutes=1))
    assert h.run(ctx, retry_at + timedelta(minutes=2)).summary() == "nothing due"
    assert len(h.adapter.calls) == 1


def test_a_retry_due_after_the_stop_ended_goes_out(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    h.adapter.fail(QuotaExhausted("quota used up", resets_at=at(12)))
    assert h.run(ctx, T0).summary() == "1 retry"
    stop(ctx, None, at(10), until=at(11))
    assert h.run(ctx, at(10, 30)).summary() == "nothing due"
    assert h.run(ctx, at(12)).summary() == "1 published"


def test_manual_post_during_a_stop_sends_nothing(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    stop(ctx, "fb-a", at(8))
    [occurrence] = ctx.occurrences(T0, T0)
    assert publish_now(ctx, [occurrence], at(8, 30), again=False).summary() == "1 skipped"
    assert h.adapter.calls == []


# -- a person's stop and the automatic pause -----------------------------------------------


def test_accounts_check_lifts_the_automatic_pause_but_never_a_stop(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    ctx.store.pause("fb-a", "AuthError: (#190) token expired", at(8))
    stop(ctx, "fb-a", at(8, 30))
    passing = AccountReport(ctx.calendar.accounts["fb-a"], [CheckResult("token", True, "valid")])
    assert resume_passing(ctx.store, [passing]) == ["fb-a"]
    assert ctx.store.paused() == {}
    assert ctx.store.stops.in_force("fb-a", T0) is not None
    assert h.run(ctx, T0).summary() == "1 skipped"
    assert h.adapter.calls == []


def test_resuming_the_automatic_pause_leaves_the_stop(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    ctx.store.pause("fb-a", "AuthError: (#190) token expired", at(8))
    stop(ctx, None, at(8, 30))
    assert ctx.store.unpause("fb-a")  # jadwal accounts resume fb-a
    assert h.run(ctx, T0).summary() == "1 skipped"


# -- the rows ------------------------------------------------------------------------------


def test_a_new_stop_replaces_the_one_in_force_and_both_stay_in_history(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    first = stop(ctx, "fb-a", at(7), until=at(12))
    second, replaced = ctx.store.stops.add("fb-a", ANI, "Bencana banjir", at(8), None)
    assert [(s.id, s.lifted_at, s.lifted_by) for s in replaced] == [(first.id, at(8), ANI)]
    assert [(s.reason, s.in_force(at(9))) for s in ctx.store.stops.recent()] == [
        (MOURNING, False),
        ("Bencana banjir", True),
    ]
    assert ctx.store.stops.in_force("fb-a", at(9)) == second
    assert ctx.store.stops.in_force("fb-b", at(9)) is None


def test_lifting_reports_only_what_it_lifted(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    assert ctx.store.stops.lift(None, ANI, at(8)) == []
    stop(ctx, None, at(7))
    stop(ctx, "fb-a", at(7, 30))
    [lifted] = ctx.store.stops.lift(None, ANI, at(8))
    assert (lifted.account, lifted.lifted_by) == (None, ANI)
    assert ctx.store.stops.lift(None, ANI, at(8, 30)) == []
    assert ctx.store.stops.in_force("fb-a", at(9)) is not None  # its own stop stays
    ended = stop(ctx, "fb-b", at(9), until=at(10))
    assert ctx.store.stops.lift("fb-b", ANI, at(11)) == []  # ended by itself already
    assert ended.end == at(10)


def test_each_log_line_of_a_stop_is_noted_once(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    made = stop(ctx, None, at(8))
    assert made.id is not None
    assert ctx.store.stops.note(made.id, None, "stopped")
    assert not ctx.store.stops.note(made.id, None, "stopped")  # another daemon was first
    assert ctx.store.stops.note(made.id, "stopped", "ended")


# -- the schema ----------------------------------------------------------------------------


def test_a_database_from_before_the_stops_is_upgraded_with_its_history(
    database_url: str,
) -> None:
    from alembic import command
    from alembic.config import Config

    from scheduler.database import MIGRATIONS, open_store
    from scheduler.store import make_engine

    engine = make_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO account_pauses (account, reason, since) "
            "VALUES ('fb', 'expired', '2027-03-01 01:00:00')"
        )
    engine.dispose()
    store = open_store(database_url)
    assert list(store.paused()) == ["fb"]
    made, _ = store.stops.add(None, BUDI, MOURNING, T0, None)
    assert store.stops.recent() == [made]
    store.close()


def test_the_tables_describe_the_migrated_columns(database_url: str) -> None:
    from scheduler.database import open_store

    store = open_store(database_url)
    found = inspect(store.engine)
    for table in SQLModel.metadata.sorted_tables:
        migrated = {c["name"]: c["nullable"] for c in found.get_columns(table.name)}
        described = {c.name: c.nullable for c in table.columns}
        assert migrated == described, table.name
    store.close()


def test_stop_times_are_kept_in_utc(h: Harness) -> None:
    ctx = h.calendar(post("rapat")).ctx()
    made = stop(ctx, None, at(8), until=at(9))
    [read] = ctx.store.stops.recent()
    assert (read.since, read.until) == (at(8), at(9)) == (made.since, made.until)
    assert read.since.tzinfo == UTC


def test_a_post_missed_before_the_stop_began_stays_missed(h: Harness) -> None:
    ctx = h.calendar(post("subuh", "2027-03-01 01:00")).ctx()
    stop(ctx, None, at(8))  # its grace period ended at 07:00; nothing ran all night
    assert h.run(ctx, at(9)).summary() == "1 missed"
