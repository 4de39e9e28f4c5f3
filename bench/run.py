"""Run every benchmark in ``bench/`` (what ``make bench`` calls); each prints JSON lines.

A benchmark is any ``bench/*.py`` other than this runner and the helpers in ``HELPERS``.
``python bench/run.py scale`` runs only the named ones; for a benchmark's own options run it
directly, e.g. ``python bench/scale.py --sizes 100,1000``. Exits 1 if any benchmark failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELPERS = {"run.py", "gen.py"}


def benchmarks(names: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name not in HELPERS)
    unknown = set(names) - {p.stem for p in found}
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    return [p for p in found if not names or p.stem in names]


def run(script: Path) -> int:
    print(f"# {script.name}", file=sys.stderr, flush=True)
    return subprocess.run([sys.executable, str(script)], check=False).returncode


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    failed = [script.name for script in benchmarks(names) if run(script) != 0]
    if failed:
        print(f"# failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
