"""The catalog's extractor for the command line (``babel.cfg``): the messages that ``_``,
``ngettext`` and ``N_`` mark, as Babel's own extractor finds them, and the docstrings of the
functions the app registers as commands and group callbacks, which Typer makes their
``--help`` (``scheduler.cli.translated`` translates them).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from babel.messages.extract import extract_python


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[Any, ...]]:
    source = fileobj.read()
    fileobj.seek(0)
    # (line, function, message, comments), as Babel reads an extractor's results
    yield from extract_python(fileobj, keywords, comment_tags, options)  # type: ignore[arg-type]
    module = Path(getattr(fileobj, "name", "")).name
    names = {name for file, name in commands() if file == module}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            text = ast.get_docstring(node)  # cleaned as inspect.getdoc cleans it for Typer
            if text:
                yield node.body[0].lineno, None, text, []


@cache
def commands() -> frozenset[tuple[str, str]]:
    """(file name, function name) of every command and group callback of ``jadwal``."""
    from scheduler.cli.app import app

    found: set[tuple[str, str]] = set()

    def add(callback: Callable[..., Any] | None) -> None:
        if callback is not None:
            function = inspect.unwrap(callback)
            found.add((Path(inspect.getfile(function)).name, function.__name__))

    def walk(typer_app: Any) -> None:
        add(typer_app.registered_callback and typer_app.registered_callback.callback)
        for command in typer_app.registered_commands:
            add(command.callback)
        for group in typer_app.registered_groups:
            walk(group.typer_instance)

    walk(app)
    return frozenset(found)
