"""``jadwal accounts check`` in Bahasa Indonesia (``JADWAL_LANG=id``): the table's heads, the
names of its checks and every line an account check prints, dates the Indonesian way; Meta's
own words and the permissions' names stay as they are. The English lines are pinned by
``test_accounts_permissions``, ``test_cli_operations`` and ``test_instagram_login``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from scheduler import cli
from scheduler.adapters.graph.igtoken import fingerprint
from scheduler.database import open_store
from tests.conftest import WriteCalendar
from tests.fakegraph import DEFAULT_SCOPES, FakeGraph

OK_TOKEN = "EAAGokCANARYtoken0123456789abcdef"
SHORT_TOKEN = "EAAGshortCANARYtoken0123456789abcd"
IG_TOKEN = "IGAAcanaryLOGINtoken0123456789abcdef"
APP_ID, APP_SECRET = "1000000000000001", "appSECRETcanary0123456789"
PAGE, OTHER_PAGE, IG = "1001", "1002", "17842"
MONTHS = [
    *("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"),
    *("September", "Oktober", "November", "Desember"),
]


def indonesian(day: datetime) -> str:
    """``10 Maret 2027``: written out here, not by the code under test."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def graph(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeGraph]:
    fake = FakeGraph().start()
    monkeypatch.setenv("JADWAL_LANG", "id")
    monkeypatch.setenv("JADWAL_GRAPH_URL", fake.url)
    monkeypatch.setenv("JADWAL_INSTAGRAM_URL", fake.instagram_url)
    monkeypatch.setenv("JADWAL_SESSION_DIR", str(tmp_path / "sessions"))
    for name, value in [
        ("OK_TOKEN", OK_TOKEN),
        ("SHORT_TOKEN", SHORT_TOKEN),
        ("IG_TOKEN", IG_TOKEN),
        ("META_APP_ID", APP_ID),
        ("META_APP_SECRET", APP_SECRET),
    ]:
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLUMNS", "250")  # one table row per line
    yield fake
    fake.stop()


def table(
    capsys: pytest.CaptureFixture[str], path: Path
) -> tuple[int, list[str], list[tuple[str, ...]]]:
    """The exit code, the title and the column heads, and each row's four cells."""
    code = cli.run(["accounts", "check", "--calendar", str(path)])
    out = capsys.readouterr().out
    for secret in (OK_TOKEN, SHORT_TOKEN, IG_TOKEN, APP_SECRET):
        assert secret not in out
    lines = out.splitlines()
    [head] = [line for line in lines if line.count("┃") == 5]
    heads = [lines[0].strip(), " │ ".join(cell.strip() for cell in head.split("┃")[1:5])]
    rows = [line for line in lines if line.count("│") == 5]
    return code, heads, [tuple(cell.strip() for cell in row.split("│")[1:5]) for row in rows]


