"""Uncertainty over time: the distribution of the first period with a ZOPA and of the first ripe
period, when the war model's parameters are uncertain.

Drawn: every war parameter and every belief with a range, and every party's reservation value
with a range (the anchor the war model moves). The utilities of the packages stay at their best
estimates, so the set of packages that can matter is fixed (see
:class:`peacetalks.dynamics.outcomes.Deals`) and each draw is one batch of simulations. Each draw
is judged as ``peacetalks dynamics`` judges the scenario in the parties' own-beliefs world.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from peacetalks.analysis.space import wilson
from peacetalks.compiled import FloatArray, IntArray
from peacetalks.dynamics.model import Model
from peacetalks.dynamics.war import baseline, believed, simulate
from peacetalks.errors import UsageError, did_you_mean
from peacetalks.model.numbers import Estimate
from peacetalks.model.scenario import Scenario
from peacetalks.model.war import War, parameters
from peacetalks.results import Result
from peacetalks.sweep.montecarlo import QUANTILES, Share, _spearman, grid_points, run_keeping
from peacetalks.sweep.problem import ScenarioRef
from peacetalks.sweep.sampling import Input, block_seeds, block_sizes, draw

NEVER = -1


@dataclass(frozen=True)
class Timing(Result):
    """When something first happens, over the draws."""

    within_horizon: Share
    quantiles: dict[str, float | None]
    """Quantiles of the first period among the draws where it happens (None if it never)."""


@dataclass(frozen=True)
class TimingPoint(Result):
    """One point of a grid sweep over the war model."""

    values: dict[str, float]
    zopa: Share
    ripe: Share


@dataclass(frozen=True)
class DynamicsSweep(Result):
    """What `peacetalks sweep --dynamics` reports."""

    scenario: str
    samples: int
    requested: int
    seed: int
    backend: str
    interrupted: bool
    horizon: int
    period: str
    inputs: int
    first_zopa: Timing
    first_ripe: Timing
    grid: tuple[TimingPoint, ...]
    """With inputs held at grid values: the chance of a ZOPA, and of ripeness, within the
    horizon (the same draws of everything else at every point)."""
    drivers: dict[str, float]
    """Spearman correlation of each drawn input with the first ripe period (a draw that never
    ripens counts as one period after the horizon); the strongest first."""
    verdict: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """The result as the run store keeps it."""
        return self.to_dict()

    def sample_rows(self) -> None:
        """No per-draw rows are kept (the timings summarise them)."""
        return None


def war_inputs(scenario: Scenario) -> list[Input]:
    """The uncertain numbers of the war model, its beliefs, and the reservation values."""
    war = scenario.war
    assert war is not None
    out: list[Input] = []
    for path, (number, _) in parameters(war).items():
        if path.startswith("sanctions.") and path.count(".") == 1:
            continue
        if path.startswith("regroup."):
            continue  # read only by a truce, which a sweep does not simulate
        _add(out, f"war.{path}", "war", number)
    for party, beliefs in war.beliefs.items():
        for belief in beliefs:
            _add(out, f"war.beliefs.{party}.{belief.parameter}", "belief", belief.value)
    for party, prefs in scenario.preferences.items():
        _add(out, f"preferences.{party}.reservation", "reservation", prefs.reservation)
    return out


def _add(out: list[Input], path: str, kind: str, number: object) -> None:
    if not isinstance(number, Estimate):
        return
    if number.low is not None and number.high is not None and number.low < number.high:
        out.append(Input(path, kind, (), number))


_MODELS: dict[tuple[str, int], tuple[Model, list[Input]]] = {}


def _model_of(ref: ScenarioRef, periods: int) -> tuple[Model, list[Input]]:
    key = (ref.digest, periods)
    if key not in _MODELS:
        _MODELS.clear()
        scenario = Scenario.model_validate_json(ref.text)
        assert scenario.war is not None
        _MODELS[key] = (Model(scenario, scenario.war, periods, 1), war_inputs(scenario))
    return _MODELS[key]


Job = tuple[ScenarioRef, int, np.random.SeedSequence, int, dict[int, float]]
"""(scenario, periods, block seed, samples, inputs held fixed: column -> value)."""


def evaluate_block(job: Job) -> tuple[FloatArray, IntArray, IntArray]:
    """Per draw of one block: the draws, the first ZOPA period and the first ripe period."""
    ref, periods, seed, count, fixed = job
    model, inputs = _model_of(ref, periods)
    groups = (
        {name: group.correlation for name, group in model.scenario.uncertainty.groups.items()}
        if model.scenario.uncertainty
        else {}
    )
    draws = draw(inputs, groups, count, seed)
    war = model.war
    stakes = model.stakes
    block = 1 + len(stakes)
    # a drawn number is uncertainty: the scenario's reservation values already reflect it, so
    # each draw is anchored on its own value of fighting on now; a number held on a grid is a
    # what-if (like a lever): anchored on the draw without it, it moves the values from now on
    anchored = simulate(war, _sets(war, stakes, inputs, draws), model.party_ids, periods)
    if fixed:
        for column, value in fixed.items():
            draws[:, column] = value
        paths = simulate(war, _sets(war, stakes, inputs, draws), model.party_ids, periods)
    else:
        paths = anchored
    reservation = np.repeat(model.compiled.reservation[None, :], count, axis=0)
    for k, item in enumerate(inputs):
        if item.kind == "reservation":
            party = item.path.split(".")[1]
            reservation[:, model.party_ids.index(party)] = draws[:, k]
    rows = []
    for g in range(count):
        path_rows = np.full((periods + 1, len(model.party_ids)), 0.0)
        path_rows[:] = reservation[g]
        for j, party in enumerate(stakes):
            column = model.party_ids.index(party)
            own_row = g * block + 1 + j
            fighting = paths.value[own_row, column, : periods + 1]
            now = anchored.value[own_row, column, 0]
            path_rows[:, column] = reservation[g, column] - now + fighting
        rows.append(path_rows)
    stacked = np.concatenate(rows)
    exists = model.deals.outcomes(stacked, best_deals=False).exists.reshape(count, periods + 1)
    first_zopa = np.array([_first(row) for row in exists])
    first_ripe = np.empty(count, dtype=np.int64)
    for g in range(count):
        gain, cost = model.side_paths(paths, g * block)
        ripe = model.ripeness(gain, cost, exists[g]).first_ripe
        first_ripe[g] = NEVER if ripe is None else ripe
    return draws, first_zopa, first_ripe


def _sets(
    war: War, stakes: list[str], inputs: list[Input], draws: FloatArray
) -> list[dict[str, float]]:
    """Per draw: the baseline parameter set, then each party's own (rows of the simulation)."""
    sets: list[dict[str, float]] = []
    for row in draws:
        base = baseline(war)
        for item, value in zip(inputs, row, strict=True):
            if item.kind == "war":
                base[item.path[len("war.") :]] = float(value)
        own = {p: believed(war, p, base) for p in stakes}
        for item, value in zip(inputs, row, strict=True):
            if item.kind == "belief":
                party, parameter = item.path[len("war.beliefs.") :].split(".", 1)
                own[party][parameter] = float(value)
        sets += [base, *(own[p] for p in stakes)]
    return sets


