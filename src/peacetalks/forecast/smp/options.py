"""The model's switches (:class:`SmpOptions`, named as in KTAB), their choices, and KTAB's
numeric thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

VotingRule = Literal["binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"]
VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]
PceModel = Literal["conditional", "markov_uniform", "markov_incentive"]
RiskRange = Literal["min", "mid", "max"]
RiskAdjust = Literal["none", "one_third", "half", "two_thirds", "full"]
BargainInterp = Literal["s1p1", "s2p2", "s2pmax"]
ThirdParty = Literal["semi", "full", "none", "direct"]

MIN_COALITION = 1e-10  # KTAB's minCltn: avoids 0/0 when nobody prefers either side
MIN_GAIN = 1e-5  # KTAB's minSigEDU: a challenge must be worth more than this
MIN_WEIGHT = 1e-6  # KTAB's minW in bargain interpolation
MIN_DELTA = 1e-4  # KTAB's minSigDelta in the stopping rule
BLOCK = 16_384  # elements per (rows, n, n) block of the challenge computations


@dataclass(frozen=True)
class SmpOptions:
    """The model's switches, named as in KTAB (defaults: KTAB's defaults).

    Attributes:
        voting_rule: how a utility difference becomes a vote (KTAB ``VotingRule``).
        victory_model: how coalition strengths become a victory probability (``VPModel``).
        pce_model: the probabilistic Condorcet election (``PCEModel``).
        risk_range: how victory probabilities map to risk attitudes (``BigRRange``).
        risk_adjust: how much of another actor's risk attitude an actor knows (``BigRAdjust``).
        bargain_interp: bargain interpolation weights (``InterVecBrgn``).
        third_party: how committed a third party is to the side it joins (``ThirdPartyCommit``;
            ``"direct"``, not in KTAB: third parties vote their plain preference).
        stochastic: draw each queue's winner at random instead of the most likely one.
    """

    voting_rule: VotingRule = "proportional"
    victory_model: VictoryModel = "linear"
    pce_model: PceModel = "conditional"
    risk_range: RiskRange = "mid"
    risk_adjust: RiskAdjust = "one_third"
    bargain_interp: BargainInterp = "s2p2"
    third_party: ThirdParty = "semi"
    stochastic: bool = False

    def __post_init__(self) -> None:
        choices = {
            "voting_rule": VotingRule,
            "victory_model": VictoryModel,
            "pce_model": PceModel,
            "risk_range": RiskRange,
            "risk_adjust": RiskAdjust,
            "bargain_interp": BargainInterp,
            "third_party": ThirdParty,
        }
        for name, kind in choices.items():
            allowed = get_args(kind)
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")
