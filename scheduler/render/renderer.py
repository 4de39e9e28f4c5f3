"""``Renderer``: an occurrence's caption from its template, or a ``RenderError`` saying where
and why it cannot be rendered.

The environment is sandboxed (no attribute access to Python internals) and its loader sees
only ``templates/``, not even through a symbolic link; a missing variable is an error naming
the template, the line, the variable and the closest names that exist, never an empty string
in a government post. An unknown filter or test is named with the closest that exist.
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scheduler import cache
from scheduler.calendar.refs import TEMPLATE_SUFFIX, find_template, template_stem
from scheduler.files import display_path
from scheduler.i18n import N_, _
from scheduler.problems import Location, Problem
from scheduler.render.dates import FILTERS
from scheduler.render.suggest import closest, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import BaseLoader, Environment, Template, UndefinedError
    from jinja2 import nodes as jinja_nodes
    from jinja2.sandbox import SandboxedEnvironment

    from scheduler.calendar.expand import Occurrence
    from scheduler.calendar.model import Calendar, Post

log = logging.getLogger(__name__)

INLINE = "<template>"  # the name Jinja gives templates made from a string
_UNKNOWN = re.compile(r"No (filter|test) named '(.+)'(?: found)?\.")
_KNOWN = {
    "filter": N_(
        "jadwal's filters are tanggal, tanggal_pendek, hari and jam, besides Jinja's own "
        "(default, join, upper, …)"
    ),
    "test": N_("Jinja's tests include defined, none, number and string"),
}


class RenderError(Exception):
    """A caption could not be rendered; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class Renderer:
    """Renders occurrences of one calendar; compiled templates are cached across calls."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.env = _environment(calendar.templates_dir)
        self._inline: dict[str, Template] = {}
        self._found: dict[tuple[str, str], str | None] = {}
        self._sources: dict[str, str | None] = {}
        self._trees: dict[str, jinja_nodes.Template] = {}
        self._compiled: dict[tuple[str | None, str | None, str], Template] = {}

    def compile_templates(self) -> list[Problem]:
        """Compile every template file the calendar uses, for every platform it goes to.

        Done when a calendar is loaded for publishing, so that a syntax error is refused
        with the rest of the calendar's errors, and the compiled templates stay as they were.
        """
        problems: list[Problem] = []
        posts = list(self.calendar.posts)
        spec = self.calendar.holidays
        if spec is not None:
            from scheduler.calendar.holidays import holiday_post

            if spec.greeting.template:
                posts.append(holiday_post(spec, date(2000, 1, 1), "", self.calendar.timezone))
            posts.extend(own.post for own in spec.greetings)  # the days' own templates
        seen: set[tuple[str, str]] = set()
        for post in posts:
            for name in post.accounts:
                account = self.calendar.accounts.get(name)
                if post.template is None or account is None:
                    continue
                if (post.template, account.platform) in seen:
                    continue
                seen.add((post.template, account.platform))
                try:
                    self._template(post, account.platform)
                except RenderError as exc:
                    problems.append(exc.problem)
        return problems

    def render(self, occurrence: Occurrence) -> str:
        post = occurrence.post
        template, source_loc = self._template(post, occurrence.platform)
        context = self.context(occurrence)
        return self._run(post, template, source_loc, context)

    def context(self, occurrence: Occurrence) -> dict[str, Any]:
        post = occurrence.post
        return {
            **self.calendar.vars,
            **post.vars,
            "at": occurrence.at,
            "account": occurrence.account.name,
            "platform": occurrence.platform,
            "post_id": post.id,
            "kind": post.kind,
            "category": post.category,
        }

    def template_files(self, post: Post) -> list[str]:
        """The files ``post``'s captions come from, one per platform it goes to at most
        (relative to ``templates/``; the file without a platform first)."""
        if post.template is None:
            return []
        accounts = self.calendar.accounts
        platforms = {accounts[name].platform for name in post.accounts if name in accounts}
        found = {self._find(post.template, platform) for platform in platforms}
        generic = template_stem(post.template) + TEMPLATE_SUFFIX
        return sorted((f for f in found if f is not None), key=lambda f: (f != generic, f))

    def source(self, name: str) -> str | None:
        """The text of ``templates/name``; None when it can't be read (not found, or a link
        out of ``templates/``: rendering says which). Read once per renderer."""
        from jinja2 import TemplateError

        if name not in self._sources:
            try:
                self._sources[name] = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
            except TemplateError:
                self._sources[name] = None
        return self._sources[name]

    def parse(self, source: str) -> jinja_nodes.Template:
        """``source`` parsed (not compiled), once per renderer: what ``check`` reads of the
        templates (the variables they use, those they take as lists) comes from the tree.
        Raises Jinja's ``TemplateSyntaxError``."""
        if source not in self._trees:
            self._trees[source] = self.env.parse(source)
        return self._trees[source]

    def _template(self, post: Post, platform: str) -> tuple[Template, Location]:
        where = post.caption_loc or post.template_loc or post.loc
        key = (post.caption, post.template, platform)
        found = self._compiled.get(key)  # once per text or (template, platform): a year's
        if found is None:  # preview renders each of them hundreds of times
            found = self._compiled[key] = self._compile(post, platform, where)
        return found, where

    def _compile(self, post: Post, platform: str, where: Location) -> Template:
        from jinja2 import TemplateNotFound, TemplateSyntaxError

        try:
            if post.caption is not None:
                return self._inline_template(post.caption)
            assert post.template is not None
            name = self._find(post.template, platform)
            if name is None:
                raise RenderError(
                    Problem.at(
                        where,
                        "error",
                        _("post '{id}': template '{template}' not found in templates/").format(
                            id=post.id, template=post.template
                        ),
                    )
                )
            return self.env.get_template(name)
        except TemplateSyntaxError as exc:
            raise RenderError(self._syntax_problem(post, exc, where)) from exc
        except TemplateNotFound as exc:  # a link out of templates/ (see _confined_loader)
            raise RenderError(
                Problem.at(where, "error", _("post '{id}'").format(id=post.id) + f": {exc}")
            ) from exc

    def _find(self, name: str, platform: str) -> str | None:
        # Looked up once per (template, platform), not once per occurrence: a year of a
        # weekly post would otherwise stat the same files fifty times.
        key = (name, platform)
        if key not in self._found:
            self._found[key] = find_template(self.calendar.templates_dir, name, platform)
        return self._found[key]

    def _inline_template(self, source: str) -> Template:
        template = self._inline.get(source)
        if template is None:
            template = self._inline[source] = _from_string(self.env, source)
        return template

    def _run(self, post: Post, template: Template, where: Location, context: dict[str, Any]) -> str:
        try:
            return template.render(context).strip()
        except Exception as exc:  # Jinja's classes are imported only when one is raised
            problem = self._failure(post, template, where, context, exc)
            if problem is None:
                raise
            raise RenderError(problem) from exc

    def _failure(
        self,
        post: Post,
        template: Template,
        where: Location,
        context: dict[str, Any],
        exc: Exception,
    ) -> Problem | None:
        """What a template's failure while rendering says to the operator; None for an
        exception that is not the template's (a bug: it goes on up)."""
        from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError

        if isinstance(exc, UndefinedError):
            message = _undefined_message(post.id, exc, context)
        elif isinstance(exc, SecurityError):
            message = _("post '{id}': the template tried something unsafe: {exc}").format(
                id=post.id, exc=exc
            )
        elif isinstance(exc, TemplateSyntaxError):  # an {% include %}d file, compiled when reached
            return self._syntax_problem(post, exc, where)
        elif isinstance(
            exc,
            TemplateError | TypeError | ValueError | ArithmeticError | LookupError | AttributeError,
        ):
            message = self._unknown_name(post.id, str(exc)) or (
                _("post '{id}': the template failed: {exc}").format(id=post.id, exc=exc)
            )
        else:
            return None
        return self._runtime_problem(template, exc, where, message)

    def _syntax_problem(self, post: Post, exc: Any, where: Location) -> Problem:
        message = self._unknown_name(post.id, exc.message) or (
            _("post '{id}': template syntax error: {message}").format(
                id=post.id, message=exc.message
            )
        )
        return Problem.at(self._locate(exc.filename, exc.lineno or 1, where), "error", message)

    def _unknown_name(self, post_id: str, text: str | None) -> str | None:
        """An unknown filter or test, said with the closest that exist. Jinja refuses it when
        it compiles the template, or, inside an ``{% if %}``, when the line runs."""
        found = _UNKNOWN.fullmatch(text or "")
        if found is None:
            return None
        kind, name = found.groups()
        known = self.env.filters if kind == "filter" else self.env.tests
        hint = did_you_mean(closest(name, known)) or _(_KNOWN[kind])
        return _("post '{post_id}': unknown {kind} '{name}'; {hint}").format(
            post_id=post_id, kind=kind, name=name, hint=hint
        )

    def _runtime_problem(
        self, template: Template, exc: BaseException, where: Location, message: str
    ) -> Problem:
        # The deepest template frame: an {% include %}d file's own line, not the include's.
        filename, line = template.filename or INLINE, 1
        templates = str(self.calendar.templates_dir)
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.lineno and (frame.filename == INLINE or frame.filename.startswith(templates)):
                filename, line = frame.filename, frame.lineno
        return Problem.at(self._locate(filename, line, where), "error", message)

    def _locate(self, filename: str | None, line: int, where: Location) -> Location:
        """A template file's own line, or for an inline caption the line inside the YAML."""
        if filename and filename != INLINE:
            return Location(display_path(Path(filename)), line, 1)
        return Location(where.path, where.line + line - 1, where.column if line == 1 else 1)


