"""Load actor tables from CSV (long or wide form) and YAML, with located, helpful errors.

**CSV, long form** (one row per actor and issue; recognised by an ``issue`` or ``dimension``
column)::

    actor,issue,position,salience,power
    USA,finance,40,0.65,1.0

``power`` or ``capability`` is the actor's capability; it must be the same on all of an actor's
rows. An actor missing from an issue gets salience 0 there (it casts no vote) and the middle of
the scale as position.

**CSV, wide form** (one row per actor)::

    actor,position,capability,salience                 # one dimension, named "issue"
    actor,capability,position:territory,salience:territory,position:nato,salience:nato

Optional columns: ``source`` and ``rationale`` (kept as the actor's notes).

**YAML**::

    dimensions:
      - {id: territory, low: 0, high: 100, low_means: ..., high_means: ...}
    actors:
      - name: Russia
        capability: 0.3
        source: ...            # a source or a rationale is required for every actor
        positions: {territory: 100}
        saliences: {territory: 1.0}

**Scales.** The CSV scale of each dimension is the span of its positions (as in Scholz et al.,
``R = x_max - x_min``) unless `scale` is given; YAML states ``low``/``high`` per dimension.

**Saliences given as 0-100 are detected**, not rejected: if every salience of a file lies in
``[0, 100]`` and one exceeds 1, all are read as percentages and divided by 100 (pass
``salience_scale="unit"`` to reject such files instead, or ``"percent"`` to force the
conversion, e.g. for a percent file whose values happen all to be 0 or 1). Negative saliences,
and saliences above 100, are errors.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path as FilePath
from typing import Any

import numpy as np

from peacetalks.errors import Path, Problem, ScenarioError, UsageError
from peacetalks.forecast.actors import ActorTable
from peacetalks.io.safe_yaml import Document, read_yaml

__all__ = [
    "dataset_names",
    "load_dataset",
    "load_table",
    "parse_csv",
    "parse_yaml",
    "resolve_table",
]

SALIENCE_SCALES = ("auto", "unit", "percent")
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


@dataclass
class _Cell:
    """A number read from a file, with where it came from."""

    value: float
    path: Path
    line: int | None
    column: int | None = None


class _Problems:
    """Collects located problems for one file."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, path: Path, message: str, line: int | None, column: int | None = None) -> None:
        self.items.append(Problem(path, message, file=self.file, line=line, column=column))

    def raise_any(self) -> None:
        if self.items:
            raise ScenarioError(sorted(self.items, key=lambda p: (p.line or 0, p.column or 0)))


def load_table(
    path: str | FilePath,
    salience_scale: str = "auto",
    scale: tuple[float, float] | None = None,
) -> ActorTable:
    """Load an actor table from a ``.csv`` or ``.yaml``/``.yml`` file."""
    path = FilePath(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise UsageError(f"cannot read an actor table from {path.name!r}; expected .csv or .yaml")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {str(path)!r}: {error.strerror}") from None
    if suffix in (".yaml", ".yml"):
        return parse_yaml(raw, file=str(path), salience_scale=salience_scale)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = Problem((), f"file is not UTF-8 text ({error.reason})", file=str(path))
        raise ScenarioError([problem]) from None
    return parse_csv(text, file=str(path), salience_scale=salience_scale, scale=scale)


def dataset_names() -> tuple[str, ...]:
    """The shipped datasets (see ``forecast/data/README.md``), without their suffix."""
    folder = resources.files("peacetalks.forecast") / "data"
    names = (entry.name for entry in folder.iterdir())
    return tuple(sorted(n.rsplit(".", 1)[0] for n in names if n.endswith((".csv", ".yaml"))))


def load_dataset(name: str, salience_scale: str = "auto") -> ActorTable:
    """A shipped dataset by name, e.g. ``"bdm1994_eu_car_emissions"``.

    >>> load_dataset("bdm1994_eu_car_emissions").actors[:3]
    ('Netherlands', 'Belgium', 'Luxembourg')
    """
    from peacetalks.errors import did_you_mean

    folder = resources.files("peacetalks.forecast") / "data"
    for suffix in (".csv", ".yaml"):
        entry = folder / f"{name}{suffix}"
        if entry.is_file():
            text = entry.read_text(encoding="utf-8")
            file = f"<dataset {name}>"
            if suffix == ".csv":
                return parse_csv(text, file=file, salience_scale=salience_scale)
            return parse_yaml(text, file=file, salience_scale=salience_scale)
    raise UsageError(f"no dataset {name!r}; {did_you_mean(name, dataset_names())}")


FLAGSHIP_TABLE = "russia_ukraine_flagship_actors"
"""The shipped actor table of the flagship scenario."""


def resolve_table(source: str | None) -> ActorTable:
    """An actor table from what a user typed: None or the flagship scenario id (its shipped
    actor table), a ``.csv``/``.yaml`` file, or a shipped dataset name."""
    from peacetalks.scenarios import FLAGSHIP, builtin_ids

    if source is None or source == FLAGSHIP:
        return load_dataset(FLAGSHIP_TABLE)
    path = FilePath(source)
    if path.suffix.lower() in (".csv", ".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise UsageError(f"no actor table at {source!r}")
        return load_table(path)
    if source in builtin_ids():
        raise UsageError(
            f"scenario {source!r} has no actor table yet; give a .csv or .yaml actor table "
            f"(the flagship {FLAGSHIP!r} has one)"
        )
    return load_dataset(source)


# CSV


def parse_csv(
    text: str,
    file: str | None = None,
    salience_scale: str = "auto",
    scale: tuple[float, float] | None = None,
) -> ActorTable:
    """An actor table from CSV text in long or wide form (see the module notes)."""
    _check_salience_scale(salience_scale)
    problems = _Problems(file)
    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader, [])]
    if not any(header):
        problems.add((), "the file is empty; expected a header row: actor,position,...", 1)
        problems.raise_any()
    rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        problems.add((), "no actors: the header is not followed by any row", 2)
        problems.raise_any()
    long = "issue" in header or "dimension" in header
    builder = _long if long else _wide
    return builder(header, rows, problems, salience_scale, scale)