def _first(flags: np.ndarray) -> int:
    hits = np.flatnonzero(flags)
    return int(hits[0]) if hits.size else NEVER


def sweep_dynamics(
    scenario: Scenario,
    samples: int = 1_000,
    seed: int = 0,
    horizon: int | None = None,
    backend: str = "inprocess",
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    vary: Sequence[tuple[str, Sequence[float]]] = (),
) -> DynamicsSweep:
    """Draw the war model's uncertain numbers; per draw, the first ZOPA and the first ripe
    period in the parties' own-beliefs world. `vary` holds war inputs (e.g.
    ``war.support.eu-aid.level``) at each combination of values: a grid sweep."""
    if scenario.war is None:
        raise UsageError(f"scenario {scenario.id!r} has no war model; --dynamics needs one")
    periods = scenario.war.horizon if horizon is None else horizon
    if periods < 1:
        raise UsageError(f"the horizon must be at least 1 period, got {periods}")
    inputs = war_inputs(scenario)
    if not inputs:
        raise UsageError(f"scenario {scenario.id!r} states no ranges in its war model")
    ref = ScenarioRef.of(scenario)
    sizes = block_sizes(samples, 100)
    seeds = block_seeds(seed, len(sizes))
    jobs: list[Job] = [(ref, periods, seeds[k], sizes[k], {}) for k in range(len(sizes))]
    done = run_keeping(
        evaluate_block, jobs, lambda r: int(r[1].size), backend, workers, scheduler, progress
    )
    blocks = [done[k] for k in sorted(done)]
    draws = np.concatenate([b[0] for b in blocks])
    first_zopa = np.concatenate([b[1] for b in blocks])
    first_ripe = np.concatenate([b[2] for b in blocks])
    grid = _grid(inputs, vary, jobs, backend, workers, scheduler) if vary else ()
    late = np.where(first_ripe == NEVER, periods + 1, first_ripe).astype(float)
    correlation = np.nan_to_num(_spearman(draws, late))
    order = np.argsort(-np.abs(correlation))
    result = DynamicsSweep(
        scenario=scenario.id,
        samples=int(first_zopa.size),
        requested=samples,
        seed=seed,
        backend=backend,
        interrupted=len(done) < len(jobs),
        horizon=periods,
        period=scenario.war.period,
        inputs=len(inputs),
        first_zopa=_timing(first_zopa),
        first_ripe=_timing(first_ripe),
        grid=tuple(grid),
        drivers={inputs[j].path: round(float(correlation[j]), 4) for j in order[:10]},
    )
    from dataclasses import replace

    return replace(result, verdict=tuple(_verdict(result)))


