"""Small file-system habits every part of jadwal shares: how a path is shown to a person,
how a file is written so that nobody ever reads half of it, how a change is noticed, and how
a long listing is written to a pipe."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, NamedTuple


def display_path(path: Path) -> str:
    """The path as the operator typed it, relative where possible, for problem lines."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def write_atomic(target: Path, data: bytes, mode: int = 0o644, durable: bool = True) -> None:
    """Write ``data`` to ``target`` in one step: a crash, a full disk or a second daemon
    never leaves half a file under the final name, and a power cut keeps what was written
    (unless not ``durable``: a cache, which a power cut may lose or spoil, read warily).

    The temporary file is created private (0600, whatever the umask) and given ``mode``
    before it is renamed, so a secret (mode 0600) is never readable by others, not even for
    an instant.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
            os.fchmod(out.fileno(), mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class FileStamp(NamedTuple):
    """What tells one version of a file from another without reading it."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @property
    def identity(self) -> tuple[int, int]:
        """Which file this is, whatever is written to it (a replaced file has a new one)."""
        return self.device, self.inode


def file_stamp(path: Path) -> FileStamp | None:
    """The file's stamp, ``None`` when it can't be read. Inode and size count as well as the
    time: a file copied in with its old time kept (``cp -p``, an unpacked archive) or
    replaced within the file system's time resolution (2 s on a FAT USB stick) differs."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return FileStamp(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class Chunks:
    """Text for ``stream`` gathered and handed on in pieces of ``size`` characters or more.

    Python writes stdout to a pipe 8 KB at a time, and each write wakes the reader: a year's
    preview (6-17 MB) written a row or an item at a time spent 0.15 s more on its way into a
    pipe than into a file. In 64 KB pieces (a pipe's capacity) the first rows still come out
    within milliseconds. ``flush`` hands on what is left; nothing is written until then.
    """

    def __init__(self, stream: IO[str], size: int = 1 << 16) -> None:
        self.stream = stream
        self.size = size
        self.parts: list[str] = []
        self.length = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)
        if self.length >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.stream.write("".join(self.parts))
            self.parts, self.length = [], 0
