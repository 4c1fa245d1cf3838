"""The war model and the dynamics engine: the simulation equals a loop written from the
equations, reservation values are anchored on the scenario's, the ZOPA in each period equals the
static engine's verdict on the scenario with that period's reservation values, levers hold when
re-run, and bad input gets located errors."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app
from peacetalks.dynamics import dynamics
from peacetalks.dynamics.war import baseline, believed, simulate, with_lever
from peacetalks.errors import ScenarioError, UsageError


def small_war(**war_changes):
    """Two belligerents and a mediator over two issues; the war model moves their values."""
    data = {
        "id": "small-war",
        "title": "A small war",
        "as_of": "2025-01-31",
        "sources": [{"id": "s", "title": "A source"}],
        "parties": [
            {"id": "a", "name": "Side A", "kind": "state", "signatory": True},
            {"id": "b", "name": "Side B", "kind": "state", "signatory": True},
            {"id": "m", "name": "Mediator", "kind": "state", "signatory": False},
        ],
        "issues": [
            {
                "id": "land",
                "name": "Land",
                "options": [{"id": f"l{k}", "label": f"{25 * k}% to A"} for k in range(5)],
            },
            {
                "id": "money",
                "name": "Money",
                "options": [{"id": f"m{k}", "label": f"{k} to B"} for k in range(3)],
            },
        ],
        "preferences": {
            "a": {
                "weights": {"land": 0.8, "money": 0.2},
                "values": {
                    "land": {f"l{k}": k / 4 for k in range(5)},
                    "money": {f"m{k}": 1 - k / 2 for k in range(3)},
                },
                "reservation": 0.7,
            },
            "b": {
                "weights": {"land": 0.6, "money": 0.4},
                "values": {
                    "land": {f"l{k}": 1 - k / 4 for k in range(5)},
                    "money": {f"m{k}": k / 2 for k in range(3)},
                },
                "reservation": 0.45,
            },
        },
        "war": {
            "period": "month",
            "horizon": 24,
            "sides": ["a", "b"],
            "control": {"value": 0.5, "rationale": "test"},
            "strength": {"a": 1.0, "b": 0.8},
            "exponent": 1.0,
            "advance": 0.02,
            "support": [
                {
                    "id": "aid",
                    "to": "b",
                    "by": "m",
                    "level": 0.3,
                    "fatigue": 0.02,
                    "shocks": [{"period": 6, "change": 0.1, "note": "a package"}],
                }
            ],
            "sanctions": {"target": "a", "cost": 0.01, "growth": 0.02},
            "discount": 0.97,
            "parties": {
                "a": {"stake": 0.4, "cost": 0.02, "hurting": 0.05},
                "b": {"stake": -0.1, "cost": 0.03, "hurting": 0.02},
            },
            "beliefs": {"a": [{"parameter": "support.aid.fatigue", "value": 0.1}]},
            "levers": [
                {"parameter": "sanctions.growth", "low": 0.0, "high": 0.04, "label": "Sanctions"},
                {"parameter": "support.aid.level", "low": 0.0, "high": 1.5, "label": "Aid"},
            ],
        },
    }
    data["war"].update(war_changes)
    return data


def scenario(data):
    return peacetalks.Scenario.model_validate(data)


def reference_paths(war_data, values, parties, periods):
    """The model's equations, one period and one party at a time, run for the horizon and
    then held constant (as documented), summed directly."""
    a, b = war_data["sides"]
    control = [values["control"]]
    win = []
    span = periods
    long = span + 3000
    for t in range(span + 1):
        totals = {a: values[f"strength.{a}"], b: values[f"strength.{b}"]}
        for line in war_data.get("support", []):
            level = (
                values[f"support.{line['id']}.level"]
                * (1 - values[f"support.{line['id']}.fatigue"]) ** t
            )
            level += sum(s["change"] for s in line.get("shocks", []) if s["period"] <= t)
            totals[line["to"]] += max(0.0, level)
        m = values["exponent"]
        p = totals[a] ** m / (totals[a] ** m + totals[b] ** m)
        win.append(p)
        control.append(min(1.0, max(0.0, control[-1] + values["advance"] * (2 * p - 1))))
    control = control[: span + 1]
    d = values["discount"]
    out = {}
    for party in parties:
        if party not in war_data["parties"]:
            out[party] = [0.0] * (periods + 1)
            continue
        stake, cost = values[f"parties.{party}.stake"], values[f"parties.{party}.cost"]
        flows = []
        for t in range(span + 1):
            sanction = 0.0
            sanctions = war_data.get("sanctions")
            if sanctions and sanctions["target"] == party:
                sanction = max(0.0, values["sanctions.cost"] + values["sanctions.growth"] * t)
            flows.append(stake * (control[t] - control[0]) - cost - sanction)
        flows += [flows[-1]] * (long - span)
        weights = d ** np.arange(long + 1)
        out[party] = [
            (1 - d) * float(np.dot(weights[: long + 1 - t], flows[t:])) for t in range(periods + 1)
        ]
    return control[: periods + 1], win[: periods + 1], out


@settings(max_examples=25, deadline=None)
@given(
    control=st.floats(0.0, 1.0),
    advance=st.floats(0.0, 0.1),
    fatigue=st.floats(0.0, 0.3),
    exponent=st.floats(0.2, 3.0),
    discount=st.floats(0.8, 0.97),
    growth=st.floats(-0.01, 0.01),
)
def test_simulation_equals_the_equations(control, advance, fatigue, exponent, discount, growth):
    data = small_war()
    data["war"].update(control=control, advance=advance, exponent=exponent, discount=discount)
    data["war"]["support"][0]["fatigue"] = fatigue
    data["war"]["sanctions"]["growth"] = growth
    war = scenario(data).war
    values = baseline(war)
    paths = simulate(war, [values], ["a", "b", "m"], 12)
    expected_control, expected_win, expected_value = reference_paths(
        data["war"], values, ["a", "b", "m"], 12
    )
    np.testing.assert_allclose(paths.control[0], expected_control, atol=1e-12)
    np.testing.assert_allclose(paths.win_probability[0], expected_win, atol=1e-12)
    for j, party in enumerate(["a", "b", "m"]):
        np.testing.assert_allclose(paths.value[0, j], expected_value[party], atol=1e-9)


@pytest.fixture(scope="module")
def small():
    return scenario(small_war())


@pytest.fixture(scope="module")
def small_result(small):
    return dynamics(small)


def test_reservations_start_at_the_scenario_values(small, small_result):
    for path in small_result.parties:
        reservation = small.preferences[path.party].reservation
        assert path.reservation[0] == pytest.approx(peacetalks.model.best(reservation), abs=1e-6)


def test_side_a_believing_in_fatigue_expects_more_from_fighting(small_result):
    a = next(p for p in small_result.parties if p.party == "a")
    assert a.reservation[-1] > a.reservation_baseline[-1]
    assert small_result.control["a beliefs"][-1] > small_result.control["baseline"][-1]


def test_zopa_in_each_period_equals_the_static_engine(small, small_result):
    for world, key in (("own beliefs", "reservation"), ("baseline", "reservation_baseline")):
        path = small_result.zopa[world]
        assert any(path.exists) and not all(path.exists)  # the test case opens a ZOPA
        for t in range(0, len(small_result.dates), 5):
            preferences = copy.deepcopy(small.model_dump(exclude_none=True)["preferences"])
            for party in small_result.parties:
                preferences[party.party]["reservation"] = getattr(party, key)[t]
            static = small.evolve(preferences=preferences).analyze()
            assert static.zopa.exists == path.exists[t], (world, t)
            if not static.zopa.exists:
                assert path.largest_shortfall[t] == pytest.approx(
                    static.closest.largest_shortfall, abs=1e-6
                )


def test_best_deal_is_the_best_package_the_others_accept(small, small_result):
    compiled = small.compiled
    every = np.array(np.meshgrid(range(5), range(3), indexing="ij")).reshape(2, -1).T
    raw = compiled.utilities(every)
    a = next(p for p in small_result.parties if p.party == "a")
    b = next(p for p in small_result.parties if p.party == "b")
    for t in range(0, len(small_result.dates), 6):
        r = np.array([a.reservation[t], b.reservation[t], 0.0])
        accept_b = raw[:, 1] >= r[1] - 1e-7
        expected = raw[accept_b, 0].max() if accept_b.any() else None
        assert a.best_deal[t] == (None if expected is None else pytest.approx(expected, abs=1e-6))
        assert a.waiting_better[t] == (expected is None or a.reservation[t] > expected + 1e-7)


def test_the_mediator_without_war_stakes_keeps_its_value(small_result):
    assert all(p.party != "m" for p in small_result.parties)  # no preferences: not reported


def test_without_beliefs_both_worlds_agree():
    result = dynamics(scenario(small_war(beliefs={})), levers=False)
    assert result.zopa["own beliefs"].exists == result.zopa["baseline"].exists
    for path in result.parties:
        assert path.reservation == path.reservation_baseline


def test_a_quarterly_step_reports_every_third_month(small):
    monthly = dynamics(small, horizon=24, levers=False)
    quarterly = dynamics(small, horizon=8, step="quarter", levers=False)
    assert quarterly.every == 3 and len(quarterly.dates) == 9
    assert quarterly.dates == monthly.dates[::3]
    assert quarterly.zopa["baseline"].exists == monthly.zopa["baseline"].exists[::3]


def test_lever_thresholds_hold_when_the_engine_reruns(small, small_result):
    war = small.war
    assert small_result.levers
    for lever in small_result.levers:
        if lever.opens_zopa_at is None:
            continue
        base = lever.baseline
        at = lever.opens_zopa_at
        assert _first_zopa(small, lever.parameter, at) is not None
        if at != base:
            nearer = at + (base - at) * 0.01  # a little closer to the baseline
            assert _first_zopa(small, lever.parameter, nearer) is None
        assert war is not None


def _first_zopa(small, parameter, value):
    from peacetalks.dynamics.model import Model

    model = Model(small, small.war, small.war.horizon, 1)
    return model.firsts(parameter, value)[0]


def test_moving_a_lever_shifts_beliefs_by_the_same_amount(small):
    war = small.war
    own = believed(war, "a")
    moved = with_lever(war, own, "support.aid.fatigue", 0.05)
    assert moved["support.aid.fatigue"] == pytest.approx(own["support.aid.fatigue"] + 0.03)


@pytest.mark.parametrize("advance", [0.02, 0.0])
def test_ripeness_needs_both_sides_hurting_and_a_way_out(advance):
    result = dynamics(scenario(small_war(advance=advance)), levers=False)
    ripe = result.ripeness
    if advance == 0.0:  # a frozen front: no side expects to gain; ripe once a ZOPA opens
        assert ripe.first_ripe == result.zopa["own beliefs"].first is not None
    for t, flag in enumerate(ripe.ripe):
        expected = (
            all(ripe.hurting[s][t] and ripe.stalemate[s][t] for s in ripe.sides) and ripe.way_out[t]
        )
        assert flag == expected
    assert ripe.first_ripe == next((t for t, f in enumerate(ripe.ripe) if f), None)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"sides": ["a", "x"]}, "war.sides[1]", "unknown party 'x'"),
        ({"sides": ["a", "a"]}, "war.sides", "must be different"),
        ({"control": 1.5}, "war.control", "out of range"),
        ({"discount": 1.0}, "war.discount", "strictly between 0 and 1"),
        (
            {"beliefs": {"a": [{"parameter": "support.aid.fatigu", "value": 0.1}]}},
            "war.beliefs.a[0].parameter",
            "did you mean 'support.aid.fatigue'",
        ),
        (
            {"levers": [{"parameter": "advance", "low": 0.5, "high": 0.1}]},
            "war.levers[0]",
            "expected low < high",
        ),
        ({"parties": {"m": {"stake": 0.1, "cost": 0.1}}}, "war.parties.m", "no preferences"),
        ({"horizon": 0}, "war.horizon", "greater than or equal to 1"),
    ],
)
def test_bad_war_models_are_located(tmp_path, change, field, message):
    path = tmp_path / "war.yaml"
    path.write_text(dump(small_war(**change)))
    with pytest.raises(ScenarioError) as caught:
        peacetalks.load(path)
    text = str(caught.value)
    assert field in text and message in text, text
    assert all(problem.line is not None for problem in caught.value.problems)


def dump(data):
    from io import StringIO

    from ruamel.yaml import YAML

    out = StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


def test_bad_war_model_in_a_file_names_its_line(tmp_path):
    path = tmp_path / "war.yaml"
    path.write_text(dump(small_war(control=2.0)))
    with pytest.raises(ScenarioError) as caught:
        peacetalks.load(path)
    problem = caught.value.problems[0]
    assert problem.line is not None and problem.field.startswith("war.control")


def test_a_scenario_without_a_war_model_is_refused():
    with pytest.raises(UsageError, match="has no war model"):
        dynamics(peacetalks.load("camp-david-1978"))


def test_a_step_shorter_than_the_model_period_is_refused(small):
    with pytest.raises(UsageError, match="not a whole number"):
        dynamics(small, step="week")


runner = CliRunner()


def test_cli_dynamics_json_and_plots(tmp_path):
    path = tmp_path / "war.yaml"
    path.write_text(dump(small_war()))
    out = runner.invoke(app, ["dynamics", str(path), "--json", "--horizon", "12"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    for key in ("dates", "control", "parties", "zopa", "ripeness", "levers", "verdict"):
        assert key in data
    assert len(data["dates"]) == 13
    for suffix, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml"), (".html", b"<!DOCTYPE")):
        chart = tmp_path / f"chart{suffix}"
        done = runner.invoke(
            app, ["dynamics", str(path), "--no-levers", "--horizon", "6", "--plot", str(chart)]
        )
        assert done.exit_code == 0, done.output
        assert chart.read_bytes().startswith(magic)


def test_cli_dynamics_bad_input(tmp_path):
    path = tmp_path / "war.yaml"
    path.write_text(dump(small_war()))
    out = runner.invoke(app, ["dynamics", "camp-david-1978"])
    assert out.exit_code == 2 and "has no war model" in out.output
    out = runner.invoke(app, ["dynamics", str(path), "--horizon", "0"])
    assert out.exit_code == 2
    out = runner.invoke(app, ["dynamics", str(path), "--step", "fortnight"])
    assert out.exit_code == 2 and "unknown step" in out.output
    chart = str(tmp_path / "chart.pdf")
    out = runner.invoke(app, ["dynamics", str(path), "--plot", chart, "--no-levers"])
    assert out.exit_code == 2 and "expected a file ending in" in out.output


@pytest.mark.parametrize("route", ["frontier", "programs"])
def test_every_route_to_the_outcomes_agrees(small, monkeypatch, route):
    """Listed packages, the exact frontier, and mixed-integer programs period by period."""
    from peacetalks.dynamics import outcomes as module

    data = small_war()
    data["parties"][2]["signatory"] = True  # every party judged is then a signatory
    data["preferences"]["m"] = copy.deepcopy(data["preferences"]["b"])
    data["preferences"]["m"]["reservation"] = 0.2
    case = scenario(data)
    rng = np.random.default_rng(7)
    reservations = np.column_stack(
        [rng.uniform(0.4, 0.8, 12), rng.uniform(0.3, 0.6, 12), rng.uniform(0.1, 0.4, 12)]
    )
    listed = module.Deals(case.compiled).outcomes(reservations)
    monkeypatch.setattr(module, "CANDIDATE_LIMIT", 0)
    if route == "programs":
        monkeypatch.setattr(module, "frontier_packages", lambda compiled: (None, "none"))
    other = module.Deals(case.compiled).outcomes(reservations)
    assert (listed.exists == other.exists).all()
    np.testing.assert_allclose(listed.shortfall, other.shortfall, atol=1e-7)
    np.testing.assert_allclose(listed.best_deal, other.best_deal, atol=1e-7)
    assert listed.exists.any() and not listed.exists.all()
