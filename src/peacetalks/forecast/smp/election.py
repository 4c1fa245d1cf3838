"""The maths of one election: salience-weighted distances and utilities, votes, coalition
strengths, victory probabilities, the probabilistic Condorcet election (PCE) and the risk
attitudes it implies (KTAB's ``Model`` functions)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from peacetalks.forecast.smp.options import (
    BLOCK,
    MIN_COALITION,
    BoolArray,
    FloatArray,
    PceModel,
    RiskRange,
    VictoryModel,
    VotingRule,
)

_EXPONENT: dict[str, float] = {"linear": 1, "square": 2, "quartic": 4, "octic": 8}


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
