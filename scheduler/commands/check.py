"""``jadwal check``: validate the calendar and say whether it is ready to publish."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

# Looked up on the module at each call, so a test can stand a broken check in for the real one.
from scheduler import check as checking
from scheduler.commands import EXIT_OK, EXIT_USER, print_problems
from scheduler.i18n import _, ngettext


def check(path: Path, output: str, since: date | None) -> int:
    """One line per problem and a verdict (or the problems as JSON); 1 if any is an error."""
    problems = checking.check_calendar(path, since)
    errors = sum(p.is_error for p in problems)
    if output == "json":
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        print_problems(problems)
        warnings = sum(p.severity == "warning" for p in problems)
        verdict = _("{path}: not ready to publish ({errors}, {warnings})") if errors else None
        counts = {
            "path": path,
            "errors": ngettext("{count} error", "{count} errors", errors).format(count=errors),
            "warnings": ngettext("{count} warning", "{count} warnings", warnings).format(
                count=warnings
            ),
        }
        print((verdict or _("{path}: ok ({errors}, {warnings})")).format(**counts))
    return EXIT_USER if errors else EXIT_OK
