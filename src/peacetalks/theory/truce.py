"""A temporary ceasefire as a forecast shift of power [M1][M4].

During a truce of T periods each side's strength grows at its own rate (a side rearms,
mobilises, regroups). A's chance of winning is a contest success function of the strengths,
``p = s_a^m/(s_a^m + s_b^m)``, so the truce moves p, and with it Fearon's bargaining range. If
the move is large the side that loses from it would rather fight now than wait (Powell's
commitment problem), and if the sides expect different growth they may leave the truce with
incompatible estimates of p (mutual optimism). This is the seed article's claim that a
temporary ceasefire "will cause further problems": one side uses the pause to regroup.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peacetalks.errors import UsageError
from peacetalks.results import Result
from peacetalks.theory._checks import TOLERANCE, discount, nonnegative, positive, real
from peacetalks.theory.fearon import BargainingRange, MutualOptimism, fearon_range, mutual_optimism

Belief = float | tuple[float, float] | None
"""A side's expected growth: its own rate (the rival's taken as true) or (g_a, g_b)."""


@dataclass(frozen=True)
class TruceAnalysis(Result):
    """How a truce shifts the balance, the bargaining range, and the incentives to fight."""

    p_before: float
    p_after: float
    gainer: str | None
    """'a' or 'b', whose chance of winning the truce raises; None if neither."""
    range_before: BargainingRange
    range_after: BargainingRange
    deal_survives: bool
    """Some share acceptable to both before the truce is still acceptable after it."""
    shift: float
    """δ^T·(p_after - p_before): the change in A's claim on the post-truce part of the issue."""
    self_enforcing: bool
    """|shift| <= c_A + c_B: the side losing from the truce does not prefer to fight now."""
    believed_p_a: float
    """A's expectation of p after the truce."""
    believed_p_b: float
    """B's expectation of p after the truce."""
    post_truce_optimism: MutualOptimism
    """Mutual optimism between the two believed post-truce p's."""
    post_range_empty: bool
    """The believed post-truce estimates leave no share both accept (war)."""


def truce(
    strength_a: float,
    strength_b: float,
    growth_a: float,
    growth_b: float,
    length: float,
    cost_a: float,
    cost_b: float,
    exponent: float = 1.0,
    belief_growth_a: Belief = None,
    belief_growth_b: Belief = None,
    delta: float = 0.95,
) -> TruceAnalysis:
    """Analyse a truce of `length` periods in which strengths grow at g_a, g_b [M1][M4] (derived).

    After the truce the strengths are ``s_a(1 + g_a)^T`` and ``s_b(1 + g_b)^T``; p before and
    after is the contest success function with exponent m. Reported:

    * the Fearon ranges before and after (:func:`fearon_range`); the deal survives the truce
      iff they overlap, i.e. ``|p_after - p_before| <= c_A + c_B``;
    * self-enforcement, defined directly with the timing of
      :func:`~peacetalks.theory.commitment.commitment_problem`: the truce's whole shift arrives
      when it ends and the flows of the truce periods stay where the balance leaves them, so
      what is contested is the post-truce part of the issue, worth δ^T of it (δ per period).
      Costs are shares of the whole issue, as in the Fearon ranges (commitment_problem counts
      them in per-period flows, i.e. c/(1 - δ)). The side that loses from the truce would
      rather fight now iff ``shift = δ^T·(p_after - p_before)`` exceeds c_A + c_B in absolute
      value. For T = 1 this is commitment_problem([p_before, p_after], δ, c_A/(1 - δ),
      c_B/(1 - δ)). Discounting makes it weaker than the ranges failing to overlap: a truce
      can end the old deal's range and still be self-enforcing;
    * beliefs: each side's expected growth (its own rate as a number, the rival's then taken as
      true; or a pair (g_a, g_b)); None means the true rates. The believed p's are fed to
      :func:`mutual_optimism`; ``post_range_empty`` is its verdict of war.

    >>> t = truce(1.0, 1.0, 0.0, 0.2, 2, 0.03, 0.03)
    >>> round(t.p_before, 3), round(t.p_after, 3), t.gainer, t.deal_survives, t.self_enforcing
    (0.5, 0.41, 'b', False, False)
    """
    s_a = positive("strength_a", strength_a)
    s_b = positive("strength_b", strength_b)
    g_a = _growth("growth_a", growth_a)
    g_b = _growth("growth_b", growth_b)
    length = positive("length", length)
    cost_a = nonnegative("cost_a", cost_a)
    cost_b = nonnegative("cost_b", cost_b)
    m = positive("exponent", exponent)
    delta = discount("delta", delta)
    believed_a = _belief("belief_growth_a", belief_growth_a, (g_a, g_b), own=0)
    believed_b = _belief("belief_growth_b", belief_growth_b, (g_a, g_b), own=1)

    def p_after(rates: tuple[float, float]) -> float:
        return _contest(s_a, s_b, rates[0], rates[1], length, m)

    before = _contest(s_a, s_b, 0.0, 0.0, length, m)
    after = p_after((g_a, g_b))
    move = after - before
    gainer = "a" if move > TOLERANCE else "b" if move < -TOLERANCE else None
    threshold = cost_a + cost_b
    shift = delta**length * move
    optimism = mutual_optimism(p_after(believed_a), p_after(believed_b), cost_a, cost_b)
    return TruceAnalysis(
        p_before=before,
        p_after=after,
        gainer=gainer,
        range_before=fearon_range(before, cost_a, cost_b),
        range_after=fearon_range(after, cost_a, cost_b),
        deal_survives=abs(move) <= threshold + TOLERANCE,
        shift=shift,
        self_enforcing=abs(shift) <= threshold + TOLERANCE,
        believed_p_a=p_after(believed_a),
        believed_p_b=p_after(believed_b),
        post_truce_optimism=optimism,
        post_range_empty=optimism.war,
    )


def _contest(s_a: float, s_b: float, g_a: float, g_b: float, length: float, m: float) -> float:
    """s_a'^m/(s_a'^m + s_b'^m), computed as a logistic of the log-strength difference."""
    log_a = np.log(s_a) + length * np.log1p(g_a)
    log_b = np.log(s_b) + length * np.log1p(g_b)
    return float(1.0 / (1.0 + np.exp(m * (log_b - log_a))))


def _growth(name: str, value: object) -> float:
    rate = real(name, value)
    if rate <= -1.0:
        raise UsageError(f"{name} must be a growth rate > -1, got {rate!r}")
    return rate


def _belief(name: str, value: Belief, truth: tuple[float, float], own: int) -> tuple[float, float]:
    if value is None:
        return truth
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise UsageError(f"{name} must be a growth rate or a pair (g_a, g_b), got {value!r}")
        return _growth(f"{name}[0]", value[0]), _growth(f"{name}[1]", value[1])
    rate = _growth(name, value)
    return (rate, truth[1]) if own == 0 else (truth[0], rate)
