"""Monte Carlo over a scenario's stated uncertainty: how robust is the verdict?

Every sample draws every uncertain input (see :mod:`peacetalks.sweep.sampling`) and gets an
exact ZOPA verdict and gap (see :mod:`peacetalks.sweep.problem`). Reported: the probability that
a ZOPA exists (with a 95% Wilson interval), the distribution of the gap (the closest package's
largest shortfall), how often each signatory is the one left short, how often dropping each red
line alone would open a ZOPA, the probability that each proposal is acceptable to every
signatory, the inputs that drive the gap (Spearman rank correlation) and, one at a time with
everything else at its best estimate, the inputs whose extreme alone would overturn the verdict.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from peacetalks.analysis.space import wilson
from peacetalks.compiled import TOLERANCE, FloatArray
from peacetalks.errors import UsageError
from peacetalks.model.scenario import Scenario
from peacetalks.results import Result
from peacetalks.sweep.problem import (
    BlockResult,
    Job,
    Problem,
    ScenarioRef,
    evaluate_block,
    judge,
    remember,
)
from peacetalks.sweep.sampling import BLOCK, block_seeds, block_sizes

RED_LINE_SAMPLES = 1_000
"""Samples on which the red-line question is asked (it costs several times a verdict)."""
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
TOP = 10


@dataclass(frozen=True)
class Share(Result):
    """A proportion with its 95% Wilson interval."""

    share: float
    low: float
    high: float
    of: int
    """Samples it is a share of."""


@dataclass(frozen=True)
class Driver(Result):
    """One uncertain input's influence on the gap."""

    input: str
    best: float
    low: float
    high: float
    rank_correlation: float
    """Spearman correlation of the input with the gap over the samples (negative: raising it
    narrows the gap)."""
    gap_at_low: float
    gap_at_high: float
    """The gap with this input at its low (high) end and everything else at its best estimate."""
    overturns: bool
    """Whether one of those extremes alone opens a ZOPA (or closes the one there is)."""


@dataclass(frozen=True)
class GridPoint(Result):
    """The probability of a ZOPA with some inputs held at given values."""

    values: dict[str, float]
    zopa: Share


@dataclass(frozen=True)
class SweepResult(Result):
    """Everything `peacetalks sweep` reports."""

    scenario: str
    samples: int
    """Samples computed (fewer than asked when interrupted)."""
    requested: int
    seed: int
    backend: str
    interrupted: bool
    inputs: int
    """Number of uncertain inputs drawn."""
    feasible: bool
    """Whether any package respects every signatory's red lines (red lines are not uncertain:
    without one, no draw has a ZOPA and the gap is infinite)."""
    point_gap: float
    """The gap at the best estimates (<= 0: a ZOPA exists)."""
    zopa: Share
    gap_mean: float
    gap_quantiles: dict[str, float]
    binding_parties: dict[str, Share]
    """Among samples with no ZOPA: how often each signatory is the one left short."""
    binding_red_lines: dict[str, Share]
    """How often dropping the red line alone opens a ZOPA (on the first RED_LINE_SAMPLES)."""
    unassessed_red_lines: tuple[str, ...]
    """Red lines whose removal leaves too many packages to list: not assessed."""
    proposals: dict[str, Share]
    drivers: tuple[Driver, ...]
    grid: tuple[GridPoint, ...] = ()
    verdict: tuple[str, ...] = ()
    gaps: tuple[float, ...] = field(default=(), repr=False)
    """Every sample's gap (for charts and the run store)."""

    def summary(self) -> dict[str, Any]:
        """Everything but the per-sample gaps (the run store keeps those as samples)."""
        return {k: v for k, v in self.to_dict().items() if k != "gaps"}

    def sample_rows(self) -> Iterator[dict[str, Any]]:
        """One row per sample: its gap and whether it has a ZOPA."""
        for k, gap in enumerate(self.gaps):
            yield {"sample": k, "gap": gap, "zopa": gap <= TOLERANCE}

    def _repr_html_(self) -> str:
        """A compact HTML summary (Jupyter)."""
        from peacetalks.report.html import sweep_html

        return sweep_html(self)


Progress = Callable[[int], None]
T = TypeVar("T")


