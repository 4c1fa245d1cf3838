"""Shared building blocks of the domain model: frozen strict models, ids and citations."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=80),
]
"""An identifier: lower-case letters, digits, '-' and '_', starting with a letter."""


class Frozen(BaseModel):
    """An immutable model that rejects unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Cited(Frozen):
    """Something that can be traced to a source and/or a stated rationale."""

    source: Slug | tuple[Slug, ...] | None = Field(
        default=None, description="id (or list of ids) of the sources that support this"
    )
    quote: str | None = Field(default=None, description="words from the source that support it")
    rationale: str | None = Field(default=None, description="the analyst's reasoning, in words")

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The cited source ids, as a tuple (possibly empty)."""
        if self.source is None:
            return ()
        if isinstance(self.source, str):
            return (self.source,)
        return self.source
