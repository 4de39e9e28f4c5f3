"""Read YAML into a small tree whose every value knows its file, line and column.

PyYAML's composer (libyaml, in C) gives positioned nodes; we convert them into ``YNode`` so
the schema can name the exact place of a mistake. Scalars stay strings (with YAML's resolved
tag) and the schema interprets them itself, so ``2026-02-30`` is a located error instead of a
traceback.
Aliases are followed with a budget, which defeats "billion laughs" documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scheduler.problems import Location

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 64

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"


class YamlError(Exception):
    """The text is not a YAML document jadwal can read; ``where`` says where it broke."""

    def __init__(self, where: Location, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


@dataclass
class YNode:
    loc: Location
    tag: str
    scalar: str | None = None
    items: list[YNode] | None = None
    mapping: dict[str, YNode] | None = None
    key_locs: dict[str, Location] = field(default_factory=dict)
    quoted: bool = False

    @property
    def kind(self) -> str:
        if self.mapping is not None:
            return "mapping"
        if self.items is not None:
            return "list"
        return "null" if self.is_null else "scalar"

    @property
    def is_null(self) -> bool:
        return self.scalar is not None and self.tag == NULL_TAG

    def describe(self) -> str:
        """How a value looks to a person, for "expected X, got Y" messages."""
        if self.mapping is not None:
            return "a mapping"
        if self.items is not None:
            return "a list"
        if self.is_null:
            return "nothing"
        text = self.scalar or ""
        return repr(text if len(text) <= 40 else text[:37] + "...")

    def key_loc(self, key: str) -> Location:
        return self.key_locs.get(key, self.loc)


def _expanded_size(node: Any, memo: dict[int, int]) -> int:
    """How many values the document holds once aliases are followed, without following them."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a recursive alias counts once instead of looping
    children = node.value if isinstance(node.value, list) else []
    size = 1
    for child in children:
        pair = child if isinstance(child, tuple) else (child,)
        size += sum(_expanded_size(n, memo) for n in pair)
        size = min(size, MAX_NODES + 1)
    memo[id(node)] = size
    return size


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.memo: dict[int, YNode] = {}

    def loc(self, node: Any) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def build(self, node: Any, depth: int = 0) -> YNode:
        # An alias is the same node object: build it once and share the result.
        built = self.memo.get(id(node))
        if built is None:
            built = self.memo[id(node)] = self._build(node, depth)
        return built

    def _build(self, node: Any, depth: int) -> YNode:
        where = self.loc(node)
        if depth > MAX_DEPTH:
            raise YamlError(where, f"values are nested more than {MAX_DEPTH} levels deep")
        tag = str(node.tag)
        kind = type(node).__name__
        if kind == "ScalarNode":
            style = getattr(node, "style", None)
            if style in ("|", ">"):
                # A block scalar's text starts on the line after its indicator: point there,
                # so that line N of a caption template is line N below it.
                where = Location(self.path, where.line + 1, 1)
            return YNode(where, tag, scalar=str(node.value), quoted=style in ("'", '"'))
        if kind == "SequenceNode":
            return YNode(where, tag, items=[self.build(n, depth + 1) for n in node.value])
        return self.build_mapping(node, where, tag, depth)

    def build_mapping(self, node: Any, where: Location, tag: str, depth: int) -> YNode:
        out = YNode(where, tag, mapping={})
        assert out.mapping is not None
        merged: list[YNode] = []
        for key_node, value_node in node.value:
            key_loc = self.loc(key_node)
            if str(key_node.tag) == MERGE_TAG:
                merged.append(self.build(value_node, depth + 1))
                continue
            if type(key_node).__name__ != "ScalarNode":
                raise YamlError(key_loc, "a key must be a plain word, not a list or mapping")
            key = str(key_node.value)
            if key in out.mapping:
                first = out.key_locs[key]
                raise YamlError(key_loc, f"duplicate key '{key}' (first at line {first.line})")
            out.mapping[key] = self.build(value_node, depth + 1)
            out.key_locs[key] = key_loc
        for source in merged:  # YAML merge keys: explicit keys win over merged ones
            for piece in source.items if source.items is not None else [source]:
                for key, value in (piece.mapping or {}).items():
                    if key not in out.mapping:
                        out.mapping[key] = value
                        out.key_locs[key] = piece.key_loc(key)
        return out


def parse_yaml(text: str, path: str) -> YNode | None:
    """Parse one YAML document; ``None`` for an empty one. Raises ``YamlError``."""
    import yaml
    from yaml import MarkedYAMLError, YAMLError

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~30x faster
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlError(Location(path), f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        node = yaml.compose(text, Loader=loader)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise YamlError(where, f"invalid YAML: {problem}") from exc
    except YAMLError as exc:
        raise YamlError(Location(path), f"invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise YamlError(Location(path), "invalid YAML: values are nested too deeply") from exc
    if node is None:
        return None
    if _expanded_size(node, {}) > MAX_NODES:
        where = Location(path, node.start_mark.line + 1, node.start_mark.column + 1)
        raise YamlError(where, "the document expands to too many values (nested aliases?)")
    return _Builder(path).build(node)
