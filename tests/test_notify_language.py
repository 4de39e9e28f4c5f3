"""Notifications in the calendar's language: a calendar that says ``language: id`` gets its
failures, pauses, unknown posts, reminders and daily digest in Indonesian, commands, keys and
what the platform said left as they are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler import i18n
from scheduler.calendar.load import load_calendar
from scheduler.database import open_store, sqlite_url
from scheduler.notify import notify_once
from scheduler.notify.digest import digest
from scheduler.store import State, Store
from tests import test_whatsapp as wa
from tests.conftest import WriteCalendar
from tests.test_notify import CALENDAR, NOW, TOKEN, failed_row
from tests.webhook import Webhook, webhook

INDONESIAN = CALENDAR.replace("version: 1\n", "version: 1\nlanguage: id\n")


@pytest.fixture
def calendar_speaks(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No JADWAL_LANG (the suite's English): the calendar's ``language`` decides."""
    monkeypatch.delenv("JADWAL_LANG")
    return monkeypatch


def indonesian(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch, url: str, text: str = INDONESIAN
) -> tuple[object, Store]:
    path: Path = write_calendar(text)
    monkeypatch.setenv("NOTIFY_HOOK", url)
    monkeypatch.setenv("IG_DESA_TOKEN", TOKEN)
    calendar = load_calendar(path)  # read as the daemon reads it: its language with it
    assert i18n.language() == "id"
    return calendar, open_store(sqlite_url(path.parent / "jadwal.db"))


def test_a_failed_post_is_told_in_indonesian(write_calendar, calendar_speaks):
    with webhook() as hook:
        calendar, store = indonesian(write_calendar, calendar_speaks, hook.url)
        store.claim_new(failed_row("info-posyandu", f"(#100) Invalid parameter {TOKEN}"))
        assert notify_once(calendar, store, "test", NOW) == 1
    [sent] = hook.received
    assert sent["title"] == "[jadwal] Pemerintah Desa Sukamaju: ig-desa: 1 unggahan gagal"
    assert sent["message"] == (
        "Pemerintah Desa Sukamaju: ig-desa (instagram)\n"
        "Unggahan ini gagal dan tidak akan dicoba lagi:\n"
        "- info-posyandu pada 2026-12-05 09:00 WIB: (#100) Invalid parameter [secret]\n"
        "  kunci info-posyandu/ig-desa/20261205T0200Z\n"
        "  Langkah berikutnya: perbaiki sesuai pesan kesalahannya (keterangan, media, atau "
        "akun), lalu terbitkan lagi dengan: jadwal post info-posyandu --account ig-desa "
        '--at "2026-12-05 09:00" --again'
    )
    assert TOKEN not in str(sent)


def test_an_unknown_post_is_told_in_indonesian(write_calendar, calendar_speaks):
    with webhook() as hook:
        calendar, store = indonesian(write_calendar, calendar_speaks, hook.url)
        for post in ("info-posyandu", "sop-ktp"):
            row = failed_row(post, "the connection was cut while publishing")
            row.state = State.UNKNOWN
            store.claim_new(row)
        assert notify_once(calendar, store, "test", NOW) == 1
    [sent] = hook.received
    assert sent["title"] == (
        "[jadwal] Pemerintah Desa Sukamaju: ig-desa: 2 unggahan belum pasti terbit"
    )
    step = (
        "  Langkah berikutnya: lihat akunnya; lalu jalankan jadwal resolve {key} --published URL "
        "(sudah terbit) atau jadwal resolve {key} --not-published (akan dikirim lagi)"
    )
    assert sent["message"] == "\n".join(
        [
            "Pemerintah Desa Sukamaju: ig-desa (instagram)",
            "jadwal tidak tahu apakah unggahan ini sudah terbit; jadwal tidak akan mengirimnya "
            "lagi:",
            "- info-posyandu pada 2026-12-05 09:00 WIB: the connection was cut while publishing",
            "  kunci info-posyandu/ig-desa/20261205T0200Z",
            step.format(key="info-posyandu/ig-desa/20261205T0200Z"),
            "- sop-ktp pada 2026-12-05 09:00 WIB: the connection was cut while publishing",
            "  kunci sop-ktp/ig-desa/20261205T0200Z",
            step.format(key="sop-ktp/ig-desa/20261205T0200Z"),
        ]
    )


def test_a_paused_account_is_told_in_indonesian(write_calendar, calendar_speaks):
    with webhook() as hook:
        calendar, store = indonesian(write_calendar, calendar_speaks, hook.url)
        for post in ("info-posyandu", "sop-ktp"):
            row = failed_row(post, "")
            row.state, row.error_message = State.RETRY, None
            store.claim_new(row)
        store.pause("ig-desa", "(#190) the token is no longer valid", NOW - timedelta(minutes=2))
        assert notify_once(calendar, store, "test", NOW) == 1
    [sent] = hook.received
    assert sent["title"] == "[jadwal] Pemerintah Desa Sukamaju: akun ig-desa dijeda"
    assert sent["message"] == (
        "Pemerintah Desa Sukamaju: ig-desa (instagram)\n"
        "Tidak ada yang diterbitkan untuk ig-desa sejak 2026-12-05 09:28 WIB: "
        "(#190) the token is no longer valid\n"
        "2 unggahan menunggu akun ini: info-posyandu (2026-12-05 09:00 WIB), "
        "sop-ktp (2026-12-05 09:00 WIB)\n"
        "Langkah berikutnya: perbaiki login atau tokennya, jalankan jadwal accounts check "
        "ig-desa, lalu jadwal accounts resume ig-desa"
    )


