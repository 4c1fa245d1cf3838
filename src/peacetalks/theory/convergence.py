"""Learning from battles until expectations converge: Slantchev's principle of convergence [M6].

models.md §2 (derived): battle outcomes b_t ∈ {0, 1} are Bernoulli(p) draws (1 = A wins the
battle); each side holds a Beta(α_i, β_i) prior over A's chance p and updates on the common
outcomes, so after t battles with k_t wins for A its posterior mean is

    p̂_i(t) = (α_i + k_t)/(α_i + β_i + t).

The two sides settle when the mutual-optimism gap closes: p̂_A(t) - p̂_B(t) <= c_A + c_B. Both
means converge to the truth, so settlement before victory is the rule; the 2012 critique [M7]
(rivals standing firm in continuous time) is not modelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from peacetalks.errors import UsageError
from peacetalks.results import Result
from peacetalks.theory._checks import TOLERANCE, count, nonnegative, positive, probability


@dataclass(frozen=True)
class Convergence(Result):
    """Battle outcomes, both sides' beliefs about A's chance, and when they could settle."""

    outcomes: tuple[int, ...]
    """b_1..b_n: 1 when A wins the battle."""
    belief_a: tuple[float, ...]
    """p̂_A(t) for t = 0..n (t = 0 is the prior mean)."""
    belief_b: tuple[float, ...]
    """p̂_B(t) for t = 0..n."""
    gap: tuple[float, ...]
    """p̂_A(t) - p̂_B(t) - c_A - c_B for t = 0..n; settlement once <= 0."""
    settlement_period: int | None
    """The first t (number of battles fought) with gap <= 0, or None within the horizon."""
    threshold: float
    """c_A + c_B."""
    seed: int


def convergence(
    p_true: float,
    prior_a: Sequence[float],
    prior_b: Sequence[float],
    cost_a: float,
    cost_b: float,
    periods: int,
    seed: int,
) -> Convergence:
    """Simulate Bayesian learning from battles until the optimism gap closes [M6] (derived).

    Outcomes are drawn as ``numpy.random.default_rng(seed).random(periods) < p_true``, so the
    same seed gives the same numbers. `prior_a` = (α, β) is A's Beta prior over A's chance of
    winning; `prior_b` is B's prior over the same quantity.

    >>> c = convergence(0.5, (8, 2), (2, 8), 0.1, 0.1, periods=50, seed=1)
    >>> round(c.belief_a[0], 2), round(c.belief_b[0], 2), c.settlement_period
    (0.8, 0.2, 20)
    """
    p_true = probability("p_true", p_true)
    alpha_a, beta_a = _prior("prior_a", prior_a)
    alpha_b, beta_b = _prior("prior_b", prior_b)
    cost_a = nonnegative("cost_a", cost_a)
    cost_b = nonnegative("cost_b", cost_b)
    periods = count("periods", periods)
    seed = count("seed", seed, minimum=0)
    outcomes = np.random.default_rng(seed).random(periods) < p_true
    wins = np.concatenate(([0.0], np.cumsum(outcomes, dtype=np.float64)))
    battles = np.arange(periods + 1, dtype=np.float64)
    belief_a = (alpha_a + wins) / (alpha_a + beta_a + battles)
    belief_b = (alpha_b + wins) / (alpha_b + beta_b + battles)
    threshold = cost_a + cost_b
    gap = belief_a - belief_b - threshold
    settled = np.flatnonzero(gap <= TOLERANCE)
    return Convergence(
        outcomes=tuple(int(b) for b in outcomes),
        belief_a=tuple(float(v) for v in belief_a),
        belief_b=tuple(float(v) for v in belief_b),
        gap=tuple(float(v) for v in gap),
        settlement_period=int(settled[0]) if settled.size else None,
        threshold=threshold,
        seed=seed,
    )


def _prior(name: str, value: Sequence[float]) -> tuple[float, float]:
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray) or len(value) != 2:
        raise UsageError(f"{name} must be a Beta prior (alpha, beta), got {value!r}")
    return positive(f"{name}[0] (alpha)", value[0]), positive(f"{name}[1] (beta)", value[1])
