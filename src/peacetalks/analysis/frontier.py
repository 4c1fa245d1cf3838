"""The Pareto frontier of the packages that respect the signatories' red lines.

Points are effective utilities (after relative gains) of the signatories. Exact methods,
chosen by the shape of the scenario, tried in this order:

* ``dynamic programming over groups``: the issues split into independent groups (no red line
  or interaction joins two groups) each small enough to enumerate. The frontier of a sum is the
  frontier of the sums of the groups' frontiers, so groups are combined one at a time with
  Pareto pruning after each (:func:`group_frontier`).
* ``dynamic programming over issues``: any space whose constraints each name a few issues,
  such as the ANAC 2014 domains of 10^40 packages (:mod:`peacetalks.analysis.issue_dp`). It
  gives up when its table of partial packages grows too large.
* ``epsilon-constraint``: two signatories, any structure. Maximise the first party's utility
  subject to the second's being at least epsilon, raise epsilon past the point found, repeat
  until infeasible; every point is exact (MILP).
* ``non-dominance cuts``: more than two signatories, by MILP, within a time budget; beyond it
  the frontier is reported as not computed.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from peacetalks.analysis.groups import Groups
from peacetalks.analysis.issue_dp import dp_frontier
from peacetalks.analysis.pareto import pareto_mask
from peacetalks.analysis.program import PackageProgram
from peacetalks.analysis.space import ENUMERATION_LIMIT
from peacetalks.analysis.zopa import signatories
from peacetalks.compiled import CompiledScenario, FloatArray, IntArray
from peacetalks.results import Result

STEP = 1e-6
"""Smallest utility difference the epsilon-constraint method distinguishes."""
MAX_POINTS = 5_000
DISJUNCTIVE_LIMIT = 500
SLICES = 2
"""At most this many processes sweep the epsilon-constraint in parallel."""
SLICES_PER_WORKER = 2
PARALLEL_AFTER = 0.3
"""Seconds the two extreme solves may take before the sweep goes parallel."""
DISJUNCTIVE_SECONDS = 60.0


@dataclass(frozen=True)
class FrontierPoint(Result):
    """One Pareto-efficient package and every signatory's effective utility."""

    package: dict[str, str]
    utilities: dict[str, float]
    in_zopa: bool


@dataclass(frozen=True)
class Frontier(Result):
    """The Pareto frontier, how it was computed, and its part inside the ZOPA."""

    size: int | None
    method: str
    exact: bool
    points: tuple[FrontierPoint, ...]
    zopa_size: int | None
    """How many frontier points lie in the ZOPA."""


def frontier(compiled: CompiledScenario, limit: int = MAX_POINTS) -> Frontier:
    """The exact Pareto frontier (effective utilities of the signatories) over the packages
    that respect every signatory's red line."""
    packages, method = frontier_packages(compiled, limit)
    return frontier_result(compiled, packages, method, limit)


def frontier_packages(
    compiled: CompiledScenario, limit: int = MAX_POINTS
) -> tuple[IntArray | None, str]:
    """Every frontier package (None when not computed exactly), and the method used."""
    sign = signatories(compiled)
    groups = Groups.of(compiled, sign)
    if groups.largest <= ENUMERATION_LIMIT:
        method = (
            f"exact: dynamic programming over {len(groups.members)} independent groups of issues "
            f"with Pareto pruning (largest group: {groups.largest:,} settlements)"
        )
        return group_frontier(groups, sign), method
    packages = dp_frontier(compiled, sign)
    if packages is not None:
        return packages, (
            "exact: dynamic programming over issues, one at a time, keeping the Pareto-efficient "
            "partial packages of each state of the constraints still open"
        )
    if len(sign) == 2:
        packages, complete = epsilon_constraint(compiled, sign, limit)
        if complete:
            return packages, "exact: epsilon-constraint (a sequence of MILPs)"
        return None, f"not computed: more than {limit:,} frontier points"
    packages, complete = disjunctive_frontier(compiled, sign, DISJUNCTIVE_LIMIT)
    if complete:
        return packages, "exact: non-dominance cuts (a sequence of MILPs)"
    return None, (
        f"not computed: more than {DISJUNCTIVE_LIMIT:,} frontier points or "
        f"{DISJUNCTIVE_SECONDS:.0f} s for more than two signatories beyond enumeration"
    )


def frontier_result(
    compiled: CompiledScenario, packages: IntArray | None, method: str, limit: int = MAX_POINTS
) -> Frontier:
    """The frontier result object of a set of frontier packages."""
    if packages is None:
        return Frontier(None, method, False, (), None)
    return _frontier_result(compiled, signatories(compiled), packages, method, limit)


