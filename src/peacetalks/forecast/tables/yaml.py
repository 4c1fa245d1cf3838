"""Actor tables from YAML (dimensions with their scales, and actors); see
:mod:`peacetalks.forecast.tables`."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from peacetalks.errors import Path
from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.tables._common import _check_salience_scale, _salience_divisor, _table
from peacetalks.forecast.tables._errors import _Cell, _Problems
from peacetalks.io.safe_yaml import Document, read_yaml

_ACTOR_KEYS = (
    "name",
    "capability",
    "positions",
    "saliences",
    "source",
    "rationale",
    "sources",
    "label",
)


def parse_yaml(
    text: str | bytes, file: str | None = None, salience_scale: str = "auto"
) -> ActorTable:
    """An actor table from YAML text (see :mod:`peacetalks.forecast.tables`)."""
    _check_salience_scale(salience_scale)
    document = read_yaml(text, file)
    problems = _Problems(file)
    data = document.data
    if not isinstance(data, dict) or "actors" not in data or "dimensions" not in data:
        problems.add((), "expected a mapping with 'dimensions' and 'actors'", 1)
        problems.raise_any()
    reader = _YamlReader(document, problems)
    dims, low, high = reader.dimensions(data["dimensions"])
    problems.raise_any()
    names, cap, pos, sal, notes = reader.actors(data["actors"], dims)
    problems.raise_any()
    for k, dim in enumerate(dims):
        for row in pos:
            cell = row[k]
            if cell is not None and not low[k] <= cell.value <= high[k]:
                problems.add(
                    cell.path,
                    f"position {cell.value:g} is outside the scale of {dim!r}, "
                    f"[{low[k]:g}, {high[k]:g}]",
                    cell.line,
                    cell.column,
                )
    divisor = _salience_divisor(
        [c for row in sal for c in row if c is not None], salience_scale, problems
    )
    problems.raise_any()
    position = np.array(
        [
            [(low[k] + high[k]) / 2 if c is None else c.value for k, c in enumerate(row)]
            for row in pos
        ]
    )
    salience = np.array([[0.0 if c is None else c.value / divisor for c in row] for row in sal])
    capability = np.array([0.0 if c is None else c.value for c in cap])
    return _table(
        names, dims, capability, position, salience, np.array(low), np.array(high), notes, file
    )


class _YamlReader:
    def __init__(self, document: Document, problems: _Problems) -> None:
        self.document = document
        self.problems = problems

    def fail(self, path: Path, message: str) -> None:
        line, column = self.document.position(path)
        self.problems.add(path, message, line, column)

    def number(self, value: Any, path: Path, what: str) -> _Cell | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.fail(path, f"{value!r} is not a number; expected {what}")
            return None
        line, column = self.document.position(path)
        return _Cell(float(value), path, line, column)

    def dimensions(self, raw: Any) -> tuple[list[str], list[float], list[float]]:
        dims: list[str] = []
        low: list[float] = []
        high: list[float] = []
        if not isinstance(raw, list) or not raw:
            self.fail(
                ("dimensions",), "expected a list of dimensions ({id: ..., low: ..., high: ...})"
            )
            return dims, low, high
        for k, item in enumerate(raw):
            path: Path = ("dimensions", k)
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                self.fail(path, "expected a mapping with an 'id' (and 'low', 'high')")
                continue
            ends = [
                self.number(item.get(end), (*path, end), f"the scale's {end} end")
                for end in ("low", "high")
            ]
            if ends[0] is None or ends[1] is None:
                continue
            if ends[0].value >= ends[1].value:
                self.fail(path, f"low {ends[0].value:g} must be below high {ends[1].value:g}")
            dims.append(item["id"])
            low.append(ends[0].value)
            high.append(ends[1].value)
        return dims, low, high

    def actors(
        self, raw: Any, dims: list[str]
    ) -> tuple[
        list[str], list[_Cell | None], list[list[_Cell | None]], list[list[_Cell | None]], list[str]
    ]:
        names: list[str] = []
        cap: list[_Cell | None] = []
        pos: list[list[_Cell | None]] = []
        sal: list[list[_Cell | None]] = []
        notes: list[str] = []
        if not isinstance(raw, list) or not raw:
            self.fail(("actors",), "expected a list of actors (name, capability, positions, ...)")
            return names, cap, pos, sal, notes
        for k, item in enumerate(raw):
            path: Path = ("actors", k)
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                self.fail(path, "expected a mapping with a 'name'")
                continue
            if item["name"] in names:
                self.fail((*path, "name"), f"actor {item['name']!r} appears twice")
            names.append(item["name"])
            cap.append(self.number(item.get("capability"), (*path, "capability"), "the capability"))
            pos.append(self.per_dimension(item, path, "positions", dims))
            sal.append(self.per_dimension(item, path, "saliences", dims))
            notes.append(self.sourced(item, path))
            self.check_keys(item, path)
            self.check_pairs(pos[-1], sal[-1], path, dims)
        return names, cap, pos, sal, notes

    def check_keys(self, item: dict[str, Any], path: Path) -> None:
        from peacetalks.errors import did_you_mean

        for key in item:
            if key not in _ACTOR_KEYS:
                hint = did_you_mean(str(key), _ACTOR_KEYS)
                self.fail((*path, key), f"unknown field {key!r}; {hint}")

    def check_pairs(
        self, pos: list[_Cell | None], sal: list[_Cell | None], path: Path, dims: list[str]
    ) -> None:
        for dim, p, s in zip(dims, pos, sal, strict=True):
            if (p is None) != (s is None):
                given, missing = ("position", "salience") if s is None else ("salience", "position")
                self.fail(
                    (*path, f"{missing}s"),
                    f"a {given} on {dim!r} but no {missing}; give both or neither "
                    "(neither: the actor does not care about the dimension)",
                )

    def per_dimension(
        self, item: dict[str, Any], path: Path, key: str, dims: list[str]
    ) -> list[_Cell | None]:
        values = item.get(key)
        if not isinstance(values, dict):
            self.fail((*path, key), f"expected a mapping of dimension to number under {key!r}")
            return [None] * len(dims)
        for name in values:
            if name not in dims:
                from peacetalks.errors import did_you_mean

                hint = did_you_mean(str(name), dims)
                self.fail((*path, key, name), f"unknown dimension {name!r}; {hint}")
        what = "a position on the scale" if key == "positions" else "a salience"
        return [
            self.number(values[d], (*path, key, d), what) if d in values else None for d in dims
        ]

    def sourced(self, item: dict[str, Any], path: Path) -> str:
        parts = [str(item[k]) for k in ("source", "rationale") if item.get(k)]
        if not parts:
            self.fail(path, f"actor {item['name']!r} needs a 'source' or a 'rationale'")
        return "; ".join(parts)
