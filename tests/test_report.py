"""``jadwal report`` as a supervisor reads it: plan against what went out, each occurrence
once, the weeks, the public's figures exactly as the readings say, and the four formats."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from scheduler import cli
from scheduler.commands import report as report_command
from scheduler.database import open_store
from tests.conftest import WriteCalendar
from tests.helpers import set_created_at
from tests.reportdata import CALENDAR, NOW, Row, december, key, local, plant

ACCOUNT_FIELDS = {
    "account", "platform", "planned", "published", "late", "failed", "missed", "pending",
    "upcoming", "drafts", "followers_start", "followers_end", "weeks", "engagement",
}  # fmt: skip
POST_FIELDS = {
    "key", "post_id", "account", "category", "kind", "at", "state", "published_at",
    "permalink", "metrics", "metrics_read_at",
}  # fmt: skip
ENGAGEMENT = {"views", "reach", "likes", "comments", "shares", "saves"}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def at_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_command, "now", lambda: NOW)


@pytest.fixture
def office(write_calendar: WriteCalendar, at_now: None) -> Path:
    calendar = write_calendar(CALENDAR)
    december(calendar)
    return calendar


def as_json(capsys: pytest.CaptureFixture[str], calendar: Path, month: str) -> dict[str, Any]:
    code, out, err = run(capsys, "report", str(calendar), "--month", month, "--format", "json")
    assert (code, err) == (0, "")
    found: dict[str, Any] = json.loads(out)
    return found


def by_account(report: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = [a for a in report["accounts"] if a["account"] == name]
    return found


def test_three_days_with_the_machine_off_are_missed(
    capsys: pytest.CaptureFixture[str],
    write_calendar: WriteCalendar,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    daily = 'posts:\n  - {id: harian, cron: "0 9 * * *", caption: "Info harian", category: info}\n'
    calendar = write_calendar(CALENDAR.split("posts:")[0] + daily)
    store = open_store(f"sqlite:///{calendar.parent / '.jadwal' / 'jadwal.db'}")
    set_created_at(store, datetime(2026, 11, 1, tzinfo=UTC))
    off = {10, 11, 12}  # nothing ran: no record at all of these three days
    days = [d for d in range(1, 32) if d not in off]
    plant(store, tuple(Row("harian", local(d, 9), "published", local(d, 9, 1)) for d in days))
    store.close()
    monkeypatch.setattr(report_command, "now", lambda: datetime(2027, 1, 2, tzinfo=UTC))
    report = as_json(capsys, calendar, "2026-12")
    ig = by_account(report, "ig")
    assert (ig["planned"], ig["published"], ig["missed"]) == (31, 28, 3)
    missed = [p["key"] for p in report["posts"] if p["state"] == "missed"]
    assert missed == [key("harian", local(d, 9)) for d in sorted(off)]
    assert [p["published_at"] for p in report["posts"] if p["state"] == "missed"] == [None] * 3
    week_50 = [w for w in ig["weeks"] if w["week"] == "2026-W50"]
    assert week_50 == [{"week": "2026-W50", "published": 4, "meets_rule": True}]


def test_plan_against_what_went_out_counts_each_occurrence_once(
    capsys: pytest.CaptureFixture[str], office: Path
) -> None:
    report = as_json(capsys, office, "2026-12")
    assert (report["month"], report["timezone"]) == ("2026-12", "Asia/Jakarta")
    ig = by_account(report, "ig")
    assert set(ig) >= ACCOUNT_FIELDS
    counts = {name: ig[name] for name in ("planned", "published", "late", "failed", "missed")}
    assert counts == {"planned": 13, "published": 4, "late": 1, "failed": 1, "missed": 2}
    assert (ig["pending"], ig["upcoming"], ig["drafts"]) == (3, 1, 1)
    assert (ig["skipped"], ig["before_jadwal"]) == (2, 1)
    states = {p["key"]: p["state"] for p in report["posts"]}
    assert len(states) == len(report["posts"])  # each occurrence once
    assert states == {
        key("subuh", local(1, 7)): "before_jadwal",
        key("pbb-2026", local(1, 9)): "published",
        key("pbb-2026", local(1, 9), again=1): "published",
        key("telat", local(2, 9)): "published",
        key("gagal", local(3, 9)): "failed",
        key("entah", local(4, 9)): "pending",
        key("tunggu", local(5, 9)): "pending",
        key("fb-satu", local(7, 8), "fb"): "published",
        key("draf", local(8, 9)): "draft",
        key("henti", local(9, 9)): "skipped",
        key("pindah", local(10, 9)): "published",
        key("pindah", local(10, 10)): "skipped",
        key("rapat", local(15, 9)): "missed",
        key("mati", local(16, 9)): "missed",
        key("kini", local(20, 9)): "pending",
        key("nanti", local(28, 9)): "upcoming",
    }
    posts = {p["key"]: p for p in report["posts"]}
    assert all(set(p) >= POST_FIELDS for p in report["posts"])
    late = posts[key("telat", local(2, 9))]
    assert (late["late_minutes"], late["published_at"]) == (40, "2026-12-02T09:40:00+07:00")
    assert posts[key("pbb-2026", local(1, 9), again=1)]["late_minutes"] is None
    assert posts[key("gagal", local(3, 9))]["reason"] == "(#36003) aspect ratio not supported"
    moved = posts[key("pindah", local(10, 9))]
    assert (moved["in_calendar"], moved["at"]) == (False, "2026-12-10T09:00:00+07:00")
    assert report["categories"] == {"info": 1, "none": 1, "pengumuman": 3}


def test_the_weeks_and_the_longest_gap(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    report = as_json(capsys, office, "2026-12")
    weeks = {a["account"]: [(w["week"], w["published"], w["meets_rule"]) for w in a["weeks"]]
             for a in report["accounts"]}  # fmt: skip
    assert weeks["ig"] == [
        ("2026-W49", 3, True),
        ("2026-W50", 1, True),
        ("2026-W51", 0, None),  # not over on Sunday morning: it may still be met
        ("2026-W52", 0, None),
        ("2026-W53", 0, None),
    ]
    assert weeks["fb"][:2] == [("2026-W49", 0, False), ("2026-W50", 1, True)]
    gap = by_account(report, "ig")["longest_gap"]
    assert gap == {"from": "2026-12-10T09:01:00+07:00", "to": "2026-12-20T10:00:00+07:00",
                   "days": 10.0}  # fmt: skip


def test_every_figure_is_what_the_stored_readings_say(
    capsys: pytest.CaptureFixture[str], office: Path
) -> None:
    report = as_json(capsys, office, "2026-12")
    ig = by_account(report, "ig")
    assert ig["engagement"] == {
        "views": 512 + 90 + 40,
        "reach": 380 + 30,
        "likes": 61 + 5 + 3,
        "comments": 4 + 1,
        "shares": 2,
        "saves": 1,
    }
    assert (ig["followers_start"], ig["followers_end"], ig["followers_growth"]) == (1200, 1290, 90)
    fb = by_account(report, "fb")
    assert set(fb["engagement"]) == ENGAGEMENT
    assert fb["engagement"] == {"views": 7, "reach": 6, "likes": None, "comments": None,
                                "shares": None, "saves": None}  # fmt: skip
    assert (fb["followers_start"], fb["followers_end"]) == (None, None)
    posts = {p["key"]: p for p in report["posts"]}
    pbb = posts[key("pbb-2026", local(1, 9))]
    assert pbb["metrics"] == {"views": 512, "reach": 380, "likes": 61, "comments": 4,
                              "shares": 2, "saves": 1, "clicks": None}  # fmt: skip
    assert pbb["metrics_read_at"] == "2026-12-08T09:00:00+07:00"  # the latest reading
    assert (pbb["interactions"], pbb["engagement_rate"]) == (68, round(68 / 380, 4))
    telat = posts[key("telat", local(2, 9))]
    assert (telat["interactions"], telat["engagement_rate"]) == (6, None)  # no reach given
    again = posts[key("pbb-2026", local(1, 9), again=1)]
    assert set(again["metrics"].values()) == {None} and again["metrics_read_at"] is None
    assert report["top"] == [
        key("pbb-2026", local(1, 9)),
        key("telat", local(2, 9)),
        key("pindah", local(10, 9)),
    ]


def test_the_previous_month_is_there_to_compare(
    capsys: pytest.CaptureFixture[str], office: Path, at_now: None
) -> None:
    report = as_json(capsys, office, "2027-01")
    ig = by_account(report, "ig")
    assert ig["previous_month"]["published"] == 4
    assert ig["previous_month"]["engagement"]["reach"] == 410
    assert ig["previous_month"]["followers_start"] == 1200


def test_a_report_reads_the_history_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], office: Path
) -> None:
    database = office.parent / ".jadwal" / "jadwal.db"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    for form in ("html", "markdown", "csv", "json"):
        code, _, _ = run(capsys, "report", str(office), "--month", "2026-12", "--format", form)
        assert code == 0
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


def test_no_history_is_an_error_and_none_is_created(
    capsys: pytest.CaptureFixture[str], write_calendar: WriteCalendar, at_now: None
) -> None:
    calendar = write_calendar(CALENDAR)
    code, out, err = run(capsys, "report", str(calendar), "--month", "2026-12")
    assert (code, out) == (1, "")
    assert err.startswith("jadwal: error: there is no history at ")
    assert err.endswith(
        "jadwal.db: nothing has been published from this calendar yet, so there is no month "
        "to report (give --db for another database)\n"
    )
    assert not (calendar.parent / ".jadwal" / "jadwal.db").exists()


@pytest.mark.parametrize(
    ("month", "problem"),
    [
        ("2026-13", "'2026-13' is not a real month (the month is 01 to 12)"),
        ("desember", "'desember' is not a month: write YYYY-MM, e.g. 2026-12"),
    ],
)
def test_a_wrong_month_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], office: Path, month: str, problem: str
) -> None:
    code, out, err = run(capsys, "report", str(office), "--month", month)
    assert (code, out, err) == (1, "", f"jadwal: error: --month: {problem}\n")


def test_the_html_report_goes_beside_the_calendar_for_the_last_full_month(
    capsys: pytest.CaptureFixture[str], office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_command, "now", lambda: datetime(2027, 1, 5, tzinfo=UTC))
    code, out, _ = run(capsys, "report", str(office))
    written = office.parent / "reports" / "laporan-2026-12.html"
    assert code == 0 and written.is_file()
    assert out == f"jadwal report: 2026-12 written to {written}\n"
    page = written.read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3', "")
    assert "Siti Aminah, Pranata Humas" in page  # report.prepared_by
    assert "Drs. Budi Santoso, Kepala Bidang IKP" in page  # vars.approved_by, the fallback


def test_csv_opens_in_excel_in_columns(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    out = office.parent / "december.csv"
    code, _, _ = run(capsys, "report", str(office), "--month", "2026-12", "--format", "csv",
                     "--out", str(out))  # fmt: skip
    assert code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8, as Excel knows it by its BOM
    rows = data.decode("utf-8-sig").splitlines()
    assert rows[0].split(";")[:9] == [
        "key", "post_id", "account", "platform", "title", "category", "kind", "at", "state",
    ]  # fmt: skip
    assert len(rows) == 1 + 16
    pbb = next(r for r in rows if r.startswith(key("pbb-2026", local(1, 9)) + ";"))
    assert ";2026-12-01 09:00;published;2026-12-01 09:02;;" in pbb
    assert pbb.endswith(";512;380;61;4;2;1;;68;0,1789;2026-12-08 09:00")


def test_markdown_for_a_message(capsys: pytest.CaptureFixture[str], office: Path) -> None:
    code, out, _ = run(capsys, "report", str(office), "--month", "2026-12", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["# Monthly social media report", ""]
    assert "Pemerintah Desa Sukamaju · December 2026" in lines
    assert "| ig | 13 | 4 | 1 | 1 | 2 | 3 | 1 | 1 |" in lines
    assert "| all accounts | 14 | 5 | 1 | 1 | 2 | 3 | 1 | 1 |" in lines
    assert "- Wed 16 Dec 09:00 mati (ig): missed" in lines
    assert "- Thu 3 Dec 09:00 gagal (ig): failed — (#36003) aspect ratio not supported" in lines
    assert lines[-3:] == [
        "Prepared by: Siti Aminah, Pranata Humas",
        "",
        "Approved by: Drs. Budi Santoso, Kepala Bidang IKP",
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "- Longest gap, fb: 13.1 days",
                "| ig | 642 | 410 | 77 | 1,200 → 1,290 (+90) | 0 published |",
                "| Tue 1 Dec 09:00 | pbb-2026 (ig) | 68 | 380 | 17.9% |",
            ],
        ),
        (
            "id",
            [
                "- Jeda terpanjang, fb: 13,1 hari",
                "| ig | 642 | 410 | 77 | 1.200 → 1.290 (+90) | 0 diterbitkan |",
                "| Sel 1 Des 09.00 | pbb-2026 (ig) | 68 | 380 | 17,9% |",
            ],
        ),
    ],
)
def test_numbers_are_written_the_way_the_reader_writes_them(
    capsys: pytest.CaptureFixture[str],
    office: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    expected: list[str],
) -> None:
    """Thousands and decimals as the report's reader writes them: 1.290 and 17,9% in
    Indonesian, 1,290 and 17.9% in English."""
    monkeypatch.setenv("JADWAL_LANG", language)
    code, out, _ = run(capsys, "report", str(office), "--month", "2026-12", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    for line in expected:
        assert line in lines


REHEARSAL = (
    "Rehearsal: made from the dry run's history (jadwal tick --dry-run); nothing in this "
    "report was published"
)


def test_a_rehearsals_report_says_so_and_never_takes_the_real_ones_place(
    capsys: pytest.CaptureFixture[str], office: Path
) -> None:
    code, _, _ = run(capsys, "tick", str(office), "--dry-run", "--now", "2026-12-07 08:00")
    assert code == 0
    code, out, err = run(capsys, "report", str(office), "--month", "2026-12", "--dry-run")
    rehearsal = office.parent / "reports" / "laporan-2026-12-uji-coba.html"
    assert (code, out, err) == (0, f"jadwal report: 2026-12 written to {rehearsal}\n", "")
    page = rehearsal.read_text(encoding="utf-8")
    assert f'<p class="rehearsal" role="note"><strong>{escape(REHEARSAL)}</strong></p>' in page
    assert not (office.parent / "reports" / "laporan-2026-12.html").exists()
    code, out, _ = run(capsys, "report", str(office), "--month", "2026-12", "--dry-run",
                       "--format", "json")  # fmt: skip
    rehearsed = json.loads(out)
    assert rehearsed["dry_run"] is True
    assert [p["post_id"] for p in rehearsed["posts"] if p["state"] == "published"] == ["fb-satu"]
    code, out, _ = run(capsys, "report", str(office), "--month", "2026-12", "--format", "markdown")
    assert REHEARSAL not in out
    assert as_json(capsys, office, "2026-12")["dry_run"] is False
    code, out, _ = run(capsys, "report", str(office), "--month", "2026-12", "--dry-run",
                       "--format", "markdown")  # fmt: skip
    assert out.splitlines()[2] == f"**{REHEARSAL}**"
