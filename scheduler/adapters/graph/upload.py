"""Media files opened for a Graph API multipart upload."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from scheduler.errors import Rejected


@contextmanager
def opened(paths: dict[str, Path]) -> Iterator[dict[str, IO[bytes]]]:
    """The media files open for a multipart upload; an unreadable one is ``Rejected``."""
    with ExitStack() as stack:
        try:
            yield {name: stack.enter_context(path.open("rb")) for name, path in paths.items()}
        except OSError as exc:
            raise Rejected(f"cannot read media file {exc.filename}: {exc.strerror}") from exc
