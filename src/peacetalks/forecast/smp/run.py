"""The run: turns until the positions settle, and the :class:`ForecastResult` with the
challenges and bargains of every round."""

from __future__ import annotations

import numpy as np

from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.results import ForecastResult, Interaction, Round
from peacetalks.forecast.smp.election import risk_attitudes
from peacetalks.forecast.smp.options import MIN_DELTA, FloatArray, IntArray, SmpOptions
from peacetalks.forecast.smp.turn import _election, _Turn, smp_turn


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
