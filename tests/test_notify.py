"""Notifications: what the store recorded is told once, through Apprise, to a local webhook;
a webhook answering 500 gets the message once it recovers; secrets never reach a message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.calendar.load import load_calendar
from scheduler.database import open_store, sqlite_url
from scheduler.notify import notify_once, outbox_of
from scheduler.store import Publication, State, Store
from tests.webhook import webhook

CALENDAR = """
version: 1
timezone: Asia/Jakarta
vars:
  instansi: Pemerintah Desa Sukamaju
accounts:
  ig-desa:
    platform: instagram
    ig_user_id: "17841400000000001"
    token: ${IG_DESA_TOKEN}
notify:
  - url: ${NOTIFY_HOOK}
"""
NOW = datetime(2026, 12, 5, 2, 30, tzinfo=UTC)
TOKEN = "EAAGsecretsecretsecret123"


def failed_row(post: str, error: str) -> Publication:
    at = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    return Publication(
        key=f"{post}/ig-desa/20261205T0200Z",
        post_id=post,
        account="ig-desa",
        platform="instagram",
        scheduled_at=at,
        state=State.FAILED,
        attempts=1,
        error_message=error,
        created_at=at,
        updated_at=NOW - timedelta(minutes=1),
    )


def setup(write_calendar, monkeypatch: pytest.MonkeyPatch, url: str) -> tuple[object, Store]:
    path: Path = write_calendar(CALENDAR)
    monkeypatch.setenv("NOTIFY_HOOK", url)
    monkeypatch.setenv("IG_DESA_TOKEN", TOKEN)
    store = open_store(sqlite_url(path.parent / "jadwal.db"))
    return load_calendar(path), store


def test_two_failures_of_one_account_are_one_message_sent_once(write_calendar, monkeypatch):
    with webhook() as hook:
        calendar, store = setup(write_calendar, monkeypatch, hook.url)
        store.claim_new(failed_row("info-posyandu", f"(#100) Invalid parameter {TOKEN}"))
        store.claim_new(failed_row("sop-ktp", "(#9004) the media URL could not be fetched"))
        assert notify_once(calendar, store, "test", NOW) == 1
        assert notify_once(calendar, store, "other", NOW + timedelta(minutes=1)) == 0
    assert len(hook.received) == 1
    sent = hook.received[0]
    assert sent["title"] == "[jadwal] Pemerintah Desa Sukamaju: ig-desa: 2 posts failed"
    assert sent["message"] == (
        "Pemerintah Desa Sukamaju: ig-desa (instagram)\n"
        "These posts failed and will not be tried again:\n"
        "- info-posyandu at 2026-12-05 09:00 WIB: (#100) Invalid parameter [secret]\n"
        "  key info-posyandu/ig-desa/20261205T0200Z\n"
        "  Next step: fix what the error says (the caption, the media or the account), then "
        'publish it again with: jadwal post info-posyandu --account ig-desa --at "2026-12-05 '
        '09:00" --again\n'
        "- sop-ktp at 2026-12-05 09:00 WIB: (#9004) the media URL could not be fetched\n"
        "  key sop-ktp/ig-desa/20261205T0200Z\n"
        "  Next step: fix what the error says (the caption, the media or the account), then "
        'publish it again with: jadwal post sop-ktp --account ig-desa --at "2026-12-05 '
        '09:00" --again'
    )
    assert TOKEN not in str(hook.received)


def test_a_webhook_answering_500_gets_the_message_once_after_it_recovers(
    write_calendar, monkeypatch
):
    with webhook() as hook:
        calendar, store = setup(write_calendar, monkeypatch, hook.url)
        store.claim_new(failed_row("info-posyandu", "(#100) Invalid parameter"))
        hook.status = 500
        assert notify_once(calendar, store, "test", NOW) == 0
        [queued] = outbox_of(store).unsent()
        assert queued.state == "queued" and queued.tries == 1
        assert hook.url.removeprefix("json://") not in (queued.answer or "")
        hook.status = 200
        assert notify_once(calendar, store, "test", NOW + timedelta(seconds=10)) == 0  # backoff
        assert notify_once(calendar, store, "test", NOW + timedelta(seconds=31)) == 1
        assert notify_once(calendar, store, "test", NOW + timedelta(minutes=5)) == 0
    assert len(hook.received) == 1
    assert outbox_of(store).unsent() == []


def test_an_inline_apprise_url_is_the_inline_secret_error(write_calendar):
    from scheduler.calendar.load import read_calendar_file

    path = write_calendar(CALENDAR.replace("${NOTIFY_HOOK}", "tgram://123456:ABCDEF/999"))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.severity == "error"] == [
        f"{path}:11:10: error: notify entry 1: 'url' holds a secret written inline; write a "
        "reference such as url: ${NOTIFY_URL} and put the Apprise URL in the environment or "
        "in .env beside the calendar"
    ]


def test_notify_test_sends_to_each_url_and_prints_its_answer(write_calendar, monkeypatch, capsys):
    from scheduler import cli

    with webhook() as hook:
        path: Path = write_calendar(CALENDAR)
        monkeypatch.setenv("NOTIFY_HOOK", hook.url)
        code = cli.run(["notify", "test", str(path)])
    assert code == 0
    assert capsys.readouterr().out == ("${NOTIFY_HOOK}: sent (Sent JSON POST notification.)\n")
    assert hook.received[0]["title"] == "[jadwal] Pemerintah Desa Sukamaju: test message"


def test_an_account_paused_with_twenty_posts_waiting_is_one_message(write_calendar, monkeypatch):
    with webhook() as hook:
        calendar, store = setup(write_calendar, monkeypatch, hook.url)
        for n in range(20):
            row = failed_row(f"post-{n:02d}", "")
            row.state, row.error_message = State.RETRY, None
            store.claim_new(row)
        store.pause("ig-desa", "(#190) the token is no longer valid", NOW - timedelta(minutes=2))
        assert notify_once(calendar, store, "a", NOW) == 1
        assert notify_once(calendar, store, "b", NOW + timedelta(minutes=1)) == 0
    [sent] = hook.received
    assert sent["title"] == "[jadwal] Pemerintah Desa Sukamaju: account ig-desa paused"
    lines = sent["message"].splitlines()
    assert lines[1] == (
        "Nothing is published for ig-desa since 2026-12-05 09:28 WIB: "
        "(#190) the token is no longer valid"
    )
    assert lines[2].startswith("20 posts wait for it: post-00 (2026-12-05 09:00 WIB), ")
    assert lines[3] == (
        "Next step: fix the login or token, run jadwal accounts check ig-desa, then "
        "jadwal accounts resume ig-desa"
    )


def test_a_message_whose_sender_died_mid_send_is_sent_after_its_lease(write_calendar, monkeypatch):
    with webhook() as hook:
        calendar, store = setup(write_calendar, monkeypatch, hook.url)
        store.claim_new(failed_row("info-posyandu", "(#100) Invalid parameter"))
        outbox = outbox_of(store)
        from scheduler.notify.events import collect

        collect(calendar, store, outbox, NOW)
        assert len(outbox.take("dead", NOW)) == 1  # claimed, then the process was killed
        assert notify_once(calendar, store, "alive", NOW + timedelta(minutes=1)) == 0
        assert notify_once(calendar, store, "alive", NOW + timedelta(minutes=3)) == 1
    assert len(hook.received) == 1


def test_a_dry_run_tells_nobody(write_calendar, monkeypatch):
    # A rehearsal sends nothing out of the machine: not the posts, not the notifications.
    import os
    import subprocess
    from zoneinfo import ZoneInfo

    from tests.commands import JADWAL

    due = (datetime.now(UTC) - timedelta(minutes=5)).astimezone(ZoneInfo("Asia/Jakarta"))
    with webhook() as hook:
        path = write_calendar(
            CALENDAR.replace("notify:\n  - url: ${NOTIFY_HOOK}\n", "")
            + "notify:\n  - url: ${NOTIFY_HOOK}\n    on: [published, failed]\n"
            + f"posts:\n  - id: rapat\n    accounts: [ig-desa]\n    at: '{due:%Y-%m-%d %H:%M}'\n"
            + "    caption: Rapat desa\n    media: [media/posyandu.jpg]\n"
        )
        env = {**os.environ, "NOTIFY_HOOK": hook.url, "IG_DESA_TOKEN": TOKEN}
        result = subprocess.run(
            [*JADWAL, "tick", str(path), "--dry-run"],
            cwd=path.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        # The dry run refuses it as the real adapter would (no media route): a failure that a
        # real tick would tell, told by nobody here.
        assert "jadwal tick: 1 failed" in result.stdout, result.stdout + result.stderr
    assert hook.received == []
