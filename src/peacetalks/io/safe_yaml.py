"""A safe YAML reader that keeps the file position of every value.

It composes the YAML node graph (no object construction at all), refuses tags other than the
standard scalar and collection tags, bounds anchors and aliases (no "billion laughs"), limits file
size and nesting depth, and turns the nodes into plain Python data (dicts, lists, str, int,
float, bool, None) plus a map from each field path to its 1-based (line, column).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peacetalks.errors import Path, Problem, ScenarioError

MAX_BYTES = 5_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64

_STANDARD = "tag:yaml.org,2002:"
_SCALARS = {"str", "int", "float", "bool", "null", "timestamp"}


@dataclass
class Document:
    """Plain data read from YAML, with the position of every path in it."""

    data: Any
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path) -> tuple[int | None, int | None]:
        """(line, column) of a path, or of its nearest ancestor that has a position."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                return self.positions[path[:end]]
        return None, None


def read_yaml(text: str | bytes, file: str | None = None) -> Document:
    """Parse YAML text safely; raises ScenarioError with located problems."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if len(text) > MAX_BYTES:
        _fail(file, None, f"file is {len(text):,} bytes; the limit is {MAX_BYTES:,}")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            _fail(file, None, f"file is not UTF-8 text ({error.reason} at byte {error.start})")
    try:
        root = YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = Problem((), f"not valid YAML: {message}", file=file, line=line, column=column)
        raise ScenarioError([problem]) from None
    except YAMLError as error:
        _fail(file, None, f"not valid YAML: {error}")
    if root is None:
        _fail(
            file, None, "the file is empty", "a scenario is a YAML mapping with 'id', 'title', ..."
        )
    builder = _Builder(file)
    data = builder.build(root, (), 0)
    return Document(data, builder.positions)


def _fail(file: str | None, node: Any, message: str, hint: str | None = None) -> None:
    line = column = None
    if node is not None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
    raise ScenarioError([Problem((), message, hint, file, line, column)])


class _Builder:
    def __init__(self, file: str | None) -> None:
        self.file = file
        self.positions: dict[Path, tuple[int, int]] = {}
        self.nodes = 0

    def build(self, node: Any, path: Path, depth: int) -> Any:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        self.nodes += 1
        if self.nodes > MAX_NODES:
            _fail(self.file, node, f"more than {MAX_NODES:,} values (are aliases expanding?)")
        if depth > MAX_DEPTH:
            _fail(self.file, node, f"nesting deeper than {MAX_DEPTH} levels")
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        tag = str(node.tag)
        if isinstance(node, MappingNode):
            self._check_tag(node, tag, "map")
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            self._check_tag(node, tag, "seq")
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        self._check_tag(node, tag, "scalar")
        return _scalar(tag.removeprefix(_STANDARD), node.value)

    def _check_tag(self, node: Any, tag: str, expected: str) -> None:
        name = tag.removeprefix(_STANDARD) if tag.startswith(_STANDARD) else None
        allowed = _SCALARS if expected == "scalar" else {expected}
        if name not in allowed:
            hint = "merge keys ('<<') are not supported" if name == "merge" else None
            _fail(self.file, node, f"YAML tag {tag!r} is not allowed in a scenario file", hint)

    def _mapping(self, node: Any, path: Path, depth: int) -> dict[str, Any]:
        from ruamel.yaml.nodes import ScalarNode

        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                _fail(self.file, key_node, "a mapping key must be a plain name, not a collection")
            key = _scalar(str(key_node.tag).removeprefix(_STANDARD), key_node.value)
            key = key if isinstance(key, str) else str(key_node.value)
            if key in out:
                first = self.positions[path + (key,)][0]
                _fail(self.file, key_node, f"duplicate key {key!r} (first on line {first})")
            self.positions[path + (key,)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out


def _scalar(kind: str, text: str) -> Any:
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        digits = text.replace("_", "")
        try:
            return int(digits, 0)
        except ValueError:
            return int(digits, 10)
    if kind == "float":
        lowered = text.lower().replace("_", "")
        if lowered.endswith((".inf", ".nan")):
            return float(lowered.replace(".", ""))
        return float(lowered)
    return text
