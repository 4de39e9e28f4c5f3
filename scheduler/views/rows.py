"""A table printed a row at a time, its column widths fixed before the first row.

rich's ``Table`` measures every cell of every row before it prints its first line, and draws
each through its general layout engine: for a year's ``jadwal preview`` (9,000 rows) that took
longer than everything else the command does, and nothing showed until the end. This draws the
same table with the widths decided first (by the caller), so a row is printed as soon as it
is made, and a line is a string, not a layout.

It is still rich's table, piece by piece: its box (``rich.box.HEAVY_HEAD``, swapped for ASCII
where the output cannot show it, as rich does), its measure of each character
(``rich.cells``: an emoji is two columns, a combining accent none), its way of breaking a line
(``wrap`` below follows ``rich._wrap.divide_line``: at spaces, a word longer than the column
folded) and, on a terminal, its styles and theme ("table.title", "table.header"), written by
``Style.render`` as ``Console.print`` writes them. Without a terminal the lines are plain
text, as rich writes them; ``tests/test_rows.py`` checks, on generated texts, that the two
tables are the same character for character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

from rich import box
from rich.cells import cell_len, chop_cells, set_cell_size
from rich.console import COLOR_SYSTEMS, Console
from rich.control import STRIP_CONTROL_CODES, strip_control_codes
from rich.style import Style

from scheduler.files import Chunks

# A word with the spaces after it (and, first on a line, the spaces before it): rich's unit.
_WORD = re.compile(r"\s*\S+\s*")
TAB_SIZE = 8  # rich's default
_CONTROL = re.compile(f"[{''.join(map(chr, STRIP_CONTROL_CODES))}]")  # what rich drops

# A cell: its texts, each of one or more lines, with the style of those lines ("" for none).
Cell = Sequence[tuple[str, str]]


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of exactly ``width`` columns (padded with spaces), broken as rich
    breaks a cell with ``overflow="fold"``: at spaces, and inside a word only when the word is
    longer than a line."""
    if _CONTROL.search(text):
        text = strip_control_codes(text)
    lines: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            line = _expand_tabs(line)
        # Printable ASCII is a column a character: no need to ask rich the width of each word.
        if not (line.isascii() and line.isprintable()):
            pieces = [line] if cell_len(line) <= width else _divide(line, width, cell_len)
            lines += [_fit(piece, width) for piece in pieces]
        elif len(line) <= width:  # most lines: nothing to break
            lines.append(line.ljust(width))
        else:
            lines += [piece[:width].ljust(width) for piece in _divide_ascii(line, width)]
    return lines


def _fit(piece: str, width: int) -> str:
    """rich's last steps for a line of a cell: the spaces at its end beyond ``width``
    *characters* dropped (rich counts characters here, where a joined emoji is several),
    then the line cut or padded to ``width`` columns."""
    excess = len(piece) - width
    if excess > 0:
        piece = piece[: max(len(piece.rstrip()), len(piece) - excess)]
    return set_cell_size(piece, width)


def _divide(line: str, width: int, measure: Callable[[str], int]) -> list[str]:
    """The pieces of a line too long for ``width``, cut where rich's ``divide_line`` cuts;
    ``measure`` is the width of a text in columns."""
    cuts: list[int] = []
    offset = 0  # columns used on the current line
    for match in _WORD.finditer(line):
        start, word = match.start(), match.group()
        length = measure(word.rstrip())
        if width - offset >= length:
            offset += measure(word)
        elif length > width:  # on lines of its own, the last one continued
            for piece in chop_cells(word, width):
                if start:
                    cuts.append(start)
                start += len(piece)
                offset = measure(piece)
        elif offset and start:
            cuts.append(start)
            offset = measure(word)
    ends = [0, *cuts, len(line)]
    return [line[a:b] for a, b in pairwise(ends)]


def _divide_ascii(line: str, width: int) -> list[str]:
    """``_divide`` for a line of printable ASCII, where a character is a column and a space
    the only blank: it jumps a line's width at a time to the word that no longer fits, instead
    of walking word by word (a year's preview breaks some 50,000 lines)."""
    if line.startswith(" "):  # the first word carries those spaces: walk it word by word
        return _divide(line, width, len)
    cuts: list[int] = []
    start, end = 0, len(line)  # ``start``: where the current line begins
    while end - start > width:
        edge = start + width  # the first column past the line
        if line[edge] == " ":  # every word up to the edge fits; the next starts after blanks
            word = end - len(line[edge:].lstrip(" "))
            if word == end:  # only blanks are left: they end the line
                break
        else:  # the word that runs over the edge
            word = line.rfind(" ", start, edge) + 1
        content = line.find(" ", word)
        content = end if content < 0 else content
        if content - word > width:  # longer than a line: folded, its last piece continued
            after = end - len(line[content:].lstrip(" "))
            cuts += [cut for cut in range(word, after, width) if cut]
            start = cuts[-1] if cuts else 0
        else:
            cuts.append(word)
            start = word
    ends = [0, *cuts, end]
    return [line[a:b] for a, b in pairwise(ends)]


