"""One turn: each actor challenges its best target, proposes a bargain, and every actor's queue
of proposals is resolved by an election over the states they lead to."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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
    MIN_GAIN,
    MIN_WEIGHT,
    BargainInterp,
    BoolArray,
    FloatArray,
    IntArray,
    RiskAdjust,
    SmpOptions,
)

_ADJUST: dict[str, float] = {
    "none": 0.0,
    "one_third": 1 / 3,
    "half": 0.5,
    "two_thirds": 2 / 3,
    "full": 1.0,
}


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
