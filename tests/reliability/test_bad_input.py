"""Bad input: mutated calendars, huge files, alias bombs, and a daemon fed broken reloads.

The mutations start from the calendar that ships (``calendar.yaml``) and break it the way
people and tools do: lines deleted, duplicated, swapped or re-indented, stray unicode pasted
in, values replaced by huge numbers or long strings, anchors and aliases, deep nesting. Whatever
comes out, ``check_calendar`` answers with located problems (it never raises), and
``load_calendar`` + ``preview`` raise nothing but ``CalendarError``; neither takes long.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.calendar import load_calendar
from scheduler.calendar.yamltree import MAX_BYTES
from scheduler.check import check_calendar
from scheduler.errors import CalendarError
from scheduler.preview import preview
from scheduler.problems import Problem
from tests.commands import JADWAL
from tests.conftest import ROOT, WriteCalendar
from tests.daemonproc import DaemonProcess, dry_run_files
from tests.helpers import calendar_folder, calendar_text

SHIPPED = (ROOT / "calendar.yaml").read_text(encoding="utf-8")
TODAY = date(2026, 12, 1)  # the shipped posts fall in December 2026
MONTH = (date(2026, 12, 1), date(2026, 12, 31))
TIME_LIMIT = 5.0  # seconds per example, for check and for load + preview each
ALARM = 20  # a hard stop, so that a real hang fails the test instead of the whole run
JAKARTA = ZoneInfo("Asia/Jakarta")

MUTATIONS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class Hung(BaseException):
    """Raised by the alarm: a BaseException, so no ``except Exception`` can swallow it."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A calendar folder with the shipped templates and media; each example rewrites the file."""
    return calendar_folder(tmp_path_factory.mktemp("mutations"))


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    """Run ``action`` under a hard alarm; returns its result and how long it took."""

    def ring(_signum: int, _frame: FrameType | None) -> None:
        raise Hung(f"still running after {ALARM} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(ALARM)
    started = time.monotonic()
    try:
        return action(), time.monotonic() - started
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- mutations of the shipped calendar -------------------------------------------------------

Lines = list[str]
VALUE = re.compile(r"^(?P<head>\s*(?:- )?[A-Za-z_][\w-]*:\s)(?P<value>\S.*?)(?P<end>\r?\n?)$")
ANY_CHAR = st.characters(exclude_categories=["Cs"])  # surrogates can't be written as UTF-8
UNICODE = st.text(ANY_CHAR, min_size=1, max_size=8) | st.sampled_from(
    ["\x00", "\ufeff", "\u2028", "\u2029", "\x85", "\u202e", "\t", "\r", "\u200b", "🎉", "ß"]
)
HUGE_VALUE = st.one_of(
    st.integers(19, 400).map(lambda n: "9" * n),
    st.integers(19, 400).map(lambda n: "-" + "9" * n),
    st.sampled_from(["1e999", "-1e999", ".inf", ".nan", "0x" + "f" * 64, "0o" + "7" * 80]),
    st.integers(1_000, 200_000).map(lambda n: "x" * n),
    st.integers(1_000, 200_000).map(lambda n: '"' + "é" * n + '"'),
    st.integers(1_000, 50_000).map(lambda n: "{{ " * n),
)


def _index(draw: st.DrawFn, lines: Lines) -> int:
    return draw(st.integers(0, max(len(lines) - 1, 0)))


def _value_lines(lines: Lines) -> list[int]:
    return [i for i, line in enumerate(lines) if VALUE.match(line)]


def _set_value(lines: Lines, index: int, value: str) -> Lines:
    match = VALUE.match(lines[index])
    assert match is not None
    lines[index] = match["head"] + value + (match["end"] or "\n")
    return lines


def delete_line(draw: st.DrawFn, lines: Lines) -> Lines:
    if lines:
        del lines[_index(draw, lines)]
    return lines


def duplicate_line(draw: st.DrawFn, lines: Lines) -> Lines:
    if lines:
        i = _index(draw, lines)
        lines.insert(i, lines[i])
    return lines


def swap_lines(draw: st.DrawFn, lines: Lines) -> Lines:
    if lines:
        i, j = _index(draw, lines), _index(draw, lines)
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def reindent(draw: st.DrawFn, lines: Lines) -> Lines:
    if lines:
        i = _index(draw, lines)
        indent = draw(st.sampled_from(["", " ", "   ", "     ", "\t", " \t", "        "]))
        lines[i] = indent + lines[i].lstrip(" \t")
    return lines


def insert_unicode(draw: st.DrawFn, lines: Lines) -> Lines:
    if not lines:
        return [draw(UNICODE)]
    i = _index(draw, lines)
    at = draw(st.integers(0, len(lines[i])))
    lines[i] = lines[i][:at] + draw(UNICODE) + lines[i][at:]
    return lines


def huge_scalar(draw: st.DrawFn, lines: Lines) -> Lines:
    candidates = _value_lines(lines)
    if candidates:
        lines = _set_value(lines, draw(st.sampled_from(candidates)), draw(HUGE_VALUE))
    return lines


def anchor_and_alias(draw: st.DrawFn, lines: Lines) -> Lines:
    """``&a`` on one value, ``*a`` (or ``<<: *a``) at another place, before or after it."""
    candidates = _value_lines(lines)
    if len(candidates) < 2:
        return lines
    source, target = draw(st.sampled_from(candidates)), draw(st.sampled_from(candidates))
    source_match = VALUE.match(lines[source])
    assert source_match is not None
    lines = _set_value(lines, source, "&a " + source_match["value"])
    if draw(st.booleans()):
        return _set_value(lines, target, "*a")
    indent = re.match(r"\s*", lines[target])
    lines.insert(target, (indent[0] if indent else "") + "<<: *a\n")
    return lines


def deep_nesting(draw: st.DrawFn, lines: Lines) -> Lines:
    depth = draw(st.integers(2, 300))
    style = draw(st.sampled_from(["flow-list", "flow-map", "block"]))
    if style == "flow-list":
        nested = "[" * depth + "1" + "]" * depth
    elif style == "flow-map":
        nested = "{a: " * depth + "1" + "}" * depth
    else:
        block = "".join("  " * (level + 1) + "k:\n" for level in range(min(depth, 120)))
        lines.insert(_index(draw, lines), "deep:\n" + block)
        return lines
    candidates = _value_lines(lines)
    if candidates:
        lines = _set_value(lines, draw(st.sampled_from(candidates)), nested)
    return lines


def laughs(draw: st.DrawFn, lines: Lines) -> Lines:
    """A small "billion laughs" under vars: within the alias budget, or over it."""
    levels = draw(st.integers(2, 8))
    body = ["  lol0: &l0 [" + ", ".join(["ha"] * 9) + "]\n"]
    body += [f"  lol{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 9) + "]\n" for k in range(1, levels)]
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("vars:")), 0)
    lines[at:at] = body if at else ["vars:\n", *body]
    return lines