def _expand_tabs(line: str) -> str:
    """Each tab as the spaces to the next multiple of ``TAB_SIZE`` columns (rich's way)."""
    parts = line.split("\t")
    out, column = [], 0
    for part in parts[:-1]:
        column += cell_len(part) + 1
        spaces = 1 + (-column % TAB_SIZE)
        column += spaces - 1
        out.append(part + " " * spaces)
    return "".join([*out, parts[-1]])


class RowTable:
    """A titled table with a header and a line between rows, columns of ``widths`` (the text
    inside, without the space on each side), printed to ``console`` one row at a time."""

    def __init__(self, console: Console, headers: Sequence[str], widths: Sequence[int]) -> None:
        self.console = console
        self.widths = list(widths)
        self.headers = headers
        self.box = box.HEAVY_HEAD.substitute(console.options, safe=console.safe_box)
        self.out = Chunks(console.file)  # the lines go out in large pieces
        # A pipe or a file: no styles. On a terminal, each style as rich writes it (its ANSI
        # codes, its colours left out under NO_COLOR); an old Windows console, which takes no
        # ANSI codes, gets none.
        system = None if console.legacy_windows else console.color_system
        self.system = None if system is None else COLOR_SYSTEMS[system]
        self.styles: dict[str, Style] = {}
        self.separator = self.box.get_row([w + 2 for w in self.widths], "row")
        self.rows = 0

    @property
    def width(self) -> int:
        return sum(self.widths) + 3 * len(self.widths) + 1

    def start(self, title: str) -> None:
        """The title (left, the table's width), the top border, the header row, its rule."""
        outer = [w + 2 for w in self.widths]
        if title:
            self._rule([(line, "table.title") for line in wrap(title, self.width)])
        self._rule([(self.box.get_top(outer), "")])
        cells = [[(header, "table.header")] for header in self.headers]
        edges = (self.box.head_left, self.box.head_vertical, self.box.head_right)
        self._cells(cells, edges, bottom=True)
        self._rule([(self.box.get_row(outer, "head"), "")])

    def row(self, cells: Sequence[Cell]) -> None:
        if self.rows:
            self._rule([(self.separator, "")])
        self._cells(cells, (self.box.mid_left, self.box.mid_vertical, self.box.mid_right))
        self.rows += 1

    def end(self) -> None:
        self._rule([(self.box.get_bottom([w + 2 for w in self.widths]), "")])
        self.out.flush()

    def _cells(
        self, cells: Sequence[Cell], edges: tuple[str, str, str], bottom: bool = False
    ) -> None:
        """A row: each cell wrapped to its column and filled with blank lines to the row's
        height (below it, or above it when ``bottom``: rich's headers sit on the rule), the
        cells side by side between the borders ``edges`` (left, between, right)."""
        columns = [
            [(line, style) for text, style in cell for line in wrap(text, width)]
            for cell, width in zip(cells, self.widths, strict=True)
        ]
        height = max(len(lines) for lines in columns)
        for index, width in enumerate(self.widths):
            blanks = [(" " * width, "")] * (height - len(columns[index]))
            columns[index] = blanks + columns[index] if bottom else columns[index] + blanks
        left, between, right = f"{edges[0]} ", f" {edges[1]} ", f" {edges[2]}\n"
        lines = zip(*([self._styled(*line) for line in column] for column in columns), strict=True)
        self.out.write("".join(left + between.join(line) + right for line in lines))

    def _rule(self, lines: list[tuple[str, str]]) -> None:
        """Lines across the whole table: a border, the title."""
        self.out.write("".join(f"{self._styled(text, style)}\n" for text, style in lines))

    def _styled(self, text: str, style: str) -> str:
        if self.system is None or not style:
            return text
        if style not in self.styles:
            found = self.console.get_style(style)
            self.styles[style] = found.without_color if self.console.no_color else found
        return self.styles[style].render(text, color_system=self.system)