def group_frontier(groups: Groups, parties: list[int]) -> IntArray:
    """Frontier packages, combining the groups' own frontiers one group at a time."""
    c = groups.compiled
    n = len(c.issue_ids)
    if groups.empty:
        return np.zeros((0, n), dtype=np.int64)
    mix = (np.eye(len(c.party_ids)) - c.alpha)[parties]
    rows = mix @ c.values
    bonus = mix @ c.interaction_bonus
    packages = np.zeros((1, n), dtype=np.int64)
    points = bonus[:, groups.always].sum(axis=1)[None, :]
    for g, group in enumerate(groups.members):
        settlements = groups.settlements(g)
        if settlements.shape[0] == 0:
            return np.zeros((0, n), dtype=np.int64)
        scores = groups.points(g, rows, bonus)
        own = pareto_mask(scores)
        settlements, scores = settlements[own], scores[own]
        combined = (points[:, None, :] + scores[None, :, :]).reshape(-1, points.shape[1])
        old = np.repeat(np.arange(points.shape[0]), scores.shape[0])
        new = np.tile(np.arange(scores.shape[0]), points.shape[0])
        mask = pareto_mask(combined)
        packages = packages[old[mask]]
        packages[:, group] = settlements[new[mask]][:, group]
        points = combined[mask]
    return packages


def _frontier_result(
    compiled: CompiledScenario, sign: list[int], packages: IntArray, method: str, limit: int
) -> Frontier:
    effective = (
        compiled.effective(compiled.utilities(packages))
        if packages.size
        else np.zeros((0, len(compiled.party_ids)))
    )
    accepted = np.asarray(
        compiled.accepts(packages)[:, sign].all(axis=1) if packages.size else np.zeros(0, bool)
    )
    order = np.lexsort(effective[:, sign].T[::-1])[::-1] if packages.size else np.zeros(0, int)
    points = tuple(
        FrontierPoint(
            package=compiled.decode(packages[i]),
            utilities={compiled.party_ids[p]: float(effective[i, p]) for p in sign},
            in_zopa=bool(accepted[i]),
        )
        for i in order[:limit]
    )
    return Frontier(
        size=int(packages.shape[0]),
        method=method,
        exact=True,
        points=points,
        zopa_size=int(np.count_nonzero(accepted)),
    )


def epsilon_constraint(
    compiled: CompiledScenario, parties: list[int], limit: int, workers: int | None = None
) -> tuple[IntArray, bool]:
    """Frontier packages of two parties by the epsilon-constraint method (exact, by MILP).

    Maximise the first party's gain subject to the second's being at least epsilon, then raise
    epsilon just past the second party's gain in the package found. A package found this way
    can be weakly dominated (a tie on the first party's gain); the next round then finds the
    package that dominates it, and the final Pareto filter drops the dominated one, so no
    separate tie-breaking solve is needed.

    The range of the second party's gain splits into slices swept independently (one process
    per core): the sweep of a slice [a, b) starts at epsilon = a and stops at the first package
    with a gain of at least b, which the next slice finds too, so every point is still found.
    """
    second = parties[1]
    started = time.monotonic()
    low = _sweep(compiled, parties, -np.inf, np.inf, 1)[0]
    if not low:
        return np.zeros((0, len(compiled.issue_ids)), dtype=np.int64), True
    bottom = _gain(compiled, low[0], second)
    top = _max_gain(compiled, parties, second)
    if workers is None:
        # worth a process per core only when single solves are slow (a spawned worker costs
        # about a third of a second to start)
        slow = time.monotonic() - started > PARALLEL_AFTER
        workers = min(SLICES, os.cpu_count() or 1) if slow else 1
    cuts = np.linspace(bottom, top + STEP, workers * SLICES_PER_WORKER + 1)
    slices = list(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))
    jobs = [(compiled, parties, a, b, 2 * limit) for a, b in slices]
    results = _parallel(jobs, workers) if workers > 1 else None
    if results is None:
        results = [_sweep_job(job) for job in jobs]
    found = [package for packages, _ in results for package in packages]
    complete = all(done for _, done in results)
    packages = np.unique(np.array(found), axis=0)  # a boundary point is found twice
    points = compiled.effective(compiled.utilities(packages))[:, parties]
    return packages[pareto_mask(points)], complete


