"""Slantchev-style learning from battles: reproducibility and Bayesian updating."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacetalks.errors import UsageError
from peacetalks.theory import convergence

priors = st.tuples(st.floats(0.1, 20.0), st.floats(0.1, 20.0))


def test_same_seed_same_numbers_and_another_seed_other_battles():
    first = convergence(0.6, (8, 2), (2, 8), 0.05, 0.05, periods=40, seed=11)
    again = convergence(0.6, (8, 2), (2, 8), 0.05, 0.05, periods=40, seed=11)
    other = convergence(0.6, (8, 2), (2, 8), 0.05, 0.05, periods=40, seed=12)
    assert first == again and first.to_json() == again.to_json()
    assert first.outcomes != other.outcomes


def test_outcomes_are_the_documented_draws():
    c = convergence(0.3, (1, 1), (1, 1), 0.1, 0.1, periods=25, seed=5)
    expected = np.random.default_rng(5).random(25) < 0.3
    assert c.outcomes == tuple(int(b) for b in expected)


def test_posterior_means_follow_sequential_bayesian_updating():
    c = convergence(0.5, (3, 1), (1, 3), 0.05, 0.1, periods=60, seed=3)
    for prior, path in (((3.0, 1.0), c.belief_a), ((1.0, 3.0), c.belief_b)):
        alpha, beta = prior
        means = [alpha / (alpha + beta)]
        for outcome in c.outcomes:  # one battle at a time: a win for A adds to alpha
            alpha, beta = alpha + outcome, beta + 1 - outcome
            means.append(alpha / (alpha + beta))
        assert path == pytest.approx(means)
    gaps = np.array(c.belief_a) - np.array(c.belief_b) - 0.15
    assert c.gap == pytest.approx(gaps)
    assert c.threshold == pytest.approx(0.15)
    first = int(np.flatnonzero(gaps <= 1e-12)[0])
    assert c.settlement_period == first and first > 0


def test_shared_priors_settle_at_once_and_a_huge_gap_may_never_close():
    assert convergence(0.5, (2, 2), (2, 2), 0.0, 0.0, periods=5, seed=0).settlement_period == 0
    c = convergence(0.5, (1000, 1), (1, 1000), 0.0, 0.0, periods=10, seed=0)
    assert c.settlement_period is None and len(c.belief_a) == 11


@given(
    p=st.floats(0.0, 1.0),
    prior_a=priors,
    prior_b=priors,
    seed=st.integers(0, 2**32),
    periods=st.integers(1, 60),
)
def test_beliefs_are_probabilities_and_the_gap_shrinks_towards_zero(
    p, prior_a, prior_b, seed, periods
):
    c = convergence(p, prior_a, prior_b, 0.02, 0.02, periods, seed)
    assert c == convergence(p, prior_a, prior_b, 0.02, 0.02, periods, seed)
    beliefs = np.array([c.belief_a, c.belief_b])
    assert np.all((beliefs > 0) & (beliefs < 1))
    # p̂_i(t) = w_i·(prior mean) + (1 - w_i)·(win share) with w_i = n_i/(n_i + t), so the
    # disagreement is at most w_A + w_B, which shrinks like 1/t: the evidence washes it out.
    t = np.arange(periods + 1)
    bound = sum(prior_a) / (sum(prior_a) + t) + sum(prior_b) / (sum(prior_b) + t)
    assert np.all(np.abs(beliefs[0] - beliefs[1]) <= bound + 1e-12)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"p_true": 1.2}, "p_true"),
        ({"prior_a": (0.0, 1.0)}, r"prior_a\[0\]"),
        ({"prior_b": (1.0,)}, "prior_b"),
        ({"prior_b": "ab"}, "prior_b"),
        ({"periods": 0}, "periods"),
        ({"periods": 2.5}, "periods"),
        ({"seed": -1}, "seed"),
        ({"cost_b": -0.1}, "cost_b"),
    ],
)
def test_bad_arguments_are_named(kwargs, name):
    args = {
        "p_true": 0.5,
        "prior_a": (2, 1),
        "prior_b": (1, 2),
        "cost_a": 0.1,
        "cost_b": 0.1,
        "periods": 10,
        "seed": 1,
    } | kwargs
    with pytest.raises(UsageError, match=rf"^{name}"):
        convergence(**args)