@pytest.fixture
def whatsapp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Webhook]:
    """Apprise's WhatsApp plugin aimed at a local webhook (as in tests/test_whatsapp.py)."""
    from apprise.plugins.whatsapp import NotifyWhatsApp

    with webhook() as hook:
        local = f"http://127.0.0.1:{hook.port}/{{fb_ver}}/{{phone_id}}/messages"
        monkeypatch.setattr(NotifyWhatsApp, "notify_url", local)
        monkeypatch.setattr(NotifyWhatsApp, "request_rate_per_sec", 0)
        monkeypatch.setenv("NOTIFY_URL", "whatsapp://abc123token@1234567890/6281234567890")
        yield hook


def test_a_whatsapp_reminder_is_in_indonesian(write_calendar, calendar_speaks, whatsapp):
    text = wa.calendar_text(site=True).replace("version: 1\n", "version: 1\nlanguage: id\n")
    wa.tick(write_calendar(text))
    [body] = wa.bodies(whatsapp)  # WhatsApp has no titles: the title is the body's first line
    assert body == (
        "[jadwal] Pemerintah Desa Sukamaju: unggah manual di wa-desa: rapat-desa pada "
        "2026-12-05 09:00 WIB\n"
        "Pemerintah Desa Sukamaju: wa-desa (whatsapp)\n"
        "Sekarang unggah rapat-desa secara manual di Saluran Desa Sukamaju "
        "(2026-12-05 09:00 WIB):\n"
        f"Media: ambil dari halaman unggahan, {wa.PAGE} (media/posyandu.jpg). Media tidak "
        "dilampirkan di sini.\n"
        f"Setelah diunggah: jadwal done {wa.KEY} --link URL\n"
        "\n"
        f"{wa.CAPTION}"
    )


def test_the_daily_digest_is_in_indonesian(write_calendar, calendar_speaks):
    text = INDONESIAN + (
        "rules: {min_posts_per_week: 3}\n"
        "posts:\n"
        "  - id: rapat-desa\n    accounts: [ig-desa]\n    at: '2026-12-05 10:00'\n"
        "    caption: Rapat desa\n    media: [media/posyandu.jpg]\n"
    )
    calendar, store = indonesian(write_calendar, calendar_speaks, "json://127.0.0.1:9/", text)
    yesterday = NOW - timedelta(days=1)
    done = failed_row("info-posyandu", "")
    done.key, done.scheduled_at = "info-posyandu/ig-desa/20261204T0200Z", yesterday
    done.state, done.error_message = State.PUBLISHED, None
    done.permalink = "https://www.instagram.com/p/ABC123/"
    store.claim_new(done)
    broken = failed_row("sop-ktp", "(#9004) the media URL could not be fetched")
    broken.key, broken.scheduled_at = (
        "sop-ktp/ig-desa/20261204T0300Z",
        yesterday + timedelta(hours=1),
    )
    store.claim_new(broken)
    title, body = digest(calendar, store, NOW)
    assert title == "[jadwal] Pemerintah Desa Sukamaju: ringkasan harian 2026-12-05"
    assert body == (
        "Kemarin (2026-12-04):\n"
        "- 09:30 info-posyandu di ig-desa: terbit https://www.instagram.com/p/ABC123/\n"
        "- 10:30 sop-ktp di ig-desa: gagal: (#9004) the media URL could not be fetched\n"
        "Masalah: 1 (jadwal history --since 2026-12-04)\n"
        "\n"
        "Hari ini (2026-12-05):\n"
        "- 10:00 rapat-desa di ig-desa: terjadwal\n"
        "\n"
        "Minggu yang berisiko kurang dari 3 unggahan per minggu:\n"
        "- ig-desa: minggu mulai 2026-11-30, unggahan yang terjadwal kurang\n"
        "- ig-desa: minggu mulai 2026-12-07, unggahan yang terjadwal kurang"
    )
    store.close()


def test_the_same_digest_in_english_says_one_post_and_many_properly(
    write_calendar: WriteCalendar,
) -> None:
    # JADWAL_LANG=en (the suite's) wins over the calendar's language: id.
    path = write_calendar(INDONESIAN + "rules: {min_posts_per_week: 1}\n")
    calendar = load_calendar(path)
    store = open_store(sqlite_url(path.parent / "jadwal.db"))
    title, body = digest(calendar, store, NOW)
    store.close()
    assert title == "[jadwal] Pemerintah Desa Sukamaju: daily digest for 2026-12-05"
    assert body.splitlines()[-3:] == [
        "Weeks at risk of fewer than 1 post a week:",
        "- ig-desa: week of 2026-11-30, fewer planned",
        "- ig-desa: week of 2026-12-07, fewer planned",
    ]


def test_jadwal_notify_test_speaks_the_calendars_language(
    write_calendar: WriteCalendar, calendar_speaks: pytest.MonkeyPatch, capsys
) -> None:
    from scheduler import cli

    path = write_calendar(INDONESIAN)
    calendar_speaks.delenv("NOTIFY_HOOK", raising=False)
    assert cli.run(["notify", "test", str(path)]) == 1
    assert capsys.readouterr().out == (
        "${NOTIFY_HOOK}: ${NOTIFY_HOOK} belum diisi: tambahkan ke .env atau environment\n"
    )
    assert cli.run(["notify", "--calendar", str(path)]) == 0
    assert capsys.readouterr().out == (
        "jadwal notify: tidak ada yang mengantre, tidak ada yang gagal dikirim\n"
    )
