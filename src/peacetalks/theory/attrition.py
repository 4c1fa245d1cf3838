"""The war of attrition: who concedes when, with stationary, time-varying and private costs.

Each side pays a flow cost while both fight; the side that outlasts the other wins a prize.
Complete information [M9][M10]: in the memoryless mixed equilibrium each side concedes at the
constant hazard that keeps the *other* side indifferent. Fatigue (costs rising or prizes falling)
makes the hazards time-varying. Private costs (Alesina & Drazen [M12]) give each cost type its
own concession time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, overload

import numpy as np
from numpy.polynomial.legendre import leggauss

from peacetalks.errors import UsageError
from peacetalks.results import Result
from peacetalks.theory._checks import (
    ConvergenceError,
    Density,
    FloatArray,
    array,
    cdf_values,
    evaluate,
    nonnegative,
    not_both_zero,
    positive,
    real,
)

PANEL_NODES = 32
PANELS = (1, 2, 4, 8, 16, 32, 64, 128, 256)
"""Composite Gauss-Legendre: panel counts tried in turn until two successive estimates agree."""
QUADRATURE_RTOL = 1e-10


@dataclass(frozen=True)
class AttritionEquilibrium(Result):
    """The memoryless mixed equilibrium of a two-sided war of attrition."""

    hazard_a: float
    """A's concession hazard, c_B/V_B (it keeps B indifferent)."""
    hazard_b: float
    """B's concession hazard, c_A/V_A (it keeps A indifferent)."""
    expected_duration: float
    """1/(h_A + h_B)."""
    median_duration: float
    """ln 2/(h_A + h_B)."""
    probability_a_wins: float
    """P(B concedes first) = h_B/(h_A + h_B)."""

    @overload
    def survival(self, t: float) -> float: ...
    @overload
    def survival(self, t: FloatArray) -> FloatArray: ...
    def survival(self, t: float | FloatArray) -> float | FloatArray:
        """P(the war is still on at time t) = exp(-(h_A + h_B)·t)."""
        return _exp(-(self.hazard_a + self.hazard_b), t)

    @overload
    def concession_cdf(self, t: float, side: str = "a") -> float: ...
    @overload
    def concession_cdf(self, t: FloatArray, side: str = "a") -> FloatArray: ...
    def concession_cdf(self, t: float | FloatArray, side: str = "a") -> float | FloatArray:
        """G_i(t) = 1 - exp(-h_i·t): P(side i's own clock has run out by t)."""
        if side not in ("a", "b"):
            raise UsageError(f"side must be 'a' or 'b', got {side!r}")
        hazard = self.hazard_a if side == "a" else self.hazard_b
        return 1.0 - _exp(-hazard, t)


@overload
def _exp(rate: float, t: float) -> float: ...
@overload
def _exp(rate: float, t: FloatArray) -> FloatArray: ...
def _exp(rate: float, t: float | FloatArray) -> float | FloatArray:
    times = np.asarray(t, dtype=np.float64)
    if np.any(times < 0.0) or not np.all(np.isfinite(times)):
        raise UsageError("t must be finite and >= 0")
    values = np.exp(rate * times)
    return float(values) if values.ndim == 0 else values


@dataclass(frozen=True)
class TimeVaryingAttrition(Result):
    """A war of attrition with per-period costs and prizes (fatigue), period length dt."""

    dt: float
    hazard_a: tuple[float, ...]
    """A's concession hazard per period, c_B(t)/V_B(t)."""
    hazard_b: tuple[float, ...]
    """B's concession hazard per period, c_A(t)/V_A(t)."""
    conceded_a: tuple[float, ...]
    """P(the war has ended with A conceding) by the end of each period."""
    conceded_b: tuple[float, ...]
    """P(the war has ended with B conceding) by the end of each period."""
    survival: tuple[float, ...]
    """P(the war is still on) at the end of each period."""
    horizon: float
    """periods × dt."""
    expected_duration: float
    """E[min(duration, horizon)]."""
    probability_ongoing: float
    """P(the war is still on at the horizon)."""


