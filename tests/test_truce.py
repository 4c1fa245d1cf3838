"""A truce in the war model and in simulated talks: the fighting pauses, sides regroup, the
price is sanctions relief, and the playbook takes a truce only when paid - to fight on from a
stronger position."""

from __future__ import annotations

import json
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app
from peacetalks.dynamics.war import Truce, baseline, simulate
from peacetalks.errors import ScenarioError, UsageError
from peacetalks.negotiation import Strategy, View
from peacetalks.negotiation import simulate as negotiate
from peacetalks.negotiation.engine import outside_options

FLAGSHIP = "russia-ukraine-2025"


@pytest.fixture(scope="module")
def flagship():
    return peacetalks.load(FLAGSHIP)


def _paths(scenario, truce, changes=None):
    values = baseline(scenario.war) | (changes or {})
    return simulate(scenario.war, [values], list(scenario.compiled.party_ids), 24, truce)


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(0, 20),
    length=st.integers(1, 10),
    relief=st.floats(0.0, 1.0),
    regroup=st.floats(0.0, 0.05),
)
def test_a_truce_freezes_control_and_changes_nothing_before_it(
    flagship, start, length, relief, regroup
):
    changes = {"regroup.russia": regroup, "regroup.ukraine": regroup}
    war = _paths(flagship, None, changes)
    paused = _paths(flagship, Truce(start, length, relief), changes)
    end = min(start + length, 24)
    assert np.array_equal(paused.control[0, : start + 1], war.control[0, : start + 1])
    assert np.all(paused.control[0, start : end + 1] == war.control[0, start])
    assert np.allclose(paused.cost[..., :start], war.cost[..., :start])
    assert np.allclose(paused.win_probability[0, : start + 1], war.win_probability[0, : start + 1])


def test_nobody_pays_the_cost_of_fighting_during_a_truce_and_relief_lasts(flagship):
    ids = list(flagship.compiled.party_ids)
    truce = Truce(2, 3, relief=1.0)
    paths = _paths(flagship, truce)
    russia = ids.index("russia")
    assert np.all(paths.cost[0, :, 2:5] == 0.0)  # no fighting cost, and all sanctions lifted
    fighting = baseline(flagship.war)["parties.russia.cost"]
    assert np.allclose(paths.cost[0, russia, 5:], fighting)  # sanctions stay lifted after it


def test_a_side_that_regroups_faster_comes_out_stronger(flagship):
    base = {"regroup.russia": 0.0, "regroup.ukraine": 0.0}
    truce = Truce(0, 6)
    even = _paths(flagship, truce, base)
    russia_regroups = _paths(flagship, truce, base | {"regroup.russia": 0.05})
    ukraine_regroups = _paths(flagship, truce, base | {"regroup.ukraine": 0.05})
    after = 6
    assert russia_regroups.win_probability[0, after] > even.win_probability[0, after]
    assert ukraine_regroups.win_probability[0, after] < even.win_probability[0, after]
    assert russia_regroups.control[0, -1] > even.control[0, -1] > ukraine_regroups.control[0, -1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3:6", Truce(3, 6, 0.0)), ("0:1:0.5", Truce(0, 1, 0.5)), ("2:4:1", Truce(2, 4, 1.0))],
)
def test_truce_parse(text, expected):
    assert Truce.parse(text) == expected


@pytest.mark.parametrize("text", ["3", "3:x", "a:b:c", "3:6:0.5:1", "-1:3", "3:0", "3:6:1.5"])
def test_bad_truces_are_refused_clearly(text):
    with pytest.raises(UsageError, match=r"truce|relief"):
        Truce.parse(text)


