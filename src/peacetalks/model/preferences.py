"""What each party wants: weights, option values, interactions, reservation, relative gains."""

from __future__ import annotations

from pydantic import Field

from peacetalks.model.base import Cited, Frozen, Slug
from peacetalks.model.numbers import Number

Condition = dict[Slug, Slug | tuple[Slug, ...]]
"""Issue id -> option id or ids. Holds when, on every named issue, one of the options is chosen."""


class Interaction(Cited):
    """A bonus (or, if negative, a penalty) to a party's utility when a condition holds."""

    when: Condition = Field(min_length=1)
    bonus: Number
    description: str | None = None


class Preferences(Frozen):
    """One party's preferences over packages.

    Utility of a package x: ``U(x) = sum_i w_i v_i(x_i) + sum_k bonus_k [when_k holds]`` with
    the weights normalised to sum to 1.
    """

    weights: dict[Slug, Number] = Field(
        default_factory=dict, description="salience of each issue (normalised)"
    )
    values: dict[Slug, dict[Slug, Number]] = Field(
        default_factory=dict, description="value in [0, 1] of each option of each weighted issue"
    )
    interactions: tuple[Interaction, ...] = ()
    reservation: Number = Field(description="utility of no deal")
    relative_gains: dict[Slug, Number] = Field(
        default_factory=dict,
        description="alpha in [-1, 1]: how much this party counts another's gain against its own",
    )
    discount: Number | None = Field(
        default=None,
        description="discount factor per period in (0, 1], kept for simulated negotiations",
    )
