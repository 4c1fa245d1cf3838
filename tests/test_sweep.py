"""Uncertainty analysis: draws follow their distributions and correlation groups; every sample's
verdict equals the static engine's on the scenario with those numbers; the same seed gives the
same numbers on every backend; an interrupted run keeps what it computed."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app
from peacetalks.errors import ScenarioError, UsageError
from peacetalks.model.numbers import Estimate
from peacetalks.sweep.montecarlo import parse_vary, sweep
from peacetalks.sweep.problem import Problem, judge
from peacetalks.sweep.sampling import Input, block_seeds, draw, uncertain_inputs


def estimate(**fields):
    return Estimate.model_validate({"value": 0.5, "low": 0.2, "high": 0.9, **fields})


def inputs_of(*estimates):
    return [Input(f"x{k}", "reservation", (0,), e) for k, e in enumerate(estimates)]


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"distribution": "triangular"},
        {"distribution": "normal", "sd": 0.3},
        {"distribution": "beta", "concentration": 8},
    ],
)
def test_draws_stay_in_range_and_follow_the_distribution(fields):
    item = estimate(**fields)
    values = draw(inputs_of(item), {}, 20_000, np.random.SeedSequence(3))[:, 0]
    assert values.min() >= 0.2 and values.max() <= 0.9
    kind = fields.get("distribution", "uniform")
    if kind == "uniform":
        assert values.mean() == pytest.approx(0.55, abs=0.01)
    elif kind == "triangular":
        assert values.mean() == pytest.approx((0.2 + 0.5 + 0.9) / 3, abs=0.01)
    elif kind == "beta":  # PERT form: a = 1 + k m, b = 1 + k (1 - m)
        m = (0.5 - 0.2) / 0.7
        a, b = 1 + 8 * m, 1 + 8 * (1 - m)
        assert values.mean() == pytest.approx(0.2 + 0.7 * a / (a + b), abs=0.01)
    else:  # truncated normal: the mean moves towards the wider side
        assert 0.5 < values.mean() < 0.6


def test_a_correlation_group_gives_the_rank_correlation_it_promises():
    items = [estimate(group="g"), estimate(group="g"), estimate()]
    values = draw(inputs_of(*items), {"g": 0.8}, 20_000, np.random.SeedSequence(5))
    ranks = np.argsort(np.argsort(values, axis=0), axis=0)
    correlation = np.corrcoef(ranks.T)
    assert correlation[0, 1] == pytest.approx(6 / math.pi * math.asin(0.4), abs=0.03)
    assert abs(correlation[0, 2]) < 0.03


def test_the_same_seed_gives_the_same_draws():
    items = inputs_of(estimate(), estimate(distribution="normal", sd=0.1, group="g"))
    a = draw(items, {"g": 0.5}, 100, block_seeds(9, 3)[2])
    b = draw(items, {"g": 0.5}, 100, block_seeds(9, 3)[2])
    assert (a == b).all()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"low": None, "high": None, "distribution": "uniform"}, "needs 'low' and 'high'"),
        ({"sd": 0.1}, "'sd' belongs to distribution: normal"),
        ({"distribution": "beta", "sd": 0.1}, "'sd' belongs"),
        ({"distribution": "lognormal"}, "distribution"),
    ],
)
def test_bad_distributions_are_refused(fields, message):
    with pytest.raises(ValueError, match=message):
        estimate(**fields)


def test_an_unknown_correlation_group_is_located(tmp_path):
    data = peacetalks.load("camp-david-1978").model_dump(by_alias=True, exclude_none=True)
    prefs = data["preferences"]
    party = next(iter(prefs))
    prefs[party]["reservation"] = {"value": 0.5, "low": 0.4, "high": 0.6, "group": "westrn"}
    data["uncertainty"] = {"groups": {"western": {"correlation": 0.5, "rationale": "test"}}}
    with pytest.raises(ScenarioError, match=r"unknown correlation group 'westrn'.*western"):
        peacetalks.Scenario.model_validate(data)


@pytest.fixture(scope="module")
def flagship():
    return peacetalks.load("russia-ukraine-2025")


@pytest.fixture(scope="module")
def problem(flagship):
    return Problem.of(flagship)


def with_numbers(scenario, inputs, row):
    """The scenario with every uncertain input set to its drawn value (no ranges left)."""
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    for item, value in zip(inputs, row, strict=True):
        parts = item.path.split(".")
        node = data
        for part in parts[:-1]:
            if "[" in part:
                name, index = part[:-1].split("[")
                node = node[name][int(index)]
            else:
                node = node[part]
        node[parts[-1]] = {"value": float(value), "rationale": "drawn"}
    return peacetalks.Scenario.model_validate(data)


def test_every_sample_verdict_equals_the_static_engine(flagship, problem):
    rows = draw(problem.inputs, problem.groups, 6, np.random.SeedSequence(11))
    result = judge(problem, rows, red_lines=True)
    names = [flagship.compiled.party_ids[p] for p in problem.signatories]
    for k in range(rows.shape[0]):
        case = with_numbers(flagship, problem.inputs, rows[k])
        static = case.analyze()
        assert static.zopa.exists == (result.gap[k] <= 1e-7)
        if not static.zopa.exists:
            assert result.gap[k] == pytest.approx(static.closest.largest_shortfall, abs=1e-9)
            closest = static.closest.packages[0]
            worst = max(closest.shortfalls, key=closest.shortfalls.get)
            assert closest.shortfalls[worst] == pytest.approx(
                closest.shortfalls[names[result.binding[k]]], abs=1e-9
            )
        for q, proposal in enumerate(problem.proposals):
            assert result.proposals[k, q] == (case.evaluate(proposal.id).accepted_by_all is True)


def test_red_lines_flagged_as_binding_open_a_zopa_when_dropped(flagship, problem):
    rows = draw(problem.inputs, problem.groups, 60, np.random.SeedSequence(2))
    result = judge(problem, rows, red_lines=True)
    hits = np.argwhere(result.red_lines)
    assert hits.size, "some draw should have a binding red line"
    for k, r in hits[:3]:
        case = with_numbers(flagship, problem.inputs, rows[k])
        line = problem.red_line_ids[r]
        lines = [x for x in case.model_dump(by_alias=True)["red_lines"] if x["id"] != line]
        assert not case.analyze().zopa.exists
        assert case.evolve(red_lines=lines).analyze().zopa.exists


def test_the_point_estimate_reproduces_the_static_verdict(flagship, problem):
    point = np.array([[item.estimate.value for item in problem.inputs]])
    assert judge(problem, point).gap[0] == pytest.approx(
        flagship.analyze().closest.largest_shortfall, abs=1e-12
    )


def test_weights_are_renormalised_after_drawing(problem):
    rows = draw(problem.inputs, problem.groups, 4, np.random.SeedSequence(1))
    batch = problem.arrays.batch(problem.inputs, rows)
    issue_of = problem.arrays.issue_of
    for s in range(4):
        for p in range(batch.values.shape[1]):
            best_per_issue = [
                batch.values[s, p, issue_of == i].max() for i in range(issue_of.max() + 1)
            ]
            assert sum(best_per_issue) <= 1 + 1e-9


@pytest.fixture(scope="module")
def small_run(flagship):
    return sweep(flagship, samples=1_000, seed=4, red_line_samples=500)


def test_sweep_reports_the_probability_and_names_what_could_overturn(small_run):
    result = small_run
    assert result.samples == 1_000 and not result.interrupted
    assert result.point_gap > 0  # no ZOPA at the best estimates
    assert result.zopa.low <= result.zopa.share <= result.zopa.high
    assert math.isclose(sum(s.share for s in result.binding_parties.values()), 1.0)
    assert result.verdict[0].startswith("At the best estimates there is no ZOPA")
    assert any(driver.overturns for driver in result.drivers)
    for driver in result.drivers:
        if driver.overturns:
            assert min(driver.gap_at_low, driver.gap_at_high) <= 1e-7
    assert sum(result.gap_quantiles.values()) and len(result.gaps) == 1_000


def test_the_same_seed_gives_the_same_numbers(flagship, small_run):
    again = sweep(flagship, samples=1_000, seed=4, red_line_samples=500)
    assert again.gaps == small_run.gaps and again.zopa == small_run.zopa
    other = sweep(flagship, samples=1_000, seed=5, red_line_samples=0)
    assert other.gaps != small_run.gaps


@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_every_backend_gives_the_same_numbers(flagship, backend):
    here = sweep(flagship, samples=1_200, seed=8, red_line_samples=0)
    there = sweep(flagship, samples=1_200, seed=8, red_line_samples=0, backend=backend, workers=2)
    assert there.gaps == here.gaps and there.zopa == here.zopa


def test_an_interrupted_sweep_keeps_what_it_computed(flagship):
    def stop_after_first_block(done):
        if done >= 500:
            raise KeyboardInterrupt

    result = sweep(
        flagship, samples=2_000, seed=1, red_line_samples=0, progress=stop_after_first_block
    )
    assert result.interrupted and result.samples == 500 and result.requested == 2_000
    assert "interrupted" in result.verdict[1]


def test_a_grid_sweep_moves_the_probability(flagship):
    path = "preferences.russia.reservation"
    result = sweep(
        flagship, samples=500, seed=2, red_line_samples=0, vary=parse_vary([f"{path}=0.45:0.75:3"])
    )
    shares = [point.zopa.share for point in result.grid]
    assert [point.values[path] for point in result.grid] == [0.45, 0.6, 0.75]
    assert shares[0] > shares[-1]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (["x=1:2"], "expected PATH=LOW:HIGH:N"),
        (["x=2:1:3"], "LOW < HIGH"),
        (["a=0:1:2", "b=0:1:2", "c=0:1:2"], "at most 2"),
    ],
)
def test_bad_grid_specifications(spec, message):
    with pytest.raises(UsageError, match=message):
        parse_vary(spec)


def test_an_unknown_input_path_is_named(flagship):
    with pytest.raises(UsageError, match=r"did you mean 'preferences\.russia\.reservation'"):
        sweep(flagship, samples=10, vary=parse_vary(["preferences.russia.reservaton=0.4:0.6:2"]))


def test_a_scenario_without_ranges_is_refused():
    data = copy.deepcopy(
        peacetalks.load("camp-david-1978").model_dump(by_alias=True, exclude_none=True)
    )
    for prefs in data["preferences"].values():
        prefs["reservation"] = {"value": 0.5, "rationale": "fixed"}
        prefs["weights"] = {k: 1 for k in prefs["weights"]}
        prefs["values"] = {
            issue: {option: 0.5 for option in table} for issue, table in prefs["values"].items()
        }
        prefs.pop("relative_gains", None)
        prefs.pop("interactions", None)
    case = peacetalks.Scenario.model_validate(data)
    assert not uncertain_inputs(case)
    with pytest.raises(UsageError, match="nothing uncertain"):
        sweep(case, samples=10)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 1_200))
def test_block_layout_never_changes_the_numbers(seed, samples):
    """Whatever the sample count, the first samples are the same (blocks are seeded alone)."""
    items = inputs_of(estimate(), estimate(distribution="triangular"))
    first = draw(items, {}, min(samples, 500), block_seeds(seed, 3)[0])
    again = draw(items, {}, min(samples, 500), block_seeds(seed, 1)[0])
    assert (first == again).all()


runner = CliRunner()


def test_cli_sweep_json_and_charts(tmp_path):
    out = runner.invoke(app, ["sweep", "-n", "500", "--red-line-samples", "0", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    for key in ("zopa", "gap_quantiles", "binding_parties", "proposals", "drivers", "verdict"):
        assert key in data
    for name in ("tornado.png", "grid.svg", "grid.html"):
        chart = tmp_path / name
        args = ["sweep", "-n", "200", "--red-line-samples", "0", "--plot", str(chart)]
        if name.startswith("grid"):
            args += ["--vary", "preferences.russia.reservation=0.45:0.75:3"]
        done = runner.invoke(app, args)
        assert done.exit_code == 0, done.output
        assert chart.stat().st_size > 1000


def test_cli_sweep_lists_inputs_and_refuses_bad_input():
    out = runner.invoke(app, ["sweep", "--list-inputs", "--json"])
    assert out.exit_code == 0
    assert any(row["input"] == "preferences.russia.reservation" for row in json.loads(out.output))
    assert runner.invoke(app, ["sweep", "-n", "0"]).exit_code == 2
    bad = runner.invoke(app, ["sweep", "-n", "10", "--backend", "gpu"])
    assert bad.exit_code == 2 and "inprocess" in bad.output


def test_runs_are_recorded_in_the_store_when_asked(tmp_path):
    store = tmp_path / "runs.sqlite"
    out = runner.invoke(
        app, ["sweep", "-n", "500", "--red-line-samples", "0", "--store", str(store), "--json"]
    )
    assert out.exit_code == 0, out.output
    dyn = runner.invoke(app, ["dynamics", "--no-levers", "--horizon", "3", "--store", str(store)])
    assert dyn.exit_code == 0, dyn.output
    listed = runner.invoke(app, ["runs", "list", "--store", str(store), "--json"])
    runs = json.loads(listed.output)
    assert sorted(run["kind"] for run in runs) == ["dynamics", "sweep"]
    sweep_run = next(run for run in runs if run["kind"] == "sweep")
    assert sweep_run["sample_count"] == 500 and sweep_run["seed"] == 0
    exported = tmp_path / "samples.csv"
    done = runner.invoke(
        app,
        [
            "runs",
            "export",
            sweep_run["id"],
            "--format",
            "csv",
            "-o",
            str(exported),
            "--store",
            str(store),
        ],
    )
    assert done.exit_code == 0, done.output
    assert exported.read_text().count("\n") == 501


def test_without_any_package_respecting_the_red_lines_the_sweep_says_so():
    result = sweep(peacetalks.load("russia-ukraine-2026"), samples=500, seed=0)
    assert not result.feasible and result.zopa.share == 0.0
    assert "a red line has to move first" in result.verdict[0]
    assert "ru-donetsk-withdrawal" in result.unassessed_red_lines  # too many packages without it
    json.loads(result.to_json())  # strict JSON: infinite gaps become null


def test_a_dynamics_draw_at_the_best_estimates_equals_peacetalks_dynamics(flagship, monkeypatch):
    from peacetalks.dynamics import dynamics
    from peacetalks.sweep import dynamics as module
    from peacetalks.sweep.problem import ScenarioRef

    def best_only(inputs, groups, count, seed):
        return np.array([[item.estimate.value for item in inputs]] * count)

    monkeypatch.setattr(module, "draw", best_only)
    _, first_zopa, first_ripe = module.evaluate_block(
        (ScenarioRef.of(flagship), 36, np.random.SeedSequence(0), 3, {})
    )
    expected = dynamics(flagship, levers=False)
    own = expected.zopa["own beliefs"].first
    assert (first_zopa == (-1 if own is None else own)).all()
    ripe = expected.ripeness.first_ripe
    assert (first_ripe == (-1 if ripe is None else ripe)).all()


def test_the_dynamics_sweep_is_reproducible_and_reports_timing(flagship):
    from peacetalks.sweep.dynamics import sweep_dynamics

    first = sweep_dynamics(flagship, samples=300, seed=3)
    again = sweep_dynamics(flagship, samples=300, seed=3)
    assert first == again
    assert first.samples == 300 and first.inputs > 20
    assert 0 <= first.first_ripe.within_horizon.share <= 1
    assert "within 36 months" in first.verdict[0]
    out = runner.invoke(app, ["sweep", "--dynamics", "-n", "200", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["first_zopa"]["within_horizon"]["of"] == 200
    refused = runner.invoke(app, ["sweep", "camp-david-1978", "--dynamics", "-n", "10"])
    assert refused.exit_code == 2 and "no war model" in refused.output


def test_a_dynamics_grid_treats_held_numbers_as_what_ifs(flagship):
    from peacetalks.sweep.dynamics import sweep_dynamics

    result = sweep_dynamics(
        flagship,
        samples=300,
        seed=1,
        vary=parse_vary(["war.sanctions.russia.cost=0.05:0.3:3"]),
    )
    shares = [point.zopa.share for point in result.grid]
    assert shares[0] < shares[-1]  # heavier sanctions open a ZOPA in more draws
    with pytest.raises(UsageError, match="unknown uncertain input of the war model"):
        sweep_dynamics(flagship, samples=10, vary=parse_vary(["war.sanctons.cost=0:1:2"]))
