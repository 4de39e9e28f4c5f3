"""Read YAML into a small tree whose every value knows its file, line and column.

``parse_yaml`` runs PyYAML's parser (libyaml, in C) and builds ``YNode``s straight from its
events (``_Builder``), so the schema can name the exact place of a mistake. Scalars stay
strings (with YAML's resolved tag) and the schema interprets them itself, so ``2026-02-30``
is a located error instead of a traceback. Aliases are followed with a budget, which defeats
"billion laughs" documents; files over 5 MB, values nested more than 64 levels deep and a
second document are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scheduler.calendar.yamlhints import explain
from scheduler.i18n import _
from scheduler.problems import Location

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 64

NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"


class YamlError(Exception):
    """The text is not a YAML document jadwal can read; ``where`` says where it broke."""

    def __init__(self, where: Location, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass(slots=True)  # a 10,000-post calendar has a few hundred thousand of these
class YNode:
    loc: Location
    tag: str
    scalar: str | None = None
    items: list[YNode] | None = None
    mapping: dict[str, YNode] | None = None
    key_locs: dict[str, Location] | None = None
    quoted: bool = False  # a scalar written in quotes or as a block: its text is meant as is

    @property
    def is_null(self) -> bool:
        return self.scalar is not None and self.tag == NULL_TAG

    def describe(self) -> str:
        """How a value looks to a person, for "expected X, got Y" messages."""
        if self.mapping is not None:
            return _("a mapping")
        if self.items is not None:
            return _("a list")
        if self.is_null:
            return _("nothing")
        text = self.scalar or ""
        return repr(text if len(text) <= 40 else text[:37] + "...")

    def key_loc(self, key: str) -> Location:
        return (self.key_locs or {}).get(key, self.loc)


class _Builder:
    """Builds ``YNode``s straight from the parser's events.

    Going from events, not from PyYAML's composed node tree, keeps one tree in memory instead
    of two (a 10,000-post calendar: ~35 MB less at the peak). Each node's size once aliases
    are followed is counted as it is built, so an alias bomb is refused before it expands.
    A calendar has tens of thousands of values, so the loop is kept lean: one parser call per
    event, the event's class compared by identity, a plain scalar's tag resolved once per
    text (YAML resolves a plain scalar by its text alone).
    """

    def __init__(self, path: str, loader: Any) -> None:
        import yaml

        self.path = path
        self.loader = loader
        self.anchors: dict[str, tuple[YNode, int]] = {}
        self.tags: dict[tuple[str, tuple[bool, bool]], str] = {}
        self.yaml = yaml

    def loc(self, event: Any) -> Location:
        mark = event.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def document(self) -> YNode | None:
        yaml = self.yaml
        self.loader.get_event()  # StreamStart
        if self.loader.check_event(yaml.StreamEndEvent):
            return None
        self.loader.get_event()  # DocumentStart
        node, size = self.node(self.loader.get_event(), 0)
        if size > MAX_NODES:
            raise YamlError(
                node.loc, _("the document expands to too many values (nested aliases?)")
            )
        self.loader.get_event()  # DocumentEnd
        if not self.loader.check_event(yaml.StreamEndEvent):
            event = self.loader.get_event()
            raise YamlError(
                self.loc(event), _("the file holds more than one YAML document ('---'); keep one")
            )
        return node

    def node(self, event: Any, depth: int) -> tuple[YNode, int]:
        """The node that ``event`` (just read) starts, with its size."""
        kind = type(event)
        if kind is self.yaml.AliasEvent:
            if event.anchor not in self.anchors:
                where = self.loc(event)
                raise YamlError(
                    where,
                    _("alias *{anchor} has no anchor &{anchor} before it").format(
                        anchor=event.anchor
                    ),
                )
            return self.anchors[event.anchor]
        if depth > MAX_DEPTH:
            raise YamlError(
                self.loc(event),
                _("values are nested more than {MAX_DEPTH} levels deep").format(
                    MAX_DEPTH=MAX_DEPTH
                ),
            )
        if kind is self.yaml.ScalarEvent:
            built = self.scalar(event), 1
        elif kind is self.yaml.SequenceStartEvent:
            built = self.sequence(event, depth)
        else:
            built = self.mapping(event, depth)
        if event.anchor is not None:
            self.anchors[event.anchor] = built
        return built

    def scalar(self, event: Any) -> YNode:
        mark, value = event.start_mark, event.value
        if event.style in ("|", ">"):
            # A block scalar's text starts on the line after its indicator: point there,
            # so that line N of a caption template is line N below it.
            where = Location(self.path, mark.line + 2, 1)
        else:
            where = Location(self.path, mark.line + 1, mark.column + 1)
        tag = event.tag or self.tag(value, event.implicit)
        return YNode(where, tag, scalar=value, quoted=bool(event.style))

    def tag(self, value: str, implicit: tuple[bool, bool]) -> str:
        """YAML's tag for a scalar without one: it depends on the text and the quoting only."""
        key = (value, implicit)
        if key not in self.tags:
            self.tags[key] = self.loader.resolve(self.yaml.ScalarNode, value, implicit)
        return self.tags[key]

    def sequence(self, event: Any, depth: int) -> tuple[YNode, int]:
        where, end = self.loc(event), self.yaml.SequenceEndEvent
        items, size = [], 1
        get_event = self.loader.get_event
        while type(item_event := get_event()) is not end:
            item, item_size = self.node(item_event, depth + 1)
            items.append(item)
            size = min(size + item_size, MAX_NODES + 1)
        return YNode(where, event.tag or SEQ_TAG, items=items), size

    def mapping(self, event: Any, depth: int) -> tuple[YNode, int]:
        where, end = self.loc(event), self.yaml.MappingEndEvent
        mapping: dict[str, YNode] = {}
        key_locs: dict[str, Location] = {}
        merged: list[YNode] = []
        size = 1
        get_event = self.loader.get_event
        scalar = self.yaml.ScalarEvent
        while type(key_event := get_event()) is not end:
            if (
                type(key_event) is scalar
                and not (key_event.anchor or key_event.style)
                and depth < MAX_DEPTH
            ):
                # A plain word, as nearly every key is: its text and place, no node.
                key: str | None = key_event.value
                key_loc = self.loc(key_event)
                tag = key_event.tag or self.tag(key_event.value, key_event.implicit)
            else:
                key_node, _ = self.node(key_event, depth + 1)
                key, key_loc, tag = key_node.scalar, key_node.loc, key_node.tag
            value, value_size = self.node(get_event(), depth + 1)
            size = min(size + 1 + value_size, MAX_NODES + 1)
            if tag == MERGE_TAG:
                merged.append(value)
            else:
                _add_key(mapping, key_locs, key, key_loc, value)
        _merge(mapping, key_locs, merged)
        return YNode(where, event.tag or MAP_TAG, mapping=mapping, key_locs=key_locs), size


