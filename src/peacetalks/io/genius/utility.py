"""A GENIUS profile's utility as scenario preferences: weights, option values, interactions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SOURCE_ID = "genius"
"""The id of the scenario's one source (the GENIUS files), cited by every interaction."""

EPS = 1e-12
"""Tolerance for comparing sums of weights and utilities with 1."""

When = Mapping[str, str | list[str]]
"""An interaction's condition: for some issues, the option (or any of the options) chosen."""


@dataclass
class Utility:
    """What a profile's utility becomes in the scenario, with notes on how it was encoded."""

    weights: dict[str, float] = field(default_factory=dict)
    values: dict[str, dict[str, float]] = field(default_factory=dict)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def nonlinear(self) -> bool:
        """Whether the utility is interactions only (GENIUS's hyper-rectangles)."""
        return bool(self.interactions) and not self.weights

    def interact(self, when: When, bonus: float, description: str) -> None:
        """Add an interaction: ``bonus`` when the package matches ``when``."""
        self.interactions.append(
            {"when": when, "bonus": bonus, "description": description, "source": SOURCE_ID}
        )
