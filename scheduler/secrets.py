"""Secrets by reference: ``${FB_PAGE_TOKEN}`` in the calendar, the value in the environment or
in a ``.env`` file beside the calendar (never committed). The process environment wins over
``.env``. Values are returned to the adapters only; nothing here prints or logs them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

# Variables whose names say they hold a secret: their values are blanked out of crash logs.
SECRET_NAME_PARTS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "SESSION")
HIDDEN = "[secret]"
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


class SecretMissing(Exception):
    """A referenced secret is defined neither in the environment nor in ``.env``: which
    ``variable``, and the ``.env`` it could be added to (the message is the adapters', in the
    operator's language)."""

    def __init__(self, message: str, variable: str = "", dotenv: Path | None = None) -> None:
        super().__init__(message)
        self.variable = variable
        self.dotenv = dotenv


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
        dotenv = folder / ".env"
        raise SecretMissing(
            f"${{{variable}}} is not set: export it or add it to {dotenv}", variable, dotenv
        )
    return value


def scrub(text: str, secrets: Iterable[str]) -> str:
    """``text`` with each of ``secrets`` blanked out, the one scrubber of every message, log
    record and crash log that might carry a token, a password or a session.

    Longest first, so a secret containing another is blanked whole. Strings shorter than 6
    characters are left alone (Instagram passwords have at least 6; an empty answer would
    blank everything).
    """
    for secret in sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def secret_values(folder: Path) -> list[str]:
    """The values of variables (environment and ``.env``) whose names say they are secret."""
    return [
        value
        for name, value in environment(folder).items()
        if len(value) >= 8 and any(part in name.upper() for part in SECRET_NAME_PARTS)
    ]
