"""Numbers with provenance: a best estimate, an optional range, and a citation."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from peacetalks.model.base import Cited

Finite = Annotated[float, Field(strict=True, allow_inf_nan=False)]
"""A finite real number (an integer is accepted; a string or a boolean is not)."""


class Estimate(Cited):
    """A number known only approximately: a best estimate with an optional range.

    Point analyses use ``value``; uncertainty analyses use ``low`` and ``high``.
    """

    value: Finite = Field(description="best estimate, used by every point analysis")
    low: Finite | None = Field(default=None, description="lower end of the plausible range")
    high: Finite | None = Field(default=None, description="upper end of the plausible range")
    distribution: Literal["uniform", "triangular", "normal", "beta"] | None = Field(
        default=None,
        description="how uncertainty analyses draw it within [low, high] (default uniform)",
    )
    sd: Finite | None = Field(
        default=None, gt=0, description="standard deviation of a (truncated) normal"
    )
    concentration: Finite | None = Field(
        default=None, gt=0, description="how tightly a beta clusters around value (default 4)"
    )
    group: str | None = Field(
        default=None,
        pattern=r"^[a-z][a-z0-9_-]*$",
        description="correlation group: numbers of one group move together (see uncertainty)",
    )

    @model_validator(mode="after")
    def _range_brackets_value(self) -> Estimate:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both 'low' and 'high', or neither")
        if self.low is None and (
            self.distribution is not None or self.sd is not None or self.group is not None
        ):
            raise ValueError("a distribution or correlation group needs 'low' and 'high'")
        if self.sd is not None and self.distribution != "normal":
            raise ValueError("'sd' belongs to distribution: normal")
        if self.concentration is not None and self.distribution != "beta":
            raise ValueError("'concentration' belongs to distribution: beta")
        if (
            self.low is not None
            and self.high is not None
            and not (self.low <= self.value <= self.high)
        ):
            raise ValueError(
                f"expected low <= value <= high, got low={self.low}, value={self.value}, "
                f"high={self.high}"
            )
        return self


def _number_kind(raw: Any) -> str | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return "number"
    if isinstance(raw, dict | Estimate):
        return "estimate"
    return None


Number = Annotated[
    Annotated[Finite, Tag("number")] | Annotated[Estimate, Tag("estimate")],
    Discriminator(
        _number_kind,
        custom_error_type="number",
        custom_error_message="expected a number or an estimate {value, low, high, source, ...}",
    ),
]
"""A plain number or an :class:`Estimate`."""


def best(number: float | Estimate) -> float:
    """The best estimate of a number."""
    return number.value if isinstance(number, Estimate) else float(number)


def bounds(number: float | Estimate) -> tuple[float, float]:
    """The plausible range of a number; a plain number is its own range."""
    if isinstance(number, Estimate) and number.low is not None and number.high is not None:
        return number.low, number.high
    value = best(number)
    return value, value
