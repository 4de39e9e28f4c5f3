"""``vars`` that no template reads, as warnings at the key.

A key no template of its post uses is most often a misspelling of one it does use
(``judull`` for ``judul``): the template then fails on the name it misses, or, behind
``default(…)`` or ``is defined``, quietly leaves it out of a public post. A key of the
calendar's ``vars`` counts as used when any template or caption of the calendar reads it. A
key named like one of jadwal's own variables (``at``, ``category``, …) never reaches a
template at all, since jadwal's value wins.

The calendar model keeps no place for each ``vars`` key, so the file is read again for them,
and only when there is something to report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scheduler.calendar.yamltree import YamlError, YNode, parse_yaml
from scheduler.files import display_path
from scheduler.i18n import _
from scheduler.problems import Location, Problem
from scheduler.render.reads import Reads, TemplateReads
from scheduler.render.suggest import closest, did_you_mean

if TYPE_CHECKING:
    from scheduler.calendar.model import Calendar, Post
    from scheduler.render.renderer import Renderer

# What ``Renderer.context`` sets after the vars, so a vars key of the same name is hidden.
JADWAL_NAMES = ("at", "account", "platform", "post_id", "kind", "category")


@dataclass(frozen=True)
class _Finding:
    post: Post | None  # None: the calendar's own vars
    key: str
    message: str


def unused_vars(calendar: Calendar, renderer: Renderer) -> list[Problem]:
    """A warning for every ``vars`` key (the calendar's or a post's) no template reads."""
    reads = TemplateReads(renderer)
    findings: list[_Finding] = []
    read_anywhere: set[str] = set()
    known = True  # False: what some template reads can't be known, so nothing is "unused"
    greeting = [] if calendar.holidays is None else [calendar.holidays.greeting]
    for post in [*calendar.posts, *greeting]:
        found = reads.of(post)
        read_anywhere |= found.names
        known = known and found.complete
        if found.complete and post not in greeting:  # a greeting's vars are jadwal's own
            findings += _unused_in_post(post, found)
    findings += _unused_in_calendar(calendar, read_anywhere if known else None)
    return _located(calendar, findings)


def _unused_in_post(post: Post, reads: Reads) -> list[_Finding]:
    label = _("post '{id}'").format(id=post.id) + ": "
    found = [_Finding(post, k, label + _hidden(k)) for k in post.vars if k in JADWAL_NAMES]
    for key in post.vars:
        if key not in reads.names and key not in JADWAL_NAMES:
            hint = _hint(key, reads.names)
            found.append(
                _Finding(
                    post,
                    key,
                    _("{label}vars.{key} is not used by {by}; {hint}").format(
                        label=label, key=key, by=_by(reads), hint=hint
                    ),
                )
            )
    return found


def _unused_in_calendar(calendar: Calendar, read: set[str] | None) -> list[_Finding]:
    found = [_Finding(None, k, _hidden(k)) for k in calendar.vars if k in JADWAL_NAMES]
    if read is None:
        return found
    for key in calendar.vars:
        if key not in read and key not in JADWAL_NAMES:
            hint = _hint(key, read)
            found.append(
                _Finding(
                    None,
                    key,
                    _("vars.{key} is not used by any template of the calendar; {hint}").format(
                        key=key, hint=hint
                    ),
                )
            )
    return found


def _hidden(key: str) -> str:
    return _(
        "vars.{key} never reaches a template: jadwal sets '{key}' itself (see Templates in "
        "docs/calendar.md); use another name"
    ).format(key=key)


def _by(reads: Reads) -> str:
    if not reads.files:
        return _("its caption")
    variants = _(" (nor its platform variants)") if len(reads.files) > 1 else ""
    return f"templates/{reads.files[0]}{variants}"


def _hint(key: str, names: set[str] | frozenset[str]) -> str:
    return did_you_mean(closest(key, names)) or "a typo?"


def locate(calendar: Calendar, found: list[tuple[Post | None, str, str]]) -> list[Problem]:
    """Warnings at ``vars`` keys: (the post, None for the calendar's vars; key; message)."""
    return _located(calendar, [_Finding(post, key, message) for post, key, message in found])


def _located(calendar: Calendar, findings: list[_Finding]) -> list[Problem]:
    if not findings:
        return []
    nodes = _vars_nodes(calendar)
    problems = []
    for finding in findings:
        post = finding.post
        node = nodes.get(None if post is None else (post.loc.line, post.loc.column))
        fallback = Location(display_path(calendar.path)) if post is None else post.loc
        where = node.key_loc(finding.key) if node is not None else fallback
        problems.append(Problem.at(where, "warning", finding.message))
    return problems


def _vars_nodes(calendar: Calendar) -> dict[tuple[int, int] | None, YNode]:
    """The ``vars`` mappings of the file: the calendar's (under ``None``) and each post's
    (under the line and column where the post starts, as ``Post.loc`` has them)."""
    try:
        text = calendar.path.read_text(encoding="utf-8-sig")
        root = parse_yaml(text, display_path(calendar.path))
    except (OSError, UnicodeDecodeError, YamlError):  # changed since it was read: less precise
        return {}
    top = (root.mapping if root is not None else None) or {}
    nodes: dict[tuple[int, int] | None, YNode] = {}
    if "vars" in top:
        nodes[None] = top["vars"]
    for item in (top["posts"].items if "posts" in top else None) or []:
        if item.mapping and "vars" in item.mapping:
            nodes[(item.loc.line, item.loc.column)] = item.mapping["vars"]
    return nodes
