"""Evaluation of packages: vectorised results agree with the definitions, reasons are given."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings

import peacetalks
from peacetalks.errors import UsageError
from tests import reference
from tests.strategies import scenario_with_package


@settings(max_examples=150, deadline=None)
@given(scenario_with_package())
def test_full_package_verdicts_match_the_definitions(case):
    data, package = case
    scenario = peacetalks.Scenario.model_validate(data)
    result = scenario.evaluate(package)
    for verdict in result.verdicts:
        if not verdict.has_preferences:
            assert verdict.party not in data["preferences"]
            continue
        expected_u = reference.utility(data, verdict.party, package)
        expected_eff = reference.effective(data, verdict.party, package)
        assert verdict.utility == pytest.approx((expected_u, expected_u))
        assert verdict.effective_utility == pytest.approx((expected_eff, expected_eff))
        assert [hit.id for hit in verdict.red_lines_crossed] == reference.crosses(
            data, verdict.party, package
        )
        assert verdict.accepts == reference.accepts(data, verdict.party, package)
    signatories = [p["id"] for p in data["parties"] if p["signatory"]]
    assert result.accepted_by_all == all(reference.accepts(data, p, package) for p in signatories)


@settings(max_examples=100, deadline=None)
@given(scenario_with_package(partial=True))
def test_partial_package_is_judged_over_all_its_completions(case):
    data, package = case
    scenario = peacetalks.Scenario.model_validate(data)
    result = scenario.evaluate(package)
    filled = dict(package)
    for issue in data["issues"]:
        if issue["id"] not in filled and "default" in issue:
            filled[issue["id"]] = issue["default"]
    open_ids = [i["id"] for i in data["issues"] if i["id"] not in filled]
    assert list(result.open_issues) == open_ids
    options = [[o["id"] for o in i["options"]] for i in data["issues"] if i["id"] in open_ids]
    completions = [
        {**filled, **dict(zip(open_ids, combo, strict=True))}
        for combo in itertools.product(*options)
    ]
    assert result.completions == len(completions)
    for verdict in result.verdicts:
        if not verdict.has_preferences:
            continue
        flags = [reference.accepts(data, verdict.party, c) for c in completions]
        expected = True if all(flags) else False if not any(flags) else None
        assert verdict.accepts is expected
        assert verdict.accept_share == pytest.approx(sum(flags) / len(flags))
        values = [reference.effective(data, verdict.party, c) for c in completions]
        assert verdict.effective_utility == pytest.approx((min(values), max(values)))


def test_flagship_kremlin_terms_rejected_with_reasons():
    flagship = peacetalks.load("russia-ukraine-2025")
    result = flagship.evaluate("kremlin-terms")
    assert result.accepted_by_all is False
    assert result.verdict("russia").accepts is True
    for party in ("ukraine", "eu"):
        verdict = result.verdict(party)
        assert verdict.accepts is False
        assert verdict.red_lines_crossed, f"{party} should reject the Kremlin terms on red lines"
        assert any("red line" in reason for reason in verdict.reasons)


def test_every_proposal_of_every_builtin_scenario_evaluates():
    for scenario_id in peacetalks.builtin_ids():
        scenario = peacetalks.load(scenario_id)
        for proposal in scenario.proposals:
            result = scenario.evaluate(proposal.id)
            assert result.proposal == proposal.id
            assert {v.party for v in result.verdicts} == {p.id for p in scenario.parties}
            for verdict in result.verdicts:
                if verdict.has_preferences:
                    low, high = verdict.margin
                    assert low <= high
                    assert verdict.reasons


def test_unknown_option_in_package_is_a_usage_error_with_suggestion():
    flagship = peacetalks.load("russia-ukraine-2025")
    with pytest.raises(UsageError, match="did you mean"):
        flagship.evaluate({"nato": "membership-pth"})
    with pytest.raises(UsageError, match="no proposal"):
        flagship.evaluate("no-such-proposal")


def test_result_serialises_to_json():
    result = peacetalks.load("russia-ukraine-2025").evaluate("kremlin-terms")
    data = result.to_dict()
    assert data["scenario"] == "russia-ukraine-2025"
    assert data["accepted_by_all"] is False
    assert {v["party"] for v in data["verdicts"]} >= {"russia", "ukraine", "usa", "eu"}
    assert result.to_json().startswith("{")


@pytest.mark.parametrize("scenario_id", ["camp-david-1978", "dayton-1995"])
def test_historical_agreements_are_accepted_by_every_signatory(scenario_id):
    scenario = peacetalks.load(scenario_id)
    result = scenario.evaluate("actual-agreement")
    assert result.accepted_by_all is True
    assert all(v.accepts for v in result.verdicts if v.signatory)


def test_what_if_copies_do_not_reuse_stale_numbers():
    flagship = peacetalks.load("russia-ukraine-2025")
    before = flagship.evaluate("kremlin-terms").verdict("ukraine")
    assert before.red_lines_crossed
    keep = [line for line in flagship.red_lines if line.party != "ukraine"]
    evolved = flagship.evolve(red_lines=keep)
    after = evolved.evaluate("kremlin-terms").verdict("ukraine")
    assert after.red_lines_crossed == ()
    assert after.margin == pytest.approx(before.margin)
    copied = flagship.model_copy(update={"red_lines": tuple(keep)})
    assert copied.evaluate("kremlin-terms").verdict("ukraine").red_lines_crossed == ()
