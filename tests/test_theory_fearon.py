"""Fearon's bargaining range, mutual optimism and screening against closed forms and brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacetalks.errors import UsageError
from peacetalks.theory import (
    ConvergenceError,
    fearon_range,
    mutual_optimism,
    screening,
    screening_numeric,
)

unit = st.floats(0.0, 1.0, allow_nan=False)
cost = st.floats(0.0, 2.0, allow_nan=False)


def uniform(low: float, high: float):
    """The CDF and PDF of U[low, high] as vectorised functions."""
    return (
        lambda y: np.clip((y - low) / (high - low), 0.0, 1.0),
        lambda y: np.where((y >= low) & (y <= high), 1.0 / (high - low), 0.0),
    )


def brute_force_demand(p: float, cost_a: float, cdf, top: float, low: float = 0.0):
    """A's best demand on a dense grid, straight from the definition of its payoff."""
    y = np.linspace(low, top, 200_001)
    share = cdf(y)
    payoff = (1 - share) * (p + y) + share * (p - cost_a)
    best = int(np.argmax(payoff))
    return p + y[best], float(share[best]), float(payoff[best])


# --- the bargaining range -------------------------------------------------------------------


def test_range_is_p_minus_cost_a_to_p_plus_cost_b():
    r = fearon_range(0.6, 0.1, 0.25)
    assert r.low == pytest.approx(0.5)
    assert r.high == pytest.approx(0.85)
    assert r.war_value_a == pytest.approx(0.5)
    assert r.war_value_b == pytest.approx(0.15)
    assert not r.empty
    assert r.contains(0.6) and not r.contains(0.9)


def test_range_outside_the_pie_is_reported_and_clipped():
    r = fearon_range(0.95, 0.1, 0.2)
    assert r.high == pytest.approx(1.15)
    assert r.feasible_high == 1.0
    assert r.feasible_low == pytest.approx(0.85)
    r = fearon_range(0.05, 0.3, 0.0)
    assert r.low == pytest.approx(-0.25) and r.feasible_low == 0.0


def test_zero_costs_leave_a_single_share():
    r = fearon_range(0.4, 0.0, 0.0)
    assert r.low == r.high == 0.4 and not r.empty


@given(p=unit, cost_a=cost, cost_b=cost)
def test_range_always_contains_p_and_its_feasible_part_lies_in_the_pie(p, cost_a, cost_b):
    r = fearon_range(p, cost_a, cost_b)
    assert r.low <= p <= r.high and not r.empty
    assert 0.0 <= r.feasible_low <= p <= r.feasible_high <= 1.0
    # every share in the range is at least as good as war for both sides
    for x in np.linspace(r.feasible_low, r.feasible_high, 5):
        assert x >= r.war_value_a - 1e-12 and 1 - x >= r.war_value_b - 1e-12


# --- mutual optimism ------------------------------------------------------------------------


def test_mutual_optimism_war_iff_gap_exceeds_total_cost():
    m = mutual_optimism(0.8, 0.4, 0.1, 0.1)
    assert m.war and m.gap == pytest.approx(0.2) and m.range is None
    m = mutual_optimism(0.6, 0.5, 0.1, 0.1)
    assert not m.war and m.gap == pytest.approx(-0.1)
    assert m.range is not None
    assert (m.range.low, m.range.high) == pytest.approx((0.5, 0.6))


def test_a_tie_in_floating_point_counts_as_peace():
    # 0.7 - 0.5 - 0.1 - 0.1 is 2.8e-17 in binary floating point.
    assert not mutual_optimism(0.7, 0.5, 0.1, 0.1).war


@given(p_a=unit, p_b=unit, cost_a=cost, cost_b=cost)
def test_mutual_optimism_war_iff_no_share_satisfies_both_beliefs(p_a, p_b, cost_a, cost_b):
    m = mutual_optimism(p_a, p_b, cost_a, cost_b)
    assert m.war == (m.range is None)
    if m.range is not None:
        x = (m.range.low + m.range.high) / 2
        assert x >= p_a - cost_a - 1e-12  # A expects p_a - c_A from war
        assert 1 - x >= 1 - p_b - cost_b - 1e-12  # B expects 1 - p_b - c_B
    else:
        assert p_a - cost_a > p_b + cost_b


# --- screening ------------------------------------------------------------------------------


def test_screening_reproduces_the_check_in_models_md():
    s = screening(p=0.5, cost_a=0.1, cost_b_high=0.4)
    assert s.demand == pytest.approx(0.65)
    assert s.war_probability == pytest.approx(0.375)
    assert s.expected_value_a == pytest.approx(0.625 * 0.65 + 0.375 * 0.4)
    assert s.method == "closed form"


@pytest.mark.parametrize(
    ("p", "cost_a", "high", "low"),
    [
        (0.5, 0.1, 0.4, 0.0),  # models.md
        (0.3, 0.05, 0.6, 0.1),  # interior optimum with a lower bound
        (0.5, 0.3, 0.4, 0.1),  # corner: A demands p + low, no war
        (0.5, 0.1, 0.4, 0.2),  # corner again
        (0.9, 0.0, 0.4, 0.0),  # the pie caps the demand at 1
        (0.2, 0.5, 0.4, 0.0),  # c_A >= c̄: no risk worth taking
    ],
)
def test_screening_closed_form_equals_brute_force_and_numeric(p, cost_a, high, low):
    exact = screening(p, cost_a, high, low)
    cdf, pdf = uniform(low, high)
    demand, war, value = brute_force_demand(p, cost_a, cdf, top=min(high, 1 - p), low=low)
    assert exact.demand == pytest.approx(demand, abs=1e-5)
    assert exact.war_probability == pytest.approx(war, abs=1e-4)
    assert exact.expected_value_a == pytest.approx(value, abs=1e-9)
    numeric = screening_numeric(p, cost_a, cdf, pdf, low, high)
    assert numeric.method == "numeric"
    assert numeric.demand == pytest.approx(exact.demand, abs=1e-9)
    assert numeric.war_probability == pytest.approx(exact.war_probability, abs=1e-9)
    assert numeric.expected_value_a == pytest.approx(exact.expected_value_a, abs=1e-12)