def _columns(
    header: list[str], required: Sequence[str], problems: _Problems
) -> dict[str, int] | None:
    index = {name: k for k, name in enumerate(header)}
    if "capability" not in index and "power" in index:
        index["capability"] = index["power"]
    missing = [name for name in required if name not in index]
    if missing:
        problems.add(
            (),
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the header "
            f"is {','.join(header)!r}",
            1,
        )
        return None
    return index


def _cell(
    row: list[str], column: int, name: str, line: int, problems: _Problems, actor: str
) -> _Cell | None:
    path: Path = (actor, name) if actor else (name,)
    if column >= len(row) or not row[column].strip():
        problems.add(path, f"missing {name}; expected a number", line, column + 1)
        return None
    raw = row[column].strip()
    try:
        value = float(raw)
    except ValueError:
        problems.add(path, f"{raw!r} is not a number; expected the {name}", line, column + 1)
        return None
    if not math.isfinite(value):
        problems.add(path, f"{raw!r} is not a finite number; expected the {name}", line, column + 1)
        return None
    return _Cell(value, path, line, column + 1)


def _actor_name(row: list[str], index: dict[str, int], line: int, problems: _Problems) -> str:
    column = index["actor"]
    name = row[column].strip() if column < len(row) else ""
    if not name:
        problems.add(("actor",), "missing actor name", line, column + 1)
    return name


def _wide(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    problems: _Problems,
    salience_scale: str,
    scale: tuple[float, float] | None,
) -> ActorTable:
    dims = [name.split(":", 1)[1] for name in header if name.startswith("position:")]
    single = not dims
    dims = dims or ["issue"]
    pos_cols = ["position"] if single else [f"position:{d}" for d in dims]
    sal_cols = ["salience"] if single else [f"salience:{d}" for d in dims]
    index = _columns(header, ["actor", "capability", *pos_cols, *sal_cols], problems)
    problems.raise_any()
    assert index is not None
    names: list[str] = []
    cap: list[_Cell | None] = []
    pos: list[list[_Cell | None]] = []
    sal: list[list[_Cell | None]] = []
    notes: list[str] = []
    for line, row in rows:
        actor = _actor_name(row, index, line, problems)
        _check_duplicate(actor, names, line, problems)
        names.append(actor)
        cap.append(_cell(row, index["capability"], "capability", line, problems, actor))
        pos.append([_cell(row, index[c], c, line, problems, actor) for c in pos_cols])
        sal.append([_cell(row, index[c], c, line, problems, actor) for c in sal_cols])
        notes.append(_notes(row, index))
    problems.raise_any()
    return _assemble(names, dims, cap, pos, sal, notes, problems, salience_scale, scale)


def _long(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    problems: _Problems,
    salience_scale: str,
    scale: tuple[float, float] | None,
) -> ActorTable:
    issue = "issue" if "issue" in header else "dimension"
    index = _columns(header, ["actor", issue, "position", "salience", "capability"], problems)
    problems.raise_any()
    assert index is not None
    names: list[str] = []
    dims: list[str] = []
    entries: dict[tuple[str, str], tuple[_Cell | None, _Cell | None]] = {}
    cap: dict[str, _Cell | None] = {}
    notes: dict[str, str] = {}
    for line, row in rows:
        actor = _actor_name(row, index, line, problems)
        dim = row[index[issue]].strip() if index[issue] < len(row) else ""
        if not dim:
            problems.add((actor, issue), f"missing {issue} name", line, index[issue] + 1)
            continue
        if (actor, dim) in entries:
            problems.add((actor, dim), f"{actor!r} appears twice on {issue} {dim!r}", line)
        names += [actor] if actor not in names else []
        dims += [dim] if dim not in dims else []
        entries[(actor, dim)] = (
            _cell(row, index["position"], "position", line, problems, actor),
            _cell(row, index["salience"], "salience", line, problems, actor),
        )
        capability = _cell(row, index["capability"], "capability", line, problems, actor)
        _check_same_capability(actor, capability, cap, problems)
        notes[actor] = notes.get(actor) or _notes(row, index)
    problems.raise_any()
    pos = [[entries.get((a, d), (None, None))[0] for d in dims] for a in names]
    sal = [[entries.get((a, d), (None, None))[1] for d in dims] for a in names]
    caps = [cap[a] for a in names]
    return _assemble(
        names, dims, caps, pos, sal, [notes[a] for a in names], problems, salience_scale, scale
    )


