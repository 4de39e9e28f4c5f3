"""Secrets by reference: ``${FB_PAGE_TOKEN}`` in the calendar, the value in the environment or
in a ``.env`` file beside the calendar (never committed). The process environment wins over
``.env``. Values are returned to the adapters only; nothing here prints or logs them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


class SecretMissing(Exception):
    """A referenced secret is defined neither in the environment nor in ``.env``."""


def read_dotenv(path: Path) -> dict[str, str]:
    """``KEY=value`` lines; ``#`` comments, blank lines and ``export`` prefixes allowed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return {}
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        found[match.group(1)] = value
    return found


def environment(folder: Path) -> dict[str, str]:
    """Defined, non-empty variables: the process environment wins over ``.env``."""
    merged = {**read_dotenv(folder / ".env"), **os.environ}
    return {name: value for name, value in merged.items() if value}


def resolve(folder: Path, variable: str) -> str:
    value = environment(folder).get(variable)
    if value is None:
        raise SecretMissing(f"${{{variable}}} is not set: export it or add it to {folder / '.env'}")
    return value
