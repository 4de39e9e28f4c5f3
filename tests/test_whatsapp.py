"""Channels without a posting API (``platform: whatsapp``): at the post's time the operator
is reminded through ``notify`` — by e-mail from a local SMTP server with the image attached,
through Apprise's own WhatsApp plugin (aimed at a local webhook) in numbered parts with the
post's page — once, whatever crashes; ``jadwal done`` records it published, and a post
nobody confirmed within its grace is missed."""

from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler import cli
from scheduler.adapters import adapter_factory
from scheduler.adapters.base import caption_hash
from scheduler.calendar.load import load_calendar, read_calendar_file
from scheduler.calendar.pages import post_page_url
from scheduler.check import check_calendar
from scheduler.database import open_store, sqlite_url
from scheduler.engine import Context, publish_due
from scheduler.notify import notify_once, outbox_of
from scheduler.notify.parts import in_parts
from scheduler.store import Store
from scheduler.views.month import month_view
from tests.conftest import WriteCalendar
from tests.helpers import set_created_at
from tests.webhook import Webhook, webhook

JKT = ZoneInfo("Asia/Jakarta")
AT = datetime(2026, 12, 5, 9, 0, tzinfo=JKT)
NOW = AT + timedelta(minutes=1)
KEY = "rapat-desa/wa-desa/20261205T0200Z"
PAGE = "https://desa.example/jadwal/post/rapat-desa-20261205T020000Z.html"
CAPTION = "*Rapat desa* hari Sabtu pukul 10.00 di balai desa. #Sukamaju #RapatDesa"
TITLE = (
    "[jadwal] Pemerintah Desa Sukamaju: post by hand on wa-desa: rapat-desa at 2026-12-05 09:00 WIB"
)
CALENDAR = """
version: 1
timezone: Asia/Jakarta
vars:
  instansi: Pemerintah Desa Sukamaju
accounts:
  wa-desa:
    platform: whatsapp
    channel: Saluran Desa Sukamaju
rules: {min_posts_per_week: 0, grace: 6h}
notify:
  - url: ${NOTIFY_URL}
    on: [reminder, missed]
posts:
  - id: rapat-desa
    accounts: [wa-desa]
    at: "2026-12-05 09:00"
    caption: CAPTION
    media: [media/posyandu.jpg]
"""


def calendar_text(caption: str = CAPTION, site: bool = False) -> str:
    text = CALENDAR.replace("CAPTION", json.dumps(caption))
    return text + ("site: {url: 'https://desa.example/jadwal'}\n" if site else "")


def engine(path: Path, now: datetime = NOW) -> Context:
    """An engine run on the calendar at ``path`` with the real adapters, its clock at ``now``;
    its database (beside the calendar) born the day before."""
    calendar = load_calendar(path)
    store = open_store(sqlite_url(path.parent / "jadwal.db"))
    set_created_at(store, AT - timedelta(days=1))
    adapters = adapter_factory(calendar, None)
    return Context(calendar, store, "test", adapters, clock=lambda: now)


def tick(path: Path, now: datetime = NOW, owner: str = "test") -> Store:
    """What ``jadwal tick`` does at ``now``: publish what is due, then notify."""
    ctx = engine(path, now)
    publish_due(ctx, now)
    notify_once(ctx.calendar, ctx.store, owner, now)
    return ctx.store


# -- a local SMTP server ---------------------------------------------------------------------


@pytest.fixture
def smtp() -> Iterator[tuple[str, list[EmailMessage]]]:
    """An SMTP server on 127.0.0.1 (aiosmtpd) and the messages it received, with the Apprise
    URL that reaches it."""
    from aiosmtpd.controller import Controller

    received: list[EmailMessage] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            content = getattr(envelope, "content", b"")
            message = email.message_from_bytes(content, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            received.append(message)
            return "250 OK"

    with socket.socket() as probe:  # aiosmtpd needs a port given: a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    url = f"mailto://127.0.0.1:{port}/operator@desa.example?from=jadwal@desa.example&mode=insecure"
    try:
        yield url, received
    finally:
        controller.stop()


def text_part(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content()).replace("\r\n", "\n").rstrip("\n")


def test_an_email_reminder_carries_the_caption_whole_and_the_image_attached(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch, smtp: tuple[str, list]
) -> None:
    url, received = smtp
    monkeypatch.setenv("NOTIFY_URL", url)
    store = tick(write_calendar(calendar_text()))
    [message] = received
    assert message["Subject"] == TITLE
    assert text_part(message) == (
        "Pemerintah Desa Sukamaju: wa-desa (whatsapp)\n"
        "Post this by hand on Saluran Desa Sukamaju now (2026-12-05 09:00 WIB), post rapat-desa:\n"
        "Media: attached (media/posyandu.jpg)\n"
        f"When it is posted: jadwal done {KEY} --link URL\n"
        "\n"
        f"{CAPTION}"
    )
    [image] = [part for part in message.iter_attachments()]
    assert (image.get_content_type(), image.get_filename()) == ("image/jpeg", "posyandu.jpg")
    original = (store.file or Path()).parent / "media" / "posyandu.jpg"
    assert image.get_payload(decode=True) == original.read_bytes()  # a JPEG WhatsApp takes
    row = store.get(KEY)
    assert row is not None and row.state == "awaiting"


# -- Apprise's WhatsApp plugin, aimed at a local webhook ------------------------------------


@pytest.fixture
def whatsapp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhook]:
    """Apprise's WhatsApp plugin (no attachments, bodies of at most 1,024 characters, no
    title) posting to a local webhook instead of graph.facebook.com."""
    from apprise.plugins.whatsapp import NotifyWhatsApp

    with webhook() as hook:
        local = f"http://127.0.0.1:{hook.port}/{{fb_ver}}/{{phone_id}}/messages"
        monkeypatch.setattr(NotifyWhatsApp, "notify_url", local)
        monkeypatch.setattr(NotifyWhatsApp, "request_rate_per_sec", 0)
        monkeypatch.setenv("NOTIFY_URL", "whatsapp://abc123token@1234567890/6281234567890")
        yield hook


