"""A finding: what a platform rule says about one post, before anything is sent.

``where`` says what the finding is about, so that ``jadwal check`` can point at the line to
edit: the post, its caption or template, the account, or one of its media files (by index).
``per_account`` says whether the message depends on the account: ``check`` then names it
("post 'x' for ig-desa: ..."); otherwise one line serves every account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scheduler.problems import Severity

Where = Literal["post", "text", "account"] | int


@dataclass(frozen=True)
class Finding:
    severity: Severity
    message: str
    where: Where = "post"
    per_account: bool = True

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def error(message: str, where: Where = "post", per_account: bool = True) -> Finding:
    return Finding("error", message, where, per_account)


def warning(message: str, where: Where = "post", per_account: bool = True) -> Finding:
    return Finding("warning", message, where, per_account)
