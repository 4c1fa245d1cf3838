"""Actor tables, the compromise model, shocks, plots and the `forecast` command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app
from peacetalks.errors import ScenarioError, UsageError
from peacetalks.forecast import ActorTable, ForecastResult
from peacetalks.forecast.actors import from_scenario
from peacetalks.forecast.compromise import simulate_compromise, weighted_mean, weighted_median
from peacetalks.forecast.eum import EUMSettings, simulate_eum
from peacetalks.forecast.shocks import shock_forecast, shocked_tables
from peacetalks.forecast.tables import (
    dataset_names,
    load_dataset,
    load_table,
    parse_csv,
    parse_yaml,
    resolve_table,
)

runner = CliRunner()

BDM = "bdm1994_eu_car_emissions"


@st.composite
def tables(draw: st.DrawFn, max_actors: int = 6, max_dims: int = 2) -> ActorTable:
    """A random actor table on [0, 100] scales."""
    n = draw(st.integers(1, max_actors))
    d = draw(st.integers(1, max_dims))
    unit = st.floats(0.05, 1.0)
    position = draw(st.lists(st.floats(0, 100), min_size=n * d, max_size=n * d))
    salience = draw(st.lists(unit, min_size=n * d, max_size=n * d))
    capability = draw(st.lists(unit, min_size=n, max_size=n))
    return ActorTable(
        actors=tuple(f"a{k}" for k in range(n)),
        dimensions=tuple(f"d{k}" for k in range(d)),
        capability=np.array(capability),
        position=np.array(position).reshape(n, d),
        salience=np.array(salience).reshape(n, d),
        low=np.zeros(d),
        high=np.full(d, 100.0),
    )


def permuted(table: ActorTable, order: list[int]) -> ActorTable:
    return ActorTable(
        tuple(table.actors[k] for k in order),
        table.dimensions,
        table.capability[order],
        table.position[order],
        table.salience[order],
        table.low,
        table.high,
    )


# loading


def test_every_shipped_dataset_loads():
    names = dataset_names()
    assert BDM in names
    for name in names:
        table = load_dataset(name)
        assert table.size >= 5 and np.all(table.salience <= 1)


def test_long_form_csv_reads_issues_and_fills_missing_entries():
    table = load_dataset("decide_copenhagen_2009")
    assert table.size == 11 and len(table.dimensions) == 7
    russia, commitments = table.actors.index("Russia"), table.dimensions.index("Commitments")
    assert table.salience[russia, commitments] == 0.0  # no row: Russia does not care


def test_wide_form_with_several_dimensions():
    text = "actor,capability,position:a,salience:a,position:b,salience:b,source\n"
    text += "x,1,0,0.5,10,1,memo\ny,2,10,1,0,0.5,\n"
    table = parse_csv(text)
    assert table.dimensions == ("a", "b")
    assert table.position.tolist() == [[0, 10], [10, 0]]
    assert table.notes == ("memo", "")


def test_saliences_given_as_percentages_are_detected():
    table = load_dataset("blog2015_greece_eu_debt")
    assert table.salience.max() == 1.0 and table.salience.min() == 0.4


def test_percent_saliences_are_rejected_when_asked():
    text = "actor,position,capability,salience\nx,1,1,80\ny,2,1,40\n"
    with pytest.raises(ScenarioError, match=r"<t>:2:4: x\.salience: salience 80 is out of range"):
        parse_csv(text, file="<t>", salience_scale="unit")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("actor,position,salience\nx,1,1\n", "t.csv:1: (top level): missing column capability"),
        (
            "actor,position,capability,salience\nx,1,1,high\n",
            "t.csv:2:4: x.salience: 'high' is not a number; expected the salience",
        ),
        (
            "actor,position,capability,salience\nx,1,1,0.5\n\ny,2,1,150\n",
            "t.csv:4:4: y.salience: salience 150 is out of range",
        ),
        (
            "actor,position,capability,salience\nx,1,-1,0.5\n",
            "t.csv:2:3: x.capability: capability -1 is negative",
        ),
        ("actor,position,capability,salience\nx,1,1,0.5\nx,2,1,0.5\n", "appears twice"),
        (
            "actor,issue,position,salience,power\nx,a,1,0.5,1\nx,b,1,0.5,2\n",
            "t.csv:3:5: x.capability: 'x' has capability 2 here but 1 on line 2",
        ),
        ("actor,position,capability,salience\n", "no actors"),
        ("", "the file is empty"),
    ],
)
def test_bad_csv_files_are_located(text: str, expected: str):
    with pytest.raises(ScenarioError) as error:
        parse_csv(text, file="t.csv")
    assert expected in str(error.value)


YAML = """\
dimensions:
  - {id: land, low: 0, high: 100}
