"""Zartman ripeness as operationalised in models.md §5."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from peacetalks.errors import UsageError
from peacetalks.theory import ripeness

# Two parties (Russia, Ukraine) over four periods.
GAIN = [[0.3, 0.1, -0.1, -0.2], [-0.1, -0.2, -0.3, 0.1]]
COST = [[1.0, 2.0, 3.0, 3.0], [2.0, 2.5, 2.5, 3.0]]
THRESHOLD = [2.5, 2.0]
WAY_OUT = [True, True, False, True]


def test_hand_computed_case():
    r = ripeness(GAIN, COST, THRESHOLD, WAY_OUT)
    assert r.hurting == ((False, False, True, True), (True, True, True, True))
    assert r.stalemate == ((False, False, True, True), (True, True, True, False))
    assert r.mutually_hurting == (False, False, True, False)
    assert r.ripe == (False, False, False, False)  # the MHS period has no way out
    assert r.first_ripe is None
    assert r.blocking == ((0,), (0,), (), (1,))


def test_a_way_out_in_the_mhs_period_makes_it_ripe():
    r = ripeness(GAIN, COST, THRESHOLD, [False, False, True, True])
    assert r.ripe == (False, False, True, False) and r.first_ripe == 2


def test_tolerance_counts_near_misses():
    gain = [[0.01], [-0.5]]
    cost = [[1.95], [3.0]]
    assert not ripeness(gain, cost, [2.0, 2.0], [True]).ripe[0]
    assert ripeness(gain, cost, [2.0, 2.0], [True], tolerance=0.05).ripe[0]


def test_to_dict_gives_lists_and_json():
    data = ripeness(GAIN, COST, THRESHOLD, np.array(WAY_OUT)).to_dict()
    assert data["hurting"][0] == [False, False, True, True]
    assert data["blocking"] == [[0], [0], [], [1]]
    assert json.loads(json.dumps(data)) == data


def test_way_out_accepts_zero_one_numbers():
    assert ripeness(GAIN, COST, THRESHOLD, [0, 0, 1, 1]).first_ripe == 2


@st.composite
def situations(draw):
    parties = draw(st.integers(1, 4))
    periods = draw(st.integers(1, 8))
    values = st.floats(-2.0, 2.0)
    gain = draw(hnp.arrays(np.float64, (parties, periods), elements=values))
    cost = draw(hnp.arrays(np.float64, (parties, periods), elements=values))
    threshold = draw(hnp.arrays(np.float64, (parties,), elements=values))
    way_out = draw(hnp.arrays(np.bool_, (periods,)))
    return gain, cost, threshold, way_out


@given(situation=situations(), raise_by=st.floats(0.0, 2.0))
def test_ripeness_is_monotone_in_the_threshold(situation, raise_by):
    gain, cost, threshold, way_out = situation
    lower = ripeness(gain, cost, threshold, way_out)
    higher = ripeness(gain, cost, threshold + raise_by, way_out)
    for was, now in zip(lower.ripe, higher.ripe, strict=True):
        assert was or not now  # ripe at the higher pain threshold => ripe at the lower one
    for was, now in zip(lower.blocking, higher.blocking, strict=True):
        assert set(was) <= set(now)


@given(situation=situations())
def test_ripe_implies_mutually_hurting_and_no_blocker(situation):
    gain, cost, threshold, way_out = situation
    r = ripeness(gain, cost, threshold, way_out)
    for t, ripe in enumerate(r.ripe):
        assert r.mutually_hurting[t] == (r.blocking[t] == ())
        assert ripe == (r.mutually_hurting[t] and bool(way_out[t]))
    assert r.first_ripe == (r.ripe.index(True) if any(r.ripe) else None)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((GAIN, [[1.0, 2.0]], THRESHOLD, WAY_OUT), "^cost must have the shape"),
        ((GAIN, COST, [1.0], WAY_OUT), r"^threshold must have shape \(parties,\)"),
        ((GAIN, COST, THRESHOLD, [True]), r"^way_out must have shape \(periods,\)"),
        ((GAIN, COST, THRESHOLD, [0, 2, 1, 1]), "^way_out must contain booleans"),
        (([1.0, 2.0], COST, THRESHOLD, WAY_OUT), "^expected_gain must be a 2-D array"),
        (([[np.nan] * 4] * 2, COST, THRESHOLD, WAY_OUT), "^expected_gain must contain only finite"),
        ((GAIN, COST, [[2.0, 2.0]], WAY_OUT), "^threshold must be a 1-D array"),
        ((np.zeros((2, 0)), np.zeros((2, 0)), THRESHOLD, []), "^expected_gain must not be empty"),
    ],
)
def test_bad_shapes_and_values_are_named(args, message):
    with pytest.raises(UsageError, match=message):
        ripeness(*args)


def test_negative_tolerance_is_refused():
    with pytest.raises(UsageError, match=r"^tolerance"):
        ripeness(GAIN, COST, THRESHOLD, WAY_OUT, tolerance=-0.1)
