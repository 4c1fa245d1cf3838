"""How uncertain numbers move together in uncertainty analyses (``peacetalks sweep``).

Every estimate with a ``low`` and a ``high`` is uncertain; its ``distribution`` says how it is
drawn. Estimates that name the same ``group`` are drawn with a rank correlation set here, e.g.
"the Western support parameters move together".
"""

from __future__ import annotations

from pydantic import Field

from peacetalks.model.base import Cited, Frozen, Slug


class CorrelationGroup(Cited):
    """Numbers that move together."""

    correlation: float = Field(
        ge=0.0, lt=1.0, description="target correlation of every pair of members, in [0, 1)"
    )
    description: str | None = None


class Uncertainty(Frozen):
    """Settings of uncertainty analyses."""

    groups: dict[Slug, CorrelationGroup] = Field(default_factory=dict)
