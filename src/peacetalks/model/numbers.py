"""Numbers with provenance: a best estimate, an optional range, and a citation."""

from __future__ import annotations

from typing import Annotated, Any

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

    @model_validator(mode="after")
    def _range_brackets_value(self) -> Estimate:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both 'low' and 'high', or neither")
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
