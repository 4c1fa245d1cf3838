"""The Stokman equal-gain exchange model: actors trade support across pairs of issues.

Stokman & Van Oosten (1994) and Stokman & Thomson: the expected outcome of issue ``p`` is the
capability x salience weighted mean ``O_p = sum_i c_i s_ip x_ip / sum_i c_i s_ip``. Two actors
can exchange on issues ``p, q`` when they sit on opposite sides of both outcomes and weigh the
issues differently: actor ``a``, who cares relatively less about ``p`` (``s_ap/s_aq <
s_bp/s_bq``), moves on ``p`` toward ``b``; ``b`` moves on ``q`` toward ``a``. Moving shifts an
outcome by ``c s |move| / sum_k c_k s_k``; the shifts ``dp, dq`` are set so both gain equally:

    gain = dp s_bp - dq s_bq = dq s_aq - dp s_ap,  i.e.  dq = dp (s_ap + s_bp) / (s_aq + s_bq).

The size is the largest the constraints allow: neither actor moves past the other's position,
and no outcome passes the position of the actor who demanded the shift (the caps of
``decide-exchange-model``). Within a round, the exchange with the highest gain is executed
first; the remaining ones are recomputed from the new (voting) positions, and an actor never
moves back on an issue it already moved on this round. After the round, each moved actor's
next start position is ``x + ((1 - s) 0.4 + 0.1)(y - x)`` between its start ``x`` and its voting
position ``y`` (decide's default weights).

>>> from peacetalks.forecast.actors import ActorTable
>>> import numpy as np
>>> t = ActorTable(("a", "b"), ("p", "q"), np.ones(2), np.array([[0.0, 100.0], [100.0, 0.0]]),
...     np.array([[0.2, 0.8], [0.8, 0.2]]), np.zeros(2), np.full(2, 100.0))
>>> r = simulate_exchange(t, rounds=1)
>>> r.rounds[1].interactions[0].kind, round(r.rounds[1].interactions[0].values["gain"], 3)
('exchange', 12.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.results import ForecastResult, Interaction, Round

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MIN_GAIN = 1e-10  # decide: an exchange worth less is invalid


def weighted_mean(position: FloatArray, weight: FloatArray) -> FloatArray:
    """Per issue, the weighted mean of the positions (the scale's middle if no weight)."""
    total = weight.sum(axis=0)
    mean = (weight * position).sum(axis=0) / np.where(total > 0, total, 1.0)
    return np.asarray(np.where(total > 0, mean, position.mean(axis=0)), dtype=np.float64)


@dataclass(frozen=True)
class Candidates:
    """Every possible exchange of a round: ``a`` supplies on ``p``, ``b`` supplies on ``q``."""

    a: IntArray
    b: IntArray
    p: IntArray
    q: IntArray


def candidates(left: NDArray[np.bool_], sal: FloatArray) -> Candidates:
    """Exchange pairs: actors on opposite sides of both outcomes (groups A-D and B-C), with the
    roles set by relative salience."""
    n, d = left.shape
    i, j, p, q = np.indices((n, n, d, d)).reshape(4, -1)
    keep = (i < j) & (p < q) & (left[i, p] != left[j, p]) & (left[i, q] != left[j, q])
    i, j, p, q = i[keep], j[keep], p[keep], q[keep]
    i_supplies_p = sal[i, p] * sal[j, q] < sal[j, p] * sal[i, q]
    a, b = np.where(i_supplies_p, i, j), np.where(i_supplies_p, j, i)
    return Candidates(a.astype(np.int64), b.astype(np.int64), p, q)


@dataclass(frozen=True)
class Sizes:
    """The equal-gain exchange sizes of every candidate, given the current positions."""

    dp: FloatArray  # shift of the outcome on p
    dq: FloatArray  # shift of the outcome on q
    move_a: FloatArray  # a's signed move on p
    move_b: FloatArray  # b's signed move on q
    gain: FloatArray


def sizes(
    c: Candidates,
    y: FloatArray,
    target: FloatArray,
    outcome: FloatArray,
    weight: FloatArray,
    sal: FloatArray,
) -> Sizes:
    """Equal-gain sizes: the largest ``dp`` (with ``dq = k dp``) under four caps: a reaches
    b's position on p, b reaches a's on q, and neither outcome passes its demander's position."""
    total = np.maximum(weight.sum(axis=0), 1e-300)  # an issue nobody weighs: no exchange
    goal_p, goal_q = target[c.b, c.p], target[c.a, c.q]
    dir_p, dir_q = np.sign(goal_p - y[c.a, c.p]), np.sign(goal_q - y[c.b, c.q])
    w_ap, w_bq = weight[c.a, c.p], weight[c.b, c.q]
    full_p = np.abs(goal_p - y[c.a, c.p]) * w_ap / total[c.p]
    full_q = np.abs(goal_q - y[c.b, c.q]) * w_bq / total[c.q]
    cap_p = np.maximum((goal_p - outcome[c.p]) * dir_p, 0.0)
    cap_q = np.maximum((goal_q - outcome[c.q]) * dir_q, 0.0)
    s_ap, s_aq, s_bp, s_bq = sal[c.a, c.p], sal[c.a, c.q], sal[c.b, c.p], sal[c.b, c.q]
    ratio = (s_ap + s_bp) / np.maximum(s_aq + s_bq, 1e-300)
    dp = np.minimum(
        np.minimum(full_p, cap_p), np.minimum(full_q, cap_q) / np.maximum(ratio, 1e-300)
    )
    dq = ratio * dp
    move_a = dir_p * dp * total[c.p] / np.maximum(w_ap, 1e-300)
    move_b = dir_q * dq * total[c.q] / np.maximum(w_bq, 1e-300)
    return Sizes(dp, dq, move_a, move_b, dp * s_bp - dq * s_bq)


@dataclass(frozen=True)
class Executed:
    """One realised exchange, with each side's gain measured from the realised moves."""

    a: int
    b: int
    p: int
    q: int
    move_a: float
    move_b: float
    gain_a: float
    gain_b: float


def play_round(
    x: FloatArray, sal: FloatArray, cap: FloatArray, reuse: bool = True
) -> tuple[FloatArray, list[Executed]]:
    """One round from start positions `x`: the voting positions and the exchanges, in order.

    With ``reuse=False`` an actor takes part in at most one exchange per issue and round (the
    original rule of Stokman & Van Oosten); by default it may supply on an issue several times,
    always in the same direction (decide-exchange-model).
    """
    weight = cap[:, None] * sal
    outcome = weighted_mean(x, weight)
    cand = candidates(x < outcome[None, :], sal)
    y, used = x.copy(), np.zeros(x.shape, dtype=np.int64)  # used: direction moved (+1/-1)
    alive = np.ones(cand.a.size, dtype=bool)
    done: list[Executed] = []
    while alive.any():
        size = sizes(cand, y, x, outcome, weight, sal)
        ok = alive & (size.gain > MIN_GAIN)
        ok &= used[cand.a, cand.p] * np.sign(size.move_a) >= 0
        ok &= used[cand.b, cand.q] * np.sign(size.move_b) >= 0
        if not ok.any():
            break
        best = int(np.argmax(np.where(ok, size.gain, -np.inf)))
        done.append(_execute(cand, size, best, y, used, outcome, weight, sal))
        alive[best] = False
        if not reuse:
            alive &= _untouched(cand, done[-1])
    return y, done


def _execute(
    cand: Candidates,
    size: Sizes,
    k: int,
    y: FloatArray,
    used: IntArray,
    outcome: FloatArray,
    weight: FloatArray,
    sal: FloatArray,
) -> Executed:
    """Apply candidate `k`'s moves to `y`, `used` and `outcome` in place."""
    a, b, p, q = int(cand.a[k]), int(cand.b[k]), int(cand.p[k]), int(cand.q[k])
    move_a, move_b = float(size.move_a[k]), float(size.move_b[k])
    total = weight.sum(axis=0)
    shift_p, shift_q = weight[a, p] * move_a / total[p], weight[b, q] * move_b / total[q]
    y[a, p] += move_a
    y[b, q] += move_b
    used[a, p], used[b, q] = np.sign(move_a), np.sign(move_b)
    outcome[p] += shift_p
    outcome[q] += shift_q
    # each side's gain: the outcome it demanded moved toward it, the other moved away
    gain_a = abs(shift_q) * sal[a, q] - abs(shift_p) * sal[a, p]
    gain_b = abs(shift_p) * sal[b, p] - abs(shift_q) * sal[b, q]
    return Executed(a, b, p, q, move_a, move_b, float(gain_a), float(gain_b))


def _untouched(cand: Candidates, e: Executed) -> NDArray[np.bool_]:
    """Candidates sharing no actor-issue with exchange `e`."""
    used = {(e.a, e.p), (e.a, e.q), (e.b, e.p), (e.b, e.q)}
    keep = np.ones(cand.a.size, dtype=bool)
    for actor, issue in used:
        for who in (cand.a, cand.b):
            keep &= ~((who == actor) & ((cand.p == issue) | (cand.q == issue)))
    return keep


def next_start(
    x: FloatArray, y: FloatArray, sal: FloatArray, pull: float, fixed: float
) -> FloatArray:
    """decide's new start positions: ``x + ((1 - s) pull + fixed)(y - x)``."""
    return np.asarray(x + ((1 - sal) * pull + fixed) * (y - x), dtype=np.float64)


def simulate_exchange(
    table: ActorTable,
    rounds: int = 10,
    *,
    reuse: bool = True,
    salience_weight: float = 0.4,
    fixed_weight: float = 0.1,
) -> ForecastResult:
    """Run the equal-gain exchange model for `rounds` rounds (or until no exchange is left).

    Args:
        table: the actors and issues; each issue is a dimension.
        rounds: the number of rounds (decide's default: 10).
        reuse: whether an actor may exchange on the same issue more than once per round.
        salience_weight, fixed_weight: how far the next start position moves toward the
            voting position: ``(1 - s) salience_weight + fixed_weight`` (decide: 0.4, 0.1).

    Returns:
        A :class:`ForecastResult` whose outcome per round is the weighted mean at the next
        round's start positions; ``extras["voting_outcome"]`` is the weighted mean at the
        round's voting positions, and interactions list the exchanges in execution order.
        The model is deterministic: ties go to the actor (then issue) first by name.
    """
    if rounds < 0:
        raise ValueError("rounds must be at least 0")
    order = np.argsort(np.array(table.actors, dtype=object), kind="stable")
    names = tuple(table.actors[i] for i in order)
    back = np.argsort(order)
    x, sal, cap = table.position[order].copy(), table.salience[order], table.capability[order]
    weight = cap[:, None] * sal
    states = [Round(0, x[back], weighted_mean(x, weight))]
    converged, reason = False, f"reached {rounds} rounds"
    for r in range(1, rounds + 1):
        y, done = play_round(x, sal, cap, reuse)
        if not done:
            converged, reason = True, f"no exchange left in round {r}"
            break
        x = next_start(x, y, sal, salience_weight, fixed_weight)
        interactions = tuple(
            item for k, e in enumerate(done) for item in _interactions(table, names, e, k)
        )
        extras = {"voting_outcome": weighted_mean(y, weight), "voting_positions": y[back]}
        pairs = tuple(dict.fromkeys(tuple(sorted((names[e.a], names[e.b]))) for e in done))
        states.append(Round(r, x[back], weighted_mean(x, weight), interactions, pairs, extras))
    return ForecastResult(
        model="exchange",
        actors=table.actors,
        dimensions=table.dimensions,
        low=table.low,
        high=table.high,
        rounds=tuple(states),
        outcome_rule="c x s weighted mean at the next start positions",
        converged=converged,
        stop_reason=reason,
        parameters={
            "rounds": rounds,
            "reuse": reuse,
            "salience_weight": salience_weight,
            "fixed_weight": fixed_weight,
        },
        notes=NOTES,
    )


def _interactions(
    table: ActorTable, names: tuple[str, ...], e: Executed, k: int
) -> tuple[Interaction, Interaction]:
    """Exchange `e` (the round's `k`-th) from each side: who moved on which issue, by how much,
    and what it gained."""
    return (
        Interaction(
            names[e.a],
            names[e.b],
            "exchange",
            dimension=table.dimensions[e.p],
            values={"exchange": float(k), "move": e.move_a, "gain": e.gain_a},
        ),
        Interaction(
            names[e.b],
            names[e.a],
            "exchange",
            dimension=table.dimensions[e.q],
            values={"exchange": float(k), "move": e.move_b, "gain": e.gain_b},
        ),
    )


NOTES = (
    "Equal-gain exchanges (Stokman & Van Oosten 1994), executed highest gain first; the rest "
    "are recomputed from the new voting positions after each one.",
    "Caps as in decide-exchange-model: no actor passes its partner's start position, no "
    "outcome passes the position of the actor who demanded the shift.",
    "Next start positions move toward the voting positions by (1 - s) 0.4 + 0.1 (decide).",
)
