"""The expected utility model: its pieces, its properties, and the published cases."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peacetalks
from peacetalks.errors import UsageError
from peacetalks.forecast import ActorTable
from peacetalks.forecast.actors import from_scenario
from peacetalks.forecast.eum import (
    COMPEL,
    COMPROMISE,
    CONFLICT,
    STATUS_QUO,
    EUMSettings,
    eum_paths,
    expected_utility,
    median,
    offers,
    risk_exponents,
    simulate_eum,
    win_probability,
)
from peacetalks.forecast.tables import load_dataset

from .test_forecast import permuted, tables

SCHOLZ_MEDIANS = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]  # Table 2, Q = 1
SCHOLZ_MEANS = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]
MEDIAN_TOLERANCE = 0.30  # measured: largest gap 0.29 in round 2 (see docs/validation/forecast.md)
MEAN_TOLERANCE = 0.07  # Scholz prints one decimal; measured largest gap 0.06


def bdm(variant: EUMSettings, rounds: int = 8) -> tuple[list[float], list[float]]:
    result = simulate_eum(load_dataset("bdm1994_eu_car_emissions"), rounds, settings=variant)
    medians = [float(r.outcome[0]) for r in result.rounds[1:]]
    means = [float(r.extras["mean"][0]) for r in result.rounds[1:]]
    return medians, means


# the pieces


def test_median_is_the_condorcet_winner_among_positions():
    x, w = np.array([4.0, 7.0, 10.0, 10.0]), np.array([1.0, 1.0, 1.0, 1.5])
    assert median(x, w) == 10.0
    assert median(np.array([1.0, 2.0]), np.array([1.0, 1.0])) == 1.0  # a tie: the lower


def test_probabilities_of_the_two_sides_add_up_to_one():
    table = load_dataset("bdm1994_eu_car_emissions")
    x, w = table.position[:, 0], table.capability * table.salience[:, 0]
    p = win_probability(x, w, 6.0)
    apart = x[:, None] != x[None, :]
    assert np.allclose((p + p.T)[apart], 1.0)
    assert p[0, 4] < 0.5 < p[4, 0]  # France (10) beats the Netherlands (4): more weight at 10


def test_expected_utility_with_q_one_and_equal_saliences():
    # two actors, s_j = 1, Q = 1: E = P U_s + (1 - P) U_f - U_sq
    x, s = np.array([0.0, 1.0]), np.array([1.0, 1.0])
    p = np.array([[0.5, 0.25], [0.75, 0.5]])
    eu = expected_utility(x, s, p, np.asarray(0.0), np.asarray(1.0), np.ones((2, 1)), 1.0)
    # d = 1: U_s = 2 - 4 * 0 = 2, U_f = 2 - 4 * 1 = -2, U_sq = 0
    assert eu.tolist() == [[0.0, 0.25 * 2 - 0.75 * 2], [0.75 * 2 - 0.25 * 2, 0.0]]


def test_risk_exponents_span_half_to_two():
    eu = np.array([[0.0, 1.0, 2.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0]])
    r = risk_exponents(eu)
    assert r.min() == pytest.approx(0.5) and r.max() == pytest.approx(2.0)
    assert np.all(risk_exponents(np.zeros((3, 3))) == 1.0)


@pytest.mark.parametrize(
    ("theirs", "mine", "kind", "target"),
    [
        (0.6, 0.3, CONFLICT, 1.0),
        (0.3, 0.6, 0, np.nan),  # the mover would win: the other moves instead
        (0.8, -0.2, COMPROMISE, 0.25),  # eq. 35: |b / a| of the way
        (0.2, -0.8, COMPEL, 1.0),
        (-0.2, -0.1, STATUS_QUO, np.nan),
    ],
)
def test_offer_regions_of_figure_six(theirs: float, mine: float, kind: int, target: float):
    x = np.array([0.0, 1.0])
    got_kind, got_target = offers(
        x, np.array([[0, mine], [0, 0.0]]), np.array([[0, theirs], [0, 0.0]])
    )
    assert got_kind[0, 1] == kind
    assert (np.isnan(target) and np.isnan(got_target[0, 1])) or got_target[0, 1] == target


def test_settings_are_checked():
    with pytest.raises(UsageError, match="Q must lie"):
        EUMSettings(q=2)
    with pytest.raises(UsageError, match="selection must be one of"):
        EUMSettings(selection="best")


# properties


@settings(max_examples=40)
@given(tables(max_actors=1), st.sampled_from([EUMSettings(), EUMSettings.scholz_code()]))
def test_a_single_actor_is_the_eum_outcome(table: ActorTable, variant: EUMSettings):
    result = simulate_eum(table, rounds=3, settings=variant)
    assert np.array_equal(result.outcome, table.position[0])


@settings(max_examples=40)
@given(tables(), st.floats(0, 100), st.floats(0.1, 1.0))
def test_identical_actors_never_move(table: ActorTable, x: float, s: float):
    same = ActorTable(
        table.actors,
        table.dimensions,
        np.ones(table.size),
        np.full(table.position.shape, x),
        np.full(table.position.shape, s),
        table.low,
        table.high,
    )
    result = simulate_eum(same, rounds=3)
    assert result.converged and np.all(result.final_positions == x)


@settings(max_examples=40)
@given(tables(), st.randoms(), st.sampled_from([EUMSettings(), EUMSettings.scholz_code(q=0.5)]))
def test_eum_ignores_the_order_of_actors(table: ActorTable, random, variant: EUMSettings):
    order = list(range(table.size))
    random.shuffle(order)
    a = simulate_eum(table, rounds=4, settings=variant)
    b = simulate_eum(permuted(table, order), rounds=4, settings=variant)
    assert np.allclose(a.outcomes(), b.outcomes(), atol=1e-9)
    assert np.allclose(a.final_positions[order], b.final_positions, atol=1e-9)


def test_batched_paths_equal_single_runs():
    table = from_scenario(peacetalks.load("russia-ukraine-2025"))
    one = simulate_eum(table, rounds=5)
    pos = np.stack([table.position, table.position])
    cap = np.stack([table.capability] * 2)
    paths, medians = eum_paths(
        pos,
        cap,
        np.stack([table.salience] * 2),
        np.stack([table.high - table.low] * 2),
        5,
        EUMSettings(),
    )
    assert np.allclose(paths[:, 0], one.path()) and np.allclose(medians[:, 1], one.outcomes())


# published cases


def test_bdm_1994_scholz_table_2_with_the_scholz_code_variant():
    medians, means = bdm(EUMSettings.scholz_code())
    gaps = np.abs(np.array(medians) - SCHOLZ_MEDIANS)
    assert gaps.max() <= MEDIAN_TOLERANCE, medians
    assert np.abs(np.array(means) - SCHOLZ_MEANS).max() <= MEAN_TOLERANCE, means
    # the round where the median drops back (Scholz: 9.9 -> 7.4) is reproduced
    assert medians[4] > 9.5 and medians[5] < 7.6


def test_bdm_1994_published_formulas_keep_the_median_at_seven():
    medians, means = bdm(EUMSettings())
    assert medians == [7.0] * 8  # as the decisionmechanics port: the published P never lets 7 lose
    assert 7.0 < means[-1] < 8.0


def test_bdm_1994_rounds_are_not_stable():
    result = simulate_eum(
        load_dataset("bdm1994_eu_car_emissions"), 8, settings=EUMSettings.scholz_code()
    )
    assert not result.converged and len(result.rounds) == 9


def test_iran_2013_every_model_misses_rouhani():
    table = load_dataset("eftekhari2014_iran_2013_election")
    rouhani = table.position[table.actors.index("Ruhani"), 0]
    for variant in (EUMSettings(), EUMSettings.scholz_code(), EUMSettings(q=0.5)):
        result = simulate_eum(table, rounds=10, settings=variant)
        assert result.outcome[0] == 5.0 != rouhani  # Ghalibaf's position


def test_eum_interactions_name_the_offers_taken():
    result = simulate_eum(
        load_dataset("bdm1994_eu_car_emissions"), 1, settings=EUMSettings.scholz_code()
    )
    taken = result.rounds[1].interactions
    assert taken and {i.kind for i in taken} <= {"conflict", "compromise", "compel"}
    assert all(i.values["eu_actor"] > 0 for i in taken)


def test_actors_a_rounding_error_apart_stand_at_one_position():
    """Found by Hypothesis on CI: two actors 2.2e-16 apart challenged each other with an
    expected utility whose sign depended on summation order, so the forecast depended on
    the order of the actors."""
    table = ActorTable(
        actors=("a0", "a1", "a2", "a3", "a4", "a5"),
        dimensions=("d0",),
        capability=np.array(
            [0.5885579511094993, 1.0, 0.4206951235782777, 0.9610856285837407, 0.234375, 0.5]
        ),
        position=np.array(
            [[2.220446049250313e-16], [67.9453125], [0.0], [1.0], [20.0234375], [15.0625]]
        ),
        salience=np.array([[0.0546875], [0.62109375], [0.05], [0.5], [0.09375], [0.25]]),
        low=np.array([0.0]),
        high=np.array([100.0]),
    )
    order = [0, 1, 3, 2, 4, 5]
    settings = EUMSettings.scholz_code(q=0.5)
    a = simulate_eum(table, rounds=4, settings=settings)
    b = simulate_eum(permuted(table, order), rounds=4, settings=settings)
    assert np.allclose(a.outcomes(), b.outcomes(), atol=1e-9)
    assert np.allclose(a.final_positions[order], b.final_positions, atol=1e-9)