Mutation = Callable[[st.DrawFn, Lines], Lines]
OPERATIONS: list[Mutation] = [
    delete_line,
    duplicate_line,
    swap_lines,
    reindent,
    insert_unicode,
    huge_scalar,
    anchor_and_alias,
    deep_nesting,
    laughs,
]


@st.composite
def mutated_calendar(draw: st.DrawFn) -> str:
    lines = SHIPPED.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        lines = draw(st.sampled_from(OPERATIONS))(draw, lines)
    return "".join(lines)


# -- what every answer must look like --------------------------------------------------------


def line_count(path: Path) -> int:
    """Lines as YAML and editors may count them (``\\u2028``, a lone ``\\r``... break lines)."""
    text = path.read_bytes().decode("utf-8", "replace")
    return max(len(text.splitlines()), text.count("\n") + 1)


def source_of(problem: Problem, calendar: Path) -> Path | None:
    path = Path(problem.path)
    if not path.is_absolute():
        path = Path.cwd() / path
    if path.resolve() == calendar.resolve():
        return calendar
    return path if path.is_file() else None


def assert_located(problems: list[Problem], calendar: Path) -> None:
    """Each problem has a message and a place: a line that the calendar, or the template file
    it names, really has."""
    for problem in problems:
        assert problem.message.strip(), problem
        assert problem.line >= 1 and problem.column >= 1, problem
        source = source_of(problem, calendar)
        assert source is not None, f"{problem}: no such file"
        assert problem.line <= line_count(source) + 1, (problem, line_count(source))


