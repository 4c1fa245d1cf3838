"""Stakeholders: the actor table a scenario may carry for the forecasting models.

Actor-based models (:mod:`peacetalks.forecast`) see a negotiation as stakeholders on issue
scales, each with a capability (clout over the outcome) and, per dimension, a position and a
salience. The stakeholders may go beyond the signatories (for the flagship: China, Turkey,
Poland, ...). Every stakeholder cites a source or gives a rationale, like every number in a
scenario.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from peacetalks.errors import Path, Problem, did_you_mean
from peacetalks.model.base import Cited, Frozen, Slug
from peacetalks.model.numbers import Finite


class Dimension(Cited):
    """An issue scale of the actor-based models."""

    id: Slug
    low: Finite = Field(description="one end of the scale")
    high: Finite = Field(description="the other end (above low)")
    low_means: str | None = Field(default=None, description="what a position at `low` means")
    high_means: str | None = Field(default=None, description="what a position at `high` means")


class Stakeholder(Cited):
    """One actor: capability, and per dimension a position and a salience."""

    name: str = Field(min_length=1)
    capability: Finite = Field(ge=0, description="clout over the outcome (any non-negative unit)")
    positions: dict[Slug, Finite] = Field(description="dimension id -> position on its scale")
    saliences: dict[Slug, Finite] = Field(description="dimension id -> salience in [0, 1]")


class Stakeholders(Frozen):
    """The actor table of a scenario."""

    description: str | None = None
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    actors: tuple[Stakeholder, ...] = Field(min_length=1)


def check_stakeholders(block: Stakeholders) -> Iterator[Problem]:
    """Every problem with a scenario's stakeholders, located under ``stakeholders``."""
    root: Path = ("stakeholders",)
    scales = {d.id: (d.low, d.high) for d in block.dimensions}
    seen: set[str] = set()
    for index, dimension in enumerate(block.dimensions):
        where = root + ("dimensions", index)
        if dimension.id in seen:
            yield Problem(where + ("id",), f"duplicate dimension {dimension.id!r}")
        seen.add(dimension.id)
        if not dimension.low < dimension.high:
            yield Problem(where, f"expected low < high, got {dimension.low:g}, {dimension.high:g}")
    names: set[str] = set()
    for index, actor in enumerate(block.actors):
        where = root + ("actors", index)
        if actor.name in names:
            yield Problem(where + ("name",), f"duplicate actor {actor.name!r}")
        names.add(actor.name)
        if not actor.source_ids and not actor.rationale:
            yield Problem(where, "cite a source or give a rationale for this actor's numbers")
        yield from _per_dimension(actor.positions, scales, where + ("positions",), "position")
        unit = dict.fromkeys(scales, (0.0, 1.0))
        yield from _per_dimension(actor.saliences, unit, where + ("saliences",), "salience")


def _per_dimension(
    values: dict[str, float], scales: dict[str, tuple[float, float]], path: Path, what: str
) -> Iterator[Problem]:
    for dimension, value in values.items():
        if dimension not in scales:
            hint = did_you_mean(dimension, scales)
            yield Problem(path + (dimension,), f"unknown dimension {dimension!r}", hint)
            continue
        low, high = scales[dimension]
        if not low <= value <= high:
            yield Problem(path + (dimension,), f"{what} {value:g} is outside [{low:g}, {high:g}]")
    for dimension in scales:
        if dimension not in values:
            yield Problem(path, f"no {what} given for dimension {dimension!r}")