def _parallel(
    jobs: list[tuple[CompiledScenario, list[int], float, float, int]], workers: int
) -> list[tuple[list[IntArray], bool]] | None:
    """Run sweeps in worker processes; None when worker processes cannot be used here (for
    example when the main program is read from standard input)."""
    # spawn, not fork: HiGHS keeps threads that a forked child must not inherit
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_sweep_job, jobs))
    except (BrokenProcessPool, OSError):
        return None


def _sweep_job(
    job: tuple[CompiledScenario, list[int], float, float, int],
) -> tuple[list[IntArray], bool]:
    compiled, parties, start, stop, limit = job
    return _sweep(compiled, parties, start, stop, limit)


def _sweep(
    compiled: CompiledScenario, parties: list[int], start: float, stop: float, limit: int
) -> tuple[list[IntArray], bool]:
    """Sweep epsilon from `start` until a package gives the second party a gain >= `stop`.
    Returns the packages found and whether the sweep ended (rather than hit `limit`)."""
    first, second = parties
    program = PackageProgram(compiled, reduced=True)
    program.respect_red_lines(parties)
    objective = program.gain_objective(_unit(len(compiled.party_ids), first))
    floor_row = program.program.rows
    if np.isfinite(start):
        program.require_gain(second, start)
    found: list[IntArray] = []
    while len(found) < limit:
        best = program.solve(objective)
        if not best.feasible or best.objective is None:
            return found, True
        package = program.package(best)
        found.append(package)
        value = _gain(compiled, package, second)
        if value >= stop:
            return found, True
        program.program.truncate(floor_row)
        program.require_gain(second, value + STEP)
        # raising epsilon can only lower the first party's optimum: a valid cut that helps
        # the solver prune
        cap = best.objective + STEP / 10
        program.program.row(list(objective), list(objective.values()), -np.inf, cap)
    return found, False


def _gain(compiled: CompiledScenario, package: IntArray, party: int) -> float:
    effective = compiled.effective(compiled.utilities(package[None, :]))[0, party]
    return float(effective - compiled.reservation[party])


def _max_gain(compiled: CompiledScenario, parties: list[int], party: int) -> float:
    program = PackageProgram(compiled, reduced=True)
    program.respect_red_lines(parties)
    best = program.solve(program.gain_objective(_unit(len(compiled.party_ids), party)))
    return _gain(compiled, program.package(best), party)


def disjunctive_frontier(
    compiled: CompiledScenario,
    parties: list[int],
    limit: int,
    seconds: float = DISJUNCTIVE_SECONDS,
) -> tuple[IntArray, bool]:
    """Frontier packages of any number of parties, by MILP with non-dominance cuts.

    Maximise the total effective gain subject to not being dominated by any point found so far
    (for each found point y: some party p gets at least y_p + STEP, a disjunction written with
    one binary per party and a big-M). The optimum is always Pareto-efficient (anything that
    dominated it would also satisfy the cuts and have a larger total), so repeating until the
    program is infeasible lists the whole frontier, up to ties closer than STEP.
    """
    program = PackageProgram(compiled, reduced=True)
    program.respect_red_lines(parties)
    n = len(compiled.party_ids)
    total = program.gain_objective(np.array([1.0 if p in parties else 0.0 for p in range(n)]))
    rows = {p: program.gain_objective(_unit(n, p)) for p in parties}
    big = {p: float(np.abs(list(row.values())).sum()) + 2.0 for p, row in rows.items()}
    found: list[IntArray] = []
    started = time.monotonic()
    while len(found) < limit and time.monotonic() - started < seconds:
        best = program.solve(total)
        if not best.feasible:
            return _filtered(compiled, parties, found), True
        package = program.package(best)
        found.append(package)
        gains = compiled.effective(compiled.utilities(package[None, :]))[0] - compiled.reservation
        switches = program.program.variables(len(parties), 0.0, 1.0, integer=True)
        program.program.row(switches, [1.0] * len(parties), 1.0, np.inf)
        for p, b in zip(parties, switches.tolist(), strict=True):
            # gain_p >= found_p + STEP when b = 1
            extra = {b: -big[p]}
            program.require_gain(p, float(gains[p]) + STEP - big[p], extra)
    return _filtered(compiled, parties, found), False


def _filtered(compiled: CompiledScenario, parties: list[int], found: list[IntArray]) -> IntArray:
    if not found:
        return np.zeros((0, len(compiled.issue_ids)), dtype=np.int64)
    packages = np.array(found)
    points = compiled.effective(compiled.utilities(packages))[:, parties]
    return packages[pareto_mask(points)]


def _unit(size: int, index: int) -> FloatArray:
    out = np.zeros(size)
    out[index] = 1.0
    return out
