"""Powell's commitment problem: hand-computed paths and brute force over transfer schedules."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacetalks.errors import UsageError
from peacetalks.theory import commitment_problem

GRID = np.linspace(0.0, 1.0, 401)
Y1, Y2 = np.meshgrid(GRID, GRID, indexing="ij")


def test_a_rise_of_a_is_flagged_in_the_period_before_it():
    c = commitment_problem([0.3, 0.3, 0.6, 0.6], delta=0.9, cost_a=0.5, cost_b=0.5)
    assert c.jumps == pytest.approx((0.0, 2.7, 0.0))
    assert c.periods == (1,) and c.rising == ("a",) and c.any
    assert c.threshold == 1.0


def test_a_fall_of_p_is_a_rise_of_b():
    c = commitment_problem([0.8, 0.5], delta=0.5, cost_a=0.1, cost_b=0.1)
    assert c.jumps == pytest.approx((-0.3,))
    assert c.periods == (0,) and c.rising == ("b",)


def test_small_or_slow_shifts_are_not_flagged():
    # 0.05 per period with delta 0.8: each jump is 0.2, below c_A + c_B = 0.25.
    c = commitment_problem([0.3, 0.35, 0.4, 0.45], delta=0.8, cost_a=0.1, cost_b=0.15)
    assert c.jumps == pytest.approx((0.2, 0.2, 0.2))
    assert c.periods == () and not c.any
    # The same total shift in one step is flagged.
    assert commitment_problem([0.3, 0.45], 0.8, 0.1, 0.15).periods == (0,)


def test_a_single_period_has_no_shift():
    c = commitment_problem([0.4], 0.9, 0.1, 0.1)
    assert c.jumps == () and not c.any


def feasible_later_flows(p0, p1, delta, cost_a, cost_b):
    """Brute force, the timing used by commitment_problem (two periods: p0, then p1 for ever).

    A schedule gives A the share y1 of the next flow and y2 of every later one. At date 0 the
    declining side may fight at p0 and, once the balance has moved, the rising side at p1; at
    date 1 either may fight at p1. A war at balance p gives A the share p of all later flows
    and costs each side c_i at the date it starts. Returns whether some schedule on the grid
    keeps both sides at or above their war values at every such moment.
    """
    annuity = delta / (1 - delta)
    value_a = delta * Y1 + delta * annuity * Y2
    value_b = delta * (1 - Y1) + delta * annuity * (1 - Y2)
    ok = np.ones_like(Y1, dtype=bool)
    for p in (p0, p1):  # date 0, before and after the shift
        ok &= value_a >= annuity * p - cost_a
        ok &= value_b >= annuity * (1 - p) - cost_b
    ok &= annuity * Y2 >= annuity * p1 - cost_a  # date 1
    ok &= annuity * (1 - Y2) >= annuity * (1 - p1) - cost_b
    return bool(ok.any())


def feasible_current_flow(p0, p1, delta, cost_a, cost_b):
    """Brute force, the alternative timing: today's flow (x0) is on the table too.

    War at balance p gives A p/(1 - delta) - c_A including today's flow; x1 is A's share of
    every flow from period 1 on, where the balance is p1.
    """
    x0, x1 = Y1, Y2
    annuity = 1 / (1 - delta)
    ok = x0 + delta * annuity * x1 >= annuity * p0 - cost_a
    ok &= (1 - x0) + delta * annuity * (1 - x1) >= annuity * (1 - p0) - cost_b
    ok &= annuity * x1 >= annuity * p1 - cost_a
    ok &= annuity * (1 - x1) >= annuity * (1 - p1) - cost_b
    return bool(ok.any())


CASES = [
    # p0, p1, delta, cost_a, cost_b
    (0.3, 0.6, 0.9, 0.5, 0.5),
    (0.3, 0.6, 0.9, 1.0, 2.0),
    (0.5, 0.55, 0.9, 0.2, 0.1),
    (0.5, 0.65, 0.9, 0.2, 0.1),
    (0.7, 0.4, 0.8, 0.3, 0.4),
    (0.7, 0.4, 0.8, 0.6, 0.8),
    (0.2, 0.25, 0.95, 0.3, 0.2),
    (0.2, 0.3, 0.95, 0.3, 0.2),
    (0.9, 0.1, 0.5, 0.3, 0.3),
    (0.9, 0.1, 0.5, 0.6, 0.4),
    (0.0, 0.75, 0.5, 1.0, 0.0),  # the two timings disagree the other way
]


@pytest.mark.parametrize(("p0", "p1", "delta", "cost_a", "cost_b"), CASES)
def test_the_flag_holds_exactly_when_no_schedule_keeps_both_sides_at_peace(
    p0, p1, delta, cost_a, cost_b
):
    jump = delta * (p1 - p0) / (1 - delta)
    margin = abs(abs(jump) - (cost_a + cost_b))
    assert margin > 0.05, "keep the cases away from the boundary the grid cannot resolve"
    flagged = commitment_problem([p0, p1], delta, cost_a, cost_b).any
    assert flagged == (not feasible_later_flows(p0, p1, delta, cost_a, cost_b))


def test_the_cases_cover_both_verdicts():
    verdicts = {commitment_problem([c[0], c[1]], *c[2:]).any for c in CASES}
    assert verdicts == {True, False}


@pytest.mark.parametrize(("p0", "p1", "delta", "cost_a", "cost_b"), CASES)
def test_with_todays_flow_on_the_table_the_threshold_gains_one_periods_flow(
    p0, p1, delta, cost_a, cost_b
):
    # The docstring's claim: the exact condition becomes
    # delta·(p1 - p0)/(1 - delta) > p0 + c_B + delta·c_A for a rise of A (mirror for B).
    jump = delta * (p1 - p0) / (1 - delta)
    rise_of_a = p0 + cost_b + delta * cost_a
    rise_of_b = (1 - p0) + cost_a + delta * cost_b
    threshold = rise_of_a if jump >= 0 else rise_of_b
    if abs(abs(jump) - threshold) < 0.05:
        pytest.skip("too close to the boundary for the grid")
    assert (abs(jump) > threshold) == (not feasible_current_flow(p0, p1, delta, cost_a, cost_b))


paths = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12)
deltas = st.floats(0.05, 0.95)
costs = st.floats(0.0, 3.0)


@given(path=paths, delta=deltas, cost_a=costs, cost_b=costs)
def test_reversing_the_path_swaps_the_rising_side(path, delta, cost_a, cost_b):
    forward = commitment_problem(path, delta, cost_a, cost_b)
    backward = commitment_problem(path[::-1], delta, cost_a, cost_b)
    n = len(path) - 1
    mirrored = sorted(
        (n - 1 - t, "b" if side == "a" else "a")
        for t, side in zip(forward.periods, forward.rising, strict=True)
    )
    assert mirrored == list(zip(backward.periods, backward.rising, strict=True))
    assert forward.any == (max(map(abs, forward.jumps), default=0.0) > cost_a + cost_b + 1e-12)


@given(path=paths, delta=deltas, cost_a=costs, cost_b=costs, extra=st.floats(0.0, 1.0))
def test_higher_costs_never_add_flags(path, delta, cost_a, cost_b, extra):
    low = set(commitment_problem(path, delta, cost_a, cost_b).periods)
    high = set(commitment_problem(path, delta, cost_a + extra, cost_b).periods)
    assert high <= low


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"p_path": [0.2, 1.2]}, "p_path"),
        ({"p_path": [[0.2, 0.3]]}, "p_path"),
        ({"p_path": []}, "p_path"),
        ({"p_path": [0.2, float("nan")]}, "p_path"),
        ({"delta": 1.0}, "delta"),
        ({"delta": 0.0}, "delta"),
        ({"cost_a": -1.0}, "cost_a"),
    ],
)
def test_bad_arguments_are_named(kwargs, name):
    args = {"p_path": [0.2, 0.4], "delta": 0.9, "cost_a": 0.1, "cost_b": 0.1} | kwargs
    with pytest.raises(UsageError, match=rf"^{name}\b"):
        commitment_problem(**args)
