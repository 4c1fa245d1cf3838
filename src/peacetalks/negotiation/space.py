"""The packages simulated negotiators can offer, with every party's utility for each.

Offers are drawn from the packages that respect every signatory's red line: all of them when
they can be listed, otherwise the exact Pareto frontier (a negotiator never gains by offering a
package that is worse for everyone than another). Utilities are effective utilities (after
relative gains), as in every other analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peacetalks.analysis.enumerated import CANDIDATE_LIMIT
from peacetalks.analysis.frontier import frontier_packages
from peacetalks.analysis.groups import Groups
from peacetalks.analysis.zopa import signatories
from peacetalks.compiled import CompiledScenario, FloatArray, IntArray
from peacetalks.errors import UsageError


@dataclass(frozen=True)
class OfferSpace:
    """Packages (rows) and their effective utility to every party (columns)."""

    compiled: CompiledScenario
    packages: IntArray  # (N, I)
    utilities: FloatArray  # (N, P)
    parties: list[int]
    """The negotiating parties (the signatories), in table order."""
    method: str

    @staticmethod
    def of(compiled: CompiledScenario) -> OfferSpace:
        sign = signatories(compiled)
        listed = Groups.of(compiled, sign).candidates(CANDIDATE_LIMIT)
        method = "every package that respects the signatories' red lines"
        if listed is None:
            listed, how = frontier_packages(compiled)
            method = f"the Pareto frontier ({how})"
        if listed is None or listed.shape[0] == 0:
            raise UsageError(
                "no package respects every signatory's red lines (or the frontier could not be "
                "computed), so there is nothing to offer"
            )
        utilities = compiled.effective(compiled.utilities(listed))
        return OfferSpace(compiled, listed, utilities, sign, method)

    @property
    def size(self) -> int:
        return int(self.packages.shape[0])

    def best_for(self, party: int) -> float:
        """The highest utility any package gives `party`."""
        return float(self.utilities[:, party].max())

    def at_least(self, party: int, level: float) -> np.ndarray:
        """Which packages give `party` at least `level`."""
        return np.asarray(self.utilities[:, party] >= level - 1e-12)
