"""Media files opened for a Graph API multipart upload."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from scheduler.errors import Rejected
from scheduler.i18n import _


@contextmanager
def opened(paths: dict[str, Path]) -> Iterator[dict[str, IO[bytes]]]:
    """The media files open for a multipart upload; an unreadable one is ``Rejected``."""
    with ExitStack() as stack:
        try:
            yield {name: stack.enter_context(path.open("rb")) for name, path in paths.items()}
        except OSError as exc:
            said = _("cannot read media file {path}: {why}")
            raise Rejected(said.format(path=exc.filename, why=exc.strerror)) from exc