def check_and_preview(path: Path) -> None:
    problems, seconds = timed(lambda: check_calendar(path, TODAY))
    assert seconds < TIME_LIMIT, f"check took {seconds:.1f} s"
    assert_located(problems, path)

    def load_and_preview() -> list[Problem]:
        try:
            calendar = load_calendar(path)
        except CalendarError as exc:
            assert any(p.is_error for p in exc.problems), exc.problems
            return exc.problems
        preview(calendar, *MONTH)
        return []

    refused, seconds = timed(load_and_preview)
    assert seconds < TIME_LIMIT, f"load + preview took {seconds:.1f} s"
    assert_located(refused, path)
    errors = [p for p in problems if p.is_error]
    # check and load agree on whether the calendar can be used at all
    assert bool(refused) <= bool(errors), (refused, errors)


@pytest.mark.slow
@MUTATIONS
@given(text=mutated_calendar())
def test_mutated_calendars_give_located_problems_quickly(folder: Path, text: str) -> None:
    path = folder / "calendar.yaml"
    path.write_text(text, encoding="utf-8")
    check_and_preview(path)


def test_the_shipped_calendar_is_the_valid_starting_point(folder: Path) -> None:
    path = folder / "calendar.yaml"
    path.write_text(SHIPPED, encoding="utf-8")
    assert not [p for p in check_calendar(path, TODAY) if p.is_error]
    assert preview(load_calendar(path), *MONTH)


# -- size and alias limits -------------------------------------------------------------------


