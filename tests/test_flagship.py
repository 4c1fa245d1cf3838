"""The flagship reproduces the seed article's verdict from its numbers, and says what would
change it; each what-it-takes answer is checked by re-running the engine on the changed case."""

from __future__ import annotations

import pytest

import peacetalks
from peacetalks.analysis.analyze import analyze


@pytest.fixture(scope="module")
def flagship():
    return peacetalks.load("russia-ukraine-2025")


@pytest.fixture(scope="module")
def result(flagship):
    return analyze(flagship)


def test_no_compromise_exists(result):
    assert result.zopa.exists is False
    assert result.zopa.size.value == 0
    assert result.closest is not None and result.closest.largest_shortfall > 0
    assert result.verdict[0].startswith("No package of terms is acceptable to every signatory")


def test_the_collision_names_the_kremlin_against_kyiv(result):
    collisions = [set(c.constraints) for c in result.what_it_takes.collisions]
    assert collisions, "an empty ZOPA must come with at least one collision"
    assert all(any(c.startswith("russia") for c in found) for found in collisions)
    assert any(any(c.startswith("ukraine") for c in found) for found in collisions)


def test_kremlin_terms_rejected_by_kyiv_and_europe(result):
    kremlin = next(p for p in result.proposals if p.id == "kremlin-terms")
    assert kremlin.accepted_by_all is False
    assert kremlin.verdicts["russia"]["accepts"] is True
    assert kremlin.verdicts["ukraine"]["accepts"] is False
    assert kremlin.verdicts["ukraine"]["red_lines"]


def _lowered(scenario, party, amount):
    preferences = dict(scenario.preferences)
    reservation = preferences[party].reservation
    value = reservation.value if hasattr(reservation, "value") else reservation
    changed = preferences[party].model_copy(update={"reservation": value - amount})
    preferences[party] = changed
    return scenario.evolve(preferences=preferences)


def test_reservation_lowerings_open_a_deal_exactly(flagship, result):
    for party, lowering in result.what_it_takes.reservation_lowering.items():
        if lowering is None:
            assert not analyze(_lowered(flagship, party, 5.0)).zopa.exists
            continue
        assert analyze(_lowered(flagship, party, lowering.total)).zopa.exists
        assert not analyze(_lowered(flagship, party, lowering.total - 1e-3)).zopa.exists


def test_relative_gains_changes_open_a_deal(flagship, result):
    for change in result.what_it_takes.relative_gains:
        assert change.needed is not None
        preferences = dict(flagship.preferences)
        prefs = preferences[change.party]
        gains = dict(prefs.relative_gains)
        gains[change.other] = change.needed
        preferences[change.party] = prefs.model_copy(update={"relative_gains": gains})
        assert analyze(flagship.evolve(preferences=preferences)).zopa.exists


def test_json_has_every_documented_key(result):
    data = result.to_dict()
    assert {
        "scenario",
        "space",
        "zopa",
        "proposals",
        "closest",
        "what_it_takes",
        "frontier",
        "solutions",
    } <= set(data)
    assert {"exists", "size", "best"} <= set(data["zopa"])
    assert {"size", "points"} <= set(data["frontier"])
    for name in ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian"):
        assert {"package", "utilities"} <= set(data["solutions"][name])
    assert data["solutions"]["over"].startswith("red-line-respecting")


def test_the_2026_case_is_blocked_by_red_lines_alone():
    result = analyze(peacetalks.load("russia-ukraine-2026"))
    assert result.zopa.exists is False
    assert result.space.respecting_signatory_red_lines.value == 0
    sets = [set(s.red_lines) for s in result.what_it_takes.red_line_sets]
    assert sets, "some set of red lines must open the 2026 case"
