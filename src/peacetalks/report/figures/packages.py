"""Which packages the utility space shows: those respecting the red lines, sampled when many."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from peacetalks.compiled import CompiledScenario, IntArray

PLOT_LIMIT = 2_000
"""At most this many red-line-respecting packages are drawn (a uniform random sample beyond)."""
LISTING_LIMIT = 1_000_000
"""Red-line-respecting sets up to this size are listed, then sampled from exactly."""
REJECTION_DRAWS = 50_000
"""Beyond listing, packages are drawn uniformly and those crossing a red line dropped."""
SEED = 0


def respecting_packages(
    compiled: CompiledScenario, limit: int, fallback: Sequence[int] = ()
) -> tuple[IntArray, str, str]:
    """Up to `limit` packages that respect every signatory's red lines (all of them, or a
    uniform random sample), a sentence saying which, and a legend label. When no package
    respects them all, those respecting the red lines of the `fallback` parties only are drawn
    instead, and when there are none either, packages of the whole space."""
    from peacetalks.analysis.zopa import signatories

    names = " and ".join(compiled.party_ids[p] for p in fallback)
    attempts = [
        (signatories(compiled), "the signatories' red lines", "packages respecting the red lines"),
        (
            list(fallback),
            f"the red lines of {names} only (none respects every signatory's)",
            f"packages respecting {names}'s red lines",
        ),
        ([], f"no red line (none respects {names}'s red lines)", "packages (any)"),
    ]
    level = 0
    packages, total = _respecting(compiled, attempts[0][0], limit)
    while total == 0 and level + 1 < len(attempts):
        level += 1
        packages, total = _respecting(compiled, attempts[level][0], limit)
    whose, label = attempts[level][1], attempts[level][2]
    if total is None:
        note = (
            f"{len(packages):,} packages respecting {whose}, drawn at random from "
            f"{compiled.space_size:,} packages (too many to list)"
        )
    elif total > len(packages):
        note = f"a random sample of {len(packages):,} of the {total:,} packages respecting {whose}"
    else:
        note = f"all {total:,} packages respecting {whose}"
    return packages, note, label


def _respecting(
    compiled: CompiledScenario, parties: list[int], limit: int
) -> tuple[IntArray, int | None]:
    """Packages respecting the parties' red lines, at most `limit`, and their number (None:
    unknown, sampled by rejection)."""
    from peacetalks.analysis.groups import Groups

    groups = Groups.of(compiled, parties)
    rng = np.random.default_rng(SEED)
    count = groups.count()
    listed = groups.candidates(LISTING_LIMIT) if count is not None else None
    if listed is not None:
        if listed.shape[0] > limit:
            listed = listed[np.sort(rng.choice(listed.shape[0], size=limit, replace=False))]
        return listed, count
    from peacetalks.analysis.space import sample

    drawn = sample(compiled, REJECTION_DRAWS if parties else limit, SEED)
    owned = np.isin(compiled.red_line_party, parties)
    kept = drawn[~compiled.crossed(drawn)[:, owned].any(axis=1)]
    first = np.sort(np.unique(kept, axis=0, return_index=True)[1])[:limit]
    return kept[first], None if kept.shape[0] else 0
