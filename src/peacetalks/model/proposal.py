"""Named packages of terms put on the table."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from peacetalks.model.base import Cited, Slug

Package = dict[str, str]
"""Issue id -> option id; may leave issues open."""


class Proposal(Cited):
    """A named, dated package (full or partial) of options."""

    id: Slug
    name: str
    date: dt.date | None = None
    by: Slug | None = Field(default=None, description="the party that proposed it")
    description: str | None = None
    package: dict[Slug, Slug] = Field(min_length=1)
