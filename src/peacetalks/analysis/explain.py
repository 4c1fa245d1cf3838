"""The verdict of an analysis in words, built only from the computed numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peacetalks.model.scenario import Scenario

if TYPE_CHECKING:
    from peacetalks.analysis.analyze import Analysis


def explain(scenario: Scenario, analysis: Analysis) -> list[str]:
    """Sentences that state the verdict, why, and what would change it."""
    names = {party.id: party.name for party in scenario.parties}
    space = analysis.space
    signatories = ", ".join(names[p] for p in analysis.signatories)
    searched = (
        f"{space.packages:,} possible packages, {_count(space.respecting_signatory_red_lines)} "
        "of which respect every signatory's red lines"
    )
    if analysis.zopa.exists:
        return _deal(analysis, names, searched, signatories)
    out = [
        f"No package of terms is acceptable to every signatory ({signatories}): there is no "
        f"zone of possible agreement among the {searched}. This is {analysis.zopa.method}."
    ]
    takes = analysis.what_it_takes
    if takes is not None and takes.collisions:
        clashes = ["; ".join(_collision(c.constraints, names)) for c in takes.collisions]
        out.append(
            "The constraints that collide (no package satisfies each set together): "
            + " | ".join(clashes)
            + "."
        )
    if analysis.closest is not None:
        best = analysis.closest.packages[0]
        short = [f"{names[p]} {v:.3f}" for p, v in best.shortfalls.items() if v > 0]
        whose = "its reservation value" if len(short) == 1 else "their reservation values"
        out.append(
            f"The closest package still leaves {_join(short)} short of {whose} "
            f"(largest shortfall {analysis.closest.largest_shortfall:.3f})."
        )
    if takes is not None:
        out += _changes(takes, names)
    return out


def _deal(analysis: Analysis, names: dict[str, str], searched: str, signatories: str) -> list[str]:
    size = analysis.zopa.size
    if size.value is not None:
        count = f"{size.value:,}"
    elif size.estimate >= 1:
        count = f"about {size.estimate:.3g} (95% interval {size.low:.3g} to {size.high:.3g})"
    else:
        count = (
            f"at least {size.low:,.0f} (too few to estimate by sampling; at most {size.high:.3g})"
        )
    out = [
        f"A deal is possible: {count} packages are acceptable to every signatory "
        f"({signatories}), out of {searched}; {analysis.zopa.method}."
    ]
    nash = analysis.solutions.nash
    if nash is not None:
        terms = ", ".join(f"{issue}={option}" for issue, option in nash.package.items())
        out.append(f"The Nash bargaining solution is: {terms}.")
    accepted = [p.id for p in analysis.proposals if p.accepted_by_all]
    if accepted:
        out.append("Proposals every signatory accepts: " + ", ".join(accepted) + ".")
    return out


def _collision(constraints: tuple[str, ...], names: dict[str, str]) -> list[str]:
    parts = []
    for constraint in constraints:
        party, _, kind = constraint.partition(" ")
        parts.append(f"{_possessive(names.get(party, party))} {kind}")
    return [_join(parts)]


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _changes(takes: object, names: dict[str, str]) -> list[str]:
    from peacetalks.analysis.what_it_takes import WhatItTakes

    assert isinstance(takes, WhatItTakes)
    out = []
    alone = [
        f"{names[p]} by {lowering.total:.3f}"
        for p, lowering in takes.reservation_lowering.items()
        if lowering is not None
    ]
    unable = [names[p] for p, lowering in takes.reservation_lowering.items() if lowering is None]
    if alone:
        text = "A deal would open if one party alone lowered its reservation value: " + _join(alone)
        if unable:
            text += f" ({_join(unable)} could not open one by lowering its own)"
        out.append(text + ".")
    elif unable:
        out.append("No single party can open a deal by lowering its reservation value alone.")
    if takes.combined_lowering is not None:
        shares = [
            f"{names[p]} {v:.3f}" for p, v in takes.combined_lowering.parties.items() if v > 1e-9
        ]
        out.append(
            f"The smallest combined lowering is {takes.combined_lowering.total:.3f} "
            f"({_join(shares)})."
        )
    if takes.red_line_sets:
        sets = [" + ".join(s.red_lines) for s in takes.red_line_sets[:8]]
        out.append(
            "Dropping any of these sets of red lines would open a deal: " + "; ".join(sets) + "."
        )
    else:
        out.append(
            f"Dropping red lines does not help: no set of up to {takes.max_set_size} red lines, "
            "removed, opens a deal while the reservation values stand."
        )
    for change in takes.relative_gains:
        if change.needed is None:
            out.append(
                f"No value of {_possessive(names[change.party])} relative-gains concern for "
                f"{names[change.other]} (now {change.current:.2f}) would open a deal by itself."
            )
        else:
            out.append(
                f"{_possessive(names[change.party])} relative-gains concern for "
                f"{names[change.other]} would "
                f"have to move from {change.current:.2f} to {change.needed:.2f} to open a deal."
            )
    return out


def _count(count: object) -> str:
    value = getattr(count, "value", None)
    if value is not None:
        return f"{value:,}"
    return f"about {getattr(count, 'estimate', 0.0):.3g}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