def _add_key(
    mapping: dict[str, YNode],
    key_locs: dict[str, Location],
    key: str | None,
    where: Location,
    value: YNode,
) -> None:
    if key is None:
        raise YamlError(where, _("a key must be a plain word, not a list or mapping"))
    if key in mapping:
        raise YamlError(
            where,
            _("duplicate key '{key}' (first at line {line})").format(
                key=key, line=key_locs[key].line
            ),
        )
    mapping[key] = value
    key_locs[key] = where


def _merge(mapping: dict[str, YNode], key_locs: dict[str, Location], merged: list[YNode]) -> None:
    """YAML merge keys (``<<: *base``): explicit keys win over merged ones."""
    for source in merged:
        for piece in source.items if source.items is not None else [source]:
            for key, value in (piece.mapping or {}).items():
                if key not in mapping:
                    mapping[key] = value
                    key_locs[key] = piece.key_loc(key)


def _marked(exc: Any, text: str, path: str) -> YamlError:
    """The parser's error located, in plain words when it is a common mistake."""
    mark = exc.problem_mark or exc.context_mark
    where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = " ".join(str(exc.problem or exc.context or _("invalid YAML")).split())
    if mark is None:
        return YamlError(where, _("invalid YAML: {problem}").format(problem=problem))
    opened = exc.context_mark
    said = explain(
        problem,
        str(exc.context or ""),
        (mark.line, mark.column),
        (opened.line, opened.column) if opened else None,
        text,
    )
    if said is None:
        return YamlError(where, _("invalid YAML: {problem}").format(problem=problem))
    place = Location(path, said.line + 1, said.column + 1)
    return YamlError(
        place,
        _("invalid YAML: {message} ({problem})").format(message=said.message, problem=problem),
    )


def parse_yaml(text: str, path: str) -> YNode | None:
    """Parse one YAML document; ``None`` for an empty one. Raises ``YamlError``."""
    import yaml
    from yaml import MarkedYAMLError, YAMLError

    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlError(
            Location(path),
            _("the file is larger than {value} MB").format(value=MAX_BYTES // (1024 * 1024)),
        )
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)  # libyaml: ~30x faster
    try:
        return _Builder(path, loader).document()
    except MarkedYAMLError as exc:
        raise _marked(exc, text, path) from exc
    except YAMLError as exc:
        raise YamlError(Location(path), _("invalid YAML: {exc}").format(exc=exc)) from exc
    except RecursionError as exc:
        raise YamlError(Location(path), _("invalid YAML: values are nested too deeply")) from exc
    finally:
        loader.dispose()
