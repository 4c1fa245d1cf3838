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

>>> from peacetalks.forecast.actors import ActorTable
>>> t = ActorTable.one_dimension(["a", "b", "c"], [0, 40, 100], [1, 1, 1], [1, 1, 1])
>>> result = simulate_smp(t, rounds=20)
>>> bool(0 <= result.outcome[0] <= 100)
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.results import ForecastResult, Interaction, Round

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

VotingRule = Literal["binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"]
VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]
PceModel = Literal["conditional", "markov_uniform", "markov_incentive"]
RiskRange = Literal["min", "mid", "max"]
RiskAdjust = Literal["none", "one_third", "half", "two_thirds", "full"]
BargainInterp = Literal["s1p1", "s2p2", "s2pmax"]
ThirdParty = Literal["semi", "full", "none", "direct"]

MIN_COALITION = 1e-10  # KTAB's minCltn: avoids 0/0 when nobody prefers either side
MIN_GAIN = 1e-5  # KTAB's minSigEDU: a challenge must be worth more than this
MIN_WEIGHT = 1e-6  # KTAB's minW in bargain interpolation
MIN_DELTA = 1e-4  # KTAB's minSigDelta in the stopping rule
BLOCK = 16_384  # elements per (rows, n, n) block of the challenge computations

_EXPONENT: dict[str, float] = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}
_ADJUST: dict[str, float] = {
    "none": 0.0,
    "one_third": 1 / 3,
    "half": 0.5,
    "two_thirds": 2 / 3,
    "full": 1.0,
}


@dataclass(frozen=True)
class SmpOptions:
    """The model's switches, named as in KTAB (defaults: KTAB's defaults).

    Attributes:
        voting_rule: how a utility difference becomes a vote (KTAB ``VotingRule``).
        victory_model: how coalition strengths become a victory probability (``VPModel``).
        pce_model: the probabilistic Condorcet election (``PCEModel``).
        risk_range: how victory probabilities map to risk attitudes (``BigRRange``).
        risk_adjust: how much of another actor's risk attitude an actor knows (``BigRAdjust``).
        bargain_interp: bargain interpolation weights (``InterVecBrgn``).
        third_party: how committed a third party is to the side it joins (``ThirdPartyCommit``;
            ``"direct"``, not in KTAB: third parties vote their plain preference).
        stochastic: draw each queue's winner at random instead of the most likely one.
    """

    voting_rule: VotingRule = "proportional"
    victory_model: VictoryModel = "linear"
    pce_model: PceModel = "conditional"
    risk_range: RiskRange = "mid"
    risk_adjust: RiskAdjust = "one_third"
    bargain_interp: BargainInterp = "s2p2"
    third_party: ThirdParty = "semi"
    stochastic: bool = False

    def __post_init__(self) -> None:
        choices = {
            "voting_rule": VotingRule,
            "victory_model": VictoryModel,
            "pce_model": PceModel,
            "risk_range": RiskRange,
            "risk_adjust": RiskAdjust,
            "bargain_interp": BargainInterp,
            "third_party": ThirdParty,
        }
        for name, kind in choices.items():
            allowed = get_args(kind)
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")


# -- utilities ------------------------------------------------------------------------------


def distances(position: FloatArray, salience: FloatArray) -> FloatArray:
    """``D[i, j]``: actor i's salience-weighted distance to j's position (positions in [0, 1]).

    An actor with no salience anywhere weighs every dimension equally (KTAB asserts instead).
    """
    weight = np.where(salience.sum(axis=1, keepdims=True) > 0, salience, 1.0)
    diff = position[None, :, :] - position[:, None, :]  # [i, j, k] = x_jk - x_ik
    num = np.einsum("ijk,ik->ij", diff**2, weight**2)
    return np.asarray(np.sqrt(num / (weight**2).sum(axis=1)[:, None]), dtype=np.float64)


def utility(distance: FloatArray, risk: FloatArray | float) -> FloatArray:
    """KTAB's ``bsUtil``: ``(1 - d)(1 + d R)``, with ``d`` clipped to ``[0, 1]``."""
    d = np.clip(distance, 0.0, 1.0)
    return np.asarray((1.0 - d) * (1.0 + d * risk), dtype=np.float64)


