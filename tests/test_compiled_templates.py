"""Captions compiled once, kept in jadwal's cache, and taken again only for the same text:
what a later command renders from them, and where it says a mistake is, is as before."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from scheduler.render import Renderer, RenderError
from tests.conftest import WriteCalendar
from tests.test_render import UNDEFINED, occurrences, write

CAPTION = """\
  - id: rapat
    at: 2026-12-07 09:00
    caption: |-
      Rapat {{ instansi }}
      {{ hari_ini | default('Senin') }}
"""
TEMPLATE = """\
  - id: sapa
    at: 2026-12-07 10:00
    template: sapa
"""


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Each template text Jinja compiles from now on (not taken from the cache), with a
    cache of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    texts: list[str] = []
    real = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: object, *args: object, **kw: object) -> object:
        texts.append(str(source) if isinstance(source, str) else "<tree>")
        return real(self, source, *args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    yield texts


def captions(path: Path) -> list[str]:
    """The captions as a new command renders them: a new renderer, as in a new process."""
    calendar, found = occurrences(path)
    renderer = Renderer(calendar)
    return [renderer.render(o) for o in found]


def problem(path: Path) -> str:
    calendar, [found] = occurrences(path)
    with pytest.raises(RenderError) as info:
        Renderer(calendar).render(found)
    return str(info.value.problem)


def cached_files() -> list[Path]:
    return sorted(Path(os.environ["XDG_CACHE_HOME"], "jadwal", "templates").glob("*.code"))


def test_a_caption_and_a_template_file_are_compiled_once_for_every_later_command(
    write_calendar: WriteCalendar, compiled: list[str]
) -> None:
    path = write(write_calendar, CAPTION + TEMPLATE, **{"templates__sapa.j2": "Halo {{ kontak }}"})
    first = captions(path)
    assert first == ["Rapat Desa Sukamaju\nSenin", "Halo WA 0812"]
    assert len(compiled) == 2
    assert captions(path) == first
    assert captions(path) == first
    assert len(compiled) == 2  # the two later renderers compiled nothing


def test_a_template_file_edited_keeping_its_size_and_time_is_compiled_again(
    write_calendar: WriteCalendar, compiled: list[str]
) -> None:
    path = write(write_calendar, TEMPLATE, **{"templates__sapa.j2": "Halo {{ kontak }}"})
    assert captions(path) == ["Halo WA 0812"]
    template = path.parent / "templates" / "sapa.j2"
    before = template.stat()
    template.write_text("Hai! {{ kontak }}", encoding="utf-8")
    os.utime(template, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert captions(path) == ["Hai! WA 0812"]
    assert len(compiled) == 2


def test_a_mistake_in_a_kept_caption_is_located_as_when_it_was_compiled(
    write_calendar: WriteCalendar, compiled: list[str]
) -> None:
    """The caption's second line is line 13 of calendar.yaml: Jinja finds the line from the
    compiled code, which the second renderer takes from the cache."""
    path = write(write_calendar, CAPTION.replace("'Senin') }}", "'Senin') }} {{ desa }}"))
    expected = f"{path}:13:1: error: " + UNDEFINED.format(post="rapat", name="desa")
    assert problem(path) == expected
    assert problem(path) == expected
    assert len(compiled) == 1


def test_a_spoilt_compiled_template_is_compiled_again(
    write_calendar: WriteCalendar, compiled: list[str]
) -> None:
    path = write(write_calendar, CAPTION)
    first = captions(path)
    for kept in cached_files():
        kept.write_bytes(kept.read_bytes()[:40])
    assert captions(path) == first
    assert len(compiled) == 2
    assert captions(path) == first
    assert len(compiled) == 2  # written anew, and taken the next time


def test_no_cache_only_means_compiling_each_time(
    write_calendar: WriteCalendar,
    compiled: list[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    path = write(write_calendar, CAPTION)
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder))
    assert captions(path) == captions(path) == ["Rapat Desa Sukamaju\nSenin"]
    assert len(compiled) == 2
