"""The war of attrition: closed forms, seeded Monte Carlo, indifference and best responses."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetalks.errors import UsageError
from peacetalks.theory import (
    ConvergenceError,
    attrition_hazards,
    concession_time,
    concession_time_uniform,
    time_varying_hazards,
)

positive = st.floats(0.05, 5.0)


# --- the stationary mixed equilibrium -------------------------------------------------------


def test_hazards_are_the_rivals_cost_prize_ratios():
    e = attrition_hazards(cost_a=1.0, prize_a=10.0, cost_b=2.0, prize_b=5.0)
    assert e.hazard_b == pytest.approx(0.1)  # keeps A indifferent
    assert e.hazard_a == pytest.approx(0.4)  # keeps B indifferent
    assert e.expected_duration == pytest.approx(2.0)
    assert e.median_duration == pytest.approx(np.log(2) * 2.0)
    assert e.probability_a_wins == pytest.approx(0.2)


def test_expected_duration_and_winner_match_a_monte_carlo_of_two_exponential_clocks():
    e = attrition_hazards(1.0, 4.0, 3.0, 10.0)
    rng = np.random.default_rng(20250101)
    clock_a = rng.exponential(1 / e.hazard_a, 400_000)
    clock_b = rng.exponential(1 / e.hazard_b, 400_000)
    duration = np.minimum(clock_a, clock_b)
    assert duration.mean() == pytest.approx(e.expected_duration, rel=0.01)
    assert np.median(duration) == pytest.approx(e.median_duration, rel=0.01)
    assert (clock_b < clock_a).mean() == pytest.approx(e.probability_a_wins, abs=0.003)
    for t in (0.5, 1.0, 3.0):
        assert (duration > t).mean() == pytest.approx(e.survival(t), abs=0.003)
        assert (clock_a <= t).mean() == pytest.approx(e.concession_cdf(t, "a"), abs=0.003)


def payoff_of_conceding_at(stop, hazard, cost, prize):
    """A's expected payoff from conceding at `stop` if B concedes at the constant `hazard`.

    ∫_0^stop h e^{-hs} (V - c s) ds  (B concedes first at s)  +  e^{-h stop}(-c stop).
    """
    s = np.linspace(0.0, stop, 200_001)
    density = hazard * np.exp(-hazard * s) * (prize - cost * s)
    return np.trapezoid(density, s) - np.exp(-hazard * stop) * cost * stop


def test_the_equilibrium_hazard_makes_the_rival_indifferent_between_all_stopping_times():
    cost, prize = 1.5, 6.0
    e = attrition_hazards(cost_a=cost, prize_a=prize, cost_b=1.0, prize_b=1.0)
    for stop in (0.5, 2.0, 7.0):
        assert payoff_of_conceding_at(stop, e.hazard_b, cost, prize) == pytest.approx(0, abs=1e-8)
        # A faster-conceding rival makes holding on worth it; a slower one makes it a loss.
        assert payoff_of_conceding_at(stop, 1.5 * e.hazard_b, cost, prize) > 1e-3
        assert payoff_of_conceding_at(stop, 0.5 * e.hazard_b, cost, prize) < -1e-3


def test_survival_and_cdf_take_arrays_and_check_their_input():
    e = attrition_hazards(1.0, 1.0, 1.0, 1.0)
    assert e.survival(np.array([0.0, 1.0])) == pytest.approx([1.0, np.exp(-2.0)])
    assert isinstance(e.survival(1.0), float)
    with pytest.raises(UsageError, match=r"^t"):
        e.survival(-1.0)
    with pytest.raises(UsageError, match=r"^side"):
        e.concession_cdf(1.0, "c")


def test_one_costless_side_never_concedes_the_other_way():
    e = attrition_hazards(0.0, 1.0, 1.0, 2.0)
    assert e.hazard_b == 0.0 and e.probability_a_wins == 0.0
    with pytest.raises(UsageError, match="cost_a and cost_b cannot both be zero"):
        attrition_hazards(0.0, 1.0, 0.0, 1.0)


@given(cost_a=positive, prize_a=positive, cost_b=positive, prize_b=positive)
def test_stationary_probabilities_are_consistent(cost_a, prize_a, cost_b, prize_b):
    e = attrition_hazards(cost_a, prize_a, cost_b, prize_b)
    assert 0.0 < e.probability_a_wins < 1.0
    assert e.expected_duration == pytest.approx(1 / (cost_a / prize_a + cost_b / prize_b))
    # A's own prize rising lowers B's hazard... and so lowers A's chance of winning.
    richer = attrition_hazards(cost_a, 2 * prize_a, cost_b, prize_b)
    assert richer.probability_a_wins < e.probability_a_wins


# --- time-varying hazards (fatigue) ---------------------------------------------------------


def test_constant_arrays_reproduce_the_stationary_case():
    e = attrition_hazards(1.0, 4.0, 3.0, 10.0)
    n, dt = 200, 0.25
    w = time_varying_hazards(np.full(n, 1.0), np.full(n, 4.0), np.full(n, 3.0), 10.0, dt)
    total = e.hazard_a + e.hazard_b
    times = dt * np.arange(1, n + 1)
    assert w.hazard_a == pytest.approx([e.hazard_a] * n)
    assert w.survival == pytest.approx(np.exp(-total * times))
    assert w.conceded_b == pytest.approx(e.probability_a_wins * (1 - np.exp(-total * times)))
    assert w.horizon == pytest.approx(50.0)
    assert w.expected_duration == pytest.approx((1 - np.exp(-total * 50.0)) / total)
    assert w.expected_duration == pytest.approx(e.expected_duration, rel=1e-6)
    assert w.probability_ongoing == pytest.approx(e.survival(50.0))


def test_fatigue_matches_a_monte_carlo_of_piecewise_exponential_clocks():
    # A's costs rise and its prize (support) falls over 8 periods of length 0.5.
    cost_a = np.linspace(0.5, 2.0, 8)
    prize_a = np.linspace(4.0, 2.0, 8)
    cost_b, prize_b, dt = 1.0, np.linspace(5.0, 6.0, 8), 0.5
    w = time_varying_hazards(cost_a, prize_a, cost_b, prize_b, dt)
    knots = dt * np.arange(9)
    rng = np.random.default_rng(7)
    clocks = []
    for hazards in (np.array(w.hazard_a), np.array(w.hazard_b)):
        cumulative = np.concatenate(([0.0], np.cumsum(hazards * dt)))
        draws = rng.exponential(1.0, 400_000)
        clock = np.interp(draws, cumulative, knots)
        clock[draws > cumulative[-1]] = np.inf
        clocks.append(clock)
    clock_a, clock_b = clocks
    horizon = knots[-1]
    assert ((clock_a < clock_b) & (clock_a <= horizon)).mean() == pytest.approx(
        w.conceded_a[-1], abs=0.003
    )
    assert ((clock_b < clock_a) & (clock_b <= horizon)).mean() == pytest.approx(
        w.conceded_b[-1], abs=0.003
    )
    duration = np.minimum(np.minimum(clock_a, clock_b), horizon)
    assert duration.mean() == pytest.approx(w.expected_duration, rel=0.01)
    assert (duration >= horizon).mean() == pytest.approx(w.probability_ongoing, abs=0.003)


@settings(max_examples=50)
@given(
    costs=st.lists(st.floats(0.0, 3.0), min_size=1, max_size=20),
    prize=positive,
    cost_b=positive,
    dt=st.floats(0.01, 2.0),
)
def test_every_period_splits_into_conceded_by_a_by_b_or_still_on(costs, prize, cost_b, dt):
    w = time_varying_hazards(costs, prize, cost_b, prize, dt)
    total = np.array(w.conceded_a) + np.array(w.conceded_b) + np.array(w.survival)
    assert total == pytest.approx(np.ones(len(costs)))
    assert np.all(np.diff(w.survival) <= 1e-15)
    assert 0.0 <= w.expected_duration <= w.horizon + 1e-12


def test_time_varying_arguments_are_checked():
    with pytest.raises(UsageError, match="same number of periods"):
        time_varying_hazards([1.0, 2.0], [1.0, 2.0, 3.0], 1.0, 1.0, 1.0)
    with pytest.raises(UsageError, match=r"^prize_b"):
        time_varying_hazards(1.0, 1.0, 1.0, [1.0, 0.0], 1.0)
    with pytest.raises(UsageError, match=r"^cost_a"):
        time_varying_hazards([-1.0], 1.0, 1.0, 1.0, 1.0)
    with pytest.raises(UsageError, match=r"^dt"):
        time_varying_hazards(1.0, 1.0, 1.0, 1.0, 0.0)
    with pytest.raises(UsageError, match=r"^cost_b"):
        time_varying_hazards(1.0, 1.0, [[1.0]], 1.0, 1.0)


# --- incomplete information: Alesina-Drazen concession times --------------------------------


def uniform_on(a, b):
    return (lambda s: (s - a) / (b - a), lambda s: 0 * s + 1 / (b - a))


def test_models_md_check_for_uniform_types_on_1_2():
    cdf, pdf = uniform_on(1.0, 2.0)
    t = concession_time([1.2, 1.5, 1.8], 1.0, cdf, pdf, 1.0, 2.0)
    assert t.times == pytest.approx([1.099, 0.405, 0.118], abs=5e-4)
    assert t.method == "quadrature" and t.nodes >= 64


@pytest.mark.parametrize(("a", "b", "prize"), [(1.0, 2.0, 1.0), (0.0, 3.0, 2.5), (0.2, 0.5, 7.0)])
def test_uniform_closed_form_equals_quadrature(a, b, prize):
    thetas = np.linspace(a, b, 41)[1:]  # up to and including b; a itself is infinite
    cdf, pdf = uniform_on(a, b)
    numeric = concession_time(thetas, prize, cdf, pdf, a, b)
    exact = concession_time_uniform(thetas, prize, a, b)
    assert numeric.times == pytest.approx(exact.times, rel=1e-9, abs=1e-12)
    assert numeric.error_estimate < 1e-9
    assert exact.times[-1] == 0.0


def test_the_lowest_type_never_concedes_and_times_scale_with_the_prize():
    cdf, pdf = uniform_on(1.0, 2.0)
    t = concession_time([1.0, 2.0], 1.0, cdf, pdf, 1.0, 2.0)
    assert t.times == (np.inf, 0.0)
    double = concession_time_uniform([1.3, 1.7], 2.0, 1.0, 2.0)
    single = concession_time_uniform([1.3, 1.7], 1.0, 1.0, 2.0)
    assert double.times == pytest.approx(2 * np.array(single.times))


def test_quadrature_for_a_non_uniform_distribution_matches_a_dense_midpoint_rule():
    # theta ~ 1 + Beta(2, 2): F(u) = 3u² - 2u³ with u = theta - 1.
    def cdf(s):
        u = s - 1.0
        return 3 * u**2 - 2 * u**3

    def pdf(s):
        u = s - 1.0
        return 6 * u * (1 - u)

    t = concession_time([1.3, 1.6], 2.0, cdf, pdf, 1.0, 2.0)
    for theta, value in zip((1.3, 1.6), t.times, strict=True):
        edges = np.linspace(theta, 2.0, 2_000_001)
        s = (edges[1:] + edges[:-1]) / 2
        reference = np.sum(2.0 * pdf(s) / (s * cdf(s))) * (edges[1] - edges[0])
        assert value == pytest.approx(reference, rel=1e-8)


def test_a_type_best_responds_to_rivals_using_T_by_conceding_at_T():
    """Brute force: the expected payoff of every stopping time on a grid, rivals ~ U[1, 2]."""
    prize = 1.0
    edges = np.linspace(1.0, 2.0, 1_000_001)
    rivals = (edges[1:] + edges[:-1]) / 2  # rival types, each with weight 1e-6
    rival_times = np.array(concession_time_uniform(rivals, prize, 1.0, 2.0).times)
    order = np.argsort(rival_times)
    times = rival_times[order]
    weight = np.full(times.size, 1.0 / times.size)
    mass = np.concatenate(([0.0], np.cumsum(weight)))
    mass_time = np.concatenate(([0.0], np.cumsum(weight * times)))
    stops = np.arange(0.0, 3.0, 0.001)
    for theta in (1.2, 1.5, 1.8):
        first = np.searchsorted(times, stops, side="left")  # rivals who concede before `stop`
        payoff = prize * mass[first] - theta * mass_time[first] - theta * stops * (1 - mass[first])
        best = stops[int(np.argmax(payoff))]
        target = concession_time_uniform(theta, prize, 1.0, 2.0).times[0]
        assert best == pytest.approx(target, abs=0.002), theta


def test_a_density_with_a_jump_does_not_converge_and_says_so():
    # Piecewise-uniform: density 1.5 on [1, 1.5], 0.5 on [1.5, 2]. The jump at 1.5 slows
    # Gauss-Legendre to O(1/n), so 1e-10 is never reached: an error, not a number.
    def cdf(s):
        return np.where(s < 1.5, 1.5 * (s - 1), 0.75 + 0.5 * (s - 1.5))

    def pdf(s):
        return np.where(s < 1.5, 1.5, 0.5)

    with pytest.raises(ConvergenceError, match="did not converge"):
        concession_time(1.2, 1.0, cdf, pdf, 1.0, 2.0)


def test_concession_time_arguments_are_checked():
    cdf, pdf = uniform_on(1.0, 2.0)
    with pytest.raises(UsageError, match=r"^theta must lie"):
        concession_time(2.5, 1.0, cdf, pdf, 1.0, 2.0)
    with pytest.raises(UsageError, match=r"^theta_high"):
        concession_time(1.5, 1.0, cdf, pdf, 2.0, 1.0)
    with pytest.raises(UsageError, match=r"^prize"):
        concession_time_uniform(1.5, 0.0, 1.0, 2.0)
    with pytest.raises(UsageError, match=r"^cdf must be > 0"):
        # the support really starts at 1.5, not at theta_low = 1
        concession_time(1.2, 1.0, lambda s: np.clip(2 * (s - 1.5), 0, 1), pdf, 1.0, 2.0)
    with pytest.raises(UsageError, match=r"^pdf"):
        concession_time(1.2, 1.0, cdf, lambda s: -s, 1.0, 2.0)
