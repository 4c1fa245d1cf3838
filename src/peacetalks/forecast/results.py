"""What every actor-based forecasting model returns: rounds of positions and a final forecast.

The types are shared by all models (compromise, expected utility, spatial bargaining, exchange),
so the terminal, ``--json``, the plots and the report read them the same way:

- :class:`Round`: after one round, every actor's position ``(n, d)``, the predicted outcome
  ``(d,)`` under the model's own rule, the pairwise :class:`Interaction` s that produced the
  moves (challenges, offers, bargains, exchanges), any coalitions, and model-specific
  ``extras`` (plain data or arrays);
- :class:`ForecastResult`: the model, the actors and dimensions, round 0 (the input) and the
  rounds that followed, the final forecast, why the run stopped, and optionally the forecast's
  :class:`Spread` under shocks (see :mod:`peacetalks.forecast.shocks`).

>>> import numpy as np
>>> r0 = Round(0, np.array([[0.0], [10.0]]), np.array([5.0]))
>>> result = ForecastResult(
...     model="compromise", actors=("a", "b"), dimensions=("x",), low=np.array([0.0]),
...     high=np.array([10.0]), rounds=(r0,), outcome_rule="weighted mean")
>>> result.outcome.tolist(), result.to_dict()["rounds"][0]["positions"]
([5.0], [[0.0], [10.0]])
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import NDArray

from peacetalks.results import DIGITS

FloatArray = NDArray[np.float64]

__all__ = ["ForecastResult", "Interaction", "Round", "Spread", "blocs", "plain"]

BLOC_TOLERANCE = 0.005
"""Actors within this share of every dimension's scale of each other stand together."""


def blocs(
    actors: tuple[str, ...],
    positions: FloatArray,
    low: FloatArray,
    high: FloatArray,
    tolerance: float = BLOC_TOLERANCE,
) -> tuple[tuple[str, ...], ...]:
    """The coalitions of a round as blocs: groups of two or more actors whose positions lie
    within `tolerance` of the scale of each other on every dimension (linked in chains), largest
    first. Models whose actors adopt each other's positions (the expected utility model's
    capitulations and compromises) form them round by round.

    >>> blocs(("a", "b", "c"), np.array([[1.0], [1.02], [7.0]]), np.array([0.0]), np.array([10.0]))
    (('a', 'b'),)
    """
    span = (np.asarray(high) - np.asarray(low))[None, None, :]
    gap = np.abs(positions[:, None, :] - positions[None, :, :]) / span
    close = (gap <= tolerance).all(axis=2)
    group = np.arange(len(actors))
    for i, j in np.argwhere(np.triu(close, k=1)):
        a, b = group[i], group[j]
        if a != b:
            group[group == b] = a
    found = [np.flatnonzero(group == g) for g in np.unique(group)]
    members = [tuple(actors[k] for k in sorted(ks, key=lambda k: actors[k])) for ks in found]
    return tuple(sorted((m for m in members if len(m) > 1), key=lambda m: (-len(m), m)))


def plain(value: Any) -> Any:
    """Turn arrays, numpy scalars, tuples, mappings and dataclasses into JSON-ready data
    (floats rounded to :data:`peacetalks.results.DIGITS` decimals; NaN/inf become None)."""
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return plain(value.item())
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, float):
        return round(value, DIGITS) + 0.0 if math.isfinite(value) else None
    if isinstance(value, bool | int | str) or value is None:
        return value
    raise TypeError(f"cannot turn {type(value).__name__} into JSON")


