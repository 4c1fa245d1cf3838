"""Tournaments: every assignment of the chosen strategies to the negotiators of every scenario,
repeated with seeds, run through the sweep executors (in-process, processes or Dask).

Reported per strategy: the agreement rate of the negotiations it took part in, its mean utility
(the agreed package's, or its outside option at the end after a breakdown) and the mean round of
agreement; per scenario: the agreement rate and, for agreements, the mean distance of the
outcome from the Nash bargaining solution and from the Pareto frontier (Euclidean, in the
negotiators' utility space).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from peacetalks.errors import UsageError
from peacetalks.model.scenario import Scenario
from peacetalks.negotiation.engine import simulate
from peacetalks.negotiation.space import OfferSpace
from peacetalks.negotiation.strategies import strategy
from peacetalks.results import Result
from peacetalks.sweep.problem import ScenarioRef

MAX_MATCHES = 100_000


@dataclass(frozen=True)
class StrategyScore(Result):
    """How one strategy fared."""

    strategy: str
    negotiations: int
    agreement_rate: float
    mean_utility: float
    mean_round: float | None
    """Mean round of agreement (None: never agreed)."""


@dataclass(frozen=True)
class ScenarioScore(Result):
    """How the negotiations of one scenario went."""

    scenario: str
    negotiations: int
    agreement_rate: float
    distance_to_nash: float | None
    distance_to_frontier: float | None


@dataclass(frozen=True)
class TournamentResult(Result):
    """A tournament's scores."""

    strategies: tuple[StrategyScore, ...]
    scenarios: tuple[ScenarioScore, ...]
    negotiations: int
    repetitions: int
    deadline: int
    seed: int
    backend: str


Job = tuple[ScenarioRef, tuple[tuple[str, str], ...], int, int]
"""(scenario, (party, strategy) pairs, deadline, seed)."""
Played = tuple[bool, int, dict[str, float]]

_SCENARIOS: dict[str, tuple[Scenario, OfferSpace]] = {}
CACHED = 16
"""Scenarios (with their offer spaces) a process keeps between negotiations."""


def play(job: Job) -> Played:
    """One negotiation of the tournament: (agreement, round, each negotiator's utility)."""
    ref, assignment, deadline, seed = job
    if ref.digest not in _SCENARIOS:
        if len(_SCENARIOS) >= CACHED:
            _SCENARIOS.clear()
        loaded = Scenario.model_validate_json(ref.text)
        _SCENARIOS[ref.digest] = (loaded, OfferSpace.of(loaded.compiled))
    scenario, space = _SCENARIOS[ref.digest]
    run = simulate(scenario, dict(assignment), deadline=deadline, seed=seed, space=space)
    if run.outcome.agreement and run.outcome.utilities is not None:
        return True, run.outcome.period, dict(run.outcome.utilities)
    return False, deadline, dict(run.outcome.outside or {})


def tournament(
    scenarios: Sequence[Scenario],
    strategies: Sequence[str],
    repetitions: int = 1,
    deadline: int = 60,
    seed: int = 0,
    backend: str = "inprocess",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> TournamentResult:
    """Every assignment of `strategies` to each scenario's negotiators, `repetitions` times.

    >>> import peacetalks
    >>> from peacetalks.negotiation.tournament import tournament
    >>> result = tournament([peacetalks.load("camp-david-1978")], ["linear", "boulware"])
    >>> result.negotiations
    8
    """
    if not strategies:
        raise UsageError("name at least one strategy")
    for name in strategies:
        strategy(name)  # unknown names fail here, with a suggestion
    if repetitions < 1:
        raise UsageError(f"repetitions must be at least 1, got {repetitions}")
    jobs: list[Job] = []
    owners: list[Scenario] = []
    seeds = np.random.SeedSequence(seed)
    for scenario in scenarios:
        ref = ScenarioRef.of(scenario)
        negotiators = [p.id for p in scenario.signatories]
        for combo in itertools.product(strategies, repeat=len(negotiators)):
            for _ in range(repetitions):
                child = int(seeds.spawn(1)[0].generate_state(1)[0])
                jobs.append((ref, tuple(zip(negotiators, combo, strict=True)), deadline, child))
                owners.append(scenario)
        if len(jobs) > MAX_MATCHES:
            raise UsageError(
                f"more than {MAX_MATCHES:,} negotiations; name fewer strategies or scenarios"
            )
    from peacetalks.sweep.montecarlo import run_keeping

    done = run_keeping(play, jobs, lambda _: 1, backend, workers, scheduler, progress)
    played = [(jobs[k], owners[k], done[k]) for k in sorted(done)]
    return TournamentResult(
        strategies=tuple(_strategy_scores(strategies, played)),
        scenarios=tuple(_scenario_scores(scenarios, played)),
        negotiations=len(played),
        repetitions=repetitions,
        deadline=deadline,
        seed=seed,
        backend=backend,
    )


def _strategy_scores(
    strategies: Sequence[str], played: list[tuple[Job, Scenario, Played]]
) -> list[StrategyScore]:
    out = []
    for name in dict.fromkeys(strategies):
        agreed, utilities, rounds, count = 0, [], [], 0
        for job, _, (agreement, period, values) in played:
            for party, chosen in job[1]:
                if chosen != name:
                    continue
                count += 1
                utilities.append(values[party])
                if agreement:
                    agreed += 1
                    rounds.append(period)
        out.append(
            StrategyScore(
                strategy=name,
                negotiations=count,
                agreement_rate=agreed / count if count else 0.0,
                mean_utility=float(np.mean(utilities)) if utilities else 0.0,
                mean_round=float(np.mean(rounds)) if rounds else None,
            )
        )
    return out


def _scenario_scores(
    scenarios: Sequence[Scenario], played: list[tuple[Job, Scenario, Played]]
) -> list[ScenarioScore]:
    out = []
    for scenario in scenarios:
        mine = [(job, result) for job, owner, result in played if owner is scenario]
        points = [
            [values[party] for party, _ in job[1]] for job, (agreed, _, values) in mine if agreed
        ]
        nash = frontier = None
        if points:
            analysis = scenario.analyze()
            negotiators = [party for party, _ in mine[0][0][1]]
            outcome = np.array(points)
            if analysis.solutions.nash is not None:
                target = np.array([analysis.solutions.nash.utilities[p] for p in negotiators])
                nash = float(np.linalg.norm(outcome - target, axis=1).mean())
            if analysis.frontier.points:
                front = np.array(
                    [
                        [point.utilities[p] for p in negotiators]
                        for point in analysis.frontier.points
                    ]
                )
                gaps = np.linalg.norm(outcome[:, None, :] - front[None, :, :], axis=2).min(axis=1)
                frontier = float(gaps.mean())
        out.append(
            ScenarioScore(
                scenario=scenario.id,
                negotiations=len(mine),
                agreement_rate=len(points) / len(mine) if mine else 0.0,
                distance_to_nash=nash,
                distance_to_frontier=frontier,
            )
        )
    return out