def bodies(hook: Webhook) -> list[str]:
    return [str(sent["text"]["body"]) for sent in hook.received]


LONG = "\n\n".join(
    f"*Bagian {n}*: warga Desa Sukamaju diundang hadir pada rapat desa untuk membahas rencana "
    "kerja tahun depan, anggaran dana desa, dan jadwal kerja bakti bersama. #Sukamaju"
    for n in range(1, 9)
)


def test_a_whatsapp_reminder_comes_in_numbered_parts_with_the_posts_page(
    write_calendar: WriteCalendar, whatsapp: Webhook
) -> None:
    tick(write_calendar(calendar_text(LONG, site=True)))
    sent = bodies(whatsapp)
    assert len(sent) == 2
    assert all(len(body) <= 1024 for body in sent)  # Apprise's WhatsApp plugin's body_maxlen
    assert [body.split("\n", 1)[0] for body in sent] == ["(1/2)", "(2/2)"]
    first = sent[0].split("\n")
    assert first[1:6] == [
        TITLE,
        "Pemerintah Desa Sukamaju: wa-desa (whatsapp)",
        "Post this by hand on Saluran Desa Sukamaju now (2026-12-05 09:00 WIB), post rapat-desa:",
        f"Media: not attached here; see the post's page, {PAGE} (media/posyandu.jpg)",
        f"When it is posted: jadwal done {KEY} --link URL",
    ]
    # The caption whole, its formatting as written, cut only between its paragraphs.
    caption = "\n".join(first[7:]) + "\n\n" + sent[1].split("\n", 1)[1]
    assert caption == LONG
    assert all("attachments" not in sent for sent in whatsapp.received)


def test_without_a_site_the_reminder_says_where_the_media_is(
    write_calendar: WriteCalendar, whatsapp: Webhook
) -> None:
    tick(write_calendar(calendar_text()))
    [body] = bodies(whatsapp)  # short enough for one message: no numbers
    assert body.splitlines()[3] == (
        "Media: not attached here, and no site.url is set to link the post's page: the media "
        "is in media/posyandu.jpg of the calendar folder"
    )
    assert body.endswith(f"\n\n{CAPTION}")


def test_the_posts_page_is_named_by_its_occurrence(write_calendar: WriteCalendar) -> None:
    calendar = load_calendar(write_calendar(calendar_text(site=True)))
    assert post_page_url(calendar, KEY) == PAGE
    assert post_page_url(calendar, KEY + "~again1") == PAGE  # the same post at the same time
    without = load_calendar(write_calendar(calendar_text()))
    assert post_page_url(without, KEY) is None


# -- once, whatever crashes ----------------------------------------------------------------


def test_a_tick_killed_after_the_record_reminds_once_on_the_next_run(
    write_calendar: WriteCalendar, whatsapp: Webhook
) -> None:
    path = write_calendar(calendar_text())
    ctx = engine(path)
    publish_due(ctx, NOW)  # recorded awaiting; the process died before it notified
    row = ctx.store.get(KEY)
    assert row is not None and row.state == "awaiting"
    assert outbox_of(ctx.store).all() == []
    calendar = ctx.calendar
    assert notify_once(calendar, ctx.store, "restarted", NOW + timedelta(minutes=1)) == 1
    assert notify_once(calendar, ctx.store, "other", NOW + timedelta(minutes=2)) == 0
    assert len(whatsapp.received) == 1


