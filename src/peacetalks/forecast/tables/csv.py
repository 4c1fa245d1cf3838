"""Actor tables from CSV, in long form (one row per actor and issue) or wide form (one row per
actor); see :mod:`peacetalks.forecast.tables`."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from peacetalks.errors import Path
from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.tables._common import _check_salience_scale, _salience_divisor, _table
from peacetalks.forecast.tables._errors import _Cell, _Problems


def parse_csv(
    text: str,
    file: str | None = None,
    salience_scale: str = "auto",
    scale: tuple[float, float] | None = None,
) -> ActorTable:
    """An actor table from CSV text in long or wide form (see :mod:`peacetalks.forecast.tables`)."""
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