def test_the_playbook_refuses_a_truce_without_sanctions_relief(flagship):
    run = negotiate(flagship, {"russia": "playbook"}, deadline=20, truce=Truce(3, 6))
    kinds = {(e.kind, e.text.split(" ")[0]) for e in run.events}
    assert ("truce-refused", "Russian") in kinds
    assert not any(e.kind == "truce-agreed" for e in run.events)
    assert any("without sanctions relief" in line for line in run.explanation)
    without = negotiate(flagship, {"russia": "playbook"}, deadline=20)
    assert run.outcome == without.outcome  # a refused truce changes nothing


def test_the_playbook_uses_a_paid_truce_to_fight_on_from_a_stronger_position(flagship):
    truce = Truce(3, 6, relief=0.5)
    run = negotiate(flagship, {"russia": "playbook"}, deadline=24, truce=truce)
    assert [e.kind for e in run.events if e.kind in ("truce-agreed", "truce-ended")] == [
        "truce-agreed",
        "truce-ended",
    ]
    assert not run.outcome.agreement
    ids = list(flagship.compiled.party_ids)
    war = outside_options(flagship, 24)
    paused = outside_options(flagship, 24, truce)
    russia = ids.index("russia")
    assert paused[truce.end, russia] > war[truce.end, russia] + 0.01
    # after the truce the playbook still asks for its maximal terms
    after = [r for r in run.trace if r.proposer == "russia" and r.period >= truce.end]
    assert after and all(r.utilities["russia"] == run.trace[0].utilities["russia"] for r in after)
    assert any("widened the gap" in line for line in run.explanation)


def test_default_strategies_accept_a_truce_worth_more_than_fighting(flagship):
    class Counting(Strategy):
        name = "counting"
        seen: ClassVar[list[tuple[float, float]]] = []

        def propose(self, view: View, rng: np.random.Generator) -> int:
            return int(np.argmax(view.own))

        def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
            return False

        def answer_truce(self, view, with_truce, relief):
            accepted, why = super().answer_truce(view, with_truce, relief)
            Counting.seen.append((float(with_truce[view.period]), view.reservation))
            assert accepted == (with_truce[view.period] >= view.reservation - 1e-9)
            return accepted, why

    negotiate(flagship, {"ukraine": Counting()}, deadline=10, truce=Truce(2, 3, 0.2))
    assert len(Counting.seen) == 1


def test_a_truce_needs_a_war_model_and_a_round_before_the_deadline(flagship):
    with pytest.raises(UsageError, match="war model"):
        negotiate(peacetalks.load("camp-david-1978"), truce=Truce(1, 2))
    with pytest.raises(UsageError, match="last round"):
        negotiate(flagship, deadline=5, truce=Truce(5, 2))


def test_events_after_the_end_of_the_talks_are_dropped():
    scenario = peacetalks.load("russia-ukraine-2025")
    run = negotiate(scenario, {"russia": "playbook"}, deadline=4, truce=Truce(2, 6, 0.5))
    assert all(event.period <= run.outcome.period for event in run.events)
    assert not any(event.kind == "truce-ended" for event in run.events)


def test_regroup_must_name_a_side():
    text = peacetalks.scenarios.builtin_text(FLAGSHIP).replace(
        "  regroup:\n    russia:", "  regroup:\n    usa: 0.01\n    russia:", 1
    )
    with pytest.raises(ScenarioError, match=r"war\.regroup\.usa.*not one of the sides"):
        peacetalks.parse(text)


def test_cli_simulate_with_a_truce():
    result = CliRunner().invoke(app, ["simulate", "--truce", "3:6:0.5", "--deadline", "12"])
    assert result.exit_code == 0, result.output
    assert "The fighting pauses until round 9." in result.output
    as_json = CliRunner().invoke(
        app, ["simulate", "--truce", "3:6:0.5", "--deadline", "12", "--json"]
    )
    events = json.loads(as_json.output)["events"]
    assert {"period": 9, "kind": "truce-ended"}.items() <= events[-1].items()
    bad = CliRunner().invoke(app, ["simulate", "--truce", "soon"])
    assert bad.exit_code != 0 and "START:LENGTH" in bad.output
