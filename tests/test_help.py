"""``--help`` and usage errors in the operator's language.

Every command's ``JADWAL_LANG=id jadwal COMMAND --help`` is pinned, as 80 columns print it, in
``tests/help/id/``: a change to a command's help shows up as a change to its pin. After a
deliberate change, write the pins again with ``PIN_HELP=1 pytest tests/test_help.py``
and read the diff.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from scheduler import cli, i18n
from scheduler.cli.app import app
from scheduler.cli.translated import HELP_OPTION, LABELS, USAGE

PINS = Path(__file__).parent / "help" / "id"


def command_paths(
    command: typer.core.TyperGroup | None = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    command = command or typer.main.get_command(app)  # type: ignore[assignment]
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


PATHS = list(command_paths())


def help_of(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.run([*path, "--help"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("TERMINAL_WIDTH", raising=False)


def test_every_command_is_pinned() -> None:
    assert len(PATHS) == 25  # the root, 20 commands, accounts (2) and notify (1)
    pinned = {p.stem for p in PINS.glob("*.txt")}
    assert pinned == {" ".join(("jadwal", *p)) for p in PATHS}


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "jadwal")
def test_help_in_indonesian_is_pinned(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JADWAL_LANG", "id")
    out = help_of(path, capsys)
    pin = PINS / f"{' '.join(('jadwal', *path))}.txt"
    if os.environ.get("PIN_HELP"):
        pin.write_text(out, encoding="utf-8")
    assert out == pin.read_text(encoding="utf-8")
    # Typer's and Click's own words are jadwal's too (read across the lines a narrow column
    # wraps them onto).
    flat = " ".join(out.replace("│", " ").split())
    assert "Cara pakai: jadwal" in flat and "Tampilkan pesan ini lalu keluar." in flat
    assert "Usage:" not in out and "Show this message" not in out


def test_every_text_of_the_help_has_its_indonesian() -> None:
    """What the help shows, the commands' docstrings and the options' texts included: a
    ``help=`` written without ``N_`` is not in the catalog, and fails here."""
    command = typer.main.get_command(app)
    texts: set[str] = {HELP_OPTION, USAGE, *LABELS.values()}

    def walk(command: typer.core.TyperCommand) -> None:
        texts.update(t for t in (command.help, command.short_help) if t)
        for param in command.params:
            texts.update(t for t in (param.help, param.show_default) if isinstance(t, str) and t)  # type: ignore[attr-defined]
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(command)  # type: ignore[arg-type]
    i18n.set_language("id")
    try:
        untranslated = sorted(t for t in texts if i18n._(t) == t)
    finally:
        i18n.set_language("en")
    assert untranslated == []


def test_the_english_help_reads_as_paragraphs(capsys: pytest.CaptureFixture[str]) -> None:
    """A docstring's line breaks are not kept: Typer would wrap each line again."""
    out = help_of(("check",), capsys)
    assert (
        " Prints one line per problem (PATH:LINE:COL: error|warning: MESSAGE), and notes \n"
        " of what on_holidays moves or skips (note: …). Exit status 0 when there are no  \n"
    ) in out
    schema = help_of(("schema",), capsys)
    assert " # yaml-language-server: $schema=./calendar.schema.json" in schema


@pytest.mark.parametrize(
    ("args", "english", "indonesian"),
    [
        (
            ["check", "--format", "xml"],
            "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json'.",
            "Kesalahan: Nilai '--format' tidak sah: 'xml' bukan salah satu dari 'text', 'json'.",
        ),
        (
            ["post"],
            "Error: Missing argument 'post_id'.",
            "Kesalahan: Argumen 'post_id' belum diisi.",
        ),
        (
            ["check", "--bogus"],
            "Error: No such option: --bogus",
            "Kesalahan: Tidak ada opsi: --bogus",
        ),
        (
            ["check", "a", "b"],
            "Error: Got unexpected extra arguments (b)",
            "Kesalahan: Ada argumen lebih yang tidak dikenal (b)",
        ),
        (
            ["preview", "--from", "1 Mei"],
            "Error: Invalid value for --from: '1 Mei' is not a date: write YYYY-MM-DD, "
            "e.g. 2026-12-01",
            "Kesalahan: Nilai --from tidak sah: '1 Mei' bukan tanggal: tulis YYYY-MM-DD, misalnya "
            "2026-12-01",
        ),
    ],
)
def test_usage_errors_speak_the_language(
    args: list[str],
    english: str,
    indonesian: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for language, said, usage, hint in (
        ("en", english, "Usage: jadwal", "Try 'jadwal"),
        ("id", indonesian, "Cara pakai: jadwal", "Ketik 'jadwal"),
    ):
        monkeypatch.setenv("JADWAL_LANG", language)
        assert cli.run(args) == 2
        out, err = capsys.readouterr()
        lines = err.splitlines()
        assert out == ""
        assert lines[0].startswith(usage) and lines[1].startswith(hint)
        assert lines[-1] == said


def test_a_mistyped_command_is_named_in_indonesian(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JADWAL_LANG", "id")
    assert cli.run(["cek"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "Kesalahan: Tidak ada perintah 'cek'. Maksud Anda 'check'?"
    )
