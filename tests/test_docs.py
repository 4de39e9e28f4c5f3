"""The docs keep up with the code: every calendar key, CLI option and template filter is named.

``docs/calendar.md`` documents the schema key by key and ``README.md`` lists the commands; these
tests read the key declarations (``scheduler/calendar/keys.py``), the Typer app and the Jinja
environment from the code itself, so a new key, option or filter without documentation fails
the suite, and so does a key whose type, default or meaning differs from its row in the docs
(the editor shows that meaning on hover).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import typer
from jinja2.sandbox import SandboxedEnvironment

from scheduler import cli
from scheduler.calendar import keys
from scheduler.calendar.expand import Occurrence
from scheduler.calendar.holidays import holiday_post
from scheduler.calendar.model import Account, Calendar, Holidays, Post, Rules, Schedule
from scheduler.check import check_calendar
from scheduler.problems import Location
from scheduler.render import Renderer
from tests.conftest import ROOT, WriteCalendar

CALENDAR_DOC = ROOT / "docs" / "calendar.md"
README = ROOT / "README.md"
TZ = ZoneInfo("Asia/Jakarta")

# Each section of the schema and the part of docs/calendar.md whose table documents it.
SECTIONS = {
    "Top level": (
        keys.TOP,
        keys.DEFAULTS,
        keys.GRAPH,
        keys.MEDIA,
        keys.SITE,
        keys.REPORT,
        keys.NOTIFY,
    ),
    "Accounts": (keys.ACCOUNT,),
    "Posts": (keys.POST,),
    "Holidays": (keys.HOLIDAYS, keys.HOLIDAY_EXTRA, keys.GREETING),
    "Rules": (keys.RULES,),
}
ROW = re.compile(r"^\| `(?P<key>[\w.]+)` \| (?P<cells>.*) \|$")


@cache
def doc_text() -> str:
    return CALENDAR_DOC.read_text(encoding="utf-8")


def doc_section(title: str) -> str:
    """The text under ``## title`` (subsections included) up to the next ``## `` heading."""
    parts = re.split(r"^## ", doc_text(), flags=re.MULTILINE)
    found = [p for p in parts if p.splitlines()[0].strip() == title]
    assert found, f"docs/calendar.md has no '## {title}' section"
    return found[0]


def undocumented(names: Iterable[str], text: str) -> list[str]:
    """The names that ``text`` never shows as inline code (`` `name` ``)."""
    return [n for n in names if f"`{n}`" not in text]


def declared(title: str) -> dict[str, tuple[str, str, str]]:
    """Each key of the sections documented under ``title``: its type, default and meaning."""
    return {
        section.prefix + key.name: (key.shown, key.default, key.meaning)
        for section in SECTIONS[title]
        for key in section.keys
    }


def table_rows(text: str) -> dict[str, tuple[str, ...]]:
    """The rows of the key tables in ``text``: key → its other cells."""
    found = (ROW.match(line) for line in text.splitlines())
    return {m["key"]: tuple(m["cells"].split(" | ")) for m in found if m}


def test_every_section_is_documented() -> None:
    assert {s for sections in SECTIONS.values() for s in sections} == set(keys.SECTIONS)


@pytest.mark.parametrize("title", list(SECTIONS))
def test_every_schema_key_is_documented_in_its_section(title: str) -> None:
    assert undocumented(declared(title), doc_section(title)) == []


@pytest.mark.parametrize("title", list(SECTIONS))
def test_every_key_is_described_as_its_row_in_the_docs(title: str) -> None:
    """What the editor shows for a key (its JSON Schema description) is what the docs say."""
    rows = table_rows(doc_section(title))
    assert {name: rows.get(name) for name in declared(title)} == declared(title)


# -- README: commands and options ----------------------------------------------------------


def cli_commands() -> dict[str, list[str]]:
    """Each command of the Typer app and the option strings (``--format``) it accepts."""
    group = typer.main.get_command(cli.app)
    commands: dict[str, list[str]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        options = [p for p in command.params if p.param_type_name == "option"]
        commands[name] = [o for p in options for o in [*p.opts, *p.secondary_opts]]
    return commands


def usage_lines(name: str) -> list[str]:
    """README's inline usage spans of one command, e.g. `` `jadwal check [--format …]` ``."""
    spans = re.findall(r"(?<!`)`(jadwal [^`\n]*)`(?!`)", README.read_text(encoding="utf-8"))
    return [s for s in spans if s.split()[1] == name]


def test_cli_has_the_commands_this_test_expects() -> None:
    assert {"check", "preview", "schema", "version"} <= set(cli_commands())


@pytest.mark.parametrize("name", sorted(cli_commands()))
def test_every_command_is_listed_in_the_readme(name: str) -> None:
    assert usage_lines(name), f"README.md has no `jadwal {name} …` usage line"


@pytest.mark.parametrize(
    ("name", "option"),
    [(name, option) for name, options in sorted(cli_commands().items()) for option in options],
)
def test_every_option_is_in_its_command_usage_line(name: str, option: str) -> None:
    pattern = re.compile(rf"{re.escape(option)}(?![\w-])")
    assert any(pattern.search(line) for line in usage_lines(name)), (
        f"README.md: `jadwal {name} …` does not mention {option}"
    )


# -- templates: filters and context variables -----------------------------------------------


def renderer() -> Renderer:
    calendar = Calendar(
        path=ROOT / "calendar.yaml",
        timezone=TZ,
        vars={},
        accounts={},
        posts=(),
        holidays=None,
        rules=Rules(),
    )
    return Renderer(calendar)


def test_every_filter_is_documented() -> None:
    ours = set(renderer().env.filters) - set(SandboxedEnvironment().filters)
    assert ours, "render.py registers no filters of its own"
    assert undocumented(sorted(ours), doc_section("Templates")) == []


def test_every_context_variable_is_documented() -> None:
    account = Account("fb-desa", "facebook", Location("calendar.yaml"), page_id="1")
    at = datetime(2026, 12, 7, 9, 0, tzinfo=TZ)
    post = Post("rapat", Location("calendar.yaml"), ("fb-desa",), Schedule(at=at), caption="x")
    names = set(renderer().context(Occurrence(post, account, at)))
    spec = Holidays("ID", time(7, 0), replace(post, id="hari-besar"))
    names |= set(holiday_post(spec, date(2026, 12, 25), "Hari Raya Natal", TZ).vars)
    assert undocumented(sorted(names), doc_section("Templates")) == []


# -- the complete example -------------------------------------------------------------------


def example(text: str) -> str:
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    assert blocks, "docs/calendar.md has no ```yaml example"
    return str(blocks[-1])


def test_complete_example_has_no_errors(write_calendar: WriteCalendar) -> None:
    path: Path = write_calendar(example(doc_text()))
    problems = check_calendar(path, date(2026, 12, 1))
    assert [str(p) for p in problems if p.is_error] == []