@dataclass(frozen=True)
class ConcessionTimes(Result):
    """Concession times T(θ) of cost types θ in the Alesina-Drazen war of attrition."""

    theta: tuple[float, ...]
    times: tuple[float, ...]
    """T(θ) per type; infinite for the lowest type, 0 for the highest."""
    prize: float
    method: str
    """'closed form' or 'quadrature'."""
    nodes: int
    """Quadrature nodes (per type) of the accepted estimate (0 for the closed form)."""
    error_estimate: float
    """Largest change from the previous node count (0 for the closed form)."""


def attrition_hazards(
    cost_a: float, prize_a: float, cost_b: float, prize_b: float
) -> AttritionEquilibrium:
    """The memoryless mixed equilibrium of the war of attrition [M9][M10] (derived).

    A pays c_A per unit of time and wins V_A if B concedes first. A is indifferent between
    conceding now and at any later time only if B concedes at the constant hazard
    ``h_B = c_A/V_A``; likewise ``h_A = c_B/V_B``. The war ends at the first concession:
    ``E[duration] = 1/(h_A + h_B)`` and ``P(A wins) = h_B/(h_A + h_B)``. A side with zero cost
    never concedes the other's way (its rival's hazard is 0); both costs zero is refused.

    >>> e = attrition_hazards(cost_a=1.0, prize_a=10.0, cost_b=2.0, prize_b=10.0)
    >>> round(e.hazard_a, 3), round(e.hazard_b, 3), round(e.expected_duration, 3)
    (0.2, 0.1, 3.333)
    >>> round(e.probability_a_wins, 3), round(e.survival(3.0), 4)
    (0.333, 0.4066)
    """
    cost_a = nonnegative("cost_a", cost_a)
    cost_b = nonnegative("cost_b", cost_b)
    prize_a = positive("prize_a", prize_a)
    prize_b = positive("prize_b", prize_b)
    not_both_zero("cost_a", cost_a, "cost_b", cost_b, "no one would ever concede")
    hazard_b, hazard_a = cost_a / prize_a, cost_b / prize_b
    total = hazard_a + hazard_b
    return AttritionEquilibrium(
        hazard_a=hazard_a,
        hazard_b=hazard_b,
        expected_duration=1.0 / total,
        median_duration=float(np.log(2.0)) / total,
        probability_a_wins=hazard_b / total,
    )


