"""Zartman's ripeness: a mutually hurting stalemate plus a way out [M18][M19][M20].

The operationalisation is models.md §5's (derived; not a published formula): party i hurts in
period t when its cost reaches its pain threshold, and is stalemated when it expects nothing from
escalating; the conflict is a mutually hurting stalemate (MHS) when every party hurts and is
stalemated, and ripe when, in addition, a way out (a non-empty ZOPA) is perceived.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from peacetalks.errors import UsageError
from peacetalks.results import Result
from peacetalks.theory._checks import array, flags, nonnegative


@dataclass(frozen=True)
class Ripeness(Result):
    """Per period: who hurts, who is stalemated, whether the conflict is ripe, and who blocks."""

    hurting: tuple[tuple[bool, ...], ...]
    """[party][period]: cost ≥ threshold."""
    stalemate: tuple[tuple[bool, ...], ...]
    """[party][period]: expected gain from escalation ≤ 0."""
    mutually_hurting: tuple[bool, ...]
    """Per period: every party hurts and is stalemated."""
    ripe: tuple[bool, ...]
    """Per period: mutually hurting and a way out."""
    first_ripe: int | None
    """The first ripe period, or None."""
    blocking: tuple[tuple[int, ...], ...]
    """Per period, the parties (indices) that are not both hurting and stalemated."""


def ripeness(
    expected_gain: Any,
    cost: Any,
    threshold: Any,
    way_out: Any,
    tolerance: float = 0.0,
) -> Ripeness:
    """Ripeness per period, after Zartman, as operationalised in models.md §5 [M18][M19] (derived).

    `expected_gain` and `cost` have shape (parties, periods), `threshold` shape (parties,) and
    `way_out` shape (periods,) (booleans). With tolerance τ ≥ 0:

        hurting_i(t)   = cost_i(t) ≥ κ_i - τ
        stalemate_i(t) = expected_gain_i(t) ≤ τ
        MHS(t)  = all_i hurting_i(t) ∧ stalemate_i(t)
        Ripe(t) = MHS(t) ∧ way_out(t)

    >>> r = ripeness([[0.2, -0.1], [-0.3, -0.2]], [[1, 3], [2, 2]], [2, 2], [True, True])
    >>> r.ripe, r.first_ripe, r.blocking
    ((False, True), 1, ((0,), ()))
    """
    gain = array("expected_gain", expected_gain, 2)
    costs = array("cost", cost, 2)
    kappa = array("threshold", threshold, 1)
    exit_ = flags("way_out", way_out, 1)
    tolerance = nonnegative("tolerance", tolerance)
    parties, periods = gain.shape
    if costs.shape != gain.shape:
        raise UsageError(
            f"cost must have the shape of expected_gain (parties, periods) = {gain.shape}, "
            f"got {costs.shape}"
        )
    if kappa.shape != (parties,):
        raise UsageError(f"threshold must have shape (parties,) = ({parties},), got {kappa.shape}")
    if exit_.shape != (periods,):
        raise UsageError(f"way_out must have shape (periods,) = ({periods},), got {exit_.shape}")
    hurting = costs >= kappa[:, None] - tolerance
    stalemate = gain <= tolerance
    both = hurting & stalemate
    mhs = np.all(both, axis=0)
    ripe = mhs & exit_
    first = np.flatnonzero(ripe)
    return Ripeness(
        hurting=_rows(hurting),
        stalemate=_rows(stalemate),
        mutually_hurting=tuple(bool(v) for v in mhs),
        ripe=tuple(bool(v) for v in ripe),
        first_ripe=int(first[0]) if first.size else None,
        blocking=tuple(tuple(int(i) for i in np.flatnonzero(~both[:, t])) for t in range(periods)),
    )


def _rows(values: Any) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(bool(v) for v in row) for row in values)
