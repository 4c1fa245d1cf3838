"""The command line: every command runs, --json is valid JSON, bad input exits cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_scenarios_lists_the_library():
    result = run("scenarios", "--json")
    assert result.exit_code == 0, result.output
    ids = [entry["id"] for entry in json.loads(result.stdout)]
    assert ids == list(peacetalks.builtin_ids())
    table = run("scenarios")
    assert "russia-ukraine-2025" in table.stdout


def test_show_defaults_to_the_flagship():
    result = run("show")
    assert result.exit_code == 0, result.output
    assert "Red lines" in result.stdout and "bondarev-2025" in result.stdout
    data = json.loads(run("show", "--json").stdout)
    assert data["id"] == "russia-ukraine-2025"


def test_evaluate_kremlin_terms():
    result = run("evaluate", "--proposal", "kremlin-terms", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["accepted_by_all"] is False
    verdicts = {v["party"]: v for v in data["verdicts"]}
    assert verdicts["russia"]["accepts"] is True
    assert verdicts["ukraine"]["accepts"] is False
    text = run("evaluate", "--proposal", "kremlin-terms")
    assert "Not a deal" in text.stdout and "red line" in text.stdout


def test_evaluate_package_and_bad_package(tmp_path: Path):
    result = run("evaluate", "--package", "nato=constitutional-ban", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["package"]["nato"] == "constitutional-ban"
    bad = run("evaluate", "--package", "nato=constitutional-bna")
    assert bad.exit_code == 2
    assert "did you mean 'constitutional-ban'" in bad.stderr
    assert "Traceback" not in bad.output
    both = run("evaluate", "--proposal", "kremlin-terms", "--package", "nato=constitutional-ban")
    assert both.exit_code == 2
    malformed = run("evaluate", "--package", "nato")
    assert malformed.exit_code == 2 and "ISSUE=OPTION" in malformed.stderr


def test_validate_good_and_bad_files(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text(peacetalks.scenarios.builtin_text("russia-ukraine-2025"))
    ok = run("validate", str(good))
    assert ok.exit_code == 0, ok.output
    assert "valid scenario" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("kind: state", "kind: stat", 1))
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr and "did you mean 'state'" in result.stderr
    assert "Traceback" not in result.output
    as_json = json.loads(run("validate", str(bad), "--json").stdout)
    assert as_json["valid"] is False and as_json["problems"][0]["line"] >= 1
    missing = run("validate", str(tmp_path / "missing.yaml"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_unknown_scenario_gets_a_suggestion():
    result = run("show", "russia-ukriane-2025")
    assert result.exit_code == 2
    assert "did you mean 'russia-ukraine-2025'" in result.stderr


def test_schema_is_json_schema_of_the_format():
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "parties", "issues", "preferences"} <= set(schema["properties"])
    assert "RedLine" in schema["$defs"]


def test_every_builtin_scenario_validates_from_the_command_line(tmp_path: Path):
    for scenario_id in peacetalks.builtin_ids():
        path = tmp_path / f"{scenario_id}.yaml"
        path.write_text(peacetalks.scenarios.builtin_text(scenario_id))
        result = run("validate", str(path))
        assert result.exit_code == 0, result.output


def test_show_renders_every_builtin_scenario():
    for scenario_id in peacetalks.builtin_ids():
        result = run("show", scenario_id)
        assert result.exit_code == 0, (scenario_id, result.output)
        assert "Sources" in result.stdout


def test_analyze_is_the_main_job():
    result = run("analyze", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "russia-ukraine-2025"
    assert data["zopa"]["exists"] is False
    text = run("analyze")
    assert text.exit_code == 0
    assert "No package of terms is acceptable to every signatory" in text.stdout
    assert "Closest packages" in text.stdout


def test_analyze_and_import_a_genius_domain(tmp_path: Path):
    from tests.test_genius import GENIUS

    folder = GENIUS / "y2011" / "Laptop"
    if not folder.is_dir():
        import pytest

        pytest.skip("no GENIUS domains")
    result = run("analyze", str(folder), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["zopa"]["exists"] in (True, False)
    out = tmp_path / "laptop.yaml"
    converted = run("import-genius", str(folder), "-o", str(out))
    assert converted.exit_code == 0, converted.output
    assert run("validate", str(out)).exit_code == 0
    missing = run("import-genius", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "Traceback" not in missing.output
