"""Form fields of the pages, read into plain values (validation is the library's job)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from peacetalks.model.scenario import Scenario

NUMBER_PREFIXES = ("preferences.", "war.")
RED_LINE_FIELD = "red_line"
"""A checked box per red line that stays on; a red line whose box is not sent is off."""


@dataclass(frozen=True)
class WhatIfForm:
    """The what-if controls: numbers by path, red lines switched off, the chart's axes."""

    numbers: dict[str, str]
    disabled: tuple[str, ...]
    x: str | None
    y: str | None

    @classmethod
    def of(cls, form: Any, base: Scenario) -> WhatIfForm:
        """Read a submitted form (a starlette FormData or a mapping of lists)."""
        values = _multi(form)
        numbers = {
            key: items[-1]
            for key, items in values.items()
            if key.startswith(NUMBER_PREFIXES) and items
        }
        kept = set(values.get(RED_LINE_FIELD, []))
        disabled = tuple(line.id for line in base.red_lines if line.id not in kept)
        if "red_lines_shown" not in values:
            disabled = ()  # a form without the red-line boxes leaves them all on
        return cls(numbers, disabled, _one(values, "x"), _one(values, "y"))


def _multi(form: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    items = form.multi_items() if hasattr(form, "multi_items") else _pairs(form)
    for key, value in items:
        if isinstance(value, str):
            out.setdefault(str(key), []).append(value)
    return out


def _pairs(form: Mapping[str, Any]) -> list[tuple[str, Any]]:
    pairs = []
    for key, value in form.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, item))
    return pairs


def _one(values: Mapping[str, list[str]], key: str) -> str | None:
    items = values.get(key) or []
    return items[-1] if items and items[-1] else None


MAX_DEADLINE = 500
MEDIATORS = ("nash", "kalai-smorodinsky")


@dataclass(frozen=True)
class SimulationForm:
    """The simulation controls (the options of `peacetalks simulate`)."""

    strategies: dict[str, str]
    protocol: str = "stacked"
    mediator: str = "nash"
    deadline: int = 60
    seed: int = 0
    record: bool = False
    truce: str = ""
    """START:LENGTH[:RELIEF], as `peacetalks simulate --truce`; empty: none."""

    @classmethod
    def of(cls, form: Any, scenario: Scenario) -> SimulationForm:
        from peacetalks.errors import UsageError
        from peacetalks.negotiation import default_strategies

        values = {key: items[-1] for key, items in _multi(form).items() if items}
        strategies = {
            key.removeprefix("strategy."): value
            for key, value in values.items()
            if key.startswith("strategy.") and value
        }
        try:
            deadline = int(values.get("deadline", "60"))
            seed = int(values.get("seed", "0"))
        except ValueError:
            raise UsageError("the deadline and the seed must be whole numbers") from None
        if not 1 <= deadline <= MAX_DEADLINE:
            raise UsageError(f"the deadline must be between 1 and {MAX_DEADLINE} rounds")
        return cls(
            strategies=default_strategies(scenario, strategies),
            protocol=values.get("protocol", "stacked"),
            mediator=values.get("mediator", "nash"),
            deadline=deadline,
            seed=seed,
            record=values.get("record") in {"on", "true", "1"},
            truce=values.get("truce", "").strip(),
        )

    def options(self) -> dict[str, Any]:
        """Keyword arguments of :func:`peacetalks.negotiation.simulate`."""
        from peacetalks.dynamics.war import Truce

        return {
            "protocol": self.protocol,
            "deadline": self.deadline,
            "seed": self.seed,
            "mediator": self.mediator,
            "truce": Truce.parse(self.truce) if self.truce else None,
        }