def test_a_passing_account_a_missing_permission_and_a_token_expiring_soon(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_app(APP_ID, APP_SECRET)
    graph.add_token(OK_TOKEN, pages=[PAGE], scopes=[*DEFAULT_SCOPES, "read_insights"])
    graph.add_token(SHORT_TOKEN, pages=[OTHER_PAGE], scopes=["pages_read_engagement"])
    now = datetime.now(UTC)
    graph.add_instagram_token(IG_TOKEN, IG, issued=now - timedelta(days=50))
    expires = now + timedelta(days=9, hours=12)
    keep_token(graph, expires)
    app = "app_id: '${META_APP_ID}', app_secret: '${META_APP_SECRET}'"
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        f"  dinas: {{platform: facebook, page_id: '{PAGE}', token: '${{OK_TOKEN}}', {app}}}\n"
        f"  kurang: {{platform: facebook, page_id: '{OTHER_PAGE}', token: '${{SHORT_TOKEN}}', "
        f"{app}}}\n"
        "  ig: {platform: instagram, via: instagram_login, token: '${IG_TOKEN}'}\n"
        f"media: {{public_base_url: '{graph.url}/static'}}\n"
        "rules: {min_posts_per_week: 0}\nposts: []\n"
    )

    code, heads, rows = table(capsys, path)

    assert code == 1  # kurang can't publish
    assert heads == ["jadwal accounts check", "akun │ platform │ pemeriksaan │ hasil"]
    no_insights = (
        "unggahan tetap terbit tanpa izin itu; insight-nya baru bisa dibaca setelah izin itu "
        "diberikan"
    )
    assert rows == [
        ("dinas", "facebook", "token", "beres berlaku (token Halaman)"),
        ("", "", "izin", "beres diberikan: pages_manage_posts, pages_read_engagement"),
        ("", "", "insight", "beres diberikan: read_insights, pages_read_engagement"),
        ("", "", "halaman", f"beres Fake Page {PAGE} ({PAGE})"),
        (
            "ig",
            "instagram (instagram_login)",
            "token",
            f"peringatan token kedaluwarsa dalam 9 hari, pada {indonesian(expires)}",
        ),
        ("", "", "akun", "beres @fake_17842"),
        (
            "",
            "",
            "izin",
            "beres diberikan: instagram_business_basic, instagram_business_content_publish",
        ),
        ("", "", "insight", f"peringatan kurang instagram_business_manage_insights: {no_insights}"),
        ("", "", "media", f"beres dari {graph.url}/static"),
        ("kurang", "facebook", "token", "beres berlaku (token Halaman)"),
        (
            "",
            "",
            "izin",
            "PERBAIKI kurang: pages_manage_posts: berikan izin itu ke aplikasi dan buat token baru",
        ),
        ("", "", "insight", f"peringatan kurang read_insights: {no_insights}"),
        ("", "", "halaman", f"beres Fake Page {OTHER_PAGE} ({OTHER_PAGE})"),
    ]


def test_an_expired_token_says_its_day_the_indonesian_way(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(UTC)
    graph.add_instagram_token(IG_TOKEN, IG, issued=now - timedelta(days=50))
    expired = now - timedelta(days=2)
    keep_token(graph, expired)
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  ig: {platform: instagram, via: instagram_login, token: '${IG_TOKEN}'}\n"
        f"media: {{public_base_url: '{graph.url}/static'}}\n"
        "rules: {min_posts_per_week: 0}\nposts: []\n"
    )
    code, _, rows = table(capsys, path)
    assert code == 1
    assert rows[0] == (
        "ig",
        "instagram (instagram_login)",
        "token",
        f"PERBAIKI token sudah kedaluwarsa pada {indonesian(expired)}: buat token jangka "
        "panjang baru dan perbarui rahasianya",
    )


def test_without_a_connection_it_says_the_internet_not_the_token(
    write_calendar: WriteCalendar,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JADWAL_LANG", "id")
    monkeypatch.setenv("JADWAL_GRAPH_URL", "http://127.0.0.1:9")  # nothing listens: refused
    monkeypatch.setenv("OK_TOKEN", OK_TOKEN)
    monkeypatch.setenv("COLUMNS", "250")
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        f"  dinas: {{platform: facebook, page_id: '{PAGE}', token: '${{OK_TOKEN}}'}}\n"
        "rules: {min_posts_per_week: 0}\nposts: []\n"
    )
    code, _, rows = table(capsys, path)
    assert code == 1
    # The operating system's own words ("connection refused") are quoted as it wrote them.
    offline = (
        "tidak ada koneksi ke Graph API (tidak bisa tersambung (connection refused)): "
        "periksa koneksi internet"
    )
    assert rows == [
        ("dinas", "facebook", "token", f"PERBAIKI {offline}; token belum diperiksa"),
        ("", "", "halaman", f"PERBAIKI halaman {PAGE}: {offline}; halaman belum diperiksa"),
    ]
    assert "buat token baru" not in "".join(cell for row in rows for cell in row)


