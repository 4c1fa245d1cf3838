"""The flagship's war model reproduces the seed article's dynamic argument from its sourced
parameters: under the Kremlin's belief in Western fatigue its value of fighting on rises, so it
waits; under the analyst's baseline it falls, yet no ZOPA appears within three years; and the
levers say what would open one (each answer checked by re-running the engine)."""

from __future__ import annotations

import pytest

import peacetalks
from peacetalks.dynamics import dynamics
from peacetalks.dynamics.model import Model


@pytest.fixture(scope="module")
def flagship():
    return peacetalks.load("russia-ukraine-2025")


@pytest.fixture(scope="module")
def result(flagship):
    return dynamics(flagship)


def party(result, name):
    return next(p for p in result.parties if p.party == name)


def test_the_kremlin_bets_on_fatigue_and_waits(flagship, result):
    beliefs = {b.parameter for b in flagship.war.beliefs["russia"]}
    assert any(p.startswith("support.") and p.endswith(".fatigue") for p in beliefs)
    russia = party(result, "russia")
    assert russia.reservation[-1] > russia.reservation[0]  # its own view: waiting pays
    assert russia.reservation_baseline[-1] < russia.reservation[-1]  # the baseline disagrees
    assert all(russia.waiting_better)  # fighting on beats any deal the others would accept
    assert "rises" in result.verdict[0] and "Russian Federation" in result.verdict[0]


def test_no_zopa_within_the_horizon_in_either_world(result):
    for world in ("own beliefs", "baseline"):
        assert result.zopa[world].first is None
        assert all(s > 0 for s in result.zopa[world].largest_shortfall)
    assert result.ripeness.first_ripe is None
    assert not any(result.ripeness.stalemate["russia"])  # Russia expects to gain by fighting


def test_the_reservation_values_start_at_the_static_ones(flagship, result):
    for path in result.parties:
        assert path.reservation[0] == pytest.approx(
            flagship.compiled.reservation[flagship.compiled.party_ids.index(path.party)], abs=1e-6
        )


def test_levers_name_what_would_open_a_zopa_and_hold_when_rerun(flagship, result):
    opening = [lever for lever in result.levers if lever.opens_zopa_at is not None]
    assert opening, "some lever in its stated range should open a ZOPA"
    assert any(lever.parameter.startswith("sanctions") for lever in opening)
    model = Model(flagship, flagship.war, flagship.war.horizon, 1)
    for lever in opening:
        at = lever.opens_zopa_at
        assert model.firsts(lever.parameter, at)[0] is not None
        nearer = at + (lever.baseline - at) * 0.01
        assert model.firsts(lever.parameter, nearer)[0] is None
    closed = [lever for lever in result.levers if lever.opens_zopa_at is None]
    for lever in closed:  # every grid value was tried and none opened a ZOPA
        assert all(first is None for first in lever.first_zopa)


def test_the_2026_case_needs_a_red_line_to_go_before_the_war_can_matter():
    result = dynamics(peacetalks.load("russia-ukraine-2026"), levers=False)
    assert result.zopa["own beliefs"].first is None
    assert any("a red line has to go first" in sentence for sentence in result.verdict)
    russia = party(result, "russia")
    assert russia.reservation[-1] > russia.reservation[0]


def test_war_model_sources_are_listed(flagship, result):
    known = {source.id for source in flagship.sources}
    assert result.sources and set(result.sources) <= known
    assert "bondarev-2025" in result.sources
