"""The theory package as a whole: its public API, result objects and error types."""

from __future__ import annotations

import dataclasses
import inspect
import json
import math

import numpy as np
import pytest

import peacetalks.theory as theory
from peacetalks.errors import PeacetalksError, UsageError
from peacetalks.results import Result

SIGNATURES = {
    "fearon_range": "p cost_a cost_b",
    "mutual_optimism": "p_a p_b cost_a cost_b",
    "screening": "p cost_a cost_b_high cost_b_low",
    "screening_numeric": "p cost_a cdf pdf low high grid",
    "commitment_problem": "p_path delta cost_a cost_b",
    "attrition_hazards": "cost_a prize_a cost_b prize_b",
    "time_varying_hazards": "cost_a prize_a cost_b prize_b dt",
    "concession_time": "theta prize cdf pdf theta_low theta_high",
    "concession_time_uniform": "theta prize theta_low theta_high",
    "rubinstein_shares": "delta_1 delta_2 outside_1 outside_2",
    "ripeness": "expected_gain cost threshold way_out tolerance",
    "truce": (
        "strength_a strength_b growth_a growth_b length cost_a cost_b exponent "
        "belief_growth_a belief_growth_b delta"
    ),
    "convergence": "p_true prior_a prior_b cost_a cost_b periods seed",
}


def sample_results() -> list[Result]:
    """One result of every function (uniform densities where a distribution is needed)."""
    cdf, pdf = (lambda y: y / 0.4), (lambda y: 0 * y + 2.5)
    return [
        theory.fearon_range(0.5, 0.1, 0.1),
        theory.mutual_optimism(0.7, 0.4, 0.1, 0.1),
        theory.mutual_optimism(0.5, 0.5, 0.1, 0.1),
        theory.screening(0.5, 0.1, 0.4),
        theory.screening_numeric(0.5, 0.1, cdf, pdf, 0.0, 0.4),
        theory.commitment_problem([0.3, 0.6], 0.9, 0.5, 0.5),
        theory.attrition_hazards(1.0, 2.0, 1.0, 3.0),
        theory.time_varying_hazards([1.0, 2.0], 2.0, 1.0, 3.0, 0.5),
        theory.concession_time([1.0, 1.5, 2.0], 1.0, lambda s: s - 1, lambda s: 0 * s + 1, 1, 2),
        theory.concession_time_uniform([1.5, 2.0], 1.0, 1.0, 2.0),
        theory.rubinstein_shares(0.9, 0.8, 0.0, 0.5),
        theory.ripeness([[-1.0]], [[2.0]], [1.0], [True]),
        theory.truce(1.0, 1.0, 0.1, 0.0, 2, 0.1, 0.1, belief_growth_b=0.2),
        theory.convergence(0.5, (2, 1), (1, 2), 0.1, 0.1, 5, seed=0),
    ]


def test_every_public_name_is_exported():
    for name in theory.__all__:
        assert hasattr(theory, name), name
    assert set(SIGNATURES) <= set(theory.__all__)


@pytest.mark.parametrize(("name", "parameters"), sorted(SIGNATURES.items()))
def test_keyword_names_are_the_documented_ones(name, parameters):
    assert list(inspect.signature(getattr(theory, name)).parameters) == parameters.split()


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_every_function_cites_its_source(name):
    doc = inspect.getdoc(getattr(theory, name)) or ""
    assert "[M" in doc or "models.md" in doc, name
    assert ">>>" in doc, f"{name} has no example"


@pytest.mark.parametrize("result", sample_results(), ids=lambda r: type(r).__name__)
def test_results_are_frozen_and_turn_into_json(result):
    assert isinstance(result, Result)
    data = result.to_dict()
    text = json.dumps(data, allow_nan=True)
    assert json.loads(text) == data
    field = dataclasses.fields(result)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(result, field, None)


def test_infinite_concession_times_become_null_in_json():
    result = theory.concession_time_uniform([1.0, 1.5], 1.0, 1.0, 2.0)
    assert math.isinf(result.times[0])  # the lowest type never concedes
    data = json.loads(result.to_json())  # strict JSON: no Infinity
    assert data["times"][0] is None and data["times"][1] > 0


def test_error_types():
    assert issubclass(theory.ConvergenceError, PeacetalksError)
    assert not issubclass(theory.ConvergenceError, UsageError)


@pytest.mark.parametrize("value", [True, "0.5", None, [0.5], np.nan, np.inf])
def test_scalars_must_be_finite_numbers(value):
    with pytest.raises(UsageError, match=r"^p must be"):
        theory.fearon_range(value, 0.1, 0.1)


def test_numpy_scalars_are_accepted():
    r = theory.fearon_range(np.float32(0.5), np.int64(0), np.float64(0.25))
    assert r.high == pytest.approx(0.75) and isinstance(r.high, float)