def _frozen_array(value: Any, ndim: int) -> FloatArray:
    array = np.array(value, dtype=np.float64)
    if array.ndim != ndim:
        raise ValueError(f"expected a {ndim}-dimensional array, got shape {array.shape}")
    array.setflags(write=False)
    return array


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {f.name: plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]

    def to_json(self, indent: int | None = 2) -> str:
        """The result as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


@dataclass(frozen=True)
class Interaction(_ToDict):
    """One pairwise event of a round, from `actor`'s side towards `other`.

    Attributes:
        actor, other: the two actors' names.
        kind: the model's label, e.g. ``"conflict"``, ``"compromise"``, ``"compel"``,
            ``"capitulate"``, ``"status quo"`` (EUM), ``"challenge"``/``"bargain"`` (SMP),
            ``"exchange"`` (exchange model).
        dimension: the dimension concerned, or None for all of them.
        target: the position (``(d,)`` or one number) that `other` is asked to move to, if any.
        values: model-specific numbers, e.g. ``{"eu_actor": ..., "eu_other": ...}``.
    """

    actor: str
    other: str
    kind: str
    dimension: str | None = None
    target: tuple[float, ...] | None = None
    values: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Round(_ToDict):
    """The state after one round (round 0 is the input).

    Attributes:
        index: 0 for the input state, then 1, 2, ...
        positions: every actor's position, shape ``(n, d)``.
        outcome: the predicted outcome after this round under the model's rule, shape ``(d,)``.
        interactions: the pairwise events that produced this round's moves.
        coalitions: groups of actors acting together this round (may be empty): blocs at
            one position (:func:`blocs`; compromise and expected utility models), actors
            adopting the same bargain (spatial model), exchange partners (exchange model).
        extras: model-specific data (e.g. ``{"mean": [...], "median": [...]}``).
    """

    index: int
    positions: FloatArray
    outcome: FloatArray
    interactions: tuple[Interaction, ...] = ()
    coalitions: tuple[tuple[str, ...], ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "positions", _frozen_array(self.positions, 2))
        object.__setattr__(self, "outcome", _frozen_array(self.outcome, 1))


@dataclass(frozen=True, eq=False)
class Spread(_ToDict):
    """The final forecast under shocks: per dimension, summary statistics over the runs.

    Attributes:
        runs: the number of shocked runs.
        seed: the seed they were derived from.
        position_noise, salience_noise: the shock sizes (fractions of each scale).
        mean, std, q05, q25, q50, q75, q95: shape ``(d,)``.
        outcomes: every run's final forecast, shape ``(runs, d)``.
    """

    runs: int
    seed: int
    position_noise: float
    salience_noise: float
    mean: FloatArray
    std: FloatArray
    q05: FloatArray
    q25: FloatArray
    q50: FloatArray
    q75: FloatArray
    q95: FloatArray
    outcomes: FloatArray

    def to_dict(self) -> dict[str, Any]:
        """Plain data without the per-run outcomes (see :attr:`outcomes`)."""
        data = super().to_dict()
        del data["outcomes"]
        return data


@dataclass(frozen=True, eq=False)
class ForecastResult(_ToDict):
    """A model's run: the rounds and the final forecast.

    Attributes:
        model: ``"compromise"``, ``"eum"``, ``"smp"``, ``"exchange"``, ...
        actors, dimensions: the names, in the order of the arrays' rows and columns.
        low, high: each dimension's scale, shape ``(d,)``.
        rounds: round 0 (the input) and every round played.
        outcome_rule: how a round's outcome is read, e.g. ``"Condorcet median"``.
        forecast: the final forecast, shape ``(d,)``; defaults to the last round's outcome.
        converged: whether the run stopped because positions stopped moving.
        stop_reason: why the run stopped, in words.
        parameters: the model's parameters (Q, rounds, seed, ...).
        notes: caveats and choices worth showing next to the numbers.
        spread: the forecast's spread under shocks, if computed.
    """

    model: str
    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    low: FloatArray
    high: FloatArray
    rounds: tuple[Round, ...]
    outcome_rule: str
    forecast: FloatArray | None = None
    converged: bool = False
    stop_reason: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    spread: Spread | None = None

    def __post_init__(self) -> None:
        if not self.rounds:
            raise ValueError("a forecast needs at least round 0")
        forecast = self.rounds[-1].outcome if self.forecast is None else self.forecast
        object.__setattr__(self, "forecast", _frozen_array(forecast, 1))
        object.__setattr__(self, "low", _frozen_array(self.low, 1))
        object.__setattr__(self, "high", _frozen_array(self.high, 1))

    @property
    def outcome(self) -> FloatArray:
        """The final forecast, shape ``(d,)``."""
        assert self.forecast is not None
        return self.forecast

    @property
    def final_positions(self) -> FloatArray:
        """Every actor's position after the last round, shape ``(n, d)``."""
        return self.rounds[-1].positions

    def path(self) -> FloatArray:
        """Every actor's position by round, shape ``(rounds + 1, n, d)``."""
        return np.stack([r.positions for r in self.rounds])

    def outcomes(self) -> FloatArray:
        """The predicted outcome by round, shape ``(rounds + 1, d)``."""
        return np.stack([r.outcome for r in self.rounds])