def _grid(
    inputs: list[Input],
    vary: Sequence[tuple[str, Sequence[float]]],
    jobs: list[Job],
    backend: str,
    workers: int | None,
    scheduler: str | None,
) -> list[TimingPoint]:
    paths = [item.path for item in inputs]
    columns = []
    for path, _ in vary:
        if path not in paths:
            hint = did_you_mean(path, paths) or "see `peacetalks sweep --dynamics --list-inputs`"
            raise UsageError(f"unknown uncertain input of the war model {path!r} ({hint})")
        columns.append(paths.index(path))
    out = []
    for combo in grid_points(vary):
        fixed = dict(zip(columns, combo, strict=True))
        grid_jobs: list[Job] = [(r, p, s, n, fixed) for r, p, s, n, _ in jobs]
        done = run_keeping(
            evaluate_block, grid_jobs, lambda r: int(r[1].size), backend, workers, scheduler, None
        )
        zopa = np.concatenate([done[k][1] for k in sorted(done)])
        ripe = np.concatenate([done[k][2] for k in sorted(done)])
        out.append(
            TimingPoint(
                values={path: value for (path, _), value in zip(vary, combo, strict=True)},
                zopa=_timing(zopa).within_horizon,
                ripe=_timing(ripe).within_horizon,
            )
        )
    return out


def _timing(first: IntArray) -> Timing:
    happened = first[first != NEVER]
    low, high = wilson(int(happened.size), int(first.size))
    share = Share(happened.size / first.size, float(low), float(high), int(first.size))
    quantiles: dict[str, float | None] = {
        f"{int(q * 100)}%": (float(np.quantile(happened, q)) if happened.size else None)
        for q in QUANTILES
    }
    return Timing(share, quantiles)


def _verdict(result: DynamicsSweep) -> list[str]:
    unit = result.period
    out = []
    for what, timing in (
        ("a ZOPA opens", result.first_zopa),
        ("the conflict ripens", result.first_ripe),
    ):
        share = timing.within_horizon
        text = (
            f"Over {result.samples:,} draws of {result.inputs} uncertain numbers (the war model's "
            "and the reservation values), "
            f"{what} within {result.horizon} {unit}s in {100 * share.share:.1f}% of them "
            f"(95% interval {100 * share.low:.1f}–{100 * share.high:.1f}%)"
        )
        median = timing.quantiles.get("50%")
        if median is not None:
            text += f"; when it does, the median {unit} is {median:g}"
        out.append(text + ".")
    for point in result.grid:
        where = ", ".join(f"{k} = {v:g}" for k, v in point.values.items())
        out.append(
            f"With {where}: a ZOPA within the horizon in {100 * point.zopa.share:.1f}% of draws, "
            f"ripeness in {100 * point.ripe.share:.1f}%."
        )
    if result.drivers:
        listed = ", ".join(f"{k} ({v:+.2f})" for k, v in list(result.drivers.items())[:5])
        out.append(f"What moves the first ripe period most (rank correlation): {listed}.")
    return out
