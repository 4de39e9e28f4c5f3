"""Fingerprints of the site's pages: a digest of everything a page is made from, so that a
rerun can tell which pages would come out the same and not draw them (``Output.page``).

A post page is made from its entry (the month model's: time, title, each account's state,
permalink and last error from the history), each card's occurrence (the post, the account,
the holiday), rendered caption and ``check`` problems, the content of its media files (what
its pictures are drawn from, by ``Thumbs``, with the post's fields), and what every page shares
(``Prints.shared``): the language the pages speak, the months of the site for the navigation,
the zone, the weekly minimum, jadwal's version, the code, templates and catalog that draw
pages, and the versions of Jinja2, MarkupSafe and Babel (its dates' words). A month page is
made from its month and the rhythm strips. Whatever is left out of a fingerprint can leave a
page stale, so the rule is to put in too much: a fingerprint that changes for nothing only
costs a page drawn again.

What is not put in: where in calendar.yaml a post was written (its ``Location``s; no page
shows them, and a line added near the top would otherwise change every page after it);
a problem's place is kept (the page shows it). Secrets never are: the history's texts are
scrubbed first, as the page shows them, so no digest is made from a token.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import scheduler
from scheduler.problems import Location
from scheduler.site.entries import Entry
from scheduler.views import month as months

# What draws a page, besides the templates and the stylesheet (all of scheduler/site): the
# month model and the strip, the states' and kinds' words (words.py), the words for dates
# (i18n's and the zone's), the catalog that translates every word of a page, the hashtags,
# the picture frames, the secrets' scrubbing and the pages' names.
CODE = (
    "site",
    "views",
    "i18n.py",
    "words.py",
    "locale",
    "render/dates.py",
    "platforms/captions.py",
    "platforms/images.py",
    "platforms/media.py",
    "secrets.py",
    "calendar/pages.py",
)
LIBRARIES = ("jinja2", "markupsafe", "babel")


def code_digest(root: Path | None = None) -> str:
    """A digest of jadwal's version, the files in ``CODE`` and the libraries' versions:
    another jadwal draws every page again."""
    root = root or Path(scheduler.__file__).parent
    digest = hashlib.sha256(scheduler.__version__.encode())
    for name in CODE:
        path = root / name
        found = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in found:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(file.relative_to(root).as_posix().encode() + b"\0")
                digest.update(file.read_bytes() + b"\0")
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=?\0".encode())
    return digest.hexdigest()


class Prints:
    """The fingerprints of one run's pages, each shared part written out once."""

    def __init__(
        self,
        shared: object,
        scrub: Callable[[str], str],
        media: Callable[[Path], str],
        code: str | None = None,
    ) -> None:
        self.scrub = scrub
        self.media = media  # a media file's content, as a digest (``Thumbs.source``)
        self.shared = f"{code or code_digest()}|{canonical(shared)}"
        # By id(): the posts, accounts and entries that many pages share. What an id names
        # is kept alive (``_keep``), so no id is reused for another object.
        self._done: dict[int, str] = {}
        self._keep: list[object] = []

    def post(self, entry: Entry, folder: Path) -> str:
        """A post page's fingerprint (``folder``: the calendar's, where its media are)."""
        parts = [self._entry(entry.view)]
        for card in entry.cards:
            o = card.occurrence
            post = self._once(o.post, canonical)
            account = self._once(o.account, canonical)
            parts.append(f"{post}|{account}|{o.source}|{o.holiday!r}|{o.again}")
            parts.append(repr(card.caption))
            parts += [_plain(p) for p in card.problems]
        # The pictures the page draws are made from the media files' content alone.
        refs = entry.post.media
        parts.append(
            self._once(refs, lambda _: "|".join(self.media(folder / r.path) for r in refs))
        )
        return self._digest("post", parts)

    def month(self, view: months.Month, strips: Sequence[object], kind: str) -> str:
        parts = [repr((view.year, view.month, view.timezone, view.accounts, view.history))]
        for week in view.weeks:
            parts.append(repr((week.monday, week.number, week.counts)))
            for day in week.days:
                parts.append(repr((day.date, day.in_month, day.holidays, day.observances)))
                parts += [self._entry(e) for e in day.entries]
        parts.append(repr(tuple(strips)))
        return self._digest(kind, parts)

    def _digest(self, kind: str, parts: Iterable[str]) -> str:
        text = "\n".join((self.shared, kind, *parts))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def _entry(self, view: months.Entry) -> str:
        """The month model's entry, the history's texts scrubbed as the page shows them."""
        return self._once(view, self._entry_text)

    def _entry_text(self, view: months.Entry) -> str:
        head = [getattr(view, name) for name in _names(months.Entry) if name != "deliveries"]
        deliveries = [
            tuple(self._clean(name, getattr(d, name)) for name in _names(months.Delivery))
            for d in view.deliveries
        ]
        return repr((head, deliveries))

    def _clean(self, name: str, value: object) -> object:
        if name in ("permalink", "error") and isinstance(value, str) and value:
            return self.scrub(value)
        return value

    def _once(self, value: object, make: Callable[[Any], str]) -> str:
        found = self._done.get(id(value))
        if found is None:
            found = self._done[id(value)] = make(value)
            self._keep.append(value)
        return found


def _plain(value: object) -> str:
    """A dataclass of plain values (a ``Problem``): its values in order, quickly."""
    return repr(tuple(getattr(value, name) for name in _names(type(value))))


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(kind: type) -> tuple[str, ...]:
    """A dataclass's field names, looked up once per class."""
    if kind not in _NAMES:
        _NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return _NAMES[kind]


def canonical(value: object) -> str:
    """``value`` as text that is the same whenever the value is, whatever the run: fields
    by name, sets and mappings sorted, and no ``Location`` (see the module's text)."""
    if isinstance(value, Location):
        return "@"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _names(type(value))
        fields = ",".join(f"{name}={canonical(getattr(value, name))}" for name in names)
        return f"{type(value).__name__}({fields})"
    if isinstance(value, (list, tuple)):
        return f"[{','.join(canonical(v) for v in value)}]"
    if isinstance(value, (set, frozenset)):
        return f"{{{','.join(sorted(canonical(v) for v in value))}}}"
    if isinstance(value, Mapping):
        items = sorted(f"{canonical(k)}:{canonical(v)}" for k, v in value.items())
        return f"{{{','.join(items)}}}"
    if isinstance(value, (str, int, float, bool, type(None), date, datetime, time)):
        return repr(value)
    return f"{type(value).__name__}:{value!r}"
