"""Powell's commitment problem: war from large, rapid shifts in the distribution of power [M4][M4b].

Normalisation (models.md asks to verify it; this is the choice made here). A flow pie of 1 per
period, discount factor δ, A's chance of winning a war fought in period t is p_t; a war ends the
game, gives A the share p_t of every later flow and costs each side a lump c_A, c_B (pie units,
present value at the decision date). At date t the declining side can fight at the current
balance p_t; if it does not, the balance moves to p_{t+1} before the next flow is divided and the
rising side can then fight at p_{t+1}. A deal divides the later flows, worth δ/(1 - δ) at t.
Peace needs A to get at least δ·p_{t+1}/(1 - δ) - c_A of them and B at least
δ·(1 - p_t)/(1 - δ) - c_B (for a rise of A; symmetrically for a rise of B), which is possible iff

    δ·(p_{t+1} - p_t)/(1 - δ) <= c_A + c_B.

In terms of the rising side's war value on those later flows, W_A(t) = δ·p_t/(1 - δ) - c_A,
it reads W_A(t+1) - W_A(t) > c_A + c_B: Powell's inefficiency condition, the rising side's
minmax payoff jumps by more than the surplus that war destroys. It is exact when the current
period's flow is not on the table (it stays where the balance leaves it).

If the current period's flow can also be handed over before the shift bites (war value
p_t/(1 - δ) - c_A and the rise felt one period later), the declining side can be paid one more
period's pie up front and the rising side's later war cost is discounted: the exact condition
is then δ·W_A(t+1) - W_A(t) > c_A + c_B, i.e. δ·(p_{t+1} - p_t)/(1 - δ) > p_t + c_B + δ·c_A for
a rise of A. The two differ by one period's flow; they coincide as periods get short, which is
the regime where Powell's "large, rapid shift" reading applies. The tests check both by brute
force over transfer schedules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from peacetalks.results import Result
from peacetalks.theory._checks import TOLERANCE, discount, nonnegative, probabilities


@dataclass(frozen=True)
class CommitmentProblem(Result):
    """The periods in which a shift of power leaves no self-enforcing deal."""

    periods: tuple[int, ...]
    """Every t whose shift to t + 1 exceeds the threshold."""
    rising: tuple[str, ...]
    """Per flagged period, the side whose power rises: 'a' or 'b'."""
    jumps: tuple[float, ...]
    """δ·(p[t+1] - p[t])/(1 - δ) for t = 0..n-2: > 0 favours A, < 0 favours B."""
    threshold: float
    """c_A + c_B, the surplus a deal saves."""
    any: bool


def commitment_problem(
    p_path: Any, delta: float, cost_a: float, cost_b: float
) -> CommitmentProblem:
    """Flag each period where a shift in power makes war unavoidable [M4][M4b].

    `p_path` holds A's chance of winning a war in each period. Period t is flagged when
    ``|δ·(p[t+1] - p[t])/(1 - δ)| > c_A + c_B``: for a rise of A, B cannot credibly be promised
    enough later flows to prefer waiting to fighting now; for a fall, the same with the roles
    swapped. See the module docstring for the timing under which this is exact and how it
    changes when the current period's flow can also be transferred.

    >>> c = commitment_problem([0.3, 0.3, 0.6, 0.6], delta=0.9, cost_a=0.5, cost_b=0.5)
    >>> c.periods, c.rising, [round(j, 2) for j in c.jumps]
    ((1,), ('a',), [0.0, 2.7, 0.0])
    """
    path = probabilities("p_path", p_path)
    delta = discount("delta", delta)
    cost_a = nonnegative("cost_a", cost_a)
    cost_b = nonnegative("cost_b", cost_b)
    jumps = delta * np.diff(path) / (1.0 - delta)
    threshold = cost_a + cost_b
    flagged = np.flatnonzero(np.abs(jumps) > threshold + TOLERANCE)
    return CommitmentProblem(
        periods=tuple(int(t) for t in flagged),
        rising=tuple("a" if jumps[t] > 0 else "b" for t in flagged),
        jumps=tuple(float(j) for j in jumps),
        threshold=threshold,
        any=bool(flagged.size),
    )
