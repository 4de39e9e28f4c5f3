"""``vars`` written as one text where a template takes a list, as warnings at the key.

``tagar: "#DesaSukamaju, #InfoDesa"`` is one text in YAML; the shipped templates write
``{{ tagar | join(" ") }}``, and joining a text joins its letters, so the caption would say
``# D e s a S u k a m a j u …`` in public. A ``{% for %}`` over a text walks its letters the
same way. A variable is taken as a list when a post's own template files (or its caption)
pass it to ``join`` or loop over it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from scheduler.i18n import _
from scheduler.problems import Problem
from scheduler.render.unused import locate

if TYPE_CHECKING:
    from jinja2 import nodes

    from scheduler.calendar.model import Calendar, Post
    from scheduler.render.renderer import Renderer


def texts_for_lists(calendar: Calendar, renderer: Renderer) -> list[Problem]:
    """A warning for every ``vars`` text that a template of its post takes as a list."""
    parsed: dict[str, frozenset[str]] = {}
    found: dict[tuple[str | None, str], tuple[Post | None, str]] = {}  # by post id and name
    greeting = [] if calendar.holidays is None else [calendar.holidays.greeting]
    for post in [*calendar.posts, *greeting]:
        for name in sorted(_as_lists(renderer, post, parsed)):
            owner = post if name in post.vars else None
            value = post.vars.get(name, calendar.vars.get(name))
            where = (owner.id if owner else None, name)
            if isinstance(value, str) and where not in found:
                label = _("post '{id}'").format(id=post.id) + ": " if owner else ""
                found[where] = owner, f"{label}{_message(name, value)}"
    return locate(calendar, [(owner, key, said) for (_, key), (owner, said) in found.items()])


def _message(name: str, value: str) -> str:
    items = ", ".join(_item(part.strip()) for part in value.split(",") if part.strip())
    return _(
        "vars.{name} is one text, but a template takes it as a list (join or for) and would use "
        "it letter by letter: write it in brackets, [{items}]"
    ).format(name=name, items=items)


def _item(text: str) -> str:
    """One list item as YAML reads it back: quoted when it starts like YAML's own signs
    (``#`` would start a comment) or holds ``: ``."""
    if text[0] in "#@`&*!|>%{}[],'\"?:-" or ": " in text or " #" in text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _as_lists(renderer: Renderer, post: Post, parsed: dict[str, frozenset[str]]) -> set[str]:
    sources = [post.caption] if post.caption is not None else _files(renderer, post)
    names: set[str] = set()
    for source in sources:
        if source not in parsed:
            parsed[source] = _listed(renderer, source)
        names |= parsed[source]
    return names


def _files(renderer: Renderer, post: Post) -> list[str]:
    sources = (renderer.source(name) for name in renderer.template_files(post))
    return [source for source in sources if source is not None]  # None: reported by rendering


def _listed(renderer: Renderer, source: str) -> frozenset[str]:
    """The plain names ``source`` joins or loops over."""
    from jinja2 import TemplateSyntaxError, nodes

    try:
        tree = renderer.parse(source)
    except TemplateSyntaxError:  # reported by rendering
        return frozenset()
    joined = (f.node for f in tree.find_all(nodes.Filter) if f.name == "join")
    looped = (loop.iter for loop in tree.find_all(nodes.For))
    return frozenset(_name(node) for node in (*joined, *looped) if _name(node))


def _name(node: nodes.Node | None) -> str:
    from jinja2 import nodes

    return node.name if isinstance(node, nodes.Name) else ""
