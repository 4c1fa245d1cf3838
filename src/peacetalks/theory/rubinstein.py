"""Rubinstein's alternating offers with discounting and outside options [M14][M15][M16][M17].

Two players split a pie of 1; player 1 proposes first, offers alternate, and each round of delay
discounts player i's payoff by δ_i. Outside options follow Binmore, Shaked and Sutton's timing:
a player may walk away whenever it responds to an offer, and walking away gives both players
their outside options w_1, w_2 (for a war, the war values). Player i's acceptance threshold is
then max(w_i, δ_i·V_i), with V_i its value as the next proposer, and the unique stationary SPE
gives the responder

    y_2 = max( w_2 , min( δ_2(1 - w_1) , δ_2(1 - δ_1)/(1 - δ_1δ_2) ) ),   proposer: 1 - y_2.

This is the outside option principle [M16][M17]: an option binds only if it beats what its
holder would get as a responder — w_2 against δ_2(1 - δ_1)/(1 - δ_1δ_2), and w_1 against
δ_1(1 - δ_2)/(1 - δ_1δ_2), the proposer's share in the rounds where player 2 proposes. When
w_1 + w_2 > 1 no split gives both their options and there is no agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

from peacetalks.results import Result
from peacetalks.theory._checks import TOLERANCE, discount, real


@dataclass(frozen=True)
class RubinsteinShares(Result):
    """The subgame-perfect split of alternating-offers bargaining (player 1 proposes first)."""

    proposer_share: float
    """Player 1's share (its outside option w_1 when there is no agreement)."""
    responder_share: float
    """Player 2's share (its outside option w_2 when there is no agreement)."""
    binding: tuple[int, ...]
    """The players (1, 2) whose outside option binds in equilibrium."""
    agreement: bool
    """False when w_1 + w_2 > 1: no split beats both outside options."""


def rubinstein_shares(
    delta_1: float, delta_2: float, outside_1: float = 0.0, outside_2: float = 0.0
) -> RubinsteinShares:
    """The Rubinstein split, with the outside option principle [M14][M15][M16][M17].

    Without binding options ``x_1 = (1 - δ_2)/(1 - δ_1δ_2)`` and ``x_2 = 1 - x_1``; as both
    discount factors tend to 1 the split tends to 1/2 (the Nash bargaining solution). Outside
    options are in pie units and may be negative (then they never bind). See the module
    docstring for the timing and the formula with options.

    >>> r = rubinstein_shares(0.9, 0.9)
    >>> round(r.proposer_share, 4), round(r.responder_share, 4), r.binding
    (0.5263, 0.4737, ())
    >>> r = rubinstein_shares(0.9, 0.9, outside_2=0.6)
    >>> round(r.proposer_share, 4), r.binding, r.agreement
    (0.4, (2,), True)
    """
    d1 = discount("delta_1", delta_1)
    d2 = discount("delta_2", delta_2)
    w1 = real("outside_1", outside_1)
    w2 = real("outside_2", outside_2)
    responder_2 = d2 * (1.0 - d1) / (1.0 - d1 * d2)
    if w1 + w2 > 1.0 + TOLERANCE:
        # At least one option beats the share its holder gets without options.
        plain = ((1, w1, 1.0 - responder_2), (2, w2, responder_2))
        binding = tuple(player for player, option, share in plain if option > share)
        return RubinsteinShares(w1, w2, binding, agreement=False)
    y2 = max(w2, min(d2 * (1.0 - w1), responder_2))
    y1 = max(w1, d1 * (1.0 - y2))  # player 1's threshold when player 2 proposes
    binding = tuple(
        player
        for player, option, continuation in ((1, w1, d1 * (1.0 - y2)), (2, w2, d2 * (1.0 - y1)))
        if option > continuation + TOLERANCE
    )
    return RubinsteinShares(1.0 - y2, y2, binding, agreement=True)
