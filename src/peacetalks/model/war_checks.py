"""Checks of a scenario's war model that need more than one field: known parties, the two
sides, parameter ranges, and the paths that beliefs and levers name."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from peacetalks.errors import Path, Problem, did_you_mean
from peacetalks.model.checks import in_range
from peacetalks.model.numbers import Number, bounds
from peacetalks.model.war import Range, War, parameters


def check_war(war: War, parties: set[str], with_preferences: set[str]) -> Iterator[Problem]:
    """Every problem with the war model, located under ``war``."""
    root: Path = ("war",)
    a, b = war.sides
    for index, side in enumerate(war.sides):
        if side not in parties:
            yield _unknown(root + ("sides", index), "party", side, parties)
    if a == b:
        yield Problem(root + ("sides",), "the two sides must be different parties")
    for field, per_side in (("strength", war.strength), ("regroup", war.regroup)):
        for side in per_side:
            if side not in war.sides:
                yield Problem(
                    root + (field, side),
                    f"{side!r} is not one of the sides {list(war.sides)}",
                    did_you_mean(side, war.sides),
                )
    for side in war.sides:
        if side not in war.strength:
            yield Problem(root + ("strength",), f"no strength given for side {side!r}")
    if war.strength and all(bounds(n)[1] <= 0 for n in war.strength.values()):
        yield Problem(root + ("strength",), "at least one side needs a strength above 0")
    seen: set[str] = set()
    for index, support in enumerate(war.support):
        where = root + ("support", index)
        if support.id in seen:
            yield Problem(where + ("id",), f"duplicate support id {support.id!r}")
        seen.add(support.id)
        if support.to not in war.sides:
            yield Problem(
                where + ("to",),
                f"support goes to one of the sides {list(war.sides)}, not {support.to!r}",
                did_you_mean(support.to, war.sides),
            )
        if support.by is not None and support.by not in parties:
            yield _unknown(where + ("by",), "party", support.by, parties)
    for index, sanctions in enumerate(war.sanction_list):
        where = root + ("sanctions",) + ((index,) if isinstance(war.sanctions, tuple) else ())
        if sanctions.target not in parties:
            yield _unknown(where + ("target",), "party", sanctions.target, parties)
    for party in war.parties:
        if party not in parties:
            yield _unknown(root + ("parties", party), "party", party, parties)
        elif party not in with_preferences:
            yield Problem(
                root + ("parties", party),
                f"party {party!r} has no preferences, so no reservation value to move",
            )
    known = parameters(war)
    for path, (number, allowed) in known.items():
        if path.startswith("sanctions.") and path.count(".") == 1:
            continue  # the short form of the single sanctions entry, checked under its target
        yield from _in_range(number, root + _where(war, path), allowed, path)
    for party, beliefs in war.beliefs.items():
        if party not in parties:
            yield _unknown(root + ("beliefs", party), "party", party, parties)
        for index, belief in enumerate(beliefs):
            where = root + ("beliefs", party, index)
            if belief.parameter not in known:
                yield _unknown_parameter(where + ("parameter",), belief.parameter, known)
                continue
            allowed = known[belief.parameter][1]
            yield from _in_range(belief.value, where + ("value",), allowed, belief.parameter)
    for index, lever in enumerate(war.levers):
        where = root + ("levers", index)
        if lever.parameter not in known:
            yield _unknown_parameter(where + ("parameter",), lever.parameter, known)
            continue
        if not lever.low < lever.high:
            yield Problem(where, f"expected low < high, got low={lever.low}, high={lever.high}")
        allowed = known[lever.parameter][1]
        for name in ("low", "high"):
            yield from _in_range(getattr(lever, name), where + (name,), allowed, lever.parameter)


def _where(war: War, path: str) -> Path:
    """The field path of a parameter path (support and sanctions are lists in the file)."""
    parts = path.split(".")
    if parts[0] == "support":
        index = next(i for i, s in enumerate(war.support) if s.id == parts[1])
        return ("support", index, parts[2])
    if parts[0] == "sanctions":
        if not isinstance(war.sanctions, tuple):
            return ("sanctions", parts[-1])
        index = next(i for i, s in enumerate(war.sanctions) if s.target == parts[1])
        return ("sanctions", index, parts[2])
    return tuple(parts)


def _in_range(number: Number, path: Path, allowed: Range, name: str) -> Iterator[Problem]:
    yield from in_range(number, path, allowed[0], allowed[1], f"{name} =", _span(allowed))


def _span(allowed: Range) -> str:
    low, high = allowed
    if low is not None and high is not None:
        if (low, high) == (1e-9, 1.0 - 1e-9):
            return "a number strictly between 0 and 1"
        if high == 1.0 - 1e-9:
            return f"at least {low:g} and below 1"
        return f"between {low:g} and {high:g}"
    if low is not None:
        return f"at least {low:g}"
    return f"at most {high:g}" if high is not None else "any number"


def _unknown(path: Path, what: str, name: str, choices: set[str]) -> Problem:
    return Problem(path, f"unknown {what} {name!r}", did_you_mean(name, choices))


def _unknown_parameter(path: Path, name: str, known: Mapping[str, object]) -> Problem:
    return Problem(
        path,
        f"unknown war parameter {name!r}",
        did_you_mean(name, known) or "see `peacetalks schema` or docs/reference/war-model.md",
    )