def test_a_persons_stop_that_still_holds_the_account_is_said_in_indonesian(
    write_calendar: WriteCalendar,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JADWAL_LANG", "id")
    monkeypatch.setenv("COLUMNS", "250")
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        "  fb: {platform: facebook, page_id: '1', token: '${FB_TOKEN}'}\n"
        "rules: {min_posts_per_week: 0}\nposts: []\n"
    )
    store = open_store(f"sqlite:///{path.parent / '.jadwal' / 'jadwal.db'}")
    since = datetime.now(UTC) - timedelta(hours=1)
    store.stops.add("fb", "budi@kominfo-pc", "Banjir", since, None)
    store.close()

    code = cli.run(["accounts", "check", "--calendar", str(path)])
    out = capsys.readouterr().out

    assert code == 1  # FB_TOKEN is not set
    cells = [
        tuple(c.strip() for c in line.split("│")[1:5])
        for line in out.splitlines()
        if line.count("│") == 5
    ]
    assert cells == [
        (
            "fb",
            "facebook",
            "kredensial",
            f"PERBAIKI akun fb: ${{FB_TOKEN}} belum diisi: export variabel itu atau tambahkan ke "
            f"{path.parent / '.env'}",
        )
    ]
    local = f"{since.astimezone(ZoneInfo('Asia/Jakarta')):%Y-%m-%d %H:%M} WIB"
    assert out.splitlines()[-1] == (
        f"fb: masih dihentikan oleh jadwal pause (dihentikan oleh budi@kominfo-pc sejak {local} "
        "sampai dilanjutkan: Banjir); 'jadwal resume fb' mencabutnya"
    )


def keep_token(graph: FakeGraph, expires: datetime) -> None:
    """The token file a refresh leaves behind: this token, expiring at ``expires``."""
    import os

    folder = Path(os.environ["JADWAL_SESSION_DIR"])
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    kept = {
        "origin": fingerprint(IG_TOKEN),
        "access_token": IG_TOKEN,
        "first_seen": (expires - timedelta(days=60)).isoformat(),
        "expires_at": expires.isoformat(),
        "refreshed_at": (expires - timedelta(days=60)).isoformat(),
        "tried_at": (expires - timedelta(days=60)).isoformat(),
    }
    path = folder / "ig.instagram-token.json"
    path.write_text(json.dumps(kept), encoding="utf-8")
    path.chmod(0o600)


def test_an_instagram_business_account_through_a_page_and_one_without_a_session(
    graph: FakeGraph, write_calendar: WriteCalendar, capsys: pytest.CaptureFixture[str]
) -> None:
    graph.add_token(OK_TOKEN, pages=[PAGE], ig_users=[IG], kind="user")
    path = write_calendar(
        "version: 1\ntimezone: Asia/Jakarta\naccounts:\n"
        f"  ig: {{platform: instagram, page_id: '{PAGE}', ig_user_id: '{IG}', "
        "token: '${OK_TOKEN}'}\n"
        "  kel: {platform: instagram, via: instagrapi, username: kel}\n"
        "media: {staging: facebook_page}\nrules: {min_posts_per_week: 0}\nposts: []\n"
    )

    code, _, rows = table(capsys, path)

    assert code == 1  # kel has no saved session
    assert rows == [
        ("ig", "instagram (graph)", "token", "beres berlaku (token pengguna)"),
        (
            "",
            "",
            "izin",
            "beres diberikan: instagram_basic, instagram_content_publish, pages_read_engagement, "
            "pages_show_list",
        ),
        (
            "",
            "",
            "izin",
            "peringatan tidak ada izin ads_management maupun ads_read yang diberikan: Instagram "
            "membutuhkan salah satunya bila peran Anda di Halaman diberikan lewat Business Manager",
        ),
        (
            "",
            "",
            "insight",
            "peringatan kurang instagram_manage_insights: unggahan tetap terbit tanpa izin itu; "
            "insight-nya baru bisa dibaca setelah izin itu diberikan",
        ),
        ("", "", "akun", f"beres @fake_{IG}"),
        ("", "", "kuota", "beres 0 dari 100 unggahan terpakai dalam 24 jam terakhir"),
        ("", "", "media", f"beres dititipkan di Halaman {PAGE}"),
        (
            "kel",
            "instagram (instagrapi)",
            "sesi",
            "PERBAIKI belum ada sesi tersimpan: jalankan 'jadwal login kel'",
        ),
    ]