def _undefined_name(text: str) -> str | None:
    # Jinja says "'nama' is undefined" or "'dict object' has no attribute 'x'".
    if text.endswith(" is undefined") and text.startswith("'"):
        return text[1 : text.index("'", 1)]
    if "has no attribute" in text:
        return text.rsplit("'", 2)[-2]
    return None


def _undefined_message(post_id: str, exc: UndefinedError, context: dict[str, Any]) -> str:
    from scheduler.render.strict import candidates

    name = _undefined_name(str(exc))
    if not name:
        return _("post '{id}'").format(id=post_id) + f": {exc.message}"
    hint = did_you_mean(closest(name, candidates(exc, context)))
    return _(
        "post '{post_id}': variable '{name}' is undefined; {value}define it under vars (of the "
        "calendar or of the post)"
    ).format(post_id=post_id, name=name, value=hint + " " if hint else "")


def _environment(templates_dir: Path) -> SandboxedEnvironment:
    from jinja2.sandbox import SandboxedEnvironment

    from scheduler.render.strict import Strict

    env = SandboxedEnvironment(
        loader=_confined_loader(templates_dir),
        undefined=Strict,
        autoescape=False,  # captions are plain text, not HTML
        keep_trailing_newline=False,
        # A loaded calendar keeps the templates it was loaded with: an edit takes effect on
        # reload (after it was checked), never half-way through a running daemon.
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=cache.compiled_templates(),
    )
    env.filters.update(FILTERS)
    return env


