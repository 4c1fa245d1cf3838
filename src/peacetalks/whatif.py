"""What-ifs: a scenario with some numbers changed and some red lines switched off.

A what-if names each number by its path, in the same words as the sweep's inputs:

* ``preferences.PARTY.weights.ISSUE``: the salience of an issue to a party;
* ``preferences.PARTY.values.ISSUE.OPTION``: the value of an option to a party;
* ``preferences.PARTY.reservation``: a party's value of no deal;
* ``preferences.PARTY.relative_gains.OTHER``: how much a party minds another's gain;
* ``war.PARAMETER``: a parameter of the war model (``war.sanctions.cost``,
  ``war.support.us-aid.fatigue``, ...; see :func:`peacetalks.model.war.parameters`).

Only numbers the scenario already has can be changed. A number written as an estimate keeps its
source and rationale; its plausible range widens when the new value falls outside it. The result
is a new, fully validated scenario (the original is untouched): a change the scenario format does
not allow (a value above 1, a negative weight) is a :class:`~peacetalks.errors.ScenarioError`
naming the field; an unknown path, red line or a value that is not a number is a
:class:`~peacetalks.errors.UsageError`.

>>> import peacetalks
>>> from peacetalks.whatif import apply
>>> flagship = peacetalks.load("russia-ukraine-2025")
>>> softer = apply(flagship, {"preferences.russia.reservation": 0.3}, disable=["ru-no-nato-path"])
>>> softer.preferences["russia"].reservation.value, len(softer.red_lines) - len(flagship.red_lines)
(0.3, -1)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from peacetalks.errors import Problem, ScenarioError, UsageError, did_you_mean
from peacetalks.model.numbers import Estimate, best, bounds
from peacetalks.model.scenario import Scenario
from peacetalks.model.war import parameters

MAX_EDITS = 2_000
"""At most this many numbers in one what-if (a guard against oversized requests)."""


@dataclass(frozen=True)
class Knob:
    """One number a what-if may change, with what an editor needs to show it."""

    path: str
    kind: str
    """weight | value | reservation | relative_gains | war."""
    party: str | None
    """The party whose preferences hold it (None for the war model)."""
    label: str
    value: float
    low: float | None
    high: float | None
    """The range worth exploring: the estimate's range or a lever's, else the allowed one."""


def knobs(scenario: Scenario) -> tuple[Knob, ...]:
    """Every number of the scenario a what-if may change, in file order.

    >>> import peacetalks
    >>> found = knobs(peacetalks.load("camp-david-1978"))
    >>> found[0].path, found[0].kind
    ('preferences.egypt.weights.sinai-sovereignty', 'weight')
    """
    out: list[Knob] = []
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        if prefs is None:
            continue
        base = f"preferences.{party.id}"
        for issue_id, weight in prefs.weights.items():
            name = scenario.issue(issue_id).name
            out.append(_knob(f"{base}.weights.{issue_id}", "weight", party.id, name, weight))
        for issue_id, table in prefs.values.items():
            issue = scenario.issue(issue_id)
            for option_id, number in table.items():
                label = f"{issue.name}: {issue.option(option_id).label}"
                path = f"{base}.values.{issue_id}.{option_id}"
                out.append(_knob(path, "value", party.id, label, number, (0.0, 1.0)))
        path = f"{base}.reservation"
        out.append(_knob(path, "reservation", party.id, "reservation value", prefs.reservation))
        for other, alpha in prefs.relative_gains.items():
            path = f"{base}.relative_gains.{other}"
            label = f"concern for {other}'s gains"
            out.append(_knob(path, "relative_gains", party.id, label, alpha, (-1.0, 1.0)))
    if scenario.war is not None:
        labels = {lever.parameter: lever for lever in scenario.war.levers}
        for name, (number, allowed) in parameters(scenario.war).items():
            lever = labels.get(name)
            knob = _knob(f"war.{name}", "war", None, name, number, allowed)
            if lever is not None:
                knob = Knob(
                    knob.path, "war", None, lever.label or name, knob.value, lever.low, lever.high
                )
            out.append(knob)
    return tuple(out)


def _knob(
    path: str,
    kind: str,
    party: str | None,
    label: str,
    number: float | Estimate,
    allowed: tuple[float | None, float | None] = (None, None),
) -> Knob:
    low: float | None
    high: float | None
    low, high = bounds(number)
    if low == high:
        low, high = allowed
    return Knob(path, kind, party, label, best(number), low, high)


def changed(before: Scenario, after: Scenario) -> tuple[tuple[Knob, float], ...]:
    """The numbers a what-if changed: each knob as it was, with its new value."""
    now = {knob.path: knob.value for knob in knobs(after)}
    return tuple(
        (knob, now[knob.path])
        for knob in knobs(before)
        if knob.path in now and now[knob.path] != knob.value
    )


def apply(
    scenario: Scenario,
    numbers: Mapping[str, float | str] | None = None,
    disable: Iterable[str] = (),
) -> Scenario:
    """The scenario with these numbers set (path -> value) and these red lines switched off.

    Values equal to the current ones change nothing; when nothing changes, `scenario` itself
    is returned (so caches keyed by its content hash stay warm).
    """
    numbers = dict(numbers or {})
    if len(numbers) > MAX_EDITS:
        raise UsageError(f"a what-if changes at most {MAX_EDITS:,} numbers, got {len(numbers):,}")
    current = {knob.path: knob.value for knob in knobs(scenario)}
    changes: dict[str, float] = {}
    for path, raw in numbers.items():
        if path not in current:
            hint = did_you_mean(path, current) or "this scenario has no numbers to change"
            raise UsageError(f"no number {path!r} in scenario {scenario.id!r}; {hint}")
        value = _number(path, raw)
        if value != current[path]:
            changes[path] = value
    off = _red_lines(scenario, disable)
    if not changes and not off:
        return scenario
    data = scenario.model_dump(by_alias=True, exclude_none=True)
    for path, value in changes.items():
        _set(data, path, value)
    if off:
        data["red_lines"] = [line for line in data.get("red_lines", []) if line["id"] not in off]
    return _validated(data)


def _number(path: str, raw: float | str) -> float:
    if isinstance(raw, bool):
        raise UsageError(f"{path}: expected a number, got {raw!r}")
    try:
        value = float(raw.strip()) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise UsageError(f"{path}: expected a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise UsageError(f"{path}: expected a finite number, got {raw!r}")
    return value


def _red_lines(scenario: Scenario, disable: Iterable[str]) -> set[str]:
    known = [line.id for line in scenario.red_lines]
    off = set()
    for line_id in disable:
        if line_id not in known:
            hint = did_you_mean(str(line_id), known) or "it has none"
            raise UsageError(f"no red line {line_id!r} in scenario {scenario.id!r}; {hint}")
        off.add(line_id)
    return off


def _set(data: dict[str, Any], path: str, value: float) -> None:
    """Set the number at a knob path in a scenario's plain data."""
    head, _, rest = path.partition(".")
    if head == "preferences":
        party, field, *keys = rest.split(".")
        node: Any = data["preferences"][party]
        parts = [field, *keys]
    else:
        node, parts = data["war"], rest.split(".")
    for part in parts[:-1]:
        node = _child(node, part)
    last = parts[-1]
    if isinstance(node, list):
        node = node[0]  # a short form (sanctions.cost) names the single entry
    node[last] = _with_value(node[last], value)


def _child(node: Any, part: str) -> Any:
    if isinstance(node, dict):
        if part in node:
            return node[part]
        return node  # a single entry written without a list (sanctions: {target: ...})
    for item in node:
        if part in (item.get("id"), item.get("target")):
            return item
    raise KeyError(part)  # pragma: no cover - paths come from knobs()


def _with_value(old: Any, value: float) -> Any:
    """A number replaced: an estimate keeps its citation and widens its range if needed."""
    if not isinstance(old, dict):
        return value
    new = dict(old, value=value)
    if new.get("low") is not None and new.get("high") is not None:
        new["low"], new["high"] = min(new["low"], value), max(new["high"], value)
    return new


def _validated(data: dict[str, Any]) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(tuple(item["loc"]), item["msg"].removeprefix("Value error, "))
            for item in error.errors(include_url=False)
        ]
        raise ScenarioError(problems) from None