def test_when_even_the_whole_pie_is_below_every_types_limit_there_is_no_war():
    # 1 - p = 0.1 < low = 0.2: A demands everything and every type accepts; the cdf is not
    # evaluated outside its support.
    s = screening_numeric(0.9, 0.1, lambda y: (y - 0.2) / 0.2, lambda y: 0 * y + 5, 0.2, 0.4)
    assert (s.demand, s.war_probability, s.expected_value_a) == (1.0, 0.0, 1.0)
    assert screening(0.9, 0.1, 0.4, 0.2) == s.__class__(1.0, 0.0, 1.0, "closed form")


def test_screening_with_a_lower_bound_has_the_same_interior_demand():
    # The stationary point (c̄ - c_A)/2 does not depend on the lower bound; P(war) does.
    s = screening(0.3, 0.05, 0.6, 0.1)
    assert s.demand == pytest.approx(0.3 + 0.275)
    assert s.war_probability == pytest.approx((0.275 - 0.1) / 0.5)


def test_screening_numeric_for_a_non_uniform_cost_matches_brute_force():
    # c_B ~ 0.5·Beta(2, 2): F(y) = 3u² - 2u³, f(y) = 6u(1 - u)/0.5 with u = y/0.5.
    def cdf(y):
        u = np.clip(y / 0.5, 0, 1)
        return 3 * u**2 - 2 * u**3

    def pdf(y):
        u = np.clip(y / 0.5, 0, 1)
        return 6 * u * (1 - u) / 0.5

    s = screening_numeric(0.4, 0.05, cdf, pdf, 0.0, 0.5)
    demand, war, value = brute_force_demand(0.4, 0.05, cdf, top=0.5)
    assert s.demand == pytest.approx(demand, abs=1e-5)
    assert s.war_probability == pytest.approx(war, abs=1e-4)
    assert s.expected_value_a == pytest.approx(value, abs=1e-9)
    y = s.demand - 0.4  # the first-order condition holds at the optimum
    assert 1 - cdf(y) - pdf(y) * (y + 0.05) == pytest.approx(0, abs=1e-9)


def test_screening_numeric_refuses_a_pdf_that_does_not_match_the_cdf():
    cdf, _ = uniform(0.0, 0.4)
    with pytest.raises(ConvergenceError, match="bracket"):
        screening_numeric(0.5, 0.1, cdf, lambda y: 0 * y + 5.0, 0.0, 0.4)


def test_screening_numeric_refuses_a_cdf_that_is_not_a_cdf():
    _, pdf = uniform(0.0, 0.4)
    with pytest.raises(UsageError, match="cdf"):
        screening_numeric(0.5, 0.1, lambda y: 2 * y / 0.4, pdf, 0.0, 0.4)
    with pytest.raises(UsageError, match="cdf"):
        screening_numeric(0.5, 0.1, lambda y: np.nan * y, pdf, 0.0, 0.4)
    with pytest.raises(UsageError, match="non-decreasing"):
        screening_numeric(0.5, 0.1, lambda y: 1 - y / 0.4, pdf, 0.0, 0.4)
    with pytest.raises(UsageError, match="cdf"):
        screening_numeric(0.5, 0.1, "uniform", pdf, 0.0, 0.4)


@given(
    p=unit,
    cost_a=st.floats(0.0, 1.0),
    high=st.floats(0.01, 1.0),
    low_share=st.floats(0.0, 0.99),
    y=st.floats(0.0, 1.0),
)
def test_no_demand_beats_the_screening_optimum(p, cost_a, high, low_share, y):
    low = low_share * high
    s = screening(p, cost_a, high, low)
    assert p <= s.demand <= 1.0
    assert 0.0 <= s.war_probability <= 1.0
    other = min(p + y, 1.0)
    accept = np.clip((high - (other - p)) / (high - low), 0.0, 1.0)  # P(c_B >= x - p)
    assert accept * other + (1 - accept) * (p - cost_a) <= s.expected_value_a + 1e-12


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: fearon_range(1.5, 0.1, 0.1), "p"),
        (lambda: fearon_range(float("nan"), 0.1, 0.1), "p"),
        (lambda: fearon_range(0.5, -0.1, 0.1), "cost_a"),
        (lambda: fearon_range(0.5, 0.1, float("inf")), "cost_b"),
        (lambda: fearon_range(True, 0.1, 0.1), "p"),
        (lambda: fearon_range("0.5", 0.1, 0.1), "p"),
        (lambda: mutual_optimism(0.5, -0.2, 0.1, 0.1), "p_b"),
        (lambda: screening(0.5, 0.1, 0.2, 0.3), "cost_b_low"),
        (lambda: screening(0.5, 0.1, -0.2), "cost_b_high"),
        (lambda: screening_numeric(0.5, 0.1, np.sqrt, np.sqrt, 0.4, 0.4), "high"),
        (lambda: screening_numeric(0.5, 0.1, np.sqrt, np.sqrt, 0.0, 0.4, grid=2), "grid"),
    ],
)
def test_bad_arguments_are_named(call, name):
    with pytest.raises(UsageError, match=rf"^{name}\b"):
        call()
