"""Is there a deal? The zone of possible agreement, its best packages, or the closest misses.

The ZOPA is the set of full packages that every signatory accepts: each crosses none of its red
lines and its effective gain over its reservation value is non-negative. Maximising the smallest
gain decides it exactly: a ZOPA exists iff the optimum is >= 0. When it is negative, the same
optimum gives the *closest* packages: those that minimise the largest shortfall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peacetalks.analysis.program import BOUND, PackageProgram
from peacetalks.analysis.space import (
    ENUMERATION_LIMIT,
    Count,
    chunks,
    count_outside,
    exact,
    sample,
    wilson,
)
from peacetalks.compiled import CompiledScenario, IntArray
from peacetalks.results import Result

SAMPLES = 20_000
TIE = 1e-9


@dataclass(frozen=True)
class ScoredPackage(Result):
    """A package with every party's effective utility and each signatory's gain or shortfall."""

    package: dict[str, str]
    utilities: dict[str, float]
    """Effective utility of every party with preferences."""
    gains: dict[str, float]
    """Effective utility minus reservation value, per signatory."""
    largest_shortfall: float
    total_shortfall: float
    shortfalls: dict[str, float]
    """max(0, -gain) per signatory."""


def signatories(compiled: CompiledScenario) -> list[int]:
    """Indices of the signatories."""
    return [int(p) for p in np.flatnonzero(compiled.signatory)]


def scored(compiled: CompiledScenario, package: IntArray) -> ScoredPackage:
    """Score one full package."""
    effective = compiled.effective(compiled.utilities(package[None, :]))[0]
    gains = effective - compiled.reservation
    sign = signatories(compiled)
    short = {compiled.party_ids[p]: max(0.0, -float(gains[p])) for p in sign}
    return ScoredPackage(
        package=compiled.decode(package),
        utilities={
            compiled.party_ids[p]: float(effective[p])
            for p in range(len(compiled.party_ids))
            if compiled.has_preferences[p]
        },
        gains={compiled.party_ids[p]: float(gains[p]) for p in sign},
        largest_shortfall=max(short.values(), default=0.0),
        total_shortfall=sum(short.values()),
        shortfalls=short,
    )


def maxmin_packages(
    compiled: CompiledScenario,
    count: int,
    program: PackageProgram | None = None,
) -> list[IntArray]:
    """Up to `count` packages respecting the signatories' red lines, best first by their
    smallest signatory gain, ties broken by the smallest total shortfall (exact, by MILP).

    Returns [] when no package respects every signatory's red line.
    """
    sign = signatories(compiled)
    if program is None:
        # one package: dominated options can go (see PackageProgram); a list must keep them
        program = PackageProgram(compiled, reduced=count == 1)
        program.respect_red_lines(sign)
    t = int(program.program.variables(1, -BOUND, BOUND, integer=False)[0])
    shortfall = program.program.variables(len(sign), 0.0, np.inf, integer=False)
    for p, s in zip(sign, shortfall, strict=True):
        program.require_gain(p, 0.0, {t: -1.0})  # gain_p >= t
        program.require_gain(p, 0.0, {int(s): 1.0})  # gain_p + s_p >= 0
    found: list[IntArray] = []
    for _ in range(count):
        first = program.solve({t: 1.0})
        if not first.feasible or first.objective is None:
            break
        rows = program.program.rows
        program.program.row([t], [1.0], first.objective - TIE, np.inf)
        second = program.solve({int(s): -1.0 for s in shortfall})
        program.program.truncate(rows)
        best = second if second.feasible else first
        package = program.package(best)
        found.append(package)
        program.exclude(package)
    return found


def zopa_count(compiled: CompiledScenario, exists: bool, known: int, seed: int = 0) -> Count:
    """The number of packages in the ZOPA: exact by enumeration when the space is small enough,
    otherwise a sampled estimate with a 95% interval (at least the `known` packages found)."""
    if not exists:
        return exact(0, "exact (MILP: no package satisfies every signatory)")
    if compiled.space_size <= ENUMERATION_LIMIT:
        sign = signatories(compiled)
        total = 0
        for packages in chunks(compiled):
            total += int(compiled.accepts(packages)[:, sign].all(axis=1).sum())
        return exact(total, "exact (enumeration)")
    packages = sample(compiled, SAMPLES, seed)
    hits = int(compiled.accepts(packages)[:, signatories(compiled)].all(axis=1).sum())
    low, high = wilson(hits, SAMPLES)
    space = float(compiled.space_size)
    return Count(
        value=None,
        estimate=hits / SAMPLES * space,
        low=max(float(known), low * space),
        high=high * space,
        method=f"sampled ({SAMPLES:,} uniform packages, seed {seed}, 95% Wilson interval)",
    )


def red_line_space(compiled: CompiledScenario, owners: list[int]) -> Count:
    """Packages crossing no red line of the given parties: exact by inclusion-exclusion."""
    rows = [r for r in range(compiled.red_line_party.size) if compiled.red_line_party[r] in owners]
    value = count_outside(compiled, rows)
    if value is not None:
        return exact(value, "exact (inclusion-exclusion over red lines)")
    packages = sample(compiled, SAMPLES, 0)
    crossed = compiled.crossed(packages)[:, rows].any(axis=1)
    hits = int((~crossed).sum())
    low, high = wilson(hits, SAMPLES)
    space = float(compiled.space_size)
    return Count(None, hits / SAMPLES * space, low * space, high * space, "sampled")
