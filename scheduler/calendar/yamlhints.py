"""The parser's words for the common YAML mistakes, said plainly with the fix.

An operator who has never seen YAML gets "did not find expected '-' indicator" for a line
indented like a list item that is not one, and "mapping values are not allowed in this
context" for a caption holding ``: ``. ``explain`` looks at the parser's problem and the line
it points at and says what is wrong and what to write; the parser's own words follow in
brackets so the message can still be searched for. It also says where to point: an unclosed
quote or bracket is shown where it was opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scheduler.i18n import N_, _

TAB = N_("a tab character: YAML indents with spaces only, so replace the tab with spaces")
COLON_IN_VALUE = N_(
    "this value holds ': ', which YAML reads as the start of another key: put the whole value in "
    "quotes"
)
DEEPER = N_(
    "this line is indented more than the key above it (or a key above lacks the space after its "
    "colon): the keys of one mapping start at the same column"
)
NOT_A_KEY = N_(
    "this line is not indented like the keys above it: the keys of one mapping start at the same "
    "column"
)
LIST_ITEM = N_(
    "this list item is not aligned with the items above it: start every '- ' of one list at the "
    "same column"
)
NOT_AN_ITEM = N_(
    "this line sits at the column of the list's '- ' items but is not one: indent it like the "
    "keys of the item above, or start a new item with '- '"
)
AFTER_VALUE = N_(
    "this line goes on after its value has ended (at a closing quote or bracket): remove what "
    "follows, or put a text holding quotes in the other kind, e.g. 'He said \"hi\"'"
)
NO_COLON = N_(
    "this line is neither a key (a name, ':' and a space) nor indented under one: indent the "
    "lines of a text under its key, or add ': ' after the key"
)
_NO_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*):(\S.*)$")


def spaced(text: str) -> str | None:
    """``key:value`` with the space after the colon it lacks, or ``None`` if it is not that."""
    match = _NO_SPACE.match(text)
    return f"{match.group(2)}: {match.group(3)}" if match and "://" not in text else None


_CLOSERS = {"sequence": "]", "mapping": "}"}


@dataclass(frozen=True)
class Said:
    """The plain message, and the 0-based line and column it is about."""

    message: str
    line: int
    column: int


def explain(
    problem: str, context: str, at: tuple[int, int], opened: tuple[int, int] | None, text: str
) -> Said | None:
    """The plain words for the parser's ``problem`` at ``at`` (``opened``: where the value
    it was reading began), or ``None`` when it is not one of the common mistakes."""
    lines = text.splitlines()
    line, column = at
    here = lines[line] if line < len(lines) else ""
    if "tab character" in problem or "'\\t'" in problem or here[column : column + 1] == "\t":
        return Said(_(TAB), line, column)
    if "quoted scalar" in context and opened is not None:
        quote = _char(lines, opened)
        return Said(
            _(
                "the quote {quote} opened here is never closed, so the rest of the file reads as "
                "one text: add the closing {quote} at the end of the value"
            ).format(quote=quote),
            *opened,
        )
    flow = next((kind for kind in _CLOSERS if f"flow {kind}" in context), None)
    if flow and opened is not None and "expected ','" in problem:
        closer, opener = _CLOSERS[flow], _char(lines, opened)
        return Said(
            _("the {opener} opened here is never closed: add {closer} after its last item").format(
                opener=opener, closer=closer
            ),
            *opened,
        )
    if "could not find expected ':'" in problem and opened is not None:
        return Said(_(NO_COLON), *opened)  # the line that is not a key, not the one after it
    return _layout(problem, lines, line, column)


def _layout(problem: str, lines: list[str], line: int, column: int) -> Said | None:
    """Indentation and colons: the mistakes that move a line into the wrong mapping."""
    here = lines[line] if line < len(lines) else ""
    if "mapping values are not allowed" in problem:
        return _colon(lines, line, column)
    if "expected '-' indicator" in problem or "did not find expected key" in problem:
        if column > len(here) - len(here.lstrip()):
            return Said(_(AFTER_VALUE), line, column)
        if here.lstrip().startswith("-"):
            return Said(_(LIST_ITEM), line, column)
        return Said(_(NOT_AN_ITEM) if "'-'" in problem else _(NOT_A_KEY), line, column)
    if "cannot start any token" in problem and here[column : column + 1]:
        char = here[column]
        return Said(
            _("a value cannot start with {char}: put the whole value in quotes").format(char=char),
            line,
            column,
        )
    return None


def _colon(lines: list[str], line: int, column: int) -> Said:
    here = lines[line]
    if ": " in here[:column].lstrip().removeprefix("- "):
        key, _sep, value = here.strip().removeprefix("- ").partition(": ")
        return Said(f'{COLON_IN_VALUE}: {key}: "{value}"', line, column)
    for above in range(line - 1, -1, -1):
        match = _NO_SPACE.match(lines[above])
        if lines[above].strip() and not lines[above].lstrip().startswith("#"):
            if match:
                fixed = f"{match.group(2)}: {match.group(3)}"
                return Said(
                    _(
                        "'{line}' has no space after its colon, so it is not read as a key: write "
                        "'{fixed}'"
                    ).format(line=lines[above].strip(), fixed=fixed),
                    above,
                    len(match.group(1)),
                )
            break
    return Said(_(DEEPER), line, len(here) - len(here.lstrip()))


def _char(lines: list[str], where: tuple[int, int]) -> str:
    line, column = where
    return lines[line][column : column + 1] if line < len(lines) else "?"