actors:
  - name: A
    capability: 1
    positions: {land: 10}
    saliences: {land: 0.5}
    source: somewhere
  - name: B
    capability: 1
    positions: {lnd: 90}
    saliences: {land: 0.5}
"""


def test_bad_yaml_is_located_with_hints():
    with pytest.raises(ScenarioError) as error:
        parse_yaml(YAML, file="t.yaml")
    text = str(error.value)
    assert "t.yaml:9:5: actors[1]: actor 'B' needs a 'source' or a 'rationale'" in text
    assert (
        "t.yaml:11:17: actors[1].positions.lnd: unknown dimension 'lnd'; did you mean 'land'?"
        in text
    )
    assert "a salience on 'land' but no position" in text


def test_yaml_position_outside_the_scale():
    bad = YAML.replace("{lnd: 90}", "{land: 190}").replace(
        "  - name: B", "  - name: B\n    rationale: r"
    )
    with pytest.raises(
        ScenarioError, match=r"t\.yaml:12:17: .*position 190 is outside the scale of 'land'"
    ):
        parse_yaml(bad, file="t.yaml")


def test_load_table_by_suffix(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("actor,position,capability,salience\nx,1,1,1\ny,3,1,1\n")
    assert load_table(path).position.ravel().tolist() == [1, 3]
    with pytest.raises(UsageError, match=r"expected \.csv or \.yaml"):
        load_table(tmp_path / "a.txt")
    with pytest.raises(UsageError, match="cannot read"):
        load_table(tmp_path / "missing.csv")


def test_resolve_table_names_the_flagship_and_refuses_other_scenarios():
    assert resolve_table(None).actors[:2] == ("Russia", "Ukraine")
    assert resolve_table("russia-ukraine-2025").size == resolve_table(None).size
    with pytest.raises(UsageError, match="has no stakeholders block"):
        resolve_table("dayton-1995")
    with pytest.raises(UsageError, match="no dataset"):
        resolve_table("bdm1994")


def test_flagship_table_sources_every_actor():
    table = from_scenario(peacetalks.load("russia-ukraine-2025"))
    assert table.dimensions == ("territory", "security", "sanctions")
    assert {"China", "Turkey", "UK", "Poland", "Hungary", "Germany", "France", "India"} <= set(
        table.actors
    )
    assert all(note for note in table.notes)


# compromise model


def test_compromise_is_the_weighted_mean_exactly():
    table = load_dataset(BDM)
    w = table.capability * table.salience[:, 0]
    expected = float(np.sum(w * table.position[:, 0]) / np.sum(w))
    result = simulate_compromise(table)
    assert result.outcome[0] == expected
    assert round(expected, 3) == 7.390  # the reference README's W.mean
    assert simulate_compromise(table, rule="median").outcome.tolist() == [7.0]


def test_weighted_median_of_a_tie_is_the_lower_position():
    x, w = np.array([[1.0], [2.0]]), np.array([[1.0], [1.0]])
    assert weighted_median(x, w).tolist() == [1.0]
    assert weighted_mean(x, np.zeros((2, 1))).tolist() == [1.5]


@settings(max_examples=40)
@given(tables(max_actors=1))
def test_a_single_actor_is_the_outcome(table: ActorTable):
    assert np.allclose(simulate_compromise(table).outcome, table.position[0])
    assert np.allclose(simulate_compromise(table, "median").outcome, table.position[0])


@settings(max_examples=40)
@given(tables(), st.randoms())
def test_compromise_ignores_the_order_of_actors(table: ActorTable, random):
    order = list(range(table.size))
    random.shuffle(order)
    for rule in ("mean", "median"):
        a = simulate_compromise(table, rule).outcome
        b = simulate_compromise(permuted(table, order), rule).outcome
        assert np.allclose(a, b, rtol=0, atol=1e-9)


# shocks


def test_same_seed_same_shocks_whatever_the_blocks():
    table = load_dataset(BDM)
    a = shock_forecast(table, runs=60, seed=3, block_size=7)
    b = shock_forecast(table, runs=60, seed=3, block_size=60)
    assert np.array_equal(a.outcomes, b.outcomes)
    c = shock_forecast(table, runs=60, seed=4)
    assert not np.array_equal(a.outcomes, c.outcomes)


def test_shocked_tables_stay_on_the_scale():
    table = load_dataset(BDM)
    shocked = shocked_tables(table, runs=20, seed=1, position_noise=0.5, salience_noise=0.5)
    assert all(np.all((t.position >= 4) & (t.position <= 10)) for t in shocked)
    assert len({t.position.tobytes() for t in shocked}) == 20


def test_shocks_without_noise_reproduce_the_forecast():
    table = load_dataset(BDM)
    spread = shock_forecast(table, "compromise", runs=5, position_noise=0, salience_noise=0)
    assert np.allclose(spread.outcomes, simulate_compromise(table).outcome)


def test_compromise_spread_via_processes_matches_inprocess():
    table = load_dataset(BDM)
    here = shock_forecast(table, "median", runs=40, seed=2, block_size=10)
    there = shock_forecast(
        table, "median", runs=40, seed=2, block_size=10, backend="processes", workers=2
    )
    assert np.array_equal(here.outcomes, there.outcomes)


# results, plots and the command


def test_results_are_json_ready():
    result = simulate_compromise(from_scenario(peacetalks.load("russia-ukraine-2025")))
    data = json.loads(result.to_json())
    assert data["model"] == "compromise" and len(data["rounds"][0]["positions"]) == 12
    assert isinstance(result, ForecastResult)


def test_plots_are_written(tmp_path: Path):
    pytest.importorskip("matplotlib")
    from peacetalks.forecast.eum import simulate_eum
    from peacetalks.forecast.plots import write_paths_plot, write_quadrant_plot

    table = load_dataset(BDM)
    paths = write_paths_plot(simulate_eum(table, rounds=3), tmp_path / "paths.svg")
    quad = write_quadrant_plot(table, "Belgium", tmp_path / "quad.png")
    assert paths.stat().st_size > 1000 and quad.stat().st_size > 1000
    with pytest.raises(UsageError, match="no actor 'Belgum'"):
        write_quadrant_plot(table, "Belgum", tmp_path / "q.png")


def test_cli_forecasts_the_flagship_by_default():
    result = runner.invoke(app, ["forecast", "--json", "--rounds", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["model"] == "eum" and data["dimensions"] == ["territory", "security", "sanctions"]
    assert len(data["rounds"]) == 3


def test_cli_runs_a_dataset_with_shocks_and_a_plot(tmp_path: Path):
    pytest.importorskip("matplotlib")
    plot = tmp_path / "p.png"
    args = ["forecast", BDM, "--variant", "scholz-code", "--rounds", "8", "--shocks", "50"]
    result = runner.invoke(app, [*args, "--plot", str(plot)])
    assert result.exit_code == 0, result.output
    assert "9.671" in result.output and "median of 50 shocks" in result.output and plot.exists()


def test_cli_compromise_on_a_file(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("actor,position,capability,salience\nx,0,1,1\ny,10,3,1\n")
    result = runner.invoke(app, ["forecast", str(path), "--model", "compromise", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["forecast"] == [7.5]


def test_cli_reports_bad_files_and_names(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text("actor,position,capability,salience\nx,zero,1,1\n")
    result = runner.invoke(app, ["forecast", str(path)])
    assert (
        result.exit_code == 2 and "t.csv:2:2: x.position: 'zero' is not a number" in result.output
    )
    result = runner.invoke(app, ["forecast", BDM, "--model", "eu"])
    assert result.exit_code == 2 and "unknown model 'eu'" in result.output


def test_coalitions_are_blocs_of_actors_at_one_position():
    from peacetalks.forecast.results import blocs

    table = load_dataset(BDM)
    result = simulate_eum(table, rounds=3, settings=EUMSettings.scholz_code())
    for state in result.rounds:
        for group in state.coalitions:
            rows = [table.actors.index(name) for name in group]
            spread = np.ptp(state.positions[rows], axis=0) / (table.high - table.low)
            assert len(group) >= 2 and np.all(spread <= 0.005 * (len(group) - 1) + 1e-12)
        members = [name for group in state.coalitions for name in group]
        assert len(members) == len(set(members))
    same = np.array([[1.0], [1.0], [4.0], [9.0], [9.0]])
    names = ("e", "d", "c", "b", "a")
    assert blocs(names, same, np.array([0.0]), np.array([10.0])) == (("a", "b"), ("d", "e"))


def test_cli_draws_the_quadrant_chart(tmp_path: Path) -> None:
    out = tmp_path / "belgium.png"
    args = ["forecast", BDM, "--plot", str(out), "--quadrant", "Belgium"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    for extra, message in [
        (["--quadrant", "Belgium"], "give the file with --plot"),
        (["--plot", str(out), "--quadrant", "Belgum"], "did you mean 'Belgium'"),
        (["--plot", str(out), "--quadrant", "Belgium", "--dimension", "x"], "no dimension 'x'"),
    ]:
        bad = CliRunner().invoke(app, ["forecast", BDM, *extra])
        assert bad.exit_code == 2 and message in bad.output, bad.output
