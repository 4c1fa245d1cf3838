"""The compromise model (capability × salience weighted mean) and the weighted median.

For each dimension ``d``, with weights ``w_id = c_i s_id`` (capability times salience):

- compromise model (Stokman's "NBS approximation", the "mean voter"):
  ``O_d = sum_i w_id x_id / sum_i w_id``;
- weighted median: the smallest position ``x`` such that the actors at or below ``x`` hold at
  least half the total weight (the *lower* weighted median; with linear losses it is the
  Condorcet winner among the actors' positions, see :func:`peacetalks.forecast.eum.median`).

Both are static: they forecast in one step from the input, so :func:`simulate_compromise`
returns round 0 only.

>>> import numpy as np
>>> x = np.array([[4.0], [7.0], [10.0]])
>>> w = np.array([[1.0], [1.0], [2.0]])
>>> weighted_mean(x, w).tolist(), weighted_median(x, w).tolist()
([7.75], [7.0])
"""

from __future__ import annotations

import numpy as np

from peacetalks.forecast.actors import ActorTable, FloatArray
from peacetalks.forecast.results import ForecastResult, Round, blocs

__all__ = ["simulate_compromise", "weighted_mean", "weighted_median", "weights"]

RULES = ("mean", "median")


def weights(table: ActorTable) -> FloatArray:
    """Capability × salience, shape ``(n, d)``."""
    return table.capability[:, None] * table.salience


def weighted_mean(position: FloatArray, weight: FloatArray) -> FloatArray:
    """Per dimension (last axis), the weight-averaged position over actors (axis -2).

    Works on any leading batch axes. A dimension on which every weight is zero (nobody cares)
    gets the plain mean of the positions.
    """
    total = weight.sum(axis=-2)
    plain = position.mean(axis=-2)
    safe = np.where(total > 0, total, 1.0)
    mean = (weight * position).sum(axis=-2) / safe
    result: FloatArray = np.where(total > 0, mean, plain)
    return result


def weighted_median(position: FloatArray, weight: FloatArray) -> FloatArray:
    """Per dimension (last axis), the lower weighted median over actors (axis -2).

    The smallest position at which the cumulative weight of the actors at or below it reaches
    half the total. Independent of the order of the actors. Works on leading batch axes; with
    all weights zero, every actor counts equally.
    """
    total = weight.sum(axis=-2, keepdims=True)
    weight = np.where(total > 0, weight, 1.0)
    order = np.argsort(position, axis=-2, kind="stable")
    x = np.take_along_axis(position, order, axis=-2)
    cumulative = np.cumsum(np.take_along_axis(weight, order, axis=-2), axis=-2)
    half = 0.5 * cumulative[..., -1:, :]
    tolerance = 1e-12 * np.maximum(half, 1.0)
    index = np.argmax(cumulative >= half - tolerance, axis=-2)
    return np.take_along_axis(x, index[..., None, :], axis=-2)[..., 0, :]


def simulate_compromise(table: ActorTable, rule: str = "mean") -> ForecastResult:
    """The compromise model's forecast: the weighted mean (``rule="mean"``) or the weighted
    median (``rule="median"``) of the input positions; both are reported in ``extras``."""
    if rule not in RULES:
        raise ValueError(f"rule must be one of {RULES}, not {rule!r}")
    w = weights(table)
    mean = weighted_mean(table.position, w)
    median = weighted_median(table.position, w)
    outcome = mean if rule == "mean" else median
    together = blocs(table.actors, table.position, table.low, table.high)
    round0 = Round(0, table.position, outcome, (), together, {"mean": mean, "median": median})
    return ForecastResult(
        model="compromise",
        actors=table.actors,
        dimensions=table.dimensions,
        low=table.low,
        high=table.high,
        rounds=(round0,),
        outcome_rule=f"capability × salience weighted {rule}",
        converged=True,
        stop_reason="static model: one step from the input",
        parameters={"rule": rule},
    )
