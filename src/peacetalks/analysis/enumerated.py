"""Vectorised answers over an enumerated candidate set (the packages that respect every
signatory's red line, when there are few enough to list).

Each function here answers the same question as its MILP counterpart, exactly, by scanning
every candidate with numpy; the test suite checks that both agree with brute force.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peacetalks.compiled import TOLERANCE, CompiledScenario, FloatArray, IntArray

CANDIDATE_LIMIT = 1_000_000
POSITIVE = 1e-6
"""The Nash solution needs every gain above this (as on the MILP path)."""


@dataclass(frozen=True)
class Candidates:
    """Every package that respects the signatories' red lines, with effective gains."""

    compiled: CompiledScenario
    packages: IntArray  # (N, I)
    signatories: list[int]
    effective: FloatArray  # (N, P) effective utilities
    raw: FloatArray  # (N, P) utilities before relative gains

    @staticmethod
    def of(compiled: CompiledScenario, packages: IntArray, signatories: list[int]) -> Candidates:
        """Score a candidate set."""
        raw = (
            compiled.utilities(packages)
            if packages.size
            else np.zeros((0, compiled.alpha.shape[0]))
        )
        return Candidates(compiled, packages, signatories, compiled.effective(raw), raw)

    @property
    def gains(self) -> FloatArray:
        """(N, S) effective gains over reservation of the signatories."""
        gains: FloatArray = (self.effective - self.compiled.reservation)[:, self.signatories]
        return gains

    @property
    def in_zopa(self) -> np.ndarray:
        """Which candidates every signatory accepts."""
        return np.asarray((self.gains >= -TOLERANCE).all(axis=1))


def maxmin_order(candidates: Candidates, count: int) -> IntArray:
    """Indices of the `count` best candidates by smallest gain, then by total shortfall."""
    gains = candidates.gains
    if gains.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    smallest = np.round(gains.min(axis=1), 9)
    shortfall = np.round(np.maximum(0.0, -gains).sum(axis=1), 9)
    order = np.lexsort((shortfall, -smallest))
    return order[:count]


def single_lowering(candidates: Candidates, p: int, cap: float) -> tuple[float, int] | None:
    """Smallest lowering of signatory p's reservation value that opens a ZOPA, and a package
    index; None if no lowering up to `cap` does."""
    c = candidates.compiled
    effective_gain = candidates.effective - c.reservation
    n = effective_gain.shape[0]
    low = np.maximum(0.0, -effective_gain[:, p])
    high = np.full(n, cap)
    for q in candidates.signatories:
        if q == p:
            continue
        alpha = float(c.alpha[q, p])
        g = effective_gain[:, q]
        if alpha > 0:
            high = np.minimum(high, g / alpha)
        elif alpha < 0:
            low = np.maximum(low, g / alpha)
        else:
            high = np.where(g >= -TOLERANCE, high, -np.inf)
    ok = low <= high + TOLERANCE
    if not ok.any():
        return None
    index = int(np.flatnonzero(ok)[np.argmin(low[ok])])
    return float(low[index]), index


def coefficient_change(candidates: Candidates, p: int, q: int) -> tuple[float, float, int] | None:
    """Closest value of alpha_pq in [-1, 1] at which a ZOPA opens: (value, change, index)."""
    c = candidates.compiled
    effective_gain = candidates.effective - c.reservation
    others = [s for s in candidates.signatories if s != p]
    ok = (effective_gain[:, others] >= -TOLERANCE).all(axis=1)
    raw_gain = candidates.raw[:, q] - c.reservation[q]
    base = effective_gain[:, p]
    current = float(c.alpha[p, q])
    best: tuple[float, float, int] | None = None
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = current + base / raw_gain
    for index in np.flatnonzero(ok):
        g = raw_gain[index]
        if abs(g) <= 1e-12:
            value = current if base[index] >= -TOLERANCE else None
        elif g > 0:  # need a <= bound
            value = (
                current
                if bound[index] >= current
                else (float(bound[index]) if bound[index] >= -1.0 else None)
            )
        else:  # need a >= bound
            value = (
                current
                if bound[index] <= current
                else (float(bound[index]) if bound[index] <= 1.0 else None)
            )
        if value is None:
            continue
        change = abs(value - current)
        if best is None or change < best[1]:
            best = (value, change, int(index))
    return best


def solution_indices(
    candidates: Candidates, mask: np.ndarray, d: FloatArray, ideal: FloatArray
) -> dict[str, int | None]:
    """Indices (into the candidates) of the four bargaining solutions over the rows in `mask`."""
    rows = np.flatnonzero(mask)
    if rows.size == 0:
        return dict.fromkeys(("nash", "kalai_smorodinsky", "utilitarian", "egalitarian"))
    u = candidates.effective[rows][:, candidates.signatories]
    gains = u - d
    total = np.round(u.sum(axis=1), 9)
    out: dict[str, int | None] = {"utilitarian": int(rows[np.argmax(total)])}
    smallest = np.round(gains.min(axis=1), 9)
    out["egalitarian"] = int(rows[np.lexsort((-total, -smallest))[0]])
    span = ideal - d
    scaled = np.where(span > 0, gains / np.where(span > 0, span, 1.0), np.inf)
    share = np.round(scaled.min(axis=1), 9)
    out["kalai_smorodinsky"] = int(rows[np.lexsort((-total, -share))[0]])
    positive = np.asarray((gains >= POSITIVE).all(axis=1))
    if (span <= 0).any() or not positive.any():
        out["nash"] = None
    else:
        logs = np.where(positive[:, None], np.log(np.maximum(gains, 1e-300)), -np.inf).sum(axis=1)
        out["nash"] = int(rows[np.argmax(logs)])
    return out
