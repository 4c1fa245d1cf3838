"""A spatial bargaining model in the style of KAPSARC's KTAB SMP (Spatial Model of Politics).

Each actor holds a position in a d-dimensional space, with a salience per dimension and a
capability. Every round (a "turn" in KTAB):

1. Each actor values every actor's position by a salience-weighted distance
   ``d_ij = sqrt(sum_k (s_ik (x_ik - x_jk))^2 / sum_k s_ik^2)`` on the scales mapped to
   ``[0, 1]``, and utility ``u = (1 - d)(1 + d R_i)`` with risk attitude ``R_i``.
2. A probabilistic Condorcet election (PCE) over the actors' positions as options: votes
   ``v_k(i:j) = c_k f(u_ki - u_kj)`` under a vote rule ``f``; coalition strengths
   ``C_ij = sum_k max(0, v_k(i:j))``; pairwise victory probabilities ``p_ij`` from ``C_ij``
   and ``C_ji``; and a distribution ``P`` over the options (the conditional model, or a
   Markov chain). High ``P`` makes an actor risk-averse (``R`` from ``P``).
3. Each actor ``i`` assesses, with its own estimate of the others' risk attitudes, the expected
   gain of challenging each ``j``; it targets the best one (if the gain is positive) and proposes
   a bargain interpolated between the two positions, weighted by salience and victory odds.
4. Each actor's queue of proposals (its own, those addressed to it, and the status quo) is
   resolved by a second PCE in which every actor votes by its utility for the resulting state;
   the actor adopts the winning proposal (deterministically the most likely, or drawn at random
   with ``stochastic=True``).
5. Stop after ``rounds`` turns, or once the positions' change is below ``tolerance`` times the
   first turn's change (KTAB's rule, after at least ``min_rounds`` turns).

Every array operation runs over all actor pairs (and triples) at once; only the rounds loop in
Python. The choices where KTAB's code, its papers and this module differ are listed in
``docs/explanation/forecast-smp-exchange.md`` and in the result's ``notes``.

The modules: :mod:`~peacetalks.forecast.smp.options` (the switches, their choices and KTAB's
thresholds), :mod:`~peacetalks.forecast.smp.election` (utilities, votes, victory odds and the
probabilistic Condorcet election), :mod:`~peacetalks.forecast.smp.turn` (one turn: challenges,
bargains and queues) and :mod:`~peacetalks.forecast.smp.run` (the rounds and the result).

>>> from peacetalks.forecast.actors import ActorTable
>>> t = ActorTable.one_dimension(["a", "b", "c"], [0, 40, 100], [1, 1, 1], [1, 1, 1])
>>> result = simulate_smp(t, rounds=20)
>>> bool(0 <= result.outcome[0] <= 100)
True
"""

from peacetalks.forecast.smp.election import (
    coalitions,
    condorcet,
    distances,
    risk_attitudes,
    utility,
    victory,
    vote,
)
from peacetalks.forecast.smp.options import (
    BLOCK,
    MIN_COALITION,
    MIN_DELTA,
    MIN_GAIN,
    MIN_WEIGHT,
    BargainInterp,
    BoolArray,
    FloatArray,
    IntArray,
    PceModel,
    RiskAdjust,
    RiskRange,
    SmpOptions,
    ThirdParty,
    VictoryModel,
    VotingRule,
)
from peacetalks.forecast.smp.run import NOTES, simulate_smp
from peacetalks.forecast.smp.turn import smp_turn

__all__ = [
    "BLOCK",
    "MIN_COALITION",
    "MIN_DELTA",
    "MIN_GAIN",
    "MIN_WEIGHT",
    "NOTES",
    "BargainInterp",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "PceModel",
    "RiskAdjust",
    "RiskRange",
    "SmpOptions",
    "ThirdParty",
    "VictoryModel",
    "VotingRule",
    "coalitions",
    "condorcet",
    "distances",
    "risk_attitudes",
    "simulate_smp",
    "smp_turn",
    "utility",
    "victory",
    "vote",
]
