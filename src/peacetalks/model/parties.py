"""Who sits at the table and what is on it: sources, parties, issues and options."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from peacetalks.model.base import Frozen, Slug
from peacetalks.model.numbers import Finite

PartyKind = Literal["state", "bloc", "organisation", "armed-group", "mediator", "person", "other"]


class Source(Frozen):
    """A document that numbers and positions in a scenario are traced to."""

    id: Slug
    title: str
    author: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None
    quote: str | None = None
    note: str | None = None


class Party(Frozen):
    """A negotiating party."""

    id: Slug
    name: str
    kind: PartyKind
    signatory: bool = Field(default=True, description="whether a deal needs its consent")
    description: str | None = None


class Option(Frozen):
    """One way an issue can be settled."""

    id: Slug
    label: str
    description: str | None = None
    amount: Finite | None = Field(default=None, description="a numeric value, e.g. an army cap")
    unit: str | None = Field(default=None, description="the unit of 'amount'")


class Issue(Frozen):
    """A question on the table, with its ordered options."""

    id: Slug
    name: str
    description: str | None = None
    options: tuple[Option, ...] = Field(min_length=2)
    default: Slug | None = Field(
        default=None, description="the option that holds when a package is silent on this issue"
    )

    @model_validator(mode="after")
    def _options_unique_and_default_known(self) -> Issue:
        seen: set[str] = set()
        for option in self.options:
            if option.id in seen:
                raise ValueError(f"option id {option.id!r} appears twice in issue {self.id!r}")
            seen.add(option.id)
        if self.default is not None and self.default not in seen:
            raise ValueError(
                f"default {self.default!r} is not an option of issue {self.id!r} "
                f"(options: {', '.join(sorted(seen))})"
            )
        return self

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The option ids, in order."""
        return tuple(option.id for option in self.options)

    def option(self, option_id: str) -> Option:
        """The option with this id (KeyError if there is none)."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(option_id)
