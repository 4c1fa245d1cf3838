"""The war as the outside option: a model of the continuing war, with sourced parameters.

A scenario may carry a ``war`` block. Its parameters describe the analyst's baseline: who
controls how much of the contested territory, each side's strength and the outside support it
receives (with fatigue and scheduled shocks), sanctions, what each party stands to gain or lose
as control moves, and what fighting on costs it per period. Each party may hold its own beliefs
about any parameter (``beliefs``), and ``levers`` name the parameters an analyst may move to
look for an earlier settlement. The numbers are read by :mod:`peacetalks.dynamics`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from peacetalks.model.base import Frozen, Slug
from peacetalks.model.numbers import Finite, Number

PERIODS = ("week", "month", "quarter", "year")


class Shock(Frozen):
    """A scheduled, permanent change of a support level (an aid package, an election)."""

    period: int = Field(ge=0, description="the period from which the change holds")
    change: Number = Field(description="added to the support level, in strength units")
    note: str | None = Field(default=None, description="what the shock is")


class Support(Frozen):
    """Outside support flowing to one side, in the same units as strength."""

    id: Slug
    to: Slug = Field(description="the side that receives it")
    by: Slug | None = Field(default=None, description="the party that gives it, if one")
    level: Number = Field(description="support per period now, in strength units")
    fatigue: Number = Field(
        default=0.0, description="share of the level lost per period (0: steady)"
    )
    shocks: tuple[Shock, ...] = ()


class Sanctions(Frozen):
    """Economic pressure on one party: a per-period cost in its utility units."""

    target: Slug
    cost: Number = Field(description="per-period cost to the target, in its utility units")
    growth: Number = Field(default=0.0, description="change of that cost per period")


class WarStakes(Frozen):
    """How the war moves one party's utility."""

    stake: Number = Field(
        description="utility gained when the first side's control goes from 0 to 1 "
        "(negative for a party that loses by it)"
    )
    cost: Number = Field(description="per-period cost of fighting on, in utility units")
    hurting: Number | None = Field(
        default=None,
        description="per-period cost at which the stalemate hurts the party (ripeness); "
        "omitted: the party never counts as hurting",
    )


class Belief(Frozen):
    """One parameter as a party believes it to be, where it differs from the baseline."""

    parameter: str = Field(description="a parameter path, e.g. support.us-aid.fatigue")
    value: Number


class Lever(Frozen):
    """A parameter an analyst may move, and the range worth searching."""

    parameter: str
    low: Finite
    high: Finite
    label: str | None = None


class War(Frozen):
    """The continuing war between two sides, as the outside option of every party."""

    description: str | None = None
    period: Literal["week", "month", "quarter", "year"] = Field(
        default="month", description="the length of one period; every rate is per period"
    )
    horizon: int = Field(default=36, ge=1, le=600, description="periods to look ahead")
    sides: tuple[Slug, Slug] = Field(
        description="the two belligerents; control is the first side's share"
    )
    contested: str | None = Field(default=None, description="what `control` measures")
    control: Number = Field(description="the first side's share of the contested territory now")
    strength: dict[Slug, Number] = Field(description="each side's own fighting capacity")
    exponent: Number = Field(
        default=1.0, description="contest exponent m: p = S_a^m / (S_a^m + S_b^m)"
    )
    advance: Number = Field(
        description="change of control per period when the first side's win probability "
        "is 1 (control moves by advance * (2p - 1))"
    )
    support: tuple[Support, ...] = ()
    sanctions: tuple[Sanctions, ...] | Sanctions = ()
    discount: Number = Field(description="per-period discount factor, in (0, 1)")
    parties: dict[Slug, WarStakes] = Field(description="per party with preferences")
    regroup: dict[Slug, Number] = Field(
        default_factory=dict,
        description="per side, the share by which its own fighting capacity grows in each "
        "period of a ceasefire (units rested and replenished, positions fortified, stocks "
        "rebuilt); omitted: 0. Read only when a truce is simulated",
    )
    beliefs: dict[Slug, tuple[Belief, ...]] = Field(default_factory=dict)
    levers: tuple[Lever, ...] = ()

    @property
    def sanction_list(self) -> tuple[Sanctions, ...]:
        """The sanctions, as a tuple (one may be written without a list)."""
        return self.sanctions if isinstance(self.sanctions, tuple) else (self.sanctions,)


Range = tuple[float | None, float | None]
"""Allowed interval of a parameter (None: unbounded); both ends included."""

OPEN_UNIT = (1e-9, 1.0 - 1e-9)


def parameters(war: War) -> dict[str, tuple[Number, Range]]:
    """Every parameter a belief or a lever may name: path -> (baseline number, allowed range)."""
    out: dict[str, tuple[Number, Range]] = {
        "control": (war.control, (0.0, 1.0)),
        "exponent": (war.exponent, (1e-6, 20.0)),
        "advance": (war.advance, (0.0, 1.0)),
        "discount": (war.discount, OPEN_UNIT),
    }
    for side, number in war.strength.items():
        out[f"strength.{side}"] = (number, (0.0, None))
    for side, number in war.regroup.items():
        out[f"regroup.{side}"] = (number, (0.0, 1.0))
    for support in war.support:
        out[f"support.{support.id}.level"] = (support.level, (0.0, None))
        out[f"support.{support.id}.fatigue"] = (support.fatigue, (0.0, 1.0 - 1e-9))
    sanctions = war.sanction_list
    for item in sanctions:
        out[f"sanctions.{item.target}.cost"] = (item.cost, (0.0, None))
        out[f"sanctions.{item.target}.growth"] = (item.growth, (None, None))
    if len(sanctions) == 1:
        out["sanctions.cost"] = (sanctions[0].cost, (0.0, None))
        out["sanctions.growth"] = (sanctions[0].growth, (None, None))
    for party, stakes in war.parties.items():
        out[f"parties.{party}.stake"] = (stakes.stake, (None, None))
        out[f"parties.{party}.cost"] = (stakes.cost, (None, None))
        if stakes.hurting is not None:
            out[f"parties.{party}.hurting"] = (stakes.hurting, (0.0, None))
    return out