def time_varying_hazards(
    cost_a: Any, prize_a: Any, cost_b: Any, prize_b: Any, dt: float
) -> TimeVaryingAttrition:
    """The war of attrition under fatigue: costs and prizes that change period by period (derived).

    Each argument is a 1-D array over periods (scalars broadcast). Indifference holds pointwise
    [M9][M10]: ``h_B(t) = c_A(t)/V_A(t)`` and ``h_A(t) = c_B(t)/V_B(t)``, constant within each
    period of length dt. With λ_k = h_A,k + h_B,k and S_k the survival at the start of period
    k, exact exponential integration gives

        S_{k+1} = S_k·exp(-λ_k·dt),   P(A concedes in k) = S_k·(h_A,k/λ_k)·(1 - exp(-λ_k·dt)),
        E[min(duration, horizon)] = Σ_k S_k·(1 - exp(-λ_k·dt))/λ_k.

    Note the mixed-equilibrium logic: a side's own fatigue (its c rising or its V falling) raises
    its *rival's* hazard, the rate needed to keep the tired side indifferent. The intuitive
    reading, that the tired side concedes sooner, is the private-cost model's
    (:func:`concession_time`: higher-cost types concede earlier).

    >>> w = time_varying_hazards([1.0, 2.0], 10.0, 2.0, 10.0, dt=1.0)
    >>> [round(h, 2) for h in w.hazard_b], round(w.probability_ongoing, 4)
    ([0.1, 0.2], 0.4966)
    """
    costs_a = _series("cost_a", cost_a)
    costs_b = _series("cost_b", cost_b)
    prizes_a = _series("prize_a", prize_a)
    prizes_b = _series("prize_b", prize_b)
    dt = positive("dt", dt)
    for name, values in (("cost_a", costs_a), ("cost_b", costs_b)):
        if np.any(values < 0.0):
            raise UsageError(f"{name} must be >= 0 in every period")
    for name, values in (("prize_a", prizes_a), ("prize_b", prizes_b)):
        if np.any(values <= 0.0):
            raise UsageError(f"{name} must be > 0 in every period")
    try:
        costs_a, prizes_a, costs_b, prizes_b = np.broadcast_arrays(
            costs_a, prizes_a, costs_b, prizes_b
        )
    except ValueError:
        raise UsageError(
            "cost_a, prize_a, cost_b and prize_b must have the same number of periods "
            "(or be scalars)"
        ) from None
    hazard_b = costs_a / prizes_a
    hazard_a = costs_b / prizes_b
    total = hazard_a + hazard_b
    decay = np.exp(-total * dt)
    start = np.concatenate(([1.0], np.cumprod(decay)[:-1]))
    ended = -np.expm1(-total * dt)  # P(the war ends within the period | on at its start)
    positive_total = total > 0.0
    safe = np.where(positive_total, total, 1.0)
    share_a = np.where(positive_total, hazard_a / safe, 0.0)
    share_b = np.where(positive_total, hazard_b / safe, 0.0)
    mean_time = np.where(positive_total, ended / safe, dt)
    survival = start * decay
    return TimeVaryingAttrition(
        dt=dt,
        hazard_a=_floats(hazard_a),
        hazard_b=_floats(hazard_b),
        conceded_a=_floats(np.cumsum(start * share_a * ended)),
        conceded_b=_floats(np.cumsum(start * share_b * ended)),
        survival=_floats(survival),
        horizon=dt * hazard_a.size,
        expected_duration=float(np.sum(start * mean_time)),
        probability_ongoing=float(survival[-1]),
    )


def concession_time(
    theta: Any,
    prize: float,
    cdf: Density,
    pdf: Density,
    theta_low: float,
    theta_high: float,
) -> ConcessionTimes:
    """Concession times of private-cost types θ ~ F on [θ_lo, θ_hi], Alesina-Drazen [M12] (derived).

    Symmetric players; type θ concedes at T(θ), decreasing in θ. Indifference (the hazard of the
    rival conceding equals θ/V) gives

        T(θ) = ∫_θ^{θ_hi} V·f(s)/(s·F(s)) ds,   T(θ_hi) = 0,   T(θ_lo) = ∞.

    Computed by composite Gauss-Legendre quadrature (32 nodes per panel) after the substitution
    s = θ_lo + e^u, which removes the 1/(s - θ_lo) growth of f/F near the bottom of the
    support; the panel count doubles from 1 to 256 until two estimates agree to 1e-10
    (relative), else ConvergenceError (e.g. a density with a jump converges too slowly). `theta` is
    a number or a 1-D array of types in [θ_lo, θ_hi]; `cdf` and `pdf` take float arrays.

    >>> t = concession_time([1.2, 1.5, 1.8], 1.0, lambda s: s - 1.0, lambda s: 0 * s + 1.0, 1, 2)
    >>> [round(x, 3) for x in t.times]
    [1.099, 0.405, 0.118]
    """
    thetas, prize, low, high = _types(theta, prize, theta_low, theta_high)
    times = np.zeros_like(thetas)
    times[thetas == low] = np.inf
    inner = (thetas > low) & (thetas < high)
    used, error = 0, 0.0
    if np.any(inner):
        times[inner], used, error = _quadrature(thetas[inner], prize, cdf, pdf, low, high)
    return ConcessionTimes(_floats(thetas), _floats(times), prize, "quadrature", used, error)


