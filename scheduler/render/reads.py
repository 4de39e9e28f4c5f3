"""Which variables a post's captions can read: the names its template (every platform variant
the post goes through, and every file they include, extend or import) or its inline caption
leaves to the context, found by Jinja's ``meta`` on the parsed templates without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.calendar.model import Post
    from scheduler.render.renderer import Renderer


@dataclass(frozen=True)
class Reads:
    """``names`` the templates read; ``files`` are the post's own template files (relative to
    ``templates/``, the one without a platform first; none for an inline caption).
    ``complete`` is False when that cannot be known: an include whose name is computed, or a
    template that does not parse (rendering reports that one)."""

    names: frozenset[str]
    files: tuple[str, ...]
    complete: bool


class TemplateReads:
    """Reads of one calendar's posts; each template file and caption is parsed once, however
    many posts share it."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self._files: dict[str, tuple[frozenset[str], bool]] = {}
        self._captions: dict[str, tuple[frozenset[str], bool]] = {}

    def of(self, post: Post) -> Reads:
        if post.caption is not None:
            if post.caption not in self._captions:
                self._captions[post.caption] = self._source(post.caption, set())
            names, complete = self._captions[post.caption]
            return Reads(names, (), complete)
        files = self.renderer.template_files(post)
        found = [self._file(name) for name in files]
        names = frozenset().union(*(names for names, _ in found))
        return Reads(names, tuple(files), bool(files) and all(ok for _, ok in found))

    def _file(self, name: str, seen: set[str] | None = None) -> tuple[frozenset[str], bool]:
        if name not in self._files:
            source = self.renderer.source(name)
            if source is None:  # not found, or a link out of templates/
                self._files[name] = frozenset(), False
            else:
                self._files[name] = self._source(source, (seen or set()) | {name})
        return self._files[name]

    def _source(self, source: str, seen: set[str]) -> tuple[frozenset[str], bool]:
        """The names ``source`` and the templates it refers to read (``seen``: the files on
        the way here, so a file including itself ends the walk)."""
        from jinja2 import TemplateSyntaxError, meta

        try:
            tree = self.renderer.parse(source)
        except TemplateSyntaxError:
            return frozenset(), False
        names, complete = set(meta.find_undeclared_variables(tree)), True
        for name in meta.find_referenced_templates(tree):
            if name is None:  # {% include some_variable %}: anything may be read
                complete = False
            elif name not in seen:
                more, known = self._file(name, seen)
                names |= more
                complete = complete and known
        return frozenset(names), complete
