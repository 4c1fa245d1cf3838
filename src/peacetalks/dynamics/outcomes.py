"""The deal side of the dynamics: for reservation values that move over time, whether a ZOPA
exists in each period, how far the closest package falls short, and the best deal each party
could get in each period from packages every other signatory accepts.

Two exact routes, as in the static analysis: a vectorised scan over the packages that respect
every signatory's red line when they can be listed, otherwise mixed-integer programs period by
period.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from peacetalks.analysis.enumerated import CANDIDATE_LIMIT
from peacetalks.analysis.frontier import frontier_packages
from peacetalks.analysis.groups import Groups
from peacetalks.analysis.pareto import pareto_mask
from peacetalks.analysis.program import PackageProgram
from peacetalks.analysis.zopa import maxmin_packages, signatories
from peacetalks.compiled import TOLERANCE, CompiledScenario, FloatArray

BLOCK_CELLS = 4_000_000
"""Periods are scanned in blocks of at most this many (period, package, party) numbers."""


@dataclass(frozen=True)
class Outcomes:
    """Per period: the ZOPA verdict, the smallest largest-shortfall, and best deals."""

    exists: np.ndarray
    """(T,) whether some package every signatory accepts exists."""
    shortfall: FloatArray
    """(T,) the smallest, over packages, of the largest shortfall of a signatory (<= 0 when a
    ZOPA exists: then minus the smallest gain of the best package)."""
    best_deal: FloatArray
    """(T, P) each party's highest effective utility over the packages every *other*
    signatory accepts (-inf when there is none; NaN for parties without preferences)."""


class Deals:
    """The packages of a scenario that respect every signatory's red line, ready to be judged
    against many reservation vectors.

    Effective utility is linear in the reservation values: U' = U (I - alpha)^T + r alpha^T.
    So each party's effective utility, and each signatory's gain U' - r = U (I - alpha)^T -
    r (I - alpha)^T, is a fixed number per package shifted by an amount that depends on the
    period only. Every question asked here (is there a package all accept, how close is the
    closest, the best package for one party among those the others accept) is answered by a
    package on the Pareto frontier of the fixed parts, so only the frontier is kept. When the
    packages are too many to list, the exact frontier is computed directly (when every party
    with preferences is a signatory); otherwise each period is a set of mixed-integer programs.
    """

    def __init__(self, compiled: CompiledScenario) -> None:
        self.compiled = compiled
        self.sign = signatories(compiled)
        listed = Groups.of(compiled, self.sign).candidates(CANDIDATE_LIMIT)
        if listed is None and set(np.flatnonzero(compiled.has_preferences)) <= set(self.sign):
            # too many to list: the exact Pareto frontier of the signatories holds every
            # package these questions can pick (when every party judged is a signatory)
            listed, _ = frontier_packages(compiled)
        self.base: FloatArray | None = None
        if listed is not None:
            mix = np.eye(len(compiled.party_ids)) - compiled.alpha
            base = (
                compiled.utilities(listed) @ mix.T
                if listed.shape[0]
                else np.zeros((0, len(compiled.party_ids)))
            )
            judged = np.flatnonzero(compiled.has_preferences)
            self.base = base[pareto_mask(base[:, judged])] if base.shape[0] else base

    def outcomes(self, reservations: FloatArray, best_deals: bool = True) -> Outcomes:
        """Outcomes for reservation values `reservations` (T, P), one row per period; without
        `best_deals` the best_deal table is left at -inf (faster)."""
        if self.base is not None:
            return _scanned(self.compiled, self.base, self.sign, reservations, best_deals)
        return _programmed(self.compiled, self.sign, reservations, best_deals)


def _scanned(
    compiled: CompiledScenario,
    base: FloatArray,
    sign: list[int],
    reservations: FloatArray,
    best_deals: bool,
) -> Outcomes:
    periods, parties = reservations.shape
    shortfall = np.full(periods, np.inf)
    best = np.full((periods, parties), -np.inf)
    if base.shape[0] == 0:
        return Outcomes(np.zeros(periods, dtype=bool), shortfall, _no_preferences(compiled, best))
    mix = np.eye(parties) - compiled.alpha
    offset = reservations @ mix.T  # (T, P): gain = base - offset
    lift = reservations @ compiled.alpha.T  # (T, P): effective = base + lift
    block = max(1, BLOCK_CELLS // max(1, base.size))
    for start in range(0, periods, block):
        rows = slice(start, start + block)
        gains = base[None, :, sign] - offset[rows][:, None, sign]  # (t, N, S)
        shortfall[rows] = -gains.min(axis=2).max(axis=1)
        if not best_deals:
            continue
        accepts = gains >= -TOLERANCE
        everyone = accepts.all(axis=2)
        for p in range(parties):
            if p in sign:
                others = np.delete(accepts, sign.index(p), axis=2).all(axis=2)
            else:
                others = everyone
            utility = base[None, :, p] + lift[rows][:, None, p]
            best[rows, p] = np.where(others, utility, -np.inf).max(axis=1)
    exists = shortfall <= TOLERANCE
    return Outcomes(exists, shortfall, _no_preferences(compiled, best))


def _programmed(
    compiled: CompiledScenario, sign: list[int], reservations: FloatArray, best_deals: bool
) -> Outcomes:
    periods, parties = reservations.shape
    shortfall = np.full(periods, np.inf)
    best = np.full((periods, parties), -np.inf)
    for t in range(periods):
        at = replace(compiled, reservation=reservations[t].copy())
        found = maxmin_packages(at, 1)
        if not found:
            continue
        gains = at.effective(at.utilities(found[0][None, :]))[0] - at.reservation
        shortfall[t] = -float(gains[sign].min())
        for p in sign if best_deals else []:
            program = PackageProgram(at, reduced=True)
            program.respect_red_lines(sign)
            for q in sign:
                if q != p:
                    program.require_gain(q)
            unit = np.zeros(parties)
            unit[p] = 1.0
            solution = program.solve(program.gain_objective(unit))
            if solution.feasible:
                package = program.package(solution)
                best[t, p] = float(at.effective(at.utilities(package[None, :]))[0, p])
    exists = shortfall <= TOLERANCE
    return Outcomes(exists, shortfall, _no_preferences(compiled, best))


def _no_preferences(compiled: CompiledScenario, best: FloatArray) -> FloatArray:
    best[:, ~compiled.has_preferences] = np.nan
    return best
