"""Cross-reference and range checks of a whole scenario, each problem with its field path."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from peacetalks.errors import Path, Problem, did_you_mean
from peacetalks.model.base import Cited
from peacetalks.model.numbers import Estimate, best, bounds
from peacetalks.model.parties import Issue

if TYPE_CHECKING:
    from peacetalks.model.scenario import Scenario


def check_scenario(scenario: Scenario) -> list[Problem]:
    """Every problem that needs more than one field to see, in file order."""
    issues = {issue.id: issue for issue in scenario.issues}
    parties = {party.id for party in scenario.parties}
    problems: list[Problem] = []
    problems += _duplicate_ids(scenario)
    problems += _unknown_sources(scenario)
    problems += _unknown_groups(scenario)
    problems += _preferences(scenario, issues, parties)
    for index, line in enumerate(scenario.red_lines):
        path: Path = ("red_lines", index)
        if line.party not in parties:
            problems.append(_unknown(path + ("party",), "party", line.party, parties))
        for name, condition in (("never", line.never), ("if", line.if_), ("then", line.then)):
            if condition is not None:
                problems += check_condition(condition, issues, path + (name,))
    if scenario.war is not None:
        from peacetalks.model.war_checks import check_war

        problems += check_war(scenario.war, parties, set(scenario.preferences))
    if scenario.stakeholders is not None:
        from peacetalks.model.stakeholders import check_stakeholders

        problems += check_stakeholders(scenario.stakeholders)
    for index, proposal in enumerate(scenario.proposals):
        path = ("proposals", index)
        if proposal.by is not None and proposal.by not in parties:
            problems.append(_unknown(path + ("by",), "party", proposal.by, parties))
        problems += check_package(proposal.package, issues, path + ("package",))
    return problems


def check_condition(
    condition: Mapping[str, str | Sequence[str]], issues: Mapping[str, Issue], path: Path
) -> list[Problem]:
    """Problems with a condition (issue id -> option id or ids)."""
    problems: list[Problem] = []
    for issue_id, chosen in condition.items():
        if issue_id not in issues:
            problems.append(_unknown(path + (issue_id,), "issue", issue_id, issues))
            continue
        options = issues[issue_id].option_ids
        for option_id in (chosen,) if isinstance(chosen, str) else chosen:
            if option_id not in options:
                problems.append(
                    _unknown(
                        path + (issue_id,), "option", option_id, options, f" of issue {issue_id!r}"
                    )
                )
    return problems


def check_package(
    package: Mapping[str, str], issues: Mapping[str, Issue], path: Path
) -> list[Problem]:
    """Problems with a package (issue id -> one option id)."""
    return check_condition(package, issues, path)


def _unknown(path: Path, what: str, name: str, choices: Any, of: str = "") -> Problem:
    return Problem(path, f"unknown {what} {name!r}{of}", did_you_mean(name, choices))


def _duplicate_ids(scenario: Scenario) -> Iterator[Problem]:
    groups: dict[str, Sequence[Any]] = {
        "sources": scenario.sources,
        "parties": scenario.parties,
        "issues": scenario.issues,
        "red_lines": scenario.red_lines,
        "proposals": scenario.proposals,
    }
    for field, items in groups.items():
        first: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in first:
                yield Problem(
                    (field, index, "id"),
                    f"duplicate id {item.id!r}",
                    f"first used at {field}[{first[item.id]}]",
                )
            first.setdefault(item.id, index)


def _unknown_sources(scenario: Scenario) -> Iterator[Problem]:
    known = {source.id for source in scenario.sources}
    for path, cited in _walk_cited(scenario, ()):
        for index, source_id in enumerate(cited.source_ids):
            if source_id not in known:
                where = (
                    path + ("source",)
                    if isinstance(cited.source, str)
                    else path
                    + (
                        "source",
                        index,
                    )
                )
                yield _unknown(where, "source", source_id, known)


def _unknown_groups(scenario: Scenario) -> Iterator[Problem]:
    known = set(scenario.uncertainty.groups) if scenario.uncertainty else set()
    for path, cited in _walk_cited(scenario, ()):
        group = getattr(cited, "group", None)
        if isinstance(cited, Estimate) and group is not None and group not in known:
            yield Problem(
                path + ("group",),
                f"unknown correlation group {group!r}",
                did_you_mean(group, known) or "declare it under uncertainty.groups",
            )


def _walk_cited(node: Any, path: Path) -> Iterator[tuple[Path, Cited]]:
    if isinstance(node, Cited):
        yield path, node
    if isinstance(node, BaseModel):
        for name, info in type(node).model_fields.items():
            yield from _walk_cited(getattr(node, name), path + (info.alias or name,))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk_cited(value, path + (key,))
    elif isinstance(node, tuple):
        for index, value in enumerate(node):
            yield from _walk_cited(value, path + (index,))


def _preferences(
    scenario: Scenario, issues: Mapping[str, Issue], parties: set[str]
) -> Iterator[Problem]:
    for party in scenario.parties:
        if party.signatory and party.id not in scenario.preferences:
            yield Problem(
                ("parties", scenario.parties.index(party), "signatory"),
                f"signatory {party.id!r} has no preferences",
                "add an entry for it under 'preferences', or set 'signatory: false'",
            )
    for party_id, prefs in scenario.preferences.items():
        path: Path = ("preferences", party_id)
        if party_id not in parties:
            yield _unknown(path, "party", party_id, parties)
            continue
        weighted: set[str] = set()
        for issue_id, weight in prefs.weights.items():
            if issue_id not in issues:
                yield _unknown(path + ("weights", issue_id), "issue", issue_id, issues)
                continue
            yield from in_range(weight, path + ("weights", issue_id), 0.0, None, "weight")
            if bounds(weight)[1] > 0:
                weighted.add(issue_id)
        if not prefs.interactions and sum(best(w) for w in prefs.weights.values()) <= 0:
            what = "all weights are zero" if prefs.weights else "no weights given"
            yield Problem(
                path + ("weights",), what, "weight at least one issue, or give interactions"
            )
        if prefs.discount is not None:
            yield from in_range(prefs.discount, path + ("discount",), 0.0, 1.0, "discount factor")
            if bounds(prefs.discount)[0] <= 0:
                yield Problem(path + ("discount",), "a discount factor must be above 0")
        yield from _values(prefs.values, issues, weighted, path + ("values",))
        for index, interaction in enumerate(prefs.interactions):
            yield from check_condition(
                interaction.when, issues, path + ("interactions", index, "when")
            )
        for other, alpha in prefs.relative_gains.items():
            where = path + ("relative_gains", other)
            if other == party_id:
                yield Problem(where, "a party cannot have a relative-gains concern for itself")
            elif other not in parties:
                yield _unknown(where, "party", other, parties)
            elif other not in scenario.preferences:
                yield Problem(where, f"party {other!r} has no preferences, so no gains to compare")
            yield from in_range(alpha, where, -1.0, 1.0, "relative-gains coefficient")


def _values(
    values: Mapping[str, Mapping[str, float | Estimate]],
    issues: Mapping[str, Issue],
    weighted: set[str],
    path: Path,
) -> Iterator[Problem]:
    for issue_id, table in values.items():
        if issue_id not in issues:
            yield _unknown(path + (issue_id,), "issue", issue_id, issues)
            continue
        options = issues[issue_id].option_ids
        for option_id, value in table.items():
            if option_id not in options:
                yield _unknown(
                    path + (issue_id, option_id),
                    "option",
                    option_id,
                    options,
                    f" of issue {issue_id!r}",
                )
            else:
                yield from in_range(value, path + (issue_id, option_id), 0.0, 1.0, "value")
    for issue_id in sorted(weighted):
        table = values.get(issue_id, {})
        missing = [o for o in issues[issue_id].option_ids if o not in table]
        if missing:
            yield Problem(
                path + ((issue_id,) if issue_id in values else ()),
                f"issue {issue_id!r} has a weight but no value for option(s) {', '.join(missing)}",
                "give every option of a weighted issue a value in [0, 1]",
            )


def in_range(
    number: float | Estimate,
    path: Path,
    low: float | None,
    high: float | None,
    what: str,
    expected: str | None = None,
) -> Iterator[Problem]:
    """Problems with a number (its value, and its low and high if it is an estimate) outside
    [low, high]; `expected` words the range (default: the interval)."""
    parts = [("value", best(number))]
    if isinstance(number, Estimate) and number.low is not None and number.high is not None:
        parts += [("low", number.low), ("high", number.high)]
    for name, x in parts:
        where = path + (name,) if isinstance(number, Estimate) else path
        if (low is not None and x < low) or (high is not None and x > high):
            span = expected or (f"[{low}, {high}]" if high is not None else f">= {low}")
            yield Problem(where, f"{what} {x:g} is out of range; expected {span}")