def test_a_tick_killed_mid_attempt_reminds_once_after_the_lookup(
    write_calendar: WriteCalendar, whatsapp: Webhook
) -> None:
    # Killed while "publishing": nothing was sent (a reminder comes only from an awaiting
    # row), so the lookup finds nothing and the post is prepared and reminded once.
    path = write_calendar(calendar_text())
    ctx = engine(path)
    [occurrence] = ctx.occurrences(AT, AT)
    assert ctx.store.claim(occurrence, "dead", NOW)
    assert ctx.store.start_publishing(KEY, "dead", NOW, caption_hash(CAPTION)) is not None
    later = NOW + timedelta(minutes=5)  # the dead owner's lease ran out
    store = tick(path, later)
    row = store.get(KEY)
    assert row is not None and (row.state, row.attempts) == ("awaiting", 2)
    tick(path, later + timedelta(minutes=1))
    assert len(whatsapp.received) == 1


def test_two_ticks_remind_once_and_leave_it_awaiting(
    write_calendar: WriteCalendar, whatsapp: Webhook
) -> None:
    path = write_calendar(calendar_text())
    tick(path, NOW, "first")
    store = tick(path, NOW + timedelta(minutes=1), "second")
    assert len(whatsapp.received) == 1
    row = store.get(KEY)
    assert row is not None and (row.state, row.attempts) == ("awaiting", 1)
    assert [m.event for m in outbox_of(store).all()] == ["reminder"]


def test_an_awaiting_post_nobody_confirmed_is_missed_after_its_grace(
    write_calendar: WriteCalendar, whatsapp: Webhook
) -> None:
    path = write_calendar(calendar_text())
    tick(path)
    late = AT + timedelta(hours=6, minutes=1)
    report = publish_due(engine(path, late), late)
    assert report.summary() == "1 missed"
    store = tick(path, late + timedelta(minutes=1))
    row = store.get(KEY)
    assert row is not None and row.state == "missed"
    assert row.error_message == "not confirmed with jadwal done within the grace period (6h)"
    assert len(whatsapp.received) == 2  # the reminder, then the missed post
    assert "1 post missed" in bodies(whatsapp)[1]


def test_within_its_grace_an_awaiting_post_stays_awaiting(
    write_calendar: WriteCalendar, whatsapp: Webhook
) -> None:
    path = write_calendar(calendar_text())
    tick(path)
    store = tick(path, AT + timedelta(hours=6))
    row = store.get(KEY)
    assert row is not None and row.state == "awaiting"


# -- jadwal done ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_done_records_the_post_published_with_its_link(
    write_calendar: WriteCalendar, whatsapp: Webhook, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_calendar(calendar_text())
    tick(path).close()
    capsys.readouterr()
    link = "https://whatsapp.com/channel/0029VaDesaSukamaju/123"
    db = sqlite_url(path.parent / "jadwal.db")
    code, out, _ = run(capsys, "done", KEY, str(path), "--link", link, "--db", db)
    assert (code, out) == (0, f"{KEY}: published ({link})\n")
    code, out, _ = run(capsys, "history", str(path), "--format", "json", "--db", db)
    [row] = json.loads(out)["publications"]
    assert (row["state"], row["permalink"], row["error"]) == ("published", link, None)
    code, _, err = run(capsys, "done", KEY, str(path), "--db", db)
    assert code == 1
    assert err == (
        f"jadwal: error: {KEY} is published, not awaiting: only a post made by hand after its "
        "reminder (platform: whatsapp) is confirmed with jadwal done\n"
    )


