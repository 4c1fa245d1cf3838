"""Fearon's bargaining model of war: the bargaining range, mutual optimism and screening [M1][M2].

One divisible issue; x is A's share of a pie of 1 and B gets 1 - x. In a war A wins with
probability p and the winner takes all; war costs c_A and c_B in pie units. Both sides are risk
neutral, so their war values are p - c_A and 1 - p - c_B, and every share in
[p - c_A, p + c_B] is at least as good as war for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from peacetalks.errors import UsageError
from peacetalks.results import Result
from peacetalks.theory._checks import (
    TOLERANCE,
    ConvergenceError,
    Density,
    FloatArray,
    cdf_values,
    count,
    evaluate,
    nonnegative,
    probability,
    real,
)

BISECTION_STEPS = 200
FOC_SLACK = 1e-4
"""How far the first-order condition may miss its sign change next to the best grid point."""


@dataclass(frozen=True)
class BargainingRange(Result):
    """The shares x (A's share of a pie of 1) that both sides prefer to war."""

    low: float
    """The smallest share A accepts: A's war value."""
    high: float
    """The largest share B concedes: 1 minus B's war value."""
    empty: bool
    """True when low > high: no share is acceptable to both."""
    war_value_a: float
    war_value_b: float
    feasible_low: float
    """max(low, 0): the range clipped to shares that exist."""
    feasible_high: float
    """min(high, 1)."""

    def contains(self, share: float) -> bool:
        """Whether both sides accept A getting `share` (within the tolerance)."""
        return self.low - TOLERANCE <= share <= self.high + TOLERANCE


@dataclass(frozen=True)
class MutualOptimism(Result):
    """Mutual optimism: war when the two sides' estimates of A's chances are far apart."""

    war: bool
    gap: float
    """p_a - p_b - c_A - c_B; war iff gap > 0."""
    range: BargainingRange | None
    """The mutually acceptable shares [p_a - c_A, p_b + c_B]; None when there are none."""


@dataclass(frozen=True)
class Screening(Result):
    """A's optimal take-it-or-leave-it demand when B's cost of war is private."""

    demand: float
    """A's demand x* (A's share)."""
    war_probability: float
    """P(B rejects) = F(x* - p)."""
    expected_value_a: float
    """A's expected payoff (1 - F)·x* + F·(p - c_A)."""
    method: str
    """'closed form' or 'numeric'."""


def _range(low: float, high: float, war_value_a: float, war_value_b: float) -> BargainingRange:
    return BargainingRange(
        low=low,
        high=high,
        empty=low > high + TOLERANCE,
        war_value_a=war_value_a,
        war_value_b=war_value_b,
        feasible_low=max(low, 0.0),
        feasible_high=min(high, 1.0),
    )


def fearon_range(p: float, cost_a: float, cost_b: float) -> BargainingRange:
    """The bargaining range of Fearon's model [M1].

    A's war value is p - c_A and B's is 1 - p - c_B, so both prefer a share x to war iff
    ``p - c_A <= x <= p + c_B``. With non-negative costs the range always contains p. It is
    reported as computed, even where it reaches outside [0, 1]; ``feasible_low`` and
    ``feasible_high`` clip it to shares that exist.

    >>> r = fearon_range(0.6, 0.1, 0.2)
    >>> round(r.low, 3), round(r.high, 3), r.empty
    (0.5, 0.8, False)
    """
    p = probability("p", p)
    cost_a = nonnegative("cost_a", cost_a)
    cost_b = nonnegative("cost_b", cost_b)
    return _range(p - cost_a, p + cost_b, p - cost_a, 1.0 - p - cost_b)


def mutual_optimism(p_a: float, p_b: float, cost_a: float, cost_b: float) -> MutualOptimism:
    """Fearon's mutual optimism: disagreement about relative power can leave no deal [M2].

    p_a is A's estimate of its own chance of winning, p_b is B's estimate of A's chance. A wants
    at least p_a - c_A and B concedes at most p_b + c_B, so war iff
    ``p_a - p_b > c_A + c_B`` (a tie counts as peace).

    >>> m = mutual_optimism(0.7, 0.4, 0.1, 0.1)
    >>> m.war, round(m.gap, 3), m.range
    (True, 0.1, None)
    """
    p_a = probability("p_a", p_a)
    p_b = probability("p_b", p_b)
    cost_a = nonnegative("cost_a", cost_a)
    cost_b = nonnegative("cost_b", cost_b)
    gap = p_a - p_b - cost_a - cost_b
    war = gap > TOLERANCE
    acceptable = None if war else _range(p_a - cost_a, p_b + cost_b, p_a - cost_a, 1 - p_b - cost_b)
    return MutualOptimism(war=war, gap=gap, range=acceptable)


def screening(p: float, cost_a: float, cost_b_high: float, cost_b_low: float = 0.0) -> Screening:
    """A's optimal demand when B's war cost is private and uniform on [low, high] [M1] (derived).

    A demands x; B accepts iff x <= p + c_B. With y = x - p, A maximises
    ``(1 - F(y))·x + F(y)·(p - c_A)``. For c_B ~ U[l, h] the objective is concave on [l, h]
    with stationary point ``y = (h - c_A)/2`` (the lower bound cancels), so

        y* = clip((h - c_A)/2, l, h),   x* = p + y*,   P(war) = (y* - l)/(h - l).

    When (h - c_A)/2 <= l, A demands p + l, which every type accepts: P(war) = 0. A cannot
    demand more than the whole pie, so x* is capped at 1. With l = 0 this is models.md's
    y* = (c̄ - c_A)/2 and P(war) = y*/c̄.

    >>> s = screening(0.5, 0.1, 0.4)
    >>> round(s.demand, 3), round(s.war_probability, 3)
    (0.65, 0.375)
    """
    p = probability("p", p)
    cost_a = nonnegative("cost_a", cost_a)
    high = nonnegative("cost_b_high", cost_b_high)
    low = nonnegative("cost_b_low", cost_b_low)
    if low > high:
        raise UsageError(f"cost_b_low must be <= cost_b_high, got {low!r} > {high!r}")
    y = min(min(max((high - cost_a) / 2.0, low), high), 1.0 - p)
    war = 0.0 if high == low else min(max((y - low) / (high - low), 0.0), 1.0)
    return Screening(
        demand=p + y,
        war_probability=war,
        expected_value_a=(1.0 - war) * (p + y) + war * (p - cost_a),
        method="closed form",
    )


def screening_numeric(
    p: float,
    cost_a: float,
    cdf: Density,
    pdf: Density,
    low: float,
    high: float,
    grid: int = 2001,
) -> Screening:
    """The screening demand for any continuous distribution of B's cost on [low, high] [M1].

    Maximises ``u(y) = p + (1 - F(y))·y - F(y)·c_A`` over y = x - p in [low, min(high, 1 - p)]
    (below `low` every type accepts and u rises with y; A cannot demand more than the pie).
    A vectorised grid search finds the best grid point; between its neighbours the first-order
    condition ``g(y) = 1 - F(y) - f(y)(y + c_A) = 0`` must change sign from >= 0 to <= 0, and
    bisection on g then locates the optimum to machine precision (a kink of F is fine). At an
    end of the interval the optimum is a corner when g points outwards.

    `cdf` and `pdf` take and return float arrays and are only evaluated on [low, high]. Raises
    ConvergenceError when the optimum cannot be bracketed (g does not change sign next to the
    best grid point, e.g. because the payoff has several peaks between grid points or `pdf` is
    not the derivative of `cdf`) or when the refined point pays less than the grid's best.

    >>> s = screening_numeric(0.5, 0.1, lambda y: y / 0.4, lambda y: 0 * y + 2.5, 0.0, 0.4)
    >>> round(s.demand, 9), round(s.war_probability, 9)
    (0.65, 0.375)
    """
    p = probability("p", p)
    cost_a = nonnegative("cost_a", cost_a)
    low = nonnegative("low", low)
    high = real("high", high)
    if high <= low:
        raise UsageError(f"high must be > low, got low={low!r}, high={high!r}")
    grid = count("grid", grid, minimum=3)
    top = min(high, 1.0 - p)

    def payoff(ys: FloatArray) -> FloatArray:
        share = cdf_values("cdf", cdf, ys)
        return p + (1.0 - share) * ys - share * cost_a

    def slope(ys: FloatArray) -> FloatArray:
        density = evaluate("pdf", pdf, ys)
        if np.any(density < 0.0):
            raise UsageError("pdf must return values >= 0")
        return 1.0 - cdf_values("cdf", cdf, ys) - density * (ys + cost_a)

    if top <= low:
        # The whole pie is demanded before any type would refuse: no war (F(low) = 0).
        return Screening(p + top, 0.0, p + top, "numeric")
    ys = np.linspace(low, top, grid)
    values = payoff(ys)
    best = int(np.argmax(values))
    a, b = ys[max(best - 1, 0)], ys[min(best + 1, grid - 1)]
    g_a, g_b = slope(np.array([a, b]))
    if best == 0 and g_a <= 0.0:
        y = low
    elif best == grid - 1 and g_b >= 0.0:
        y = top
    elif g_a >= -FOC_SLACK and g_b <= FOC_SLACK:
        y = _bisect(slope, float(a), float(b))
    else:
        raise ConvergenceError(
            f"screening: could not bracket the optimum near y={ys[best]:.6g}: the "
            f"first-order condition 1 - F - f·(y + c_A) does not change sign between the "
            f"neighbouring grid points ({g_a:.3g}, {g_b:.3g}); the payoff may have several "
            f"peaks there (try a larger grid) or pdf may not be the derivative of cdf"
        )
    value = float(payoff(np.array([y]))[0])
    if value < float(values[best]) - 1e-12 * max(1.0, abs(float(values[best]))):
        raise ConvergenceError(
            f"screening: the refined optimum y={y:.6g} pays less than the grid point "
            f"y={ys[best]:.6g}; check that pdf is the derivative of cdf"
        )
    war = float(cdf_values("cdf", cdf, np.array([y]))[0])
    return Screening(p + y, war, (1.0 - war) * (p + y) + war * (p - cost_a), "numeric")


def _bisect(function: Callable[[FloatArray], FloatArray], a: float, b: float) -> float:
    """Where a function that is >= 0 at a and <= 0 at b changes sign."""
    for _ in range(BISECTION_STEPS):
        middle = (a + b) / 2.0
        if middle in (a, b):
            break
        if float(function(np.array([middle]))[0]) >= 0.0:
            a = middle
        else:
            b = middle
    return (a + b) / 2.0