def vote(rule: VotingRule, weight: FloatArray, du: FloatArray) -> FloatArray:
    """A vote ``weight * f(du)`` for the option with utility advantage ``du`` (KTAB
    ``Model::vote``)."""
    if rule == "binary":
        f = np.clip(du * 1e8, -1.0, 1.0)
    elif rule == "prop_bin":
        f = 0.8 * du + 0.2 * np.clip(du * 1e8, -1.0, 1.0)
    elif rule == "proportional":
        f = du
    elif rule == "prop_cubic":
        f = 0.5 * du + 0.5 * du**3
    elif rule == "cubic":
        f = du**3
    elif rule == "asym_prospect":
        f = np.where(du < 0, du, 2.0 * du / 3.0)
    else:
        raise ValueError(f"unknown voting rule {rule!r}")
    return np.asarray(weight * f, dtype=np.float64)


def victory(model: VictoryModel, strength: FloatArray) -> FloatArray:
    """``p[..., i, j]``: probability that option i beats j, from coalition strengths
    ``C[..., i, j]`` (KTAB ``Model::vProb``): ``C^n / (C^n + C'^n)`` for n = 1, 2, 4, 8;
    ``binary``: a 10% advantage wins for sure, linear interpolation in between."""
    other = np.swapaxes(strength, -1, -2)
    if model == "binary":
        share = strength / (strength + other)
        return np.asarray(np.clip((share * 2.1 - 1.0) / 0.1, 0.0, 1.0), dtype=np.float64)
    power = _EXPONENT[model]
    scale = np.maximum(strength, other)
    a, b = (strength / scale) ** power, (other / scale) ** power
    return np.asarray(a / (a + b), dtype=np.float64)