def test_done_wants_a_web_address_and_a_known_key(
    write_calendar: WriteCalendar, whatsapp: Webhook, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_calendar(calendar_text())
    tick(path).close()
    capsys.readouterr()
    db = sqlite_url(path.parent / "jadwal.db")
    code, _, err = run(capsys, "done", KEY, str(path), "--link", "wa.me/123", "--db", db)
    assert code == 2
    assert err.endswith(
        "Invalid value for --link: must be an address starting with https:// or http://\n"
    )
    code, _, err = run(capsys, "done", "rapat-desa/wa-desa/x", str(path), "--db", db)
    assert code == 1
    assert (
        err == "jadwal: error: no publication with key rapat-desa/wa-desa/x (see jadwal history)\n"
    )


# -- check, the views, the dry run ---------------------------------------------------------


def test_check_requires_someone_to_remind(write_calendar: WriteCalendar) -> None:
    path = write_calendar(calendar_text().replace("on: [reminder, missed]", "on: [failed]"))
    _, problems = read_calendar_file(path)
    assert [str(p) for p in problems if p.severity == "error"] == [
        f"{path}:7:5: error: account 'wa-desa' is posted to by hand (platform: whatsapp), so a "
        "person must be reminded at each post's time: add 'reminder' to the 'on' list of a "
        "notify entry, e.g. notify: [{url: ${NOTIFY_URL}, on: [reminder, failed, missed]}]"
    ]


def test_whatsapp_captions_keep_their_formatting_and_count_no_hashtags(
    write_calendar: WriteCalendar,
) -> None:
    hashtags = " ".join(f"#Desa{n}" for n in range(40))  # Instagram allows 30
    path = write_calendar(calendar_text(f"*Info* _penting_ {hashtags}"))
    assert [p for p in check_calendar(path, AT.date()) if p.severity == "error"] == []
    too_long = write_calendar(calendar_text("x" * 4097))
    found = [p.message for p in check_calendar(too_long, AT.date()) if p.message.startswith("post")]
    assert found == [
        "post 'rapat-desa' for wa-desa: caption has 4097 characters; WhatsApp allows 4096",
        "post 'rapat-desa' for wa-desa: caption has 4097 characters; WhatsApp may cut a photo's or "
        "video's caption at 1024: post the text as its own message after the media",
    ]


def test_the_month_and_the_history_show_it_awaiting(
    write_calendar: WriteCalendar,
    whatsapp: Webhook,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write_calendar(calendar_text())
    store = tick(path)
    month = month_view(load_calendar(path), 2026, 12, store, now=NOW)
    [entry] = month.entries()
    assert (entry.state, entry.deliveries[0].recorded) == ("awaiting", "awaiting")
    monkeypatch.setenv("COLUMNS", "120")
    _, out, _ = run(capsys, "history", str(path), "--db", sqlite_url(path.parent / "jadwal.db"))
    assert f"→ jadwal done {KEY} --link URL" in out


def test_a_dry_run_writes_the_reminder_and_sends_nothing(write_calendar: WriteCalendar) -> None:
    from tests.commands import JADWAL

    due = (datetime.now(UTC) - timedelta(minutes=5)).astimezone(JKT)
    text = calendar_text().replace('"2026-12-05 09:00"', f"'{due:%Y-%m-%d %H:%M}'")
    with webhook() as hook:
        path = write_calendar(text)
        env = {**os.environ, "NOTIFY_URL": hook.url}
        result = subprocess.run(
            [*JADWAL, "tick", str(path), "--dry-run"],
            cwd=path.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert "jadwal tick: 1 to be posted by hand" in result.stdout, result.stdout + result.stderr
    assert hook.received == []
    [written] = (path.parent / ".jadwal" / "dryrun").glob("*/*.reminder.txt")
    lines = written.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "to ${NOTIFY_URL}, attached: media/posyandu.jpg"
    assert lines[-1] == CAPTION


# -- the parts -----------------------------------------------------------------------------


@given(
    st.lists(st.text(alphabet="abc *#", min_size=1, max_size=30), min_size=1, max_size=80),
    st.integers(min_value=40, max_value=300),
)
def test_every_part_fits_is_numbered_and_nothing_is_lost(words: list[str], limit: int) -> None:
    body = "\n".join(words)
    parts = in_parts(body, limit)
    if len(body) <= limit:
        assert parts == [body]
        return
    assert all(len(part) <= limit for part in parts)
    numbers = [part.split("\n", 1)[0] for part in parts]
    assert numbers == [f"({n}/{len(parts)})" for n in range(1, len(parts) + 1)]
    kept = "".join(part.split("\n", 1)[1] for part in parts)
    assert "".join(body.split()) == "".join(kept.split())  # only spaces between parts go


def test_a_reminder_round_trip_ends_published_in_the_history_and_the_report(
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
    smtp: tuple[str, list],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The whole loop an operator lives: the reminder arrives with the caption and the image,
    the post is made by hand, ``jadwal done`` confirms it, and the month's report counts it
    published with its link, as it would a post jadwal sent itself."""
    url, received = smtp
    monkeypatch.setenv("NOTIFY_URL", url)
    path = write_calendar(calendar_text())
    tick(path).close()
    [message] = received
    assert text_part(message).endswith(CAPTION)
    assert [p.get_filename() for p in message.iter_attachments()] == ["posyandu.jpg"]
    capsys.readouterr()
    db = sqlite_url(path.parent / "jadwal.db")
    link = "https://whatsapp.com/channel/0029VaDesaSukamaju/123"
    assert run(capsys, "done", KEY, str(path), "--link", link, "--db", db)[0] == 0
    code, out, err = run(
        capsys, "report", str(path), "--month", "2026-12", "--format", "json", "--db", db
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    [account] = report["accounts"]
    assert (account["account"], account["platform"]) == ("wa-desa", "whatsapp")
    assert (account["planned"], account["published"], account["missed"]) == (1, 1, 0)
    [post] = report["posts"]
    assert (post["key"], post["state"], post["permalink"]) == (KEY, "published", link)
