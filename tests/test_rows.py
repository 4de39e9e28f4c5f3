"""The table printed a row at a time (``scheduler.views.rows``) is rich's table, character for
character, whatever the cells hold: it replaced rich's ``Table`` in ``jadwal preview`` for
speed only."""

from __future__ import annotations

import io
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from scheduler.views.rows import RowTable, wrap

# What captions hold: words, runs of spaces, tabs, line breaks, letters with accents
# (composed and combining), wide letters, emoji (one, with a skin tone, joined, with VS16),
# a no-break space and the control codes rich drops.
PIECES = [
    "a", "Rapat", "kerja-bakti", "https://example.go.id/pengumuman/2027/03/01", "07.30",
    " ", "  ", "\t", "\n",
    "é", "e\u0301", "日本", "🙏", "👍🏽", "👨‍👩‍👧", "ℹ️", "\u00a0", "\r", "\x07",
]  # fmt: skip
# Printable ASCII alone takes a shortcut of its own: words of every length, runs of blanks.
ASCII = ["a", "ab", "Rapat", "x" * 30, "https://example.go.id/a/b", " ", "  ", "   ", "-"]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=25).map("".join),
    st.lists(st.sampled_from(ASCII), max_size=25).map("".join),
)
rows = st.lists(st.lists(texts, min_size=3, max_size=3), max_size=3)
HEADERS = ("when", "post / account", "caption")


def richs_table(title: str, widths: list[int], cells: list[list[str]], console: Console) -> str:
    """What rich prints for the same table; the cells as Text, as jadwal gives them (a str
    would be read as markup)."""
    table = Table(
        *(Column(h, width=w, overflow="fold") for h, w in zip(HEADERS, widths, strict=True)),
        title=title,
        show_lines=True,
        title_justify="left",
        box=box.HEAVY_HEAD,
    )
    for row in cells:
        table.add_row(*(Text(text) for text in row))
    with console.capture() as capture:
        console.print(table, markup=False, highlight=False)
    return capture.get()


def rows_table(title: str, widths: list[int], cells: list[list[str]], console: Console) -> str:
    table = RowTable(console, HEADERS, widths)
    table.start(title)
    for row in cells:
        table.row([[(text, "")] for text in row])
    table.end()
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


@settings(max_examples=300, deadline=None)
@given(
    title=texts,
    widths=st.lists(st.integers(1, 24), min_size=3, max_size=3),
    cells=rows,
)
def test_the_rows_are_richs_table(title: str, widths: list[int], cells: list[list[str]]) -> None:
    def console() -> Console:
        return Console(file=io.StringIO(), width=sum(widths) + 10, color_system=None)

    expected = richs_table(title, widths, cells, console())
    assert rows_table(title, widths, cells, console()) == expected


@given(text=texts, width=st.integers(1, 30))
def test_every_wrapped_line_is_as_wide_as_the_column(text: str, width: int) -> None:
    assert {cell_len(line) for line in wrap(text, width)} == {width}


def test_on_a_terminal_the_same_table_has_its_styles() -> None:
    cells = [[("2027-03-01 07:30 WIB", "")], [("rapat\nfb", ""), ("draft", "yellow")], [("x", "")]]

    def table(console: Console) -> str:
        rows = RowTable(console, HEADERS, [20, 14, 20])
        rows.start("jadwal preview")
        rows.row(cells)
        rows.end()
        assert isinstance(console.file, io.StringIO)
        return console.file.getvalue()

    plain = table(Console(file=io.StringIO(), width=80, color_system=None))
    coloured = table(
        Console(file=io.StringIO(), width=80, force_terminal=True, color_system="standard")
    )
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "\x1b[33mdraft" in coloured  # yellow
    assert "\x1b[1mpost / account" in coloured  # bold, rich's "table.header"
