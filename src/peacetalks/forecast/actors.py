"""Actor tables: the input of every actor-based forecasting model.

An actor table lists stakeholders (not only the signatories) with a capability (clout) and, per
issue dimension, a position on the dimension's scale and a salience (how much the actor cares).
The models in :mod:`peacetalks.forecast` read nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from peacetalks.errors import Problem, ScenarioError, UsageError

if TYPE_CHECKING:
    from peacetalks.model.scenario import Scenario
    from peacetalks.model.stakeholders import Stakeholder

FloatArray = NDArray[np.float64]


def _invalid(message: str) -> ScenarioError:
    return ScenarioError([Problem(("actors",), message)])


@dataclass(frozen=True, eq=False)
class ActorTable:
    """Actors with capability, and per dimension a position and a salience.

    Attributes:
        actors: actor names, one per row.
        dimensions: issue-dimension names, one per column.
        capability: shape ``(n,)``, non-negative.
        position: shape ``(n, d)``, on each dimension's scale.
        salience: shape ``(n, d)``, in ``[0, 1]``.
        low, high: shape ``(d,)``, each dimension's scale ends (``low < high``).
        notes: per actor, the source or rationale of its numbers (may be empty).
    """

    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    capability: FloatArray
    position: FloatArray
    salience: FloatArray
    low: FloatArray
    high: FloatArray
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        n, d = len(self.actors), len(self.dimensions)
        if n == 0 or d == 0:
            raise _invalid("an actor table needs at least one actor and one dimension")
        if len(set(self.actors)) != n:
            raise _invalid("actor names must be unique")
        expected = {
            "capability": (n,),
            "position": (n, d),
            "salience": (n, d),
            "low": (d,),
            "high": (d,),
        }
        for name, shape in expected.items():
            value = np.asarray(getattr(self, name), dtype=np.float64)
            if value.shape != shape:
                raise _invalid(f"{name} has shape {value.shape}, expected {shape}")
            if not np.all(np.isfinite(value)):
                raise _invalid(f"{name} holds a missing or infinite number")
            value.setflags(write=False)
            object.__setattr__(self, name, value)
        if np.any(self.capability < 0):
            raise _invalid("capabilities must be non-negative")
        if np.any((self.salience < 0) | (self.salience > 1)):
            raise _invalid("saliences must lie in [0, 1]")
        if np.any(self.low >= self.high):
            raise _invalid("each dimension's scale needs low < high")
        if self.notes and len(self.notes) != n:
            raise _invalid("notes must be given for every actor or none")

    @classmethod
    def one_dimension(
        cls,
        actors: Sequence[str],
        position: Sequence[float],
        capability: Sequence[float],
        salience: Sequence[float],
        dimension: str = "issue",
        scale: tuple[float, float] | None = None,
    ) -> ActorTable:
        """A single-issue table; the scale defaults to the span of the positions."""
        x = np.asarray(position, dtype=np.float64).reshape(-1, 1)
        low, high = scale if scale is not None else (float(x.min()), float(x.max()))
        if low == high:
            high = low + 1.0
        return cls(
            actors=tuple(actors),
            dimensions=(dimension,),
            capability=np.asarray(capability, dtype=np.float64),
            position=x,
            salience=np.asarray(salience, dtype=np.float64).reshape(-1, 1),
            low=np.array([low]),
            high=np.array([high]),
        )

    @property
    def size(self) -> int:
        """The number of actors."""
        return len(self.actors)

    def with_numbers(
        self, position: FloatArray | None = None, salience: FloatArray | None = None
    ) -> ActorTable:
        """The same actors with new positions and/or saliences (a next round, a shock)."""
        return replace(
            self,
            position=self.position if position is None else position,
            salience=self.salience if salience is None else salience,
        )


def from_scenario(scenario: Scenario) -> ActorTable:
    """The actor table a scenario carries (its ``stakeholders`` block).

    >>> import peacetalks
    >>> table = from_scenario(peacetalks.load("russia-ukraine-2025"))
    >>> table.size, table.dimensions
    (12, ('territory', 'security', 'sanctions'))
    """
    block = scenario.stakeholders
    if block is None:
        raise UsageError(
            f"scenario {scenario.id!r} has no stakeholders block (an actor table); add one "
            "(see docs/reference/scenario-format.md) or give a .csv or .yaml actor table"
        )
    dimensions = tuple(d.id for d in block.dimensions)
    actors = block.actors
    return ActorTable(
        actors=tuple(a.name for a in actors),
        dimensions=dimensions,
        capability=np.array([a.capability for a in actors], dtype=np.float64),
        position=np.array([[a.positions[d] for d in dimensions] for a in actors]),
        salience=np.array([[a.saliences[d] for d in dimensions] for a in actors]),
        low=np.array([d.low for d in block.dimensions], dtype=np.float64),
        high=np.array([d.high for d in block.dimensions], dtype=np.float64),
        notes=tuple(_note(a) for a in actors),
    )


def _note(actor: Stakeholder) -> str:
    cited = ", ".join(actor.source_ids)
    return "; ".join(part for part in (cited, actor.rationale or "") if part)