def sweep(
    scenario: Scenario,
    samples: int = 10_000,
    seed: int = 0,
    backend: str = "inprocess",
    workers: int | None = None,
    scheduler: str | None = None,
    red_line_samples: int = RED_LINE_SAMPLES,
    vary: Sequence[tuple[str, Sequence[float]]] = (),
    progress: Progress | None = None,
) -> SweepResult:
    """Monte Carlo over the scenario's uncertainty; same seed, same numbers on every backend.

    `vary` holds inputs at each combination of the given values (a grid sweep; each point reuses
    the same draws of everything else). `progress` is called with the number of samples done.

    >>> import peacetalks
    >>> from peacetalks.sweep import sweep
    >>> result = sweep(peacetalks.load("camp-david-1978"), samples=200, seed=1)
    >>> result.samples, 0.0 <= result.zopa.share <= 1.0
    (200, True)
    """
    problem = Problem.of(scenario)
    ref = ScenarioRef.of(scenario)
    remember(ref, problem)
    if not problem.inputs:
        raise UsageError(
            f"scenario {scenario.id!r} states no ranges (low/high) in its preferences, so there "
            "is nothing uncertain to sweep"
        )
    sizes = block_sizes(samples)
    seeds = block_seeds(seed, len(sizes))
    red_blocks = -(-min(red_line_samples, samples) // BLOCK) if red_line_samples > 0 else 0
    jobs: list[Job] = [(ref, seeds[k], sizes[k], k < red_blocks, {}) for k in range(len(sizes))]
    done = _run(jobs, backend, workers, scheduler, progress)
    interrupted = len(done) < len(jobs)
    blocks = [done[k] for k in sorted(done)]
    if not blocks:
        raise KeyboardInterrupt
    grid = tuple(
        _grid(problem, vary, jobs, backend, workers, scheduler) if vary and not interrupted else ()
    )
    result = _summary(scenario, problem, blocks, samples, seed, backend, interrupted, red_blocks)
    from dataclasses import replace

    from peacetalks.sweep.explain import explain

    result = replace(result, grid=grid)
    return replace(result, verdict=tuple(explain(scenario, result)))


def _run(
    jobs: list[Job],
    backend: str,
    workers: int | None,
    scheduler: str | None,
    progress: Progress | None,
) -> dict[int, BlockResult]:
    """Run the blocks; on an interruption, keep the blocks already done."""
    return run_keeping(
        evaluate_block, jobs, lambda block: block.gap.size, backend, workers, scheduler, progress
    )


def run_keeping(
    function: Callable[[Any], T],
    jobs: Sequence[Any],
    size: Callable[[T], int],
    backend: str,
    workers: int | None,
    scheduler: str | None,
    progress: Progress | None,
) -> dict[int, T]:
    """Run `function` over `jobs` on a backend; report progress as the samples done (`size` of
    each result); on an interruption, keep (and return) the results already delivered."""
    from peacetalks.sweep.executors import run_blocks

    done: dict[int, T] = {}
    counted = [0]

    def keep(index: int, result: T) -> None:
        done[index] = result
        counted[0] += size(result)
        if progress is not None:
            progress(counted[0])

    try:
        with _one_blas_thread_per_worker(backend):
            run_blocks(
                function,
                list(jobs),
                backend=backend,
                workers=workers,
                scheduler=scheduler,
                on_result=keep,
            )
    except KeyboardInterrupt:
        if not done:
            raise
    return done


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextmanager
def _one_blas_thread_per_worker(backend: str) -> Iterator[None]:
    """Worker processes started now use one BLAS thread each (they are as many as the cores;
    more threads would only fight over them). The in-process backend keeps BLAS's threads."""
    if backend == "inprocess":
        yield
        return
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _grid(
    problem: Problem,
    vary: Sequence[tuple[str, Sequence[float]]],
    jobs: list[Job],
    backend: str,
    workers: int | None,
    scheduler: str | None,
) -> list[GridPoint]:
    columns = [problem.input_index(path) for path, _ in vary]
    out = []
    for combo in grid_points(vary):
        fixed = dict(zip(columns, combo, strict=True))
        grid_jobs = [(p, s, n, False, fixed) for p, s, n, _, _ in jobs]
        blocks = _run(grid_jobs, backend, workers, scheduler, None)
        gaps = np.concatenate([blocks[k].gap for k in sorted(blocks)])
        out.append(
            GridPoint(
                values={path: value for (path, _), value in zip(vary, combo, strict=True)},
                zopa=_share(int((gaps <= TOLERANCE).sum()), gaps.size),
            )
        )
    return out


def _summary(
    scenario: Scenario,
    problem: Problem,
    blocks: list[BlockResult],
    requested: int,
    seed: int,
    backend: str,
    interrupted: bool,
    red_blocks: int,
) -> SweepResult:
    compiled = scenario.compiled
    gap = np.concatenate([b.gap for b in blocks])
    draws = np.concatenate([b.draws for b in blocks])
    binding = np.concatenate([b.binding for b in blocks])
    accepted = np.concatenate([b.proposals for b in blocks])
    exists = gap <= TOLERANCE
    names = [compiled.party_ids[p] for p in problem.signatories]
    short = ~exists
    binding_parties = {
        name: _share(int(((binding == j) & short).sum()), int(short.sum()))
        for j, name in enumerate(names)
    }
    asked = [b for k, b in enumerate(blocks) if k < red_blocks]
    red = np.concatenate([b.red_lines for b in asked]) if asked else None
    binding_red_lines = (
        {
            line: _share(int(red[:, r].sum()), red.shape[0])
            for r, line in enumerate(problem.red_line_ids)
            if problem.near[r] is not None
        }
        if red is not None
        else {}
    )
    unassessed = tuple(
        line for line, near in zip(problem.red_line_ids, problem.near, strict=True) if near is None
    )
    point = np.array([[item.estimate.value for item in problem.inputs]])
    point_gap = float(judge(problem, point, red_lines=False).gap[0])
    return SweepResult(
        scenario=scenario.id,
        samples=int(gap.size),
        requested=requested,
        seed=seed,
        backend=backend,
        interrupted=interrupted,
        inputs=len(problem.inputs),
        feasible=problem.candidates.size > 0,
        point_gap=point_gap,
        zopa=_share(int(exists.sum()), gap.size),
        gap_mean=float(gap.mean()) if np.isfinite(gap).all() else float("inf"),
        gap_quantiles=_quantiles(gap),
        binding_parties=binding_parties,
        binding_red_lines=binding_red_lines,
        unassessed_red_lines=unassessed if red is not None else (),
        proposals={
            proposal.id: _share(int(accepted[:, q].sum()), gap.size)
            for q, proposal in enumerate(problem.proposals)
        },
        drivers=_drivers(problem, draws, gap, point_gap),
        gaps=tuple(float(g) for g in gap),
    )


def _drivers(
    problem: Problem, draws: FloatArray, gap: FloatArray, point_gap: float
) -> tuple[Driver, ...]:
    """Rank correlations with the gap, and each input's swing alone (a tornado)."""
    correlation = _spearman(draws, gap)
    inputs = problem.inputs
    best = np.array([item.estimate.value for item in inputs])
    swings = np.repeat(best[None, :], 2 * len(inputs), axis=0)
    for j, item in enumerate(inputs):
        swings[2 * j, j] = item.low
        swings[2 * j + 1, j] = item.high
    swung = judge(problem, swings, red_lines=False).gap.reshape(len(inputs), 2)
    opens = point_gap > TOLERANCE
    flips = np.asarray(
        (swung <= TOLERANCE).any(axis=1) if opens else (swung > TOLERANCE).any(axis=1), dtype=bool
    )
    with np.errstate(invalid="ignore"):
        swing = np.nan_to_num(np.abs(swung - point_gap)).max(axis=1)
    order = np.lexsort((-swing, -np.abs(np.nan_to_num(correlation))))
    chosen = list(order[:TOP]) + [int(j) for j in np.flatnonzero(flips) if j not in order[:TOP]]
    return tuple(
        Driver(
            input=inputs[j].path,
            best=float(best[j]),
            low=inputs[j].low,
            high=inputs[j].high,
            rank_correlation=float(np.nan_to_num(correlation[j])),
            gap_at_low=float(swung[j, 0]),
            gap_at_high=float(swung[j, 1]),
            overturns=bool(flips[j]),
        )
        for j in chosen
    )


def _quantiles(gap: FloatArray) -> dict[str, float]:
    if not np.isfinite(gap).all():
        return {f"{int(q * 100)}%": float("inf") for q in QUANTILES}
    return {f"{int(q * 100)}%": float(np.quantile(gap, q)) for q in QUANTILES}


def _spearman(draws: FloatArray, target: FloatArray) -> FloatArray:
    """Spearman correlation of each column of `draws` with `target` (NaN when constant)."""
    ranks = np.argsort(np.argsort(draws, axis=0), axis=0).astype(float)
    target_ranks = np.argsort(np.argsort(target)).astype(float)
    ranks -= ranks.mean(axis=0)
    target_ranks -= target_ranks.mean()
    spread = np.sqrt((ranks**2).sum(axis=0) * (target_ranks**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = (ranks * target_ranks[:, None]).sum(axis=0) / spread
    return out


def _share(hits: int, trials: int) -> Share:
    low, high = wilson(hits, trials)
    return Share(
        share=hits / trials if trials else 0.0, low=float(low), high=float(high), of=trials
    )


MAX_VARY = 2
MAX_GRID = 50


def grid_points(vary: Sequence[tuple[str, Sequence[float]]]) -> list[tuple[float, ...]]:
    """Every combination of the grid values, the first input varying slowest."""
    return [tuple(map(float, combo)) for combo in itertools.product(*(v for _, v in vary))]


def parse_vary(specs: Sequence[str]) -> list[tuple[str, list[float]]]:
    """`PATH=LOW:HIGH:N` grid specifications (at most two; N values from LOW to HIGH)."""
    if len(specs) > MAX_VARY:
        raise UsageError(f"--vary takes at most {MAX_VARY} inputs, got {len(specs)}")
    out = []
    for spec in specs:
        path, sep, span = spec.partition("=")
        parts = span.split(":")
        try:
            if not sep or len(parts) != 3:
                raise ValueError
            low, high, count = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            raise UsageError(
                f"--vary {spec!r}: expected PATH=LOW:HIGH:N, e.g. "
                "preferences.russia.reservation=0.4:0.7:7"
            ) from None
        if not 1 <= count <= MAX_GRID or (count > 1 and not low < high):
            raise UsageError(f"--vary {spec!r}: expected LOW < HIGH and 1 <= N <= {MAX_GRID}")
        out.append((path.strip(), np.linspace(low, high, count).tolist()))
    return out
