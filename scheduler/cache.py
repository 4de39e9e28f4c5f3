"""jadwal's cache: what it keeps of earlier runs to start faster, and for which jadwal.

It lives in ``$XDG_CACHE_HOME/jadwal/`` (by default ``~/.cache/jadwal/``): the calendars read
before (``calendar.kept``), the captions' templates compiled to Python (``render``) and what the
site's last run found of each occurrence (``site.verdicts``). Each
part has its folder, made 0700 for the user who runs jadwal, so that nobody else can put
anything there for jadwal to read. Everything in it may be deleted at any time: the next
command only does the work again. A cache that cannot be used (no home folder, a read-only
disk) is no cache at all, never an error.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import scheduler
from scheduler.files import write_atomic

if TYPE_CHECKING:
    from jinja2.bccache import Bucket, BytecodeCache

log = logging.getLogger(__name__)


def folder(part: str) -> Path | None:
    """The cache's folder for ``part``, made if it is not there; ``None`` when there can be
    none here (no home folder, the cache's place is not a folder or cannot be written)."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        place = base / "jadwal" / part
        place.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):  # RuntimeError: no home folder (a service user)
        return None
    return place


def entry_path(part: str, source: Path) -> Path | None:
    """The file of ``part`` that holds what is kept for ``source`` (one per file, named after
    its path); ``None`` when there is no cache here."""
    place = folder(part)
    if place is None:
        return None
    name = hashlib.sha256(str(source).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return place / f"{name}.pickle"


def recall(place: Path, head: object) -> object | None:
    """What ``place`` keeps under ``head``; ``None`` when it keeps nothing, keeps it under
    another head (which is compared first, so another entry is passed over unread), or
    cannot be read at all (whatever spoilt it, doing the work again mends it)."""
    try:
        with place.open("rb") as source:
            if pickle.load(source) != head:
                return None
            body: object = pickle.load(source)
            return body
    except FileNotFoundError:
        return None
    except Exception as exc:
        log.debug("cache entry %s passed over: %r", place, exc)
        return None


def keep(place: Path, head: object, body: object) -> None:
    """Keep ``body`` under ``head`` in ``place``, for this user only (0600); quietly when it
    can't: a cache that is not written only makes the next run slower."""
    try:
        protocol = pickle.HIGHEST_PROTOCOL
        data = pickle.dumps(head, protocol=protocol) + pickle.dumps(body, protocol=protocol)
        write_atomic(place, data, mode=0o600, durable=False)
    except Exception as exc:
        log.debug("cache entry %s not written: %r", place, exc)


@cache
def code() -> str:
    """A digest of jadwal's version and code, of the Python that runs it and of the libraries
    installed beside it: what the cache's entries are made by, so another of any of these
    makes them anew. Read from the files' sizes and times (a few milliseconds), not their
    content: an edit, an install and an upgrade all change those."""
    digest = hashlib.sha256(f"{scheduler.__version__}|{sys.version}".encode())
    package = Path(scheduler.__file__).parent
    for place, subfolders, files in os.walk(package):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            found = os.stat(os.path.join(place, name))
            digest.update(f"{place}/{name}|{found.st_size}|{found.st_mtime_ns}\0".encode())
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            digest.update(f"{entry}|{os.stat(entry).st_mtime_ns}\0".encode())
    return digest.hexdigest()


def compiled_templates() -> BytecodeCache | None:
    """Jinja's cache of templates compiled to Python, for an environment's ``bytecode_cache``.

    Compiling a template takes 2–3 ms; a regency's calendar has a hundred captions, which made
    a fifth of ``check``, and the site's and the report's pages have their own. A compiled
    template is taken again only for the same text (Jinja compares a checksum of the source)
    and the same jadwal, Python and Jinja (the file names hold ``code()``, which also covers
    the environments' settings: they are jadwal's code). A cache that cannot be read or
    written is passed over.
    """
    from jinja2 import FileSystemBytecodeCache

    place = folder("templates")
    if place is None:
        return None

    class Quiet(FileSystemBytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception as exc:  # a spoilt file: compile again, and write it anew
                log.debug("compiled template %s passed over: %r", bucket.key, exc)
                bucket.reset()

        def dump_bytecode(self, bucket: Bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError as exc:  # a full or read-only disk: only slower the next time
                log.debug("compiled template %s not written: %r", bucket.key, exc)

    return Quiet(str(place), f"{code()[:20]}-%s.code")
