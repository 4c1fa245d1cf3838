"""A truce as a shift of power: contest function, ranges, commitment and optimism."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacetalks.errors import UsageError
from peacetalks.theory import commitment_problem, fearon_range, mutual_optimism, truce

strengths = st.floats(0.1, 10.0)
growths = st.floats(-0.5, 1.0)
costs = st.floats(0.0, 0.5)


def test_the_contest_function_and_growth():
    t = truce(2.0, 1.0, 0.1, 0.3, length=3, cost_a=0.1, cost_b=0.1, exponent=2.0)
    s_a, s_b = 2.0 * 1.1**3, 1.0 * 1.3**3
    assert t.p_before == pytest.approx(4.0 / 5.0)
    assert t.p_after == pytest.approx(s_a**2 / (s_a**2 + s_b**2))
    assert t.gainer == "b"


def test_ranges_are_fearon_ranges_and_survival_means_overlap():
    t = truce(1.0, 1.0, 0.0, 0.2, 2, 0.03, 0.03)
    assert t.range_before == fearon_range(0.5, 0.03, 0.03)
    assert t.range_after == fearon_range(t.p_after, 0.03, 0.03)
    assert t.p_after == pytest.approx(1 / 2.44)
    assert not t.deal_survives  # the truce moves p by 0.09 > 0.06
    assert t.range_after.high < t.range_before.low


def test_discounting_lets_a_truce_end_the_old_range_yet_stay_self_enforcing():
    # p moves by 0.09 > c_A + c_B = 0.04, but the shift only bites after two periods.
    t = truce(1.0, 1.0, 0.0, 0.2, 2, 0.04, 0.0, delta=0.4)
    assert abs(t.p_after - t.p_before) > 0.04 and not t.deal_survives
    assert t.shift == pytest.approx(0.4**2 * (t.p_after - t.p_before))
    assert abs(t.shift) < 0.04 and t.self_enforcing
    assert not truce(1.0, 1.0, 0.0, 0.2, 2, 0.04, 0.0, delta=0.95).self_enforcing


def test_equal_strength_and_growth_change_nothing():
    t = truce(1.0, 1.0, 0.1, 0.1, 5, 0.1, 0.1)
    assert t.p_after == pytest.approx(0.5) and t.gainer is None
    assert t.deal_survives and t.self_enforcing and t.shift == pytest.approx(0.0)


def test_a_regrouping_side_leaves_the_truce_with_optimism_that_means_war():
    # The seed article's worry: A (Russia) regroups during the pause and expects more than it
    # gets; B (Ukraine) expects the truce to favour itself.
    t = truce(
        1.0,
        1.0,
        growth_a=0.1,
        growth_b=0.05,
        length=2,
        cost_a=0.05,
        cost_b=0.05,
        belief_growth_a=0.3,
        belief_growth_b=(0.0, 0.15),
    )
    assert t.believed_p_a == pytest.approx(1.69 / (1.69 + 1.1025))
    assert t.believed_p_b == pytest.approx(1 / (1 + 1.3225))
    assert t.post_truce_optimism == mutual_optimism(t.believed_p_a, t.believed_p_b, 0.05, 0.05)
    assert t.post_range_empty and t.post_truce_optimism.war
    # Without beliefs both sides expect the true p: no optimism.
    plain = truce(1.0, 1.0, 0.1, 0.05, 2, 0.05, 0.05)
    assert plain.believed_p_a == plain.believed_p_b == plain.p_after
    assert not plain.post_range_empty


@given(
    s_a=strengths,
    s_b=strengths,
    g_a=growths,
    g_b=growths,
    cost_a=costs,
    cost_b=costs,
    delta=st.floats(0.05, 0.95),
)
def test_a_one_period_truce_is_commitment_problem_in_issue_units(
    s_a, s_b, g_a, g_b, cost_a, cost_b, delta
):
    t = truce(s_a, s_b, g_a, g_b, 1, cost_a, cost_b, delta=delta)
    c = commitment_problem(
        [t.p_before, t.p_after], delta, cost_a / (1 - delta), cost_b / (1 - delta)
    )
    if abs(abs(t.shift) - (cost_a + cost_b)) > 1e-9:  # away from the tie
        assert t.self_enforcing == (not c.any)
    assert t.shift == pytest.approx(c.jumps[0] * (1 - delta), abs=1e-12)


@given(s_a=strengths, s_b=strengths, g_a=growths, g_b=growths, cost_a=costs, cost_b=costs)
def test_surviving_deals_are_self_enforcing_and_swapping_sides_mirrors_p(
    s_a, s_b, g_a, g_b, cost_a, cost_b
):
    t = truce(s_a, s_b, g_a, g_b, 3, cost_a, cost_b)
    assert not t.deal_survives or t.self_enforcing
    mirror = truce(s_b, s_a, g_b, g_a, 3, cost_b, cost_a)
    assert mirror.p_after == pytest.approx(1 - t.p_after, abs=1e-12)
    assert mirror.deal_survives == t.deal_survives


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"strength_a": 0.0}, "strength_a"),
        ({"growth_b": -1.0}, "growth_b"),
        ({"length": 0}, "length"),
        ({"cost_a": -0.1}, "cost_a"),
        ({"exponent": 0.0}, "exponent"),
        ({"delta": 1.0}, "delta"),
        ({"belief_growth_a": (0.1, 0.2, 0.3)}, "belief_growth_a"),
        ({"belief_growth_b": (0.1, -2.0)}, r"belief_growth_b\[1\]"),
    ],
)
def test_bad_arguments_are_named(kwargs, name):
    args = {
        "strength_a": 1.0,
        "strength_b": 1.0,
        "growth_a": 0.1,
        "growth_b": 0.0,
        "length": 2,
        "cost_a": 0.1,
        "cost_b": 0.1,
    } | kwargs
    with pytest.raises(UsageError, match=rf"^{name}"):
        truce(**args)
