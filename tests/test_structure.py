"""The code's shape, kept: small modules and functions, no tangled ones, and every route of
the calendar model served by an adapter. (The layering itself is `lint-imports`' job.)"""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

from radon.complexity import cc_visit

from scheduler.adapters import REGISTRY
from scheduler.calendar.model import ROUTES
from tests.conftest import ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40
MAX_COMPLEXITY = 20  # radon's grade C at most


def sources() -> list[Path]:
    package = sorted(p for p in (ROOT / "scheduler").rglob("*.py") if "migrations" not in p.parts)
    return [*package, ROOT / "cli.py"]


def functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def length(node: ast.AST) -> int:
    return int(getattr(node, "end_lineno", 0)) - int(getattr(node, "lineno", 0)) + 1


def test_every_route_of_the_calendar_model_has_an_adapter() -> None:
    assert sorted(REGISTRY) == sorted(ROUTES)


def test_modules_are_small() -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for p in sources()
        if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES
    }
    assert big == {}
    assert (ROOT / "cli.py").read_text(encoding="utf-8").count("\n") < 250


def test_functions_are_short() -> None:
    lengths = [
        (length(f), f"{p.relative_to(ROOT)}:{f.lineno} {f.name}")
        for p in sources()
        for f in functions(p)
    ]
    assert [where for n, where in lengths if n > MAX_FUNCTION_LINES] == []
    assert statistics.median(n for n, _ in lengths) < 12


def test_no_function_is_tangled() -> None:
    tangled = [
        f"{p.relative_to(ROOT)}:{block.lineno} {block.name} ({block.complexity})"
        for p in sources()
        for block in cc_visit(p.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY
    ]
    assert tangled == []
