"""Loading scenarios: round trips, located errors for bad input, safety limits."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import peacetalks
from peacetalks.errors import ScenarioError
from peacetalks.io.safe_yaml import MAX_BYTES
from tests.strategies import scenario_data


def to_yaml(data) -> str:
    import io

    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(data, out)
    return out.getvalue()


def problems_of(text: str) -> list:
    with pytest.raises(ScenarioError) as caught:
        peacetalks.parse(text, file="case.yaml")
    return list(caught.value.problems)


@settings(max_examples=100, deadline=None)
@given(scenario_data())
def test_valid_data_loads_and_round_trips(data):
    scenario = peacetalks.parse(to_yaml(data), file="gen.yaml")
    dumped = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    again = peacetalks.Scenario.model_validate(dumped)
    assert again == scenario
    assert [p.id for p in scenario.parties] == [p["id"] for p in data["parties"]]


def _break(data, how: str, rng: st.DataObject):
    broken = copy.deepcopy(data)
    party = rng.draw(st.sampled_from(sorted(broken["preferences"])))
    prefs = broken["preferences"][party]
    issue = rng.draw(st.sampled_from(sorted(prefs["values"])))
    if how == "unknown-option":
        prefs["values"][issue]["no-such-option"] = 0.5
        return broken, f"preferences.{party}.values.{issue}.no-such-option"
    if how == "out-of-range":
        option = sorted(prefs["values"][issue])[0]
        prefs["values"][issue][option] = 1.5
        return broken, f"preferences.{party}.values.{issue}.{option}"
    if how == "missing-value":
        option = sorted(prefs["values"][issue])[0]
        prefs["weights"][issue] = 1
        del prefs["values"][issue][option]
        return broken, f"preferences.{party}.values.{issue}"
    if how == "negative-weight":
        prefs["weights"][issue] = -1
        return broken, f"preferences.{party}.weights.{issue}"
    if how == "zero-weights":
        prefs["weights"] = {key: 0 for key in prefs["weights"]}
        prefs.pop("interactions", None)
        return broken, f"preferences.{party}.weights"
    if how == "typo-field":
        prefs["reservaton"] = prefs.pop("reservation")
        return broken, f"preferences.{party}.reservaton"
    if how == "duplicate-issue":
        broken["issues"].append(copy.deepcopy(broken["issues"][0]))
        return broken, f"issues[{len(broken['issues']) - 1}].id"
    if how == "signatory-without-preferences":
        first = broken["parties"][0]
        del broken["preferences"][first["id"]]
        for other in broken["preferences"].values():
            other.get("relative_gains", {}).pop(first["id"], None)
        broken["red_lines"] = [r for r in broken["red_lines"] if r["party"] != first["id"]]
        return broken, "parties[0].signatory"
    if how == "proposal-unknown-option":
        broken["proposals"][0]["package"][issue] = "nope"
        return broken, f"proposals[0].package.{issue}"
    raise AssertionError(how)


BREAKS = [
    "unknown-option",
    "out-of-range",
    "missing-value",
    "negative-weight",
    "zero-weights",
    "typo-field",
    "duplicate-issue",
    "signatory-without-preferences",
    "proposal-unknown-option",
]


@settings(max_examples=120, deadline=None)
@given(scenario_data(), st.sampled_from(BREAKS), st.data())
def test_each_corruption_is_reported_at_its_field_and_line(data, how, rng):
    broken, field = _break(data, how, rng)
    problems = problems_of(to_yaml(broken))
    fields = [p.field for p in problems]
    assert field in fields, (how, fields)
    for problem in problems:
        assert problem.file == "case.yaml"
        assert problem.line is not None and problem.line >= 1
        assert problem.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_escapes_as_another_exception(text):
    try:
        peacetalks.parse(text, file="junk.yaml")
    except ScenarioError as error:
        assert error.problems and all(p.file == "junk.yaml" for p in error.problems)


def test_typo_gets_a_suggestion_and_exact_position():
    text = peacetalks.scenarios.builtin_text("russia-ukraine-2025")
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("reservation:"))
    lines[index] = lines[index].replace("reservation:", "reservaton:")
    problems = problems_of("\n".join(lines))
    typo = next(p for p in problems if p.field.endswith("reservaton"))
    assert typo.line == index + 1
    assert typo.hint == "did you mean 'reservation'?"
    assert "case.yaml:" in str(typo)


def test_yaml_syntax_error_is_located():
    (problem,) = problems_of("id: x\ntitle: [unclosed\nas_of: 2025-01-01\n")
    assert problem.line is not None
    assert "not valid YAML" in problem.message


def test_python_tags_are_refused():
    (problem,) = problems_of("id: !!python/object/apply:os.system ['true']\n")
    assert "tag" in problem.message
    assert problem.line == 1


def test_alias_bombs_are_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        refs = ", ".join([f"*{chr(96 + level)}"] * 10)
        bomb += f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]\n"
    (problem,) = problems_of(bomb)
    assert "aliases" in problem.message


def test_oversized_files_are_refused():
    (problem,) = problems_of("# " + "x" * MAX_BYTES)
    assert "limit" in problem.message


def test_duplicate_keys_are_refused():
    (problem,) = problems_of("id: a\nid: b\n")
    assert problem.line == 2 and "duplicate key" in problem.message


def test_yes_and_no_stay_strings():
    data = YAML(typ="safe", pure=True).load("x: 1")
    assert data == {"x": 1}
    from peacetalks.io.safe_yaml import read_yaml

    assert read_yaml("answer: no\nother: yes\n").data == {"answer": "no", "other": "yes"}


def test_ranges_are_kept():
    scenario = peacetalks.load("russia-ukraine-2025")
    ranged = [
        prefs.reservation
        for prefs in scenario.preferences.values()
        if isinstance(prefs.reservation, peacetalks.model.Estimate)
        and prefs.reservation.low is not None
    ]
    assert ranged, "the flagship should carry ranges on reservation values"


def test_builtin_scenarios_all_validate_and_cite_declared_sources():
    ids = peacetalks.builtin_ids()
    assert ids[0] == "russia-ukraine-2025"
    assert {"russia-ukraine-2025", "russia-ukraine-2026"} <= set(ids)
    assert len(ids) >= 4
    for scenario_id in ids:
        scenario = peacetalks.load(scenario_id)
        assert scenario.id == scenario_id
        assert scenario.red_lines and scenario.proposals
        for line in scenario.red_lines:
            assert line.source_ids, f"{scenario_id}: red line {line.id} has no source"


def test_every_number_in_builtin_scenarios_is_sourced_or_reasoned():
    from peacetalks.model.numbers import Estimate

    def cited(item) -> bool:
        return bool(getattr(item, "source", None) or getattr(item, "rationale", None))

    for scenario_id in peacetalks.builtin_ids():
        scenario = peacetalks.load(scenario_id)
        for party, prefs in scenario.preferences.items():
            numbers = [("reservation", prefs.reservation)]
            numbers += [(f"weights.{k}", v) for k, v in prefs.weights.items()]
            numbers += [(f"relative_gains.{k}", v) for k, v in prefs.relative_gains.items()]
            numbers += [
                (f"values.{issue}.{option}", value)
                for issue, table in prefs.values.items()
                for option, value in table.items()
            ]
            for name, value in numbers:
                assert isinstance(value, Estimate) and cited(value), (
                    f"{scenario_id}: {party}.{name} has neither source nor rationale"
                )
            for index, interaction in enumerate(prefs.interactions):
                assert cited(interaction) or cited(interaction.bonus), (
                    f"{scenario_id}: {party}.interactions[{index}] is not sourced or reasoned"
                )
        for proposal in scenario.proposals:
            assert cited(proposal), f"{scenario_id}: proposal {proposal.id} has no source"


def test_every_number_of_a_builtin_war_model_is_sourced_or_reasoned():
    from peacetalks.model.numbers import Estimate
    from peacetalks.model.war import parameters

    checked = 0
    for scenario_id in peacetalks.builtin_ids():
        war = peacetalks.load(scenario_id).war
        if war is None:
            continue
        numbers = [(path, number) for path, (number, _) in parameters(war).items()]
        numbers += [
            (f"support.{line.id}.shocks[{k}]", shock.change)
            for line in war.support
            for k, shock in enumerate(line.shocks)
        ]
        numbers += [
            (f"beliefs.{party}.{belief.parameter}", belief.value)
            for party, beliefs in war.beliefs.items()
            for belief in beliefs
        ]
        for name, number in numbers:
            assert isinstance(number, Estimate) and (number.source or number.rationale), (
                f"{scenario_id}: war.{name} has neither source nor rationale"
            )
            checked += 1
    assert checked > 50