def concession_time_uniform(
    theta: Any, prize: float, theta_low: float, theta_high: float
) -> ConcessionTimes:
    """T(θ) in closed form for θ ~ U[a, b] [M12] (derived).

    With f = 1/(b - a) and F = (s - a)/(b - a) the integrand is V/(s(s - a)), and partial
    fractions give

        T(θ) = (V/a)·ln( θ(b - a) / (b(θ - a)) )      (a > 0),
        T(θ) = V·(1/θ - 1/b)                            (a = 0).

    >>> t = concession_time_uniform([1.2, 1.5, 1.8], prize=1.0, theta_low=1.0, theta_high=2.0)
    >>> [round(x, 3) for x in t.times]
    [1.099, 0.405, 0.118]
    """
    thetas, prize, a, b = _types(theta, prize, theta_low, theta_high)
    times = np.full_like(thetas, np.inf)
    above = thetas > a
    s = thetas[above]
    if a > 0.0:
        times[above] = prize * (np.log1p(-a / b) - np.log1p(-a / s)) / a
    else:
        times[above] = prize * (1.0 / s - 1.0 / b)
    times[thetas == b] = 0.0
    return ConcessionTimes(_floats(thetas), _floats(times), prize, "closed form", 0, 0.0)


def _types(
    theta: Any, prize: float, theta_low: float, theta_high: float
) -> tuple[FloatArray, float, float, float]:
    prize = positive("prize", prize)
    low = nonnegative("theta_low", theta_low)
    high = real("theta_high", theta_high)
    if high <= low:
        raise UsageError(f"theta_high must be > theta_low, got {low!r} and {high!r}")
    raw = np.asarray(theta)
    thetas = array("theta", raw.reshape(1) if raw.ndim == 0 else raw, 1)
    if np.any(thetas < low) or np.any(thetas > high):
        raise UsageError(f"theta must lie in [theta_low, theta_high] = [{low!r}, {high!r}]")
    return thetas, prize, low, high


def _quadrature(
    thetas: FloatArray, prize: float, cdf: Density, pdf: Density, low: float, high: float
) -> tuple[FloatArray, int, float]:
    """∫_θ^high prize·f(s)/(s·F(s)) ds per θ, with s = low + e^u, by composite Gauss-Legendre."""
    nodes, weights = leggauss(PANEL_NODES)
    u_low = np.log(thetas - low)[:, None]
    u_high = float(np.log(high - low))
    previous: FloatArray | None = None
    change = np.inf
    for panels in PANELS:
        width = (u_high - u_low) / panels  # (m, 1)
        starts = u_low + width * np.arange(panels)[None, :]  # (m, panels)
        u = (starts[:, :, None] + width[:, :, None] * (nodes + 1.0) / 2.0).reshape(len(thetas), -1)
        step = np.exp(u)
        s = low + step
        share = cdf_values("cdf", cdf, s)
        if np.any(share <= 0.0):
            where = float(s[share <= 0.0].max())
            raise UsageError(
                f"cdf must be > 0 on (theta_low, theta_high], but F({where:.6g}) = 0; "
                f"set theta_low to the bottom of the support"
            )
        density = evaluate("pdf", pdf, s)
        if np.any(density < 0.0):
            raise UsageError("pdf must return values >= 0")
        values = (density * step / (s * share)).reshape(len(thetas), panels, PANEL_NODES)
        estimate = prize * np.sum(values @ weights, axis=1) * width[:, 0] / 2.0
        if previous is not None:
            change = float(np.max(np.abs(estimate - previous)))
            if change <= QUADRATURE_RTOL * max(1.0, float(np.max(np.abs(estimate)))):
                return estimate, panels * PANEL_NODES, change
        previous = estimate
    raise ConvergenceError(
        f"concession_time: the quadrature did not converge with {PANELS[-1]} panels of "
        f"{PANEL_NODES} nodes (last change {change:.3g}); is pdf smooth and consistent with cdf?"
    )


def _series(name: str, value: Any) -> FloatArray:
    raw = np.asarray(value)
    return array(name, raw.reshape(1) if raw.ndim == 0 else raw, 1)


def _floats(values: FloatArray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
