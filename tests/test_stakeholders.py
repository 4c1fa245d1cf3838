"""A scenario's stakeholders block: the actor table of the forecasting models, validated and
located like every other part of a scenario."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app
from peacetalks.errors import ScenarioError
from peacetalks.forecast.actors import from_scenario
from peacetalks.forecast.tables import resolve_table
from peacetalks.scenarios import FLAGSHIP, builtin_text

BEYOND = {"China", "Turkey", "UK", "Poland", "Hungary", "Germany", "France", "India"}


def test_the_flagship_carries_its_stakeholders_with_citations():
    scenario = peacetalks.load(FLAGSHIP)
    table = from_scenario(scenario)
    assert set(table.actors) >= BEYOND and {"Russia", "Ukraine"} <= set(table.actors)
    assert table.dimensions == ("territory", "security", "sanctions")
    assert all(note for note in table.notes)
    block = scenario.stakeholders
    assert block is not None
    russia = next(actor for actor in block.actors if actor.name == "Russia")
    assert "bondarev-2025" in russia.source_ids
    assert table.position[table.actors.index("Russia")].tolist() == [100.0, 100.0, 100.0]


def test_a_scenario_file_with_stakeholders_is_an_actor_table_source(tmp_path):
    path = tmp_path / "flagship.yaml"
    path.write_text(builtin_text(FLAGSHIP))
    from_file, built_in = resolve_table(str(path)), resolve_table(None)
    assert from_file.actors == built_in.actors
    assert np.array_equal(from_file.position, built_in.position)


def _with_first_actor(old: str, new: str) -> str:
    text = builtin_text(FLAGSHIP)
    head, tail = text.split("\nstakeholders:\n", 1)
    assert old in tail, old
    return head + "\nstakeholders:\n" + tail.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "positions: {territory: 100,",
            "positions: {territory: 120,",
            "stakeholders.actors[0].positions.territory",
            "outside [0, 100]",
        ),
        (
            "saliences: {territory: 1.0,",
            "saliences: {territory: 1.5,",
            "stakeholders.actors[0].saliences.territory",
            "outside [0, 1]",
        ),
        (
            "positions: {territory: 100,",
            "positions: {teritory: 100,",
            "stakeholders.actors[0].positions.teritory",
            "did you mean 'territory'",
        ),
        (
            "- name: Ukraine",
            "- name: Russia",
            "stakeholders.actors[1].name",
            "duplicate actor 'Russia'",
        ),
        (
            "source: [p-jun24-kg",
            "source: [p-nowhere, p-jun24-kg",
            "stakeholders.actors[0].source[0]",
            "unknown source 'p-nowhere'",
        ),
    ],
)
def test_bad_stakeholders_are_located(old, new, field, message):
    with pytest.raises(ScenarioError) as raised:
        peacetalks.parse(_with_first_actor(old, new), file="flagship.yaml")
    found = [p for p in raised.value.problems if p.field == field]
    assert found, [str(p) for p in raised.value.problems]
    assert message in str(found[0]) and found[0].line is not None


def test_an_actor_without_a_citation_is_refused():
    text = builtin_text(FLAGSHIP)
    head, tail = text.split("\nstakeholders:\n", 1)
    lines = tail.splitlines()
    india = next(i for i, line in enumerate(lines) if line.strip() == "- name: India")
    kept = [line for i, line in enumerate(lines) if not (i > india and "rationale:" in line)]
    with pytest.raises(ScenarioError, match="cite a source or give a rationale"):
        peacetalks.parse(head + "\nstakeholders:\n" + "\n".join(kept) + "\n")


def test_forecast_reads_a_scenario_id():
    result = CliRunner().invoke(app, ["forecast", FLAGSHIP, "--model", "median", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["actors"]) == 12
    missing = CliRunner().invoke(app, ["forecast", "dayton-1995"])
    assert missing.exit_code == 2 and "no stakeholders block" in missing.output