def _check_duplicate(actor: str, names: list[str], line: int, problems: _Problems) -> None:
    if actor and actor in names:
        problems.add((actor,), f"actor {actor!r} appears twice; expected one row per actor", line)


def _check_same_capability(
    actor: str, cell: _Cell | None, seen: dict[str, _Cell | None], problems: _Problems
) -> None:
    first = seen.setdefault(actor, cell)
    if first is not None and cell is not None and cell.value != first.value:
        problems.add(
            cell.path,
            f"{actor!r} has capability {cell.value:g} here but {first.value:g} on line "
            f"{first.line}; expected one capability per actor",
            cell.line,
            cell.column,
        )


def _notes(row: list[str], index: dict[str, int]) -> str:
    parts = [row[index[k]].strip() for k in ("source", "rationale") if k in index]
    return "; ".join(part for part in parts if part and index)


def _assemble(
    names: list[str],
    dims: list[str],
    cap: Sequence[_Cell | None],
    pos: list[list[_Cell | None]],
    sal: list[list[_Cell | None]],
    notes: list[str],
    problems: _Problems,
    salience_scale: str,
    scale: tuple[float, float] | None,
) -> ActorTable:
    for cell in cap:
        if cell is not None and cell.value < 0:
            problems.add(
                cell.path, f"capability {cell.value:g} is negative", cell.line, cell.column
            )
    divisor = _salience_divisor(
        [c for row in sal for c in row if c is not None], salience_scale, problems
    )
    problems.raise_any()
    position = np.array([[np.nan if c is None else c.value for c in row] for row in pos])
    salience = np.array([[0.0 if c is None else c.value / divisor for c in row] for row in sal])
    low, high = _scales(position, scale)
    position = np.where(np.isnan(position), (low + high) / 2, position)
    capability = np.array([0.0 if c is None else c.value for c in cap])
    return _table(names, dims, capability, position, salience, low, high, notes, problems.file)


def _scales(position: np.ndarray, scale: tuple[float, float] | None) -> tuple[Any, Any]:
    d = position.shape[1]
    if scale is not None:
        return np.full(d, float(scale[0])), np.full(d, float(scale[1]))
    low, high = np.nanmin(position, axis=0), np.nanmax(position, axis=0)
    return low, np.where(high > low, high, low + 1.0)


def _salience_divisor(cells: list[_Cell], salience_scale: str, problems: _Problems) -> float:
    """1 for saliences in [0, 1], 100 for percentages (see the module notes)."""
    for cell in cells:
        if cell.value < 0:
            problems.add(cell.path, f"salience {cell.value:g} is negative", cell.line, cell.column)
    top = max((cell for cell in cells), key=lambda cell: cell.value, default=None)
    if top is None or top.value <= 1:
        return 100.0 if salience_scale == "percent" else 1.0
    if salience_scale == "unit" or top.value > 100:
        expected = "[0, 1]" if salience_scale == "unit" else "[0, 1] (or 0-100 for the whole file)"
        problems.add(
            top.path,
            f"salience {top.value:g} is out of range; expected a number in {expected}",
            top.line,
            top.column,
        )
    return 100.0


def _table(
    names: Sequence[str],
    dims: Sequence[str],
    capability: Any,
    position: Any,
    salience: Any,
    low: Any,
    high: Any,
    notes: Sequence[str],
    file: str | None,
) -> ActorTable:
    try:
        return ActorTable(
            actors=tuple(names),
            dimensions=tuple(dims),
            capability=capability,
            position=position,
            salience=salience,
            low=low,
            high=high,
            notes=tuple(notes) if any(notes) else (),
        )
    except ScenarioError as error:
        raise ScenarioError([p.located(file, p.line, p.column) for p in error.problems]) from None


def _check_salience_scale(salience_scale: str) -> None:
    if salience_scale not in SALIENCE_SCALES:
        raise UsageError(f"salience_scale must be one of {', '.join(SALIENCE_SCALES)}")


# YAML


def parse_yaml(
    text: str | bytes, file: str | None = None, salience_scale: str = "auto"
) -> ActorTable:
    """An actor table from YAML text (see the module notes)."""
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
