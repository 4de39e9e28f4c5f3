"""The site's captions and problems kept from its last run (``site.verdicts``) are used only
while nothing they were made from changed: a rerun renders nothing and gives the very same
site, and an edited template, a replaced picture or an edited calendar is rendered and
checked again, giving the site a run with no cache gives."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image

from scheduler import cache
from scheduler.calendar import load_calendar
from scheduler.check import OccurrenceChecks
from scheduler.site.build import write_site
from tests.conftest import ROOT

NOW = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)
DECEMBER = date(2026, 12, 1), date(2026, 12, 31)
POSYANDU = "post/posyandu-bulanan-20261205T010000Z.html"  # the shipped calendar's 5 December


@pytest.fixture
def desa(tmp_path: Path) -> Path:
    """A copy of the shipped calendar, its templates and media."""
    folder = tmp_path / "desa"
    for name in ("templates", "media"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "calendar.yaml", folder)
    return folder / "calendar.yaml"


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The occurrences rendered and checked from now on (post ids)."""
    seen: list[str] = []
    real = OccurrenceChecks.__call__

    def call(self: OccurrenceChecks, occurrence: object) -> object:
        seen.append(occurrence.post.id)  # type: ignore[attr-defined]
        return real(self, occurrence)  # type: ignore[arg-type]

    monkeypatch.setattr(OccurrenceChecks, "__call__", call)
    return seen


def site(path: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    write_site(load_calendar(path), out, *DECEMBER, None, NOW)
    return {f.relative_to(out).as_posix(): f.read_bytes() for f in out.rglob("*") if f.is_file()}


def uncached(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Callable[[Path, Path], dict[str, bytes]]:
    """The site as a machine that never ran jadwal writes it (an empty cache)."""

    def fresh(path: Path, out: Path) -> dict[str, bytes]:
        with monkeypatch.context() as m:
            m.setenv("XDG_CACHE_HOME", str(tmp_path / f"empty-{out.name}"))
            return site(path, out)

    return fresh


def test_a_rerun_renders_nothing_and_writes_the_same_site(
    desa: Path, tmp_path: Path, checked: list[str]
) -> None:
    first = site(desa, tmp_path / "first")
    assert checked, "the first run renders and checks every occurrence"
    checked.clear()
    assert site(desa, tmp_path / "again") == first
    assert checked == []


def test_an_edited_template_is_rendered_again(
    desa: Path, tmp_path: Path, checked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site(desa, tmp_path / "first")
    template = desa.parent / "templates" / "pengumuman.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\nDiperbarui kemarin.\n")
    checked.clear()
    again = site(desa, tmp_path / "again")
    assert "posyandu-bulanan" in checked
    assert "Diperbarui kemarin." in again[POSYANDU].decode()
    assert again == uncached(monkeypatch, tmp_path)(desa, tmp_path / "fresh")


def test_a_picture_replaced_under_the_same_name_is_checked_again(
    desa: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = site(desa, tmp_path / "first")
    # A banner far wider than the 1.91:1 Instagram takes, where the poster was.
    Image.new("RGB", (1500, 500), "white").save(desa.parent / "media" / "posyandu.jpg")
    again = site(desa, tmp_path / "again")
    assert again[POSYANDU] != before[POSYANDU]
    assert again == uncached(monkeypatch, tmp_path)(desa, tmp_path / "fresh")


def test_an_edited_calendar_is_rendered_again(
    desa: Path, tmp_path: Path, checked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site(desa, tmp_path / "first")
    text = desa.read_text(encoding="utf-8")
    desa.write_text(text.replace("tempat: Balai Desa Sukamaju", "tempat: Gedung Serbaguna"))
    checked.clear()
    again = site(desa, tmp_path / "again")
    assert "posyandu-bulanan" in checked
    assert "Gedung Serbaguna" in again[POSYANDU].decode()
    assert again == uncached(monkeypatch, tmp_path)(desa, tmp_path / "fresh")


def test_a_spoilt_entry_is_passed_over(desa: Path, tmp_path: Path, checked: list[str]) -> None:
    first = site(desa, tmp_path / "first")
    place = cache.folder("checks")
    assert place is not None
    for entry in place.glob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:100])
    checked.clear()
    assert site(desa, tmp_path / "again") == first
    assert checked  # rendered again, and kept again
    checked.clear()
    assert site(desa, tmp_path / "third") == first
    assert checked == []


def test_a_calendar_not_read_from_a_file_keeps_nothing(
    desa: Path, tmp_path: Path, checked: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    calendar = dataclasses.replace(load_calendar(desa), read_as=())
    write_site(calendar, tmp_path / "out", *DECEMBER, None, NOW)
    assert checked
    assert not list((tmp_path / "cache" / "jadwal" / "checks").glob("*"))