def test_a_50_mb_file_is_refused_quickly_with_one_located_error(folder: Path) -> None:
    path = folder / "huge" / "calendar.yaml"
    path.parent.mkdir(exist_ok=True)
    chunk = "  - {id: p, at: '2026-12-01 09:00', caption: " + "x" * 900 + "}\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(SHIPPED)
        handle.write(chunk * (50 * 1024 * 1024 // len(chunk)))
    assert path.stat().st_size > 10 * MAX_BYTES
    try:
        problems, seconds = timed(lambda: check_calendar(path, TODAY))
        assert seconds < 3.0, f"check took {seconds:.1f} s"
        assert len(problems) == 1
        [problem] = problems
        assert problem.is_error and "larger than 5 MB" in problem.message
        assert (problem.line, problem.column) == (1, 1)
        with pytest.raises(CalendarError) as refused:
            load_calendar(path)
        assert [p.message for p in refused.value.problems] == [problem.message]
    finally:
        path.unlink()


def test_a_page_pasted_as_a_holidays_name_is_one_short_problem_at_once(folder: Path) -> None:
    """Found by the mutations: 50,000 characters in ``skip`` were measured letter by letter
    against every holiday's name for a "did you mean" (14 s), and the message held them all."""
    path = folder / "calendar.yaml"
    pasted = "x" * 50_000
    path.write_text(SHIPPED.replace('skip: ["Hari kedua', f'skip: ["{pasted}", "Hari kedua'))
    problems, seconds = timed(lambda: check_calendar(path, TODAY))
    assert seconds < TIME_LIMIT, f"check took {seconds:.1f} s"
    [problem] = [p for p in problems if "x" * 57 in p.message]
    assert problem.message.startswith(f"holidays: skip: '{'x' * 57}...' is not a holiday of ID")
    assert len(problem.message) < 400


def billion_laughs(levels: int) -> str:
    lines = ["lol0: &l0 [" + ", ".join(["lol"] * 10) + "]"]
    lines += [f"lol{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * 10) + "]" for k in range(1, levels)]
    return "version: 1\nvars:\n" + "".join(f"  {line}\n" for line in lines)


@pytest.mark.parametrize("levels", [7, 9, 12])
def test_billion_laughs_are_refused_quickly(folder: Path, levels: int) -> None:
    path = folder / "laughs.yaml"
    path.write_text(SHIPPED.replace("vars:\n", billion_laughs(levels)[len("version: 1\n") :], 1))
    problems, seconds = timed(lambda: check_calendar(path, TODAY))
    assert seconds < 1.0, f"check took {seconds:.1f} s"
    assert [p.message for p in problems if p.is_error] == [
        "the document expands to too many values (nested aliases?)"
    ]
    assert_located(problems, path)
    with pytest.raises(CalendarError):
        timed(lambda: load_calendar(path))


# -- the daemon keeps the last good calendar -------------------------------------------------


def reload_calendar(posts: str, timezone: str = "Asia/Jakarta") -> str:
    return calendar_text(
        accounts={"fb": "platform: facebook, page_id: '1', token: '${FB_TOKEN}'"},
        timezone=timezone,
        defaults="fb",
        rules="{min_posts_per_week: 0}",
        posts=posts,
    )


def one_off(post_id: str, at: datetime, source: str = "caption: Halo warga") -> str:
    moment = at.astimezone(JAKARTA).replace(microsecond=0).isoformat()
    return f"  - id: {post_id}\n    at: '{moment}'\n    {source}\n"


def far_post() -> str:
    return one_off("nanti", datetime.now(UTC) + timedelta(hours=5))


def start_daemon(calendar: Path, daemons: list[DaemonProcess]) -> DaemonProcess:
    daemon = DaemonProcess([*JADWAL, "daemon", str(calendar), "--dry-run"], calendar.parent)
    daemons.append(daemon)
    assert daemon.wait_for(lambda: daemon.count("INFO started:") == 1, 30), daemon.output()
    return daemon


def refuse(daemon: DaemonProcess, write: Callable[[], object], located: str) -> None:
    """Write a broken variant and wait for the daemon to refuse it, naming the place."""

    def answers() -> int:
        return daemon.count("keeping the last good calendar") + daemon.count("INFO reloaded:")

    before, kept = answers(), daemon.count("keeping the last good calendar")
    write()
    assert daemon.wait_for(lambda: answers() > before, 15), daemon.output()
    assert daemon.count("keeping the last good calendar") > kept, daemon.output()
    refused = [line for line in daemon.lines if "reload refused:" in line]
    assert any(located in line for line in refused), (located, refused)
    assert daemon.process.poll() is None, daemon.output()


BROKEN_CALENDARS = {
    "malformed YAML": (
        "version: 1\naccounts: [\n  fb\nposts:\n",
        "calendar.yaml:2:11: error: invalid YAML: the [ opened here is never closed",
    ),
    "six-field cron": (
        reload_calendar("  - id: rutin\n    cron: '0 8 5 * * *'\n    caption: x\n"),
        "calendar.yaml:9:11: error: post 'rutin': cron: '0 8 5 * * *' has 6 fields",
    ),
    "unknown time zone": (
        reload_calendar("  - id: x\n    at: '2027-01-01 09:00'\n    caption: x\n", "Asia/Atlantis"),
        "calendar.yaml:2:11: error: unknown time zone 'Asia/Atlantis'",
    ),
}


@pytest.mark.slow
def test_daemon_refuses_broken_reloads_and_publishes_the_fixed_calendar(
    write_calendar: WriteCalendar, daemons: list[DaemonProcess]
) -> None:
    calendar = write_calendar(reload_calendar(far_post()))
    daemon = start_daemon(calendar, daemons)
    for text, located in BROKEN_CALENDARS.values():
        refuse(daemon, partial(calendar.write_text, text), located)
    due = datetime.now(UTC) + timedelta(seconds=5)
    calendar.write_text(reload_calendar(far_post() + one_off("sekarang", due)))
    assert daemon.wait_for(lambda: bool(dry_run_files(calendar)), 30), daemon.output()
    [published] = dry_run_files(calendar)
    assert "sekarang" in published.name and "Halo warga" in published.read_text()
    assert daemon.stop() == 0, daemon.output()
    output = daemon.output()
    assert daemon.count("reload refused:") >= len(BROKEN_CALENDARS)
    assert daemon.count("INFO reloaded: 2 posts, 1 accounts") == 1, output
    assert "Traceback" not in output
    assert "INFO published sekarang/fb/" in output


@pytest.mark.slow
def test_daemon_refuses_a_template_syntax_error_and_keeps_publishing(
    write_calendar: WriteCalendar, daemons: list[DaemonProcess]
) -> None:
    templates = {"templates__berita.j2": "Berita: {{ judul }}\n"}
    due = datetime.now(UTC) + timedelta(seconds=10)
    calendar = write_calendar(
        reload_calendar(
            far_post() + one_off("berita", due, "template: berita\n    vars: {judul: Rapat}")
        ),
        **templates,
    )
    daemon = start_daemon(calendar, daemons)
    broken = calendar.parent / "templates" / "berita.j2"
    refuse(
        daemon,
        lambda: broken.write_text("Berita: {% if judul %}{{ judul }}\n"),
        "templates/berita.j2:",
    )
    assert daemon.wait_for(lambda: bool(dry_run_files(calendar)), 20), daemon.output()