def _from_string(env: Environment, source: str) -> Template:
    """``env.from_string(source)``, through the environment's bytecode cache as a loader's
    templates go (Jinja's ``BaseLoader.load``): a caption written in calendar.yaml is
    compiled once, not once per command. The cache's key is the text's digest, the name the
    one Jinja gives a template made from a string (errors are located by it)."""
    cached = env.bytecode_cache
    if cached is None:
        return env.from_string(source)
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
    bucket = cached.get_bucket(env, INLINE, digest, source)
    code = bucket.code
    if code is None:
        code = env.compile(source)
        bucket.code = code
        cached.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None))


def _confined_loader(templates_dir: Path) -> BaseLoader:
    """Jinja's file loader, except that a template which is a link to a file outside
    ``templates/`` is not found: a symbolic link committed as ``templates/x.j2`` pointing at
    the machine's secrets file must not become a public caption."""
    from jinja2 import FileSystemLoader, TemplateNotFound

    class ConfinedLoader(FileSystemLoader):
        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            root = templates_dir.resolve()
            if root not in Path(filename).resolve().parents:
                raise TemplateNotFound(
                    template,
                    _("template '{template}' is a link to a file outside templates/").format(
                        template=template
                    ),
                )
            return source, filename, uptodate

    return ConfinedLoader(str(templates_dir))