def coalitions(rule: VotingRule, weight: FloatArray, util: FloatArray) -> FloatArray:
    """``C[i, j] = MIN + sum_k max(0, w_k f(u_ki - u_kj))``: the strength of the coalition for
    option i against j, from voters' utilities ``util[k, i]`` (KTAB ``Model::coalitions``)."""
    u = np.ascontiguousarray(util.T)  # [i, k]: voters last, so sums run over contiguous memory
    step = max(1, BLOCK // u.size)  # blocks of rows keep the (rows, n, n) votes in cache
    blocks = []
    for k in range(0, u.shape[0], step):
        votes = vote(rule, weight[None, None, :], u[k : k + step, None, :] - u[None, :, :])
        blocks.append(np.maximum(votes, 0.0, out=votes).sum(axis=-1))
    return np.asarray(MIN_COALITION + np.concatenate(blocks))


def condorcet(
    model: PceModel,
    p: FloatArray,
    valid: BoolArray | None = None,
    strength: FloatArray | None = None,
) -> FloatArray:
    """The probability of each option winning, from pairwise victory probabilities
    ``p[..., i, j]`` (and, for ``markov_incentive``, the coalition strengths); options where
    ``valid`` is False get 0 (KTAB ``condPCE``, ``markovUniformPCE``, ``markovIncentivePCE``).

    ``conditional``: ``P_i ∝ prod_j p_ij`` (``p_ii = 1/2``). ``markov_uniform``: the stationary
    distribution of ``P'_i = (1/N) sum_j p_ij (P_i + P_j)`` (a uniformly drawn challenger).
    ``markov_incentive``: challengers drawn in proportion to ``C_ij p_ij``.
    """
    size = p.shape[-1]
    mask = np.ones(p.shape[:-1], dtype=bool) if valid is None else valid
    pair = mask[..., :, None] & mask[..., None, :]
    q = np.where(pair, p, 0.0)
    eye = np.eye(size, dtype=bool)
    q = np.where(eye & pair, 0.5, q)
    if model == "conditional":
        logs = np.where(pair, np.log(np.maximum(q, 1e-300)), 0.0).sum(axis=-1)
        logs = np.where(mask, logs, -np.inf)
        weights = np.exp(logs - logs.max(axis=-1, keepdims=True))
        return np.asarray(weights / weights.sum(axis=-1, keepdims=True), dtype=np.float64)
    count = mask.sum(axis=-1, keepdims=True)
    if model == "markov_uniform":
        step = _uniform_step(q, count)
    elif model == "markov_incentive":
        c = np.ones_like(q) if strength is None else np.where(pair, strength, 0.0)
        incentive = c * q + np.where(eye & pair, 1e-10, 0.0)
        total = incentive.sum(axis=-2, keepdims=True)
        step = _incentive_step(q, incentive / np.where(total > 0, total, 1.0))
    else:
        raise ValueError(f"unknown PCE model {model!r}")
    prob = mask / count
    for _ in range(1000):
        new = (prob + step(prob)) / 2  # KTAB's damped iteration
        if np.max(np.abs(new - prob)) < 1e-12:
            break
        prob = new
    return np.asarray(new, dtype=np.float64)


def _uniform_step(q: FloatArray, count: NDArray[np.int64]) -> Callable[[FloatArray], FloatArray]:
    def step(prob: FloatArray) -> FloatArray:
        return np.asarray(
            (prob * q.sum(axis=-1) + np.einsum("...ij,...j->...i", q, prob)) / count,
            dtype=np.float64,
        )

    return step


def _incentive_step(q: FloatArray, challenge: FloatArray) -> Callable[[FloatArray], FloatArray]:
    """``q_i = sum_j p_ij (P_i ch_ji + P_j ch_ij)``, ``ch_ij``: i challenges incumbent j."""

    def step(prob: FloatArray) -> FloatArray:
        ct = prob[..., :, None] * np.swapaxes(challenge, -1, -2)  # [i, j] = P_i ch_ji
        return np.asarray((q * (ct + np.swapaxes(ct, -1, -2))).sum(axis=-1), dtype=np.float64)

    return step


def risk_attitudes(prob: FloatArray, span: RiskRange) -> FloatArray:
    """KTAB ``bigRfromProb``: the likelier an actor's position, the more risk-averse it is."""
    low, high = prob.min(), prob.max()
    if high - low < 1e-12:
        return np.zeros_like(prob)
    if span == "min":
        return np.asarray((prob - low) / (high - low), dtype=np.float64)
    if span == "mid":
        return np.asarray((3 * prob - (high + 2 * low)) / (2 * (high - low)), dtype=np.float64)
    return np.asarray((2 * prob - (high + low)) / (high - low), dtype=np.float64)


# -- one turn ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Turn:
    position: FloatArray  # (n, d), the new positions in [0, 1]
    prob: FloatArray  # (n,), the PCE over the old positions
    risk: FloatArray  # (n,)
    target: IntArray  # (n,), whom each actor challenged (-1: nobody)
    gain: FloatArray  # (n,), the expected gain of that challenge
    chosen: IntArray  # (n,), the adopted proposal's initiator (-1: status quo)
    offer: FloatArray  # (n, d), each initiator's proposed position for its target, in [0, 1]


def _election(
    x: FloatArray, sal: FloatArray, cap: FloatArray, opt: SmpOptions
) -> tuple[FloatArray, FloatArray]:
    """The distances and the risk-neutral PCE over the actors' positions."""
    dist = distances(x, sal)
    strength = coalitions(opt.voting_rule, cap, utility(dist, 0.0))
    prob = condorcet(opt.pce_model, victory(opt.victory_model, strength), strength=strength)
    return dist, prob


def _estimated_utilities(dist: FloatArray, risk: FloatArray, adjust: RiskAdjust) -> FloatArray:
    """``E[h, j, m]``: h's estimate of m's utility for j's position (KTAB's ``aUtil[h](m, j)``,
    stored with the voter m last so that sums over voters run over contiguous memory)."""
    share = _ADJUST[adjust]
    r_hat = (1 - share) * risk[:, None] + share * risk[None, :]  # [h, m]
    return utility(dist.T[None, :, :], r_hat[:, None, :])


def _challenges(
    est: FloatArray, weight: FloatArray, overall: FloatArray, opt: SmpOptions
) -> tuple[FloatArray, FloatArray]:
    """``gain[i, j]`` of i challenging j, and ``p[i, j]`` that i wins, both in i's view
    (KTAB ``probEduChlg`` with h = k = i)."""
    n = est.shape[0]
    idx = np.arange(n)
    # each challenger's view is independent: blocks of rows keep the (rows, n, n) arrays in cache
    step = max(1, BLOCK // (n * n))
    p = np.concatenate(
        [_victory_in_view(est, idx[k : k + step], weight, opt) for k in range(0, n, step)]
    )
    u_ii = est[idx, idx, idx][:, None]  # i's utility of its own position
    u_ij = est[idx, :, idx]  # [i, j]: i's utility of j's position
    status_quo = u_ii + u_ij
    contest = p * 2 * u_ii + (1 - p) * 2 * u_ij
    challenge = (1 - overall[None, :]) * 2 * u_ii + overall[None, :] * contest
    gain = challenge - status_quo
    gain[idx, idx] = -np.inf
    return gain, p


def _victory_in_view(
    est: FloatArray, rows: IntArray, weight: FloatArray, opt: SmpOptions
) -> FloatArray:
    """``p[i, j]`` for i in `rows`: i's estimate that it beats j. The principals vote their own
    utilities; each third party m weighs in by the three-actor "little conflict" (i:j) with m on
    either side (KTAB ``vProbLittle`` and ``thirdPartyVoteSU``), or plainly
    (``third_party="direct"``)."""
    n, b = est.shape[0], np.arange(rows.size)
    idx = np.arange(n)
    u_j = est[rows]  # [i, j, m]: m's utility of j's position, in i's view
    u_i = est[rows, rows, :][:, None, :]  # [i, ., m]: m's utility of i's position
    own = vote(opt.voting_rule, weight[None, None, :], u_i - u_j)  # [i, j, m]: m's vote for i
    contrib_i, contrib_j = own[b, :, rows], own[:, idx, idx]  # the principals' votes, [i, j]
    c_for = MIN_COALITION + np.maximum(contrib_i, 0) + np.maximum(contrib_j, 0)
    c_against = MIN_COALITION + np.maximum(-contrib_i, 0) + np.maximum(-contrib_j, 0)
    third = _third_party_votes(own, u_i, u_j, c_for, c_against, weight, opt)
    if third is not None:
        third[b, :, rows] = 0.0  # the principals voted above
        third[:, idx, idx] = 0.0
        net = third.sum(axis=-1)
        support = np.maximum(third, 0.0, out=third).sum(axis=-1)
        c_for = c_for + support
        c_against = c_against + support - net
    return np.asarray(c_for / (c_for + c_against), dtype=np.float64)


def _third_party_votes(
    own: FloatArray,
    u_i: FloatArray,
    u_j: FloatArray,
    c_for: FloatArray,
    c_against: FloatArray,
    weight: FloatArray,
    opt: SmpOptions,
) -> FloatArray | None:
    """``v[i, j, m]``: third party m's vote in i's challenge of j (None: nobody votes).

    KTAB sums the three actors' resulting positions' utilities. Joining i is worth
    ``p U(i,m > j) + (1 - p) U(j > i,m)``, joining j ``p U(i > j,m) + (1 - p) U(j,m > i)``,
    with ``p`` the odds of i's side once m joins it. Under semi-commitment a winning third
    party keeps its position and a loser adopts the winner's, so the difference is
    ``p (1 - u_mi) - (1 - p)(1 - u_mj)``; under full or no commitment (KTAB uses the same
    ``p`` for both sides) the two are equal and third parties cast no vote.
    """
    if opt.third_party == "direct":
        return own
    if opt.third_party != "semi":
        return None
    # on (n, n, n) arrays, few passes: p = (c_for + max(v, 0)) / (c_for + c_against + |v|)
    p = np.maximum(own, 0.0)
    p += c_for[..., None]
    total = np.abs(own)
    total += (c_for + c_against)[..., None]
    p /= total
    lose_j = 1.0 - u_j  # then p (1 - u_mi) - (1 - p)(1 - u_mj) = p (2 - u_mi - u_mj) - (1 - u_mj)
    p *= lose_j + (1.0 - u_i)
    p -= lose_j
    diff = p
    return vote(opt.voting_rule, weight[None, None, :], diff)


def _interpolate(
    xi: FloatArray,
    si: FloatArray,
    pi: FloatArray,
    xj: FloatArray,
    sj: FloatArray,
    kind: BargainInterp,
) -> tuple[FloatArray, FloatArray]:
    """The bargain's positions for initiator and receiver (KTAB ``interpolateBrgn``)."""
    pj = 1.0 - pi
    if kind == "s2pmax":
        di, dj = np.maximum(pj - pi, 0.0), np.maximum(pi - pj, 0.0)
        ki = di * sj**2 / (di * sj**2 + MIN_WEIGHT + (1 - di) * si**2)
        kj = dj * si**2 / (dj * si**2 + MIN_WEIGHT + (1 - dj) * sj**2)
        return xi + ki * (xj - xi), xj + kj * (xi - xj)
    power = 1 if kind == "s1p1" else 2
    wi, wj = si**power * pi**power, sj**power * pj**power
    total = wi + wj + MIN_WEIGHT
    return ((wi + MIN_WEIGHT) * xi + wj * xj) / total, (wi * xi + (wj + MIN_WEIGHT) * xj) / total


def _queues(target: IntArray) -> tuple[IntArray, BoolArray]:
    """Each actor's queue of proposals: column 0 the status quo (-1), then the bargains it
    initiated or received, as initiator indices (padded with -2)."""
    n = target.size
    initiators = np.flatnonzero(target >= 0)
    involved = np.zeros((n, n), dtype=bool)  # [k, b]: bargain of initiator b involves k
    involved[initiators, initiators] = True
    involved[target[initiators], initiators] = True
    size = 1 + int(involved.sum(axis=1).max(initial=0))
    order = np.argsort(~involved, axis=1, kind="stable")[:, : size - 1]
    filled = np.take_along_axis(involved, order, axis=1)
    queue = np.full((n, size), -2, dtype=np.int64)
    queue[:, 0] = -1
    queue[:, 1:] = np.where(filled, order, -2)
    return queue, np.asarray(queue >= -1)


def _resolve(
    x: FloatArray,
    sal: FloatArray,
    cap: FloatArray,
    risk: FloatArray,
    dist: FloatArray,
    bargains: tuple[FloatArray, FloatArray, IntArray],
    opt: SmpOptions,
    rng: np.random.Generator,
) -> tuple[FloatArray, IntArray]:
    """Resolve every actor's queue by a PCE over the states the proposals lead to."""
    init_pos, rcvr_pos, target = bargains
    n = x.shape[0]
    own = utility(dist, risk[:, None])  # [a, m]: a's utility of m's position
    base = own.sum(axis=1)  # [a]
    u_init = utility(_dist_to(x, sal, init_pos), risk[:, None])  # [a, b]
    u_rcvr = utility(_dist_to(x, sal, rcvr_pos), risk[:, None])
    safe_t = np.maximum(target, 0)
    after = base[:, None] - own - own[:, safe_t] + u_init + u_rcvr  # [a, b]
    states = np.concatenate([after, base[:, None]], axis=1) / n  # column n: status quo
    queue, valid = _queues(target)
    # every queue holds options out of the same n + 1 states: one PCE matrix serves them all
    c_all = coalitions(opt.voting_rule, cap, states)
    p_all = victory(opt.victory_model, c_all)  # [state, state]
    column = np.where(queue == -1, n, np.maximum(queue, 0))  # [k, q]
    p = p_all[column[:, :, None], column[:, None, :]]  # [k, q, q']
    strength = c_all[column[:, :, None], column[:, None, :]]
    prob = condorcet(opt.pce_model, p, valid, strength)
    if opt.stochastic:
        cum = np.cumsum(prob, axis=1)
        draw = np.asarray(rng.random(size=n), dtype=np.float64)
        pick = (cum < draw[:, None] * cum[:, -1:]).sum(axis=1)
    else:
        pick = np.argmax(prob, axis=1)
    chosen = queue[np.arange(n), pick]
    new = x.copy()
    k = np.flatnonzero(chosen >= 0)
    b = chosen[k]
    new[k] = np.where((b == k)[:, None], init_pos[b], rcvr_pos[b])
    return new, chosen


def _dist_to(x: FloatArray, sal: FloatArray, points: FloatArray) -> FloatArray:
    """``D[a, b]``: actor a's salience-weighted distance to point b."""
    weight = np.where(sal.sum(axis=1, keepdims=True) > 0, sal, 1.0)
    diff = points[None, :, :] - x[:, None, :]
    num = np.einsum("abk,ak->ab", diff**2, weight**2)
    return np.asarray(np.sqrt(num / (weight**2).sum(axis=1)[:, None]), dtype=np.float64)


def smp_turn(
    x: FloatArray, sal: FloatArray, cap: FloatArray, opt: SmpOptions, rng: np.random.Generator
) -> _Turn:
    """One turn of challenges, bargains and their resolution (positions in [0, 1])."""
    n = x.shape[0]
    dist, prob = _election(x, sal, cap, opt)
    risk = risk_attitudes(prob, opt.risk_range)
    overall = sal.mean(axis=1)
    est = _estimated_utilities(dist, risk, opt.risk_adjust)
    gain, p = _challenges(est, overall * cap, overall, opt)
    best = np.argmax(gain, axis=1) if n > 1 else np.zeros(n, dtype=np.int64)
    best_gain = gain[np.arange(n), best] if n > 1 else np.zeros(n)
    target = np.where(best_gain > MIN_GAIN, best, -1).astype(np.int64)
    t = np.maximum(target, 0)
    p_win = p[np.arange(n), t][:, None] if n > 1 else np.ones((n, 1))
    init_pos, rcvr_pos = _interpolate(x, sal, p_win, x[t], sal[t], opt.bargain_interp)
    new, chosen = _resolve(x, sal, cap, risk, dist, (init_pos, rcvr_pos, target), opt, rng)
    gains = np.where(target >= 0, best_gain, 0.0)
    return _Turn(new, prob, risk, target, gains, chosen, rcvr_pos)


# -- the run ----------------------------------------------------------------------------------


def simulate_smp(
    table: ActorTable,
    rounds: int = 100,
    seed: int = 0,
    *,
    options: SmpOptions | None = None,
    tolerance: float = 0.02,
    min_rounds: int = 2,
) -> ForecastResult:
    """Run the spatial bargaining model for up to `rounds` turns.

    Args:
        table: the actors; positions are mapped to ``[0, 1]`` per dimension for the model.
        rounds: the maximum number of turns (KTAB: 100).
        seed: seeds the draws of ``options.stochastic``; the default model is deterministic.
        options: the model's switches (:class:`SmpOptions`; KTAB's defaults).
        tolerance: stop when a turn's total position change is below this fraction of the first
            turn's (KTAB: 0.02); 0 plays all `rounds`.
        min_rounds: never stop before this many turns (KTAB: 2).

    Returns:
        A :class:`ForecastResult` whose outcome per round is the PCE-probability-weighted mean
        of the positions; ``extras`` hold the PCE, the most likely position and the risk
        attitudes; interactions list the challenges and which actors adopted the bargains.
    """
    if rounds < 0:
        raise ValueError("rounds must be at least 0")
    opt = options or SmpOptions()
    order = np.argsort(np.array(table.actors, dtype=object), kind="stable")  # ties by name
    names = tuple(table.actors[i] for i in order)
    span = table.high - table.low
    x = (table.position[order] - table.low) / span
    sal, cap = table.salience[order], table.capability[order]
    rng = np.random.default_rng(seed)
    history, turns = [x], []
    first, reason, converged = 0.0, f"reached {rounds} rounds", False
    for r in range(1, rounds + 1):
        turn = smp_turn(history[-1], sal, cap, opt, rng)
        turns.append(turn)
        history.append(turn.position)
        change = float(np.linalg.norm(turn.position - history[-2], axis=1).sum())
        first = change + MIN_DELTA if r == 1 else first
        if r >= min_rounds and change < tolerance * first:
            reason, converged = f"positions settled after {r} rounds", True
            break
    return _result(table, order, names, history, turns, opt, rounds, seed, reason, converged)


def _denormalise(table: ActorTable, x: FloatArray) -> FloatArray:
    return np.asarray(table.low + x * (table.high - table.low), dtype=np.float64)


def _result(
    table: ActorTable,
    order: IntArray,
    names: tuple[str, ...],
    history: list[FloatArray],
    turns: list[_Turn],
    opt: SmpOptions,
    rounds: int,
    seed: int,
    reason: str,
    converged: bool,
) -> ForecastResult:
    back = np.argsort(order)
    x_last = history[-1]
    _, prob_last = _election(x_last, table.salience[order], table.capability[order], opt)
    states: list[Round] = []
    for index, x in enumerate(history):
        # the PCE of a state is computed at the start of the next turn
        prob = turns[index].prob if index < len(turns) else prob_last
        pos = _denormalise(table, x)
        risk = risk_attitudes(prob, opt.risk_range)
        extras = {"pce": prob[back], "risk": risk[back], "most_likely": pos[int(np.argmax(prob))]}
        interactions = _interactions(table, names, turns[index - 1]) if index > 0 else ()
        coalitions = _bargain_groups(names, turns[index - 1]) if index > 0 else ()
        states.append(Round(index, pos[back], prob @ pos, interactions, coalitions, extras))
    return ForecastResult(
        model="smp",
        actors=table.actors,
        dimensions=table.dimensions,
        low=table.low,
        high=table.high,
        rounds=tuple(states),
        outcome_rule="PCE-weighted mean of positions",
        converged=converged,
        stop_reason=reason,
        parameters={
            "rounds": rounds,
            "seed": seed,
            **{k: getattr(opt, k) for k in opt.__dataclass_fields__},
        },
        notes=NOTES,
    )


def _interactions(
    table: ActorTable, names: tuple[str, ...], turn: _Turn
) -> tuple[Interaction, ...]:
    """The turn's challenges: the bargain offered to the target (`target`, on the table's
    scales), the challenger's expected gain, and whether each side adopted the bargain."""
    offer = _denormalise(table, turn.offer)
    return tuple(
        Interaction(
            names[i],
            names[int(j)],
            "challenge",
            target=tuple(float(v) for v in offer[i]),
            values={
                "gain": float(turn.gain[i]),
                "actor_adopted": float(turn.chosen[i] == i),
                "other_adopted": float(turn.chosen[int(j)] == i),
            },
        )
        for i, j in enumerate(turn.target)
        if j >= 0
    )


def _bargain_groups(names: tuple[str, ...], turn: _Turn) -> tuple[tuple[str, ...], ...]:
    """Actors that adopted the same bargain (its initiator's), as coalitions."""
    groups: dict[int, list[str]] = {}
    for k, b in enumerate(turn.chosen):
        if b >= 0:
            groups.setdefault(int(b), []).append(names[k])
    return tuple(tuple(g) for g in groups.values() if len(g) > 1)


NOTES = (
    "KTAB's defaults: proportional votes, linear victory odds, conditional PCE, risk from the "
    "PCE (Mid range, One-third adjustment), S2P2 bargains, semi-committed third parties, "
    "deterministic choice of bargains.",
    "Ideal points follow positions (KTAB's default identity accommodation matrix).",
    "An actor's overall salience is the mean of its per-dimension saliences (KTAB: their sum, "
    "with saliences summing to at most 1).",
    "Outcome per round: the PCE-probability-weighted mean of the positions (KTAB reports the "
    "PCE itself; extras['most_likely'] is its most probable position).",
    "Bargain positions are not rounded to 4 decimals as in KTAB.",
)
