"""Rubinstein bargaining: closed forms, the δ → 1 limit and backward induction of a long game."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacetalks.errors import UsageError
from peacetalks.theory import rubinstein_shares

deltas = st.floats(0.01, 0.99)
options = st.floats(-0.5, 1.0)


def backward_induction(d1, d2, w1, w2, rounds):
    """Solve a finite alternating-offers game by backward induction.

    Player 1 proposes in even rounds. The responder accepts, rejects (the game moves to the next
    round, discounted) or walks away; the proposer may also walk away. Walking away, and the end
    of the last round, give both players their outside options. Returns player 1's and player
    2's payoffs at the start and whether round 0 ends in agreement.
    """
    delta, option = (d1, d2), (w1, w2)
    value = [w1, w2]  # continuation payoffs at the start of the next round
    agreed = False
    for k in reversed(range(rounds)):
        i, j = (0, 1) if k % 2 == 0 else (1, 0)
        wait_j = delta[j] * value[j]
        threshold = max(option[j], wait_j)  # the least j accepts
        # If the offer is refused, j walks away (both get options) or waits.
        walks = option[j] >= wait_j
        refused = (option[i], option[j]) if walks else (delta[i] * value[i], wait_j)
        proposals = {
            "agree": (1.0 - threshold, threshold),
            "refused": refused,
            "walk": (option[i], option[j]),
        }
        choice = max(proposals, key=lambda name: (proposals[name][0], name == "agree"))
        payoff_i, payoff_j = proposals[choice]
        value = [0.0, 0.0]
        value[i], value[j] = payoff_i, payoff_j
        agreed = choice == "agree"
    return value[0], value[1], agreed


def test_closed_form_without_outside_options():
    r = rubinstein_shares(0.9, 0.8)
    assert r.proposer_share == pytest.approx(0.2 / 0.28)
    assert r.responder_share == pytest.approx(0.8 * 0.1 / 0.28)
    assert r.binding == () and r.agreement


def test_equal_patience_tends_to_an_even_split():
    assert rubinstein_shares(0.999999, 0.999999).proposer_share == pytest.approx(0.5, abs=1e-6)
    assert rubinstein_shares(0.9, 0.9).proposer_share == pytest.approx(1 / 1.9)


def test_the_more_patient_player_gets_more():
    assert rubinstein_shares(0.95, 0.5).proposer_share > rubinstein_shares(0.5, 0.95).proposer_share
    assert rubinstein_shares(0.5, 0.95).proposer_share < 0.5


def test_an_outside_option_below_the_rubinstein_share_does_not_bind():
    plain = rubinstein_shares(0.9, 0.9)
    r = rubinstein_shares(0.9, 0.9, outside_1=0.3, outside_2=0.4)
    assert r.proposer_share == pytest.approx(plain.proposer_share)
    assert r.binding == ()


def test_the_responders_binding_option_is_exactly_what_it_gets():
    r = rubinstein_shares(0.9, 0.9, outside_2=0.6)
    assert r.responder_share == pytest.approx(0.6)
    assert r.proposer_share == pytest.approx(0.4)
    assert r.binding == (2,)


def test_the_proposers_option_binds_through_its_role_as_responder():
    # Player 1 gets δ1(1 - δ2)/(1 - δ1δ2) = 0.4737 when player 2 proposes; 0.5 beats that.
    r = rubinstein_shares(0.9, 0.9, outside_1=0.5)
    assert r.binding == (1,)
    assert r.responder_share == pytest.approx(0.9 * 0.5)
    assert r.proposer_share == pytest.approx(1 - 0.45)


def test_options_that_do_not_fit_in_the_pie_mean_no_agreement():
    r = rubinstein_shares(0.9, 0.9, outside_1=0.6, outside_2=0.6)
    assert not r.agreement
    assert (r.proposer_share, r.responder_share) == (0.6, 0.6)
    assert r.binding == (1, 2)
    assert rubinstein_shares(0.9, 0.9, outside_1=1.2, outside_2=-0.1).binding == (1,)


@pytest.mark.parametrize(
    ("d1", "d2", "w1", "w2"),
    [
        (0.9, 0.9, 0.0, 0.0),
        (0.9, 0.6, 0.0, 0.0),
        (0.7, 0.95, 0.0, 0.0),
        (0.9, 0.9, 0.0, 0.6),  # 2's option binds
        (0.9, 0.9, 0.5, 0.0),  # 1's option binds
        (0.8, 0.9, 0.45, 0.5),  # both bind, agreement
        (0.8, 0.9, 0.2, 0.3),  # neither binds
        (0.9, 0.9, 0.6, 0.6),  # no agreement
        (0.6, 0.7, -0.2, 0.9),
    ],
)
def test_long_finite_games_converge_to_the_formula(d1, d2, w1, w2):
    formula = rubinstein_shares(d1, d2, w1, w2)
    for rounds in (400, 401):  # either player may have the last word
        v1, v2, agreed = backward_induction(d1, d2, w1, w2, rounds)
        assert agreed == formula.agreement
        assert v1 == pytest.approx(formula.proposer_share, abs=1e-9)
        assert v2 == pytest.approx(formula.responder_share, abs=1e-9)


@given(d1=deltas, d2=deltas, w1=options, w2=options)
def test_random_games_agree_with_backward_induction(d1, d2, w1, w2):
    formula = rubinstein_shares(d1, d2, w1, w2)
    rounds = int(math.log(1e-10) / math.log(max(d1, d2))) + 2  # δ^rounds < 1e-10
    v1, v2, agreed = backward_induction(d1, d2, w1, w2, rounds)
    if abs(w1 + w2 - 1.0) > 1e-9:  # at the exact tie either verdict is an equilibrium
        assert agreed == formula.agreement
    assert v1 == pytest.approx(formula.proposer_share, abs=1e-7)
    assert v2 == pytest.approx(formula.responder_share, abs=1e-7)


@given(d1=deltas, d2=deltas, w1=st.floats(0.0, 1.0), w2=st.floats(0.0, 1.0))
def test_agreed_shares_split_the_pie_and_beat_the_options(d1, d2, w1, w2):
    r = rubinstein_shares(d1, d2, w1, w2)
    if r.agreement:
        assert r.proposer_share + r.responder_share == pytest.approx(1.0)
        assert 0.0 <= r.responder_share <= 1.0 and 0.0 <= r.proposer_share <= 1.0
        assert r.proposer_share >= w1 - 1e-12 and r.responder_share >= w2 - 1e-12
    else:
        assert w1 + w2 > 1.0


@given(delta=deltas)
def test_with_equal_patience_the_first_proposer_gets_at_least_half(delta):
    r = rubinstein_shares(delta, delta)
    assert 0.5 <= r.proposer_share <= 1.0
    assert r.proposer_share + r.responder_share == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"delta_1": 1.0}, "delta_1"),
        ({"delta_2": 0.0}, "delta_2"),
        ({"delta_2": float("nan")}, "delta_2"),
        ({"outside_1": float("inf")}, "outside_1"),
        ({"outside_2": "0.5"}, "outside_2"),
    ],
)
def test_bad_arguments_are_named(kwargs, name):
    with pytest.raises(UsageError, match=rf"^{name}\b"):
        rubinstein_shares(**({"delta_1": 0.9, "delta_2": 0.9} | kwargs))
