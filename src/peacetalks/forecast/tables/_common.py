"""What the CSV and YAML readers share: the salience scales and building the actor table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peacetalks.errors import ScenarioError, UsageError
from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.tables._errors import _Cell, _Problems

SALIENCE_SCALES = ("auto", "unit", "percent")


def _salience_divisor(cells: list[_Cell], salience_scale: str, problems: _Problems) -> float:
    """1 for saliences in [0, 1], 100 for percentages (see :mod:`peacetalks.forecast.tables`)."""
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
