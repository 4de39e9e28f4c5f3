"""The site's folder: what one run writes into it, and what an earlier run wrote that this
one no longer does (a month that left the range, a post that was removed).

The folder may hold other files (a GitHub Pages ``docs/`` folder has its own): the list of
the files jadwal wrote, ``.jadwal-site``, is the only thing that lets a file be replaced or
removed. A file of the same name that is not on the list is never overwritten: the run
stops and says so. A file whose bytes are already right is not written again, so a rerun
changes nothing a web server, rsync or git would notice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from scheduler.errors import JadwalError
from scheduler.i18n import _

MANIFEST = ".jadwal-site"
HEADER = "# Files written by jadwal site; it removes them when they are no longer part of it.\n"


class Output:
    def __init__(self, folder: Path) -> None:
        if folder.exists() and not folder.is_dir():
            raise JadwalError(
                _("{folder} is a file, not a folder: choose a folder for the site").format(
                    folder=folder
                )
            )
        self.folder = folder
        self.before = _read_manifest(folder / MANIFEST)
        self.written: set[str] = set()
        self.changed = 0
        self._folders: set[Path] = set()  # made already: one mkdir per folder, not per page

    def existing(self, name: str) -> bytes | None:
        """What an earlier run wrote as ``name``, when it is still there (a generator that
        can tell its bytes would not change need not make them again)."""
        if name not in self.before:
            return None
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    def write(self, name: str, text: str | bytes) -> None:
        """Write ``name`` (relative, with ``/``) unless it already holds these bytes."""
        data = text.encode("utf-8") if isinstance(text, str) else text
        target = self.folder / name
        try:
            old: bytes | None = target.read_bytes()
        except FileNotFoundError:
            old = None
        except OSError as exc:
            raise JadwalError(
                _("{target} cannot be read: {value}").format(
                    target=target, value=exc.strerror or exc
                )
            ) from exc
        if old is not None and name not in self.before and name not in self.written:
            raise JadwalError(
                _(
                    "{target} exists and was not written by jadwal site: move it away or choose "
                    "another folder for the site"
                ).format(target=target)
            )
        self.written.add(name)
        if old == data:
            return
        self._folder(target.parent)
        (_create if old is None else _replace)(target, data)
        self.changed += 1

    def _folder(self, folder: Path) -> None:
        if folder not in self._folders:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise JadwalError(
                    _("{folder} cannot be made: {value}").format(
                        folder=folder, value=exc.strerror or exc
                    )
                ) from exc
            self._folders.add(folder)

    def finish(self, also: Iterable[str] = ()) -> list[str]:
        """Remove what earlier runs wrote and this one did not (``also``: files written by
        others for this run, the media copies), then record this run's files."""
        keep = self.written | set(also)
        stale = [name for name in sorted(self.before - keep) if _remove(self.folder / name)]
        for folder in sorted({(self.folder / n).parent for n in stale}, reverse=True):
            if folder != self.folder and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        listing = (HEADER + "".join(f"{name}\n" for name in sorted(keep))).encode("utf-8")
        manifest = self.folder / MANIFEST
        if not manifest.exists() or manifest.read_bytes() != listing:
            self._folder(self.folder)
            _replace(manifest, listing)
        return stale


def _remove(path: Path) -> bool:
    """Remove a file of an earlier run; one that has become a folder or cannot be removed
    stays (it is no longer jadwal's to decide)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _read_manifest(path: Path) -> set[str]:
    """The names an earlier run wrote; a line that leaves the folder is ignored, so an
    edited list can never make jadwal remove a file outside it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError) as exc:
        raise JadwalError(_("{path} cannot be read: {exc}").format(path=path, exc=exc)) from exc
    names = set()
    for line in lines:
        name = PurePosixPath(line.strip())
        if line.startswith("#") or not line.strip() or name.is_absolute() or ".." in name.parts:
            continue
        names.add(name.as_posix())
    return names


def _create(target: Path, data: bytes) -> None:
    """A new file is written in place: nothing links to it yet (the posts' pages are written
    before the months that link to them), and in place is much quicker than by a rename
    when a first run writes thousands."""
    try:
        target.write_bytes(data)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise JadwalError(
            _("{target} cannot be written: {value}").format(
                target=target, value=exc.strerror or exc
            )
        ) from exc


def _replace(target: Path, data: bytes) -> None:
    """Write through a temporary file and a rename: a web server serving the folder never
    sends half a page. Not synced to disk: the site can always be written again."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise JadwalError(
            _("{target} cannot be written: {value}").format(
                target=target, value=exc.strerror or exc
            )
        ) from exc
