"""A calendar read before comes from jadwal's cache only while reading it again would give
the same: the file's text, the files it names, the path it is given as, the language."""

from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler import cache
from scheduler.calendar import load, read_calendar_file
from tests.conftest import ROOT, WriteCalendar

CALENDAR = """\
    version: 1
    timezone: Asia/Jakarta
    accounts:
      fb: {platform: facebook, page_id: "1", token: "${FB_TOKEN}"}
    posts:
      - id: rapat
        accounts: [fb]
        at: 2027-03-01 09:00
        time: "10:00"
        caption: Rapat desa hari Senin
        media: media/posyandu.jpg
    """
WARNING = "post 'rapat': 'time' has no effect with 'at' and is ignored"


@pytest.fixture
def unread(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, each time the calendar file is parsed instead of taken from the cache."""
    parsed: list[str] = []
    real = load.parse_yaml

    def parse(text: str, path: str) -> object:
        parsed.append(path)
        return real(text, path)

    monkeypatch.setattr(load, "parse_yaml", parse)
    return parsed


def messages(path: Path) -> list[str]:
    return [p.message for p in read_calendar_file(path)[1]]


def test_a_calendar_read_again_is_the_one_read_first_without_parsing_it(
    write_calendar: WriteCalendar, unread: list[str]
) -> None:
    path = write_calendar(CALENDAR)
    first = read_calendar_file(path)
    assert len(unread) == 1
    again = read_calendar_file(path)
    assert len(unread) == 1  # not parsed the second time
    assert again == first
    assert [p.message for p in again[1]] == [WARNING]


def test_the_shipped_calendar_from_the_cache_equals_the_calendar_read(
    tmp_path: Path, unread: list[str]
) -> None:
    folder = tmp_path / "desa"
    for name in ("templates", "media"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "calendar.yaml", folder)
    first = read_calendar_file(folder / "calendar.yaml")
    assert read_calendar_file(folder / "calendar.yaml") == first
    assert len(unread) == 1


def test_an_edit_that_keeps_the_size_and_the_time_of_the_file_is_read(
    write_calendar: WriteCalendar, unread: list[str]
) -> None:
    path = write_calendar(CALENDAR)
    before = os.stat(path)
    calendar, _ = read_calendar_file(path)
    assert calendar is not None and calendar.posts[0].caption == "Rapat desa hari Senin"
    path.write_text(path.read_text().replace("Senin", "Kamis"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    calendar, _ = read_calendar_file(path)
    assert calendar is not None and calendar.posts[0].caption == "Rapat desa hari Kamis"
    assert len(unread) == 2


def test_a_media_file_or_template_deleted_after_a_read_is_an_error_at_once(
    write_calendar: WriteCalendar,
) -> None:
    path = write_calendar(
        CALENDAR.replace("caption: Rapat desa hari Senin", "template: rapat"),
        **{"templates__rapat.j2": "Rapat {{ date }}"},
    )
    assert messages(path) == [WARNING]
    (path.parent / "media" / "posyandu.jpg").unlink()
    assert messages(path) == [
        WARNING,
        "post 'rapat': media file 'media/posyandu.jpg' not found (paths are relative to the "
        "calendar's folder)",
    ]
    (path.parent / "media" / "posyandu.jpg").write_bytes(
        (ROOT / "media" / "posyandu.jpg").read_bytes()
    )
    assert messages(path) == [WARNING]
    (path.parent / "templates" / "rapat.j2").unlink()
    assert messages(path) == [
        WARNING,
        "post 'rapat': template 'rapat' not found: create templates/rapat.j2 (or "
        "templates/rapat.facebook.j2)",
    ]


def test_the_problems_are_worded_in_the_language_in_force(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_calendar(CALENDAR)
    assert messages(path) == [WARNING]
    monkeypatch.setenv("JADWAL_LANG", "id")
    (indonesian,) = messages(path)
    assert indonesian.startswith("unggahan 'rapat': 'time'"), indonesian
    monkeypatch.setenv("JADWAL_LANG", "en")
    assert messages(path) == [WARNING]


def test_the_problems_name_the_file_as_it_was_given(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_calendar(CALENDAR)
    monkeypatch.chdir(path.parent)
    assert [p.path for p in read_calendar_file(Path("calendar.yaml"))[1]] == ["calendar.yaml"]
    monkeypatch.chdir(path.parent.parent)
    shown = f"{path.parent.name}/calendar.yaml"
    assert [p.path for p in read_calendar_file(Path(shown))[1]] == [shown]


def test_a_calendar_with_errors_is_not_kept(write_calendar: WriteCalendar) -> None:
    path = write_calendar(CALENDAR.replace("platform: facebook", "platform: facebok"))
    assert any(p.is_error for p in read_calendar_file(path)[1])
    resolved = cache.entry_path("calendars", path.resolve())
    assert resolved is not None and not resolved.exists()


def test_a_spoiled_entry_is_passed_over_and_written_again(
    write_calendar: WriteCalendar, unread: list[str]
) -> None:
    path = write_calendar(CALENDAR)
    first = read_calendar_file(path)
    entry = cache.entry_path("calendars", path.resolve())
    assert entry is not None and entry.exists()
    entry.write_bytes(entry.read_bytes()[:1000])  # half an entry
    assert read_calendar_file(path) == first
    assert read_calendar_file(path) == first
    assert len(unread) == 2  # read again once, then kept again


def test_a_cache_that_cannot_be_written_only_makes_reading_slower(
    write_calendar: WriteCalendar, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_calendar(CALENDAR)
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    assert messages(path) == [WARNING]
    assert messages(path) == [WARNING]


def test_the_entries_are_the_users_own(write_calendar: WriteCalendar) -> None:
    path = write_calendar(CALENDAR)
    read_calendar_file(path)
    entry = cache.entry_path("calendars", path.resolve())
    assert entry is not None
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700


def test_a_check_run_twice_prints_the_same(shipped_calendar: Path, tmp_path: Path) -> None:
    """As an operator runs it: a new process each time, the second from the cache."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "JADWAL_LANG": "en"}
    command = [sys.executable, "-m", "scheduler", "check", str(shipped_calendar)]
    runs = [subprocess.run(command, capture_output=True, text=True, env=env) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout and "ok (0 errors" in runs[0].stdout
    assert len(list((tmp_path / "cache" / "jadwal" / "calendars").glob("*.pickle"))) == 1


# What the calendar package may ask of the file system outside ``refs.Looks``: each is an
# input the entry's head already covers, or not the file system at all.
ALLOWED_LOOKS = {
    ("load.py", "read_bytes"),  # the calendar file itself: its bytes' digest is in the head
    ("load.py", "resolve"),  # its path: in the head
    ("days.py", "read_text"),  # jadwal's own data file: the code's digest covers it
    ("yamltree.py", "resolve"),  # YAML's tag resolution, not a path
}
LOOKING = {
    *("is_file", "exists", "is_dir", "is_symlink", "iterdir", "glob", "rglob", "scandir"),
    *("listdir", "walk", "stat", "lstat", "open", "read_text", "read_bytes", "resolve"),
    *("readlink", "samefile", "find_template", "resolve_media", "similar_media"),
}


def test_reading_a_calendar_looks_at_its_folder_only_through_looks() -> None:
    """A look at the folder taken around ``refs.Looks`` would leave a kept calendar blind to
    a file created or deleted: outside refs.py, the calendar package takes none."""
    taken = set()
    for module in sorted((ROOT / "scheduler" / "calendar").glob("*.py")):
        if module.name == "refs.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func
                name = getattr(called, "attr", None) or getattr(called, "id", None)
                if name in LOOKING:
                    taken.add((module.name, name))
    assert taken == ALLOWED_LOOKS
