"""Notifications as a person receives them: by e-mail through a local SMTP server, never with
a secret in them, once per event however many publishers look, after the service comes back,
and never in the way of a post (a webhook that hangs while posts are due)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from scheduler.calendar.load import load_calendar
from scheduler.database import open_store, sqlite_url
from scheduler.notify import notify_once
from scheduler.store import State, Store
from tests.commands import JADWAL
from tests.conftest import WriteCalendar
from tests.daemonproc import DaemonProcess
from tests.fakegraph import FakeGraph
from tests.test_notify import CALENDAR, NOW, TOKEN, failed_row
from tests.webhook import webhook

JAKARTA = ZoneInfo("Asia/Jakarta")


# -- e-mail -----------------------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[tuple[int, list[EmailMessage]]]:
    """An SMTP server on 127.0.0.1 that keeps every message it is given."""
    received: list[EmailMessage] = []

    class Keep:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Controller(Keep(), hostname="127.0.0.1", port=port)
    server.start()
    yield port, received
    server.stop()


def test_a_failure_arrives_by_email_with_the_post_and_the_next_step(
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
    smtp: tuple[int, list[EmailMessage]],
) -> None:
    port, received = smtp
    path = write_calendar(CALENDAR.replace("${NOTIFY_HOOK}", "${NOTIFY_EMAIL}"))
    monkeypatch.setenv("NOTIFY_EMAIL", f"mailto://127.0.0.1:{port}?from=jadwal@sukamaju.desa.id"
                       "&to=operator@sukamaju.desa.id&mode=insecure")  # fmt: skip
    monkeypatch.setenv("IG_DESA_TOKEN", TOKEN)
    store = open_store(sqlite_url(path.parent / "jadwal.db"))
    store.claim_new(failed_row("info-posyandu", f"(#100) Invalid parameter {TOKEN}"))

    assert notify_once(load_calendar(path), store, "test", NOW) == 1
    store.close()
    [mail] = received
    assert mail["Subject"] == "[jadwal] Pemerintah Desa Sukamaju: ig-desa: 1 post failed"
    assert (mail["From"], mail["To"]) == ("jadwal@sukamaju.desa.id", "operator@sukamaju.desa.id")
    text = mail.get_body(("plain",))
    assert text is not None
    assert text.get_content().replace("\r\n", "\n").strip() == (
        "Pemerintah Desa Sukamaju: ig-desa (instagram)\n"
        "These posts failed and will not be tried again:\n"
        "- info-posyandu at 2026-12-05 09:00 WIB: (#100) Invalid parameter [secret]\n"
        "  key info-posyandu/ig-desa/20261205T0200Z\n"
        "  Next step: fix what the error says (the caption, the media or the account), then "
        'publish it again with: jadwal post info-posyandu --account ig-desa --at "2026-12-05 '
        '09:00" --again'
    )
    assert TOKEN not in mail.as_string()


# -- secrets ------------------------------------------------------------------------------------

CANARIES = {
    "IG_DESA_TOKEN": "EAAGcanaryTOKEN0123456789abcdefXYZ",
    "IG_LOGIN_TOKEN": "IGAAcanaryLOGIN0123456789abcdefXYZ",
    "FB_USER_TOKEN": "EAAGcanaryUSER0123456789abcdefXYZ0",
    "META_APP_SECRET": "canarySECRET0123456789abcdef",
}
EVERY_EVENT = """
version: 1
timezone: Asia/Jakarta
vars: {instansi: Pemerintah Desa Sukamaju}
accounts:
  ig-desa: {platform: instagram, ig_user_id: '17841', token: '${IG_DESA_TOKEN}',
            app_id: '${META_APP_ID}', app_secret: '${META_APP_SECRET}'}
  ig-login: {platform: instagram, via: instagram_login, token: '${IG_LOGIN_TOKEN}'}
  fb-desa: {platform: facebook, page_id: '1001', token: '${IG_DESA_TOKEN}',
            app_id: '${META_APP_ID}', user_token: '${FB_USER_TOKEN}'}
media: {public_base_url: 'https://desa.example/media'}
notify:
  - url: ${NOTIFY_HOOK}
    on: [failed, paused, unknown, missed, quota, token_expiring, published, digest]
    digest_at: "00:00"
