"""Simulated negotiations: agreements are acceptable to every signatory, the flagship has none,
runs reproduce by seed, strategies behave as described, and bad input gets clear errors."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app
from peacetalks.errors import UsageError
from peacetalks.negotiation import STRATEGIES, Strategy, View, register, simulate


@pytest.mark.parametrize("case", ["camp-david-1978", "dayton-1995"])
@pytest.mark.parametrize(
    "name", ["boulware", "linear", "conceder", "reciprocal", "frontier-walker", "nash-seeker"]
)
def test_agreements_are_acceptable_to_every_signatory(case, name):
    scenario = peacetalks.load(case)
    negotiators = [p.id for p in scenario.signatories]
    run = simulate(scenario, dict.fromkeys(negotiators, name), protocol="stacked", deadline=80)
    if run.outcome.agreement:
        assert scenario.evaluate(run.outcome.package).accepted_by_all is True
        assert run.trace[-1].responses and all(run.trace[-1].responses.values())


def test_time_based_negotiators_settle_the_historical_cases():
    for case in ("camp-david-1978", "dayton-1995"):
        assert simulate(peacetalks.load(case), protocol="stacked").outcome.agreement


def test_no_strategy_finds_a_deal_in_the_flagship():
    scenario = peacetalks.load("russia-ukraine-2025")
    for name in STRATEGIES:
        run = simulate(scenario, {"russia": name}, protocol="stacked", deadline=40)
        assert not run.outcome.agreement
        assert run.outcome.reason == "deadline reached without agreement"


def test_a_run_reproduces_by_seed():
    scenario = peacetalks.load("camp-david-1978")
    first = simulate(scenario, protocol="stacked", seed=3)
    assert simulate(scenario, protocol="stacked", seed=3) == first


def test_a_linear_negotiator_never_asks_for_more_later():
    scenario = peacetalks.load("camp-david-1978")
    run = simulate(scenario, protocol="stacked", deadline=30)
    for party in run.strategies:
        asked = [row.utilities[party] for row in run.trace if row.proposer == party]
        assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(asked))


def test_a_new_strategy_in_a_few_lines():
    class Stubborn(Strategy):
        name = "stubborn"
        description = "offers its best package and accepts anything above its reservation"
        source = "a test"

        def propose(self, view: View, rng: np.random.Generator) -> int:
            return int(np.argmax(view.own))

        def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
            return bool(view.own[offer] >= view.reservation)

    register("stubborn", Stubborn)
    try:
        run = simulate(peacetalks.load("camp-david-1978"), {"egypt": "stubborn"}, "stacked")
        assert run.strategies["egypt"] == "stubborn"
    finally:
        del STRATEGIES["stubborn"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"protocol": "auction"}, "unknown protocol"),
        ({"protocol": "alternating"}, "use --protocol stacked"),
        ({"strategies": {"egypt": "bouleware"}}, "did you mean 'boulware'"),
        ({"strategies": {"syria": "linear"}}, "not a negotiator"),
        ({"deadline": 0}, "at least 1 round"),
    ],
)
def test_bad_requests_get_clear_errors(kwargs, message):
    with pytest.raises(UsageError, match=message):
        simulate(peacetalks.load("camp-david-1978"), **kwargs)


runner = CliRunner()


def test_cli_simulate_and_strategies():
    out = runner.invoke(
        app, ["simulate", "camp-david-1978", "--json", "--strategy", "egypt=boulware"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["outcome"]["agreement"] is True and data["strategies"]["egypt"] == "boulware"
    text = runner.invoke(app, ["simulate", "--deadline", "5"])
    assert text.exit_code == 0 and "deadline reached without agreement" in text.output
    bad = runner.invoke(app, ["simulate", "--strategy", "russia"])
    assert bad.exit_code == 2 and "--strategy expects PARTY=NAME" in bad.output
    listed = json.loads(runner.invoke(app, ["strategies", "--json"]).output)
    assert {"boulware", "hard-liner", "reciprocal"} <= {item["name"] for item in listed}


@pytest.mark.parametrize("counterpart", ["boulware", "linear", "conceder", "reciprocal"])
def test_the_playbook_holds_its_maximal_terms_while_waiting_pays(counterpart):
    scenario = peacetalks.load("russia-ukraine-2025")
    run = simulate(scenario, {"russia": "playbook", "ukraine": counterpart}, "stacked", deadline=36)
    assert not run.outcome.agreement
    asked = [row.utilities["russia"] for row in run.trace if row.proposer == "russia"]
    best = float(run.trace[0].utilities["russia"]) if run.trace[0].proposer == "russia" else None
    assert best is not None and all(value == pytest.approx(best) for value in asked)
    assert any("no ZOPA" in sentence for sentence in run.explanation)


def test_outside_options_move_with_the_war_model():
    from peacetalks.negotiation.engine import outside_options

    scenario = peacetalks.load("russia-ukraine-2025")
    path = outside_options(scenario, 36)
    russia = scenario.compiled.party_ids.index("russia")
    assert path[0, russia] == pytest.approx(0.6) and path[-1, russia] > path[0, russia]
    fixed = outside_options(peacetalks.load("camp-david-1978"), 5)
    assert (fixed == fixed[0]).all()


def test_a_tournament_reproduces_by_seed_on_every_backend():
    from peacetalks.negotiation.tournament import tournament

    cases = [peacetalks.load("camp-david-1978")]
    here = tournament(cases, ["linear", "hard-liner"], repetitions=2, deadline=30, seed=5)
    assert here.negotiations == 2**3 * 2
    assert tournament(cases, ["linear", "hard-liner"], repetitions=2, deadline=30, seed=5) == here
    there = tournament(
        cases,
        ["linear", "hard-liner"],
        repetitions=2,
        deadline=30,
        seed=5,
        backend="processes",
        workers=2,
    )
    assert there.strategies == here.strategies and there.scenarios == here.scenarios
    hard = next(score for score in here.strategies if score.strategy == "hard-liner")
    linear = next(score for score in here.strategies if score.strategy == "linear")
    assert hard.agreement_rate < linear.agreement_rate


def test_tournament_bad_input_and_cli():
    from peacetalks.negotiation.tournament import tournament

    with pytest.raises(UsageError, match="did you mean 'linear'"):
        tournament([peacetalks.load("camp-david-1978")], ["lineer"])
    out = runner.invoke(app, ["tournament", "camp-david-1978", "--strategies", "linear", "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["negotiations"] == 1


@pytest.mark.parametrize("target", ["nash", "kalai-smorodinsky"])
def test_a_mediated_text_ends_in_a_deal_all_accept_or_in_deadlock(target):
    for case in ("camp-david-1978", "dayton-1995"):
        scenario = peacetalks.load(case)
        run = simulate(scenario, protocol="mediated", mediator=target, deadline=60)
        assert run.outcome.agreement, run.outcome.reason
        assert scenario.evaluate(run.outcome.package).accepted_by_all is True
        assert {row.proposer for row in run.trace} == {"mediator"}
    flagship = simulate(peacetalks.load("russia-ukraine-2025"), protocol="mediated")
    assert not flagship.outcome.agreement and "deadlock" in flagship.outcome.reason
    with pytest.raises(UsageError, match="unknown mediator target"):
        simulate(peacetalks.load("camp-david-1978"), protocol="mediated", mediator="rawls")


def test_cli_simulate_draws_the_dance(tmp_path):
    for name in ("dance.png", "dance.html"):
        chart = tmp_path / name
        out = runner.invoke(app, ["simulate", "camp-david-1978", "--plot", str(chart)])
        assert out.exit_code == 0, out.output
        assert chart.stat().st_size > 1000


def test_nash_seekers_agree_at_once_on_the_nash_solution():
    for case in ("camp-david-1978", "dayton-1995"):
        scenario = peacetalks.load(case)
        negotiators = [p.id for p in scenario.signatories]
        run = simulate(scenario, dict.fromkeys(negotiators, "nash-seeker"))
        assert run.outcome.agreement and run.outcome.period == 0
        nash = scenario.analyze().solutions.nash
        for party in negotiators:
            assert run.outcome.utilities[party] == pytest.approx(nash.utilities[party], abs=1e-6)
