"""Jinja's ``StrictUndefined``, whose error also carries the missing name and where it was
looked up, so that the message can offer the closest names that do exist.

Imported only when an environment is made: a run with nothing to render never loads Jinja.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from jinja2 import StrictUndefined, UndefinedError
from jinja2.utils import missing


class MissingName(UndefinedError):
    """``name`` is not a variable (``owner`` is ``missing``) or not a key or attribute of
    ``owner``."""

    def __init__(self, message: str | None = None, *, name: Any = None, owner: Any = missing):
        super().__init__(message)
        self.name = name
        self.owner = owner


class Strict(StrictUndefined):
    __slots__ = ()

    def __init__(
        self,
        hint: str | None = None,
        obj: Any = missing,
        name: str | None = None,
        exc: Any = UndefinedError,
    ) -> None:
        # Only plain lookups: the sandbox's "unsafe" refusals keep their own SecurityError.
        if exc is UndefinedError:
            exc = partial(MissingName, name=name, owner=obj)
        super().__init__(hint, obj, name, exc)


def candidates(exc: UndefinedError, context: Mapping[str, object]) -> list[str]:
    """The names that could have been meant: the context's for a variable, a mapping's keys
    for one of its keys, none for an attribute of anything else."""
    owner = getattr(exc, "owner", missing)
    if owner is missing:
        return list(context)
    if isinstance(owner, Mapping):
        return [key for key in owner if isinstance(key, str)]
    return []
