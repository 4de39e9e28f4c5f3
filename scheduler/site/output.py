"""The site's folder: what one run writes into it, and what an earlier run wrote that this
one no longer does (a month that left the range, a post that was removed).

The folder may hold other files (a GitHub Pages ``docs/`` folder has its own): the list of
the files jadwal wrote, ``.jadwal-site``, is the only thing that lets a file be replaced or
removed. A file of the same name that is not on the list is never overwritten: the run
stops and says so. A file whose bytes are already right is not written again, so a rerun
changes nothing a web server, rsync or git would notice.

A page can come with a *fingerprint* (``site.prints``: a digest of everything it is made
from), kept beside its name in the list. When a later run brings the same fingerprint and the
file is still there at the size it was written, the page is neither drawn nor read nor written
(``unchanged``): a rerun costs what the fingerprints cost, not what the pages do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scheduler.errors import JadwalError
from scheduler.i18n import _

MANIFEST = ".jadwal-site"
HEADER = "# Files written by jadwal site; it removes them when they are no longer part of it.\n"


@dataclass(frozen=True, slots=True)
class Listed:
    """A file in the list: the fingerprint and size a page was written with, and the media
    copies it shows (which must stay while the page does)."""

    fingerprint: str | None = None
    size: int = -1
    copies: tuple[str, ...] = ()


class Output:
    def __init__(self, folder: Path) -> None:
        if folder.exists() and not folder.is_dir():
            raise JadwalError(
                _("{folder} is a file, not a folder: choose a folder for the site").format(
                    folder=folder
                )
            )
        self.folder = folder
        self.listed = _read_manifest(folder / MANIFEST)
        self.before = set(self.listed)
        self.written: set[str] = set()
        self.prints: dict[str, Listed] = {}  # this run's fingerprinted files
        self.changed = 0
        self.drawn = 0  # pages drawn: not skipped by their fingerprint
        self._sizes: dict[str, dict[str, int]] = {}  # per folder: file name -> size
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

    def page(
        self, name: str, fingerprint: str, draw: Callable[[], tuple[str, tuple[str, ...]]]
    ) -> None:
        """Write the page ``name`` that ``draw`` makes (its text and the media copies it
        shows), unless an earlier run wrote it with this ``fingerprint`` and it is still
        there as it was written, its copies too: then ``draw`` is not called and nothing
        is touched."""
        listed = self.listed.get(name)
        if listed is not None and listed.fingerprint == fingerprint and self._kept(name, listed):
            self.written.add(name)
            self.prints[name] = listed
            return
        self.drawn += 1
        text, copies = draw()
        data = text.encode("utf-8")
        self.write(name, data)
        self.prints[name] = Listed(fingerprint, len(data), copies)

    def _kept(self, name: str, listed: Listed) -> bool:
        """Whether the page and its copies are still there, the page at its size."""
        if self._size(name) != listed.size:
            return False
        return all(self._size(copy) is not None for copy in listed.copies)

    def _size(self, name: str) -> int | None:
        """The size of the file ``name`` (relative, with ``/``), from one listing of its
        folder: a rerun asks for thousands, and names as text are quicker than paths."""
        folder, _, base = name.rpartition("/")
        if folder not in self._sizes:
            sizes: dict[str, int] = {}
            try:
                with os.scandir(self.folder / folder) as found:
                    for entry in found:
                        if entry.is_file(follow_symlinks=False):
                            sizes[entry.name] = entry.stat(follow_symlinks=False).st_size
            except OSError:
                pass  # no folder yet: every page in it is drawn
            self._sizes[folder] = sizes
        return self._sizes[folder].get(base)

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
        keep.update(copy for listed in self.prints.values() for copy in listed.copies)
        stale = [name for name in sorted(self.before - keep) if _remove(self.folder / name)]
        for folder in sorted({(self.folder / n).parent for n in stale}, reverse=True):
            if folder != self.folder and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        listing = (HEADER + "".join(self._line(name) for name in sorted(keep))).encode("utf-8")
        manifest = self.folder / MANIFEST
        if not manifest.exists() or manifest.read_bytes() != listing:
            self._folder(self.folder)
            _replace(manifest, listing)
        return stale

    def _line(self, name: str) -> str:
        """``name``, or for a page ``name<TAB>size<TAB>fingerprint<TAB>copies`` (the media
        copies it shows, separated by spaces)."""
        listed = self.prints.get(name)
        if listed is None:
            return f"{name}\n"
        return f"{name}\t{listed.size}\t{listed.fingerprint}\t{' '.join(listed.copies)}\n"


def _remove(path: Path) -> bool:
    """Remove a file of an earlier run; one that has become a folder or cannot be removed
    stays (it is no longer jadwal's to decide)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _read_manifest(path: Path) -> dict[str, Listed]:
    """The names an earlier run wrote, with their fingerprints; a line that leaves the
    folder is ignored, so an edited list can never make jadwal remove a file outside it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise JadwalError(_("{path} cannot be read: {exc}").format(path=path, exc=exc)) from exc
    names: dict[str, Listed] = {}
    for line in lines:
        if line.startswith("#"):
            continue
        text, listed = _listed(line)
        name = _inside(text.strip())
        if name:
            names[name] = listed
    return names


def _listed(line: str) -> tuple[str, Listed]:
    """A line's name and what it says of the file; a damaged fingerprint is no fingerprint
    (the page is drawn again)."""
    name, _, rest = line.partition("\t")
    size, _, rest = rest.partition("\t")
    fingerprint, _, copies = rest.partition("\t")
    if not size.isdigit() or not fingerprint:
        return name, Listed()
    inside = (_inside(copy) for copy in copies.split())
    return name, Listed(fingerprint, int(size), tuple(c for c in inside if c))


def _inside(name: str) -> str | None:
    """``name`` as a path inside the folder, or None when it is not one (an edited list
    reaches nothing outside). Read for every page of a year's site: the names jadwal wrote
    are plain (``2027-06/post.html``) and need no pathlib."""
    if not name or name.startswith("/"):
        return None
    parts = name.split("/")
    if ".." in parts:
        return None
    if "" in parts or "." in parts:  # a doubled or a ./ slash: said the one way
        return PurePosixPath(name).as_posix()
    return name


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