"""


def test_no_secret_reaches_any_notification_title_or_body(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from scheduler.adapters.graph.igtoken import Kept, TokenKeeper, fingerprint

    everything = " ".join(CANARIES.values())
    for name, value in CANARIES.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("META_APP_ID", "880001")
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path / "sessions"))
    # The Instagram Login token expires in three days and its refresh failed, echoing it.
    login = CANARIES["IG_LOGIN_TOKEN"]
    first, expires = (NOW - timedelta(days=57)).isoformat(), (NOW + timedelta(days=3)).isoformat()
    kept = Kept(fingerprint(login), login, first, expires, failure=f"HTTP 400: bad {login}")
    TokenKeeper("ig-login", login, "https://graph.instagram.com")._write(kept)
    with webhook() as hook:
        path = write_calendar(EVERY_EVENT)
        monkeypatch.setenv("NOTIFY_HOOK", hook.url)
        store = open_store(sqlite_url(path.parent / "jadwal.db"))
        for n, state in enumerate((State.FAILED, State.UNKNOWN, State.MISSED, State.PUBLISHED)):
            row = failed_row(f"post-{n}", f"Meta said: {everything}")
            row.state, row.permalink = state, f"https://facebook.example/{everything}"
            row.scheduled_at = NOW - timedelta(days=1)  # in yesterday's digest too
            store.claim_new(row)
        store.pause("fb-desa", f"(#190) token {everything} expired", NOW - timedelta(minutes=5))
        assert notify_once(load_calendar(path), store, "test", NOW) >= 6
        store.close()
    events = {str(sent["title"]).split(": ", 1)[1] for sent in hook.received}
    assert "ig-login: the Instagram token expires soon" in events
    assert any(title.startswith("daily digest") for title in events)
    for sent in hook.received:
        for value in CANARIES.values():
            assert value not in str(sent), (value, sent["title"])
        assert hook.url.removeprefix("json://") not in str(sent)


def test_an_expiring_instagram_login_token_is_told_once_per_token(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from scheduler.adapters.graph.igtoken import Kept, TokenKeeper, fingerprint

    login = CANARIES["IG_LOGIN_TOKEN"]
    monkeypatch.setenv("IG_LOGIN_TOKEN", login)
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path / "sessions"))
    keeper = TokenKeeper("ig-login", login, "https://graph.instagram.com")
    first = (NOW - timedelta(days=50)).isoformat()
    keeper._write(Kept(fingerprint(login), login, first, (NOW + timedelta(days=9)).isoformat()))
    with webhook() as hook:
        path = write_calendar(
            "version: 1\ntimezone: Asia/Jakarta\nvars: {instansi: Kelurahan Maju}\naccounts:\n"
            "  ig-login: {platform: instagram, via: instagram_login, token: '${IG_LOGIN_TOKEN}'}\n"
            "media: {public_base_url: 'https://kel.example/media'}\n"
            "notify:\n  - url: ${NOTIFY_HOOK}\n"
        )
        monkeypatch.setenv("NOTIFY_HOOK", hook.url)
        calendar = load_calendar(path)
        store = open_store(sqlite_url(path.parent / "jadwal.db"))
        assert notify_once(calendar, store, "a", NOW) == 1
        assert notify_once(calendar, store, "b", NOW + timedelta(hours=1)) == 0
        # Ten days later every refresh had failed, and the token has expired: told again.
        keeper._write(Kept(fingerprint(login), login, first, (NOW + timedelta(days=9)).isoformat(),
                           failure="HTTP 400: Session has expired"))  # fmt: skip
        assert notify_once(calendar, store, "a", NOW + timedelta(days=10)) == 1
        assert notify_once(calendar, store, "b", NOW + timedelta(days=11)) == 0
        store.close()
    soon = hook.received[0]
    assert soon["title"] == "[jadwal] Kelurahan Maju: ig-login: the Instagram token expires soon"
    assert soon["message"] == (
        "Kelurahan Maju: ig-login (instagram)\n"
        f"token expires in 9 days, on {(NOW + timedelta(days=9)):%Y-%m-%d}\n"
        "Next step: nothing yet: jadwal refreshes the token by itself once a day while it runs; "
        "if this message comes again, issue a new long-lived token (Instagram Login), update "
        "the secret, then run jadwal accounts check ig-login"
    )
    expired = hook.received[1]
    assert expired["title"] == "[jadwal] Kelurahan Maju: ig-login: the Instagram token has expired"
    assert expired["message"].splitlines()[1:] == [
        f"the token expired on {(NOW + timedelta(days=9)):%Y-%m-%d}; the last refresh failed: "
        "HTTP 400: Session has expired",
        "Next step: issue a new long-lived token (Instagram Login), update the secret, then run "
        "jadwal accounts check ig-login; nothing is published to ig-login until then",
    ]
    assert len(hook.received) == 2


# -- once, whoever looks -----------------------------------------------------------------------


@pytest.mark.postgres
def test_two_publishers_on_postgresql_send_each_notification_once(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    with webhook() as hook:
        path = write_calendar(CALENDAR)
        monkeypatch.setenv("NOTIFY_HOOK", hook.url)
        monkeypatch.setenv("IG_DESA_TOKEN", TOKEN)
        calendar = load_calendar(path)
        stores = [open_store(postgres_url) for _ in range(2)]
        for n in range(6):
            stores[0].claim_new(failed_row(f"post-{n}", "(#100) Invalid parameter"))
        stores[0].pause("ig-desa", "(#190) expired", NOW - timedelta(minutes=1))
        sent: list[int] = []
        start = threading.Barrier(2)

        def publisher(store: Store, owner: str) -> None:
            start.wait()
            for second in range(0, 40, 2):
                sent.append(notify_once(calendar, store, owner, NOW + timedelta(seconds=second)))

        threads = [
            threading.Thread(target=publisher, args=(s, f"d{i}")) for i, s in enumerate(stores)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for store in stores:
            store.close()
    titles = sorted(str(sent["title"]) for sent in hook.received)
    assert titles == [
        "[jadwal] Pemerintah Desa Sukamaju: account ig-desa paused",
        "[jadwal] Pemerintah Desa Sukamaju: ig-desa: 6 posts failed",
    ]
    assert sum(sent) == 2


def test_a_failure_recorded_while_the_service_was_unreachable_is_told_by_the_next_run(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    with webhook() as hook:
        path = write_calendar(CALENDAR)
        monkeypatch.setenv("IG_DESA_TOKEN", TOKEN)
        monkeypatch.setenv("NOTIFY_HOOK", "json://127.0.0.1:9/hook")  # nothing listens
        store = open_store(sqlite_url(path.parent / "jadwal.db"))
        store.claim_new(failed_row("info-posyandu", "(#100) Invalid parameter"))
        assert notify_once(load_calendar(path), store, "tick-1", NOW) == 0
        monkeypatch.setenv("NOTIFY_HOOK", hook.url)  # the service is back (at a new address)
        assert notify_once(load_calendar(path), store, "tick-2", NOW + timedelta(minutes=1)) == 1
        assert notify_once(load_calendar(path), store, "tick-3", NOW + timedelta(minutes=9)) == 0
        store.close()
    assert [sent["title"] for sent in hook.received] == [
        "[jadwal] Pemerintah Desa Sukamaju: ig-desa: 1 post failed"
    ]


# -- never in a post's way -------------------------------------------------------------------


def test_a_service_that_hung_gets_the_message_once_when_it_answers_again(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    with webhook() as hook:
        path = write_calendar(CALENDAR)
        monkeypatch.setenv("IG_DESA_TOKEN", TOKEN)
        monkeypatch.setenv("NOTIFY_HOOK", hook.url)
        store = open_store(sqlite_url(path.parent / "jadwal.db"))
        store.claim_new(failed_row("info-posyandu", "(#100) Invalid parameter"))
        calendar = load_calendar(path)
        hook.answered.clear()
        began = time.monotonic()
        assert notify_once(calendar, store, "a", NOW, timeout=0.5) == 0
        assert time.monotonic() - began < 5  # the hang costs the notifier its timeout, once
        hook.answered.set()
        assert notify_once(calendar, store, "a", NOW + timedelta(seconds=10), timeout=0.5) == 0
        assert notify_once(calendar, store, "b", NOW + timedelta(seconds=31), timeout=0.5) == 1
        assert notify_once(calendar, store, "a", NOW + timedelta(minutes=5), timeout=0.5) == 0
        store.close()
    assert [sent["title"] for sent in hook.received] == [
        "[jadwal] Pemerintah Desa Sukamaju: ig-desa: 1 post failed"
    ]


@pytest.mark.slow
def test_a_hanging_webhook_delays_no_post(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
    times = {
        "gagal": start,
        "satu": start + timedelta(seconds=4),
        "dua": start + timedelta(seconds=8),
    }
    posts = "".join(
        f"  - id: {post}\n    accounts: [fb-desa]\n    at: '{at.astimezone(JAKARTA).isoformat()}'\n"
        f"    caption: 'Kabar {post}'\n"
        for post, at in times.items()
    )
    with FakeGraph() as fake, webhook() as hook:
        fake.add_token(TOKEN, pages=["1001"])
        fake.fail_next(1, code=100, message="(#100) Invalid parameter", path_contains="1001/feed")
        hook.answered.clear()  # the service takes every message and never answers
        path = write_calendar(
            "version: 1\ntimezone: Asia/Jakarta\nvars: {instansi: Desa Sukamaju}\naccounts:\n"
            "  fb-desa: {platform: facebook, page_id: '1001', token: '${FB_TOKEN}'}\n"
            "rules: {min_posts_per_week: 0, grace: 1h}\n"
            "notify:\n  - url: ${NOTIFY_HOOK}\n    on: [failed]\n"
            f"posts:\n{posts}"
        )
        for name, value in (("JADWAL_GRAPH_URL", fake.url), ("FB_TOKEN", TOKEN),
                            ("NOTIFY_HOOK", hook.url)):  # fmt: skip
            monkeypatch.setenv(name, value)
        daemon = DaemonProcess([*JADWAL, "daemon", str(path)], path.parent)
        try:
            assert daemon.wait_for(lambda: len(fake.posts) == 2 and hook.hung >= 1, 40)
            published = {p["text"]: datetime.fromisoformat(p["created_time"]) for p in fake.posts}
        finally:
            hook.answered.set()
            daemon.stop()
    for text, at in published.items():
        due = times[text.removeprefix("Kabar ")]
        assert at - due < timedelta(seconds=3), f"{text} went out {at - due} after its time"
    assert hook.received == []  # it never answered: the message stays queued for its return
