"""The sweep verdict in words, written from the numbers of a :class:`SweepResult`."""

from __future__ import annotations

from collections.abc import Iterator

from peacetalks.model.scenario import Scenario
from peacetalks.sweep.montecarlo import Share, SweepResult


def explain(scenario: Scenario, result: SweepResult) -> list[str]:
    """Sentences: the point verdict, its probability, the obstacles, the drivers."""
    return list(_sentences(scenario, result))


def _percent(share: Share) -> str:
    return f"{100 * share.share:.1f}% (95% interval {100 * share.low:.1f}–{100 * share.high:.1f}%)"


def _sentences(scenario: Scenario, result: SweepResult) -> Iterator[str]:
    names = {party.id: party.name for party in scenario.parties}
    done = f"{result.samples:,} draws"
    if result.interrupted:
        done += f" (interrupted: {result.samples:,} of {result.requested:,} computed)"
    if not result.feasible:
        yield (
            "No package respects every signatory's red lines, so no reading of the numbers "
            f"opens a ZOPA ({done}): a red line has to move first."
        )
        yield from _red_lines(result)
        return
    if result.point_gap > 0:
        yield (
            f"At the best estimates there is no ZOPA: the closest package falls short by "
            f"{result.point_gap:.3f}."
        )
    else:
        yield "At the best estimates a ZOPA exists."
    yield (
        f"Over {done} of the scenario's {result.inputs} uncertain numbers (seed {result.seed}), "
        f"a ZOPA exists in {_percent(result.zopa)} of them; the gap's median is "
        f"{result.gap_quantiles['50%']:.3f} (5% to 95%: {result.gap_quantiles['5%']:.3f} to "
        f"{result.gap_quantiles['95%']:.3f})."
    )
    if result.binding_parties:
        ranked = sorted(result.binding_parties.items(), key=lambda kv: -kv[1].share)
        listed = ", ".join(
            f"{names.get(party, party)} {100 * share.share:.0f}%"
            for party, share in ranked
            if share.share > 0
        )
        if listed:
            yield f"Where no ZOPA exists, the signatory left furthest short is: {listed}."
    yield from _red_lines(result)
    accepted = [(pid, share) for pid, share in result.proposals.items() if share.share > 0]
    if accepted:
        listed = ", ".join(f"{pid} {_percent(share)}" for pid, share in accepted)
        yield f"Proposals acceptable to every signatory: {listed}."
    elif result.proposals:
        yield "No proposal is acceptable to every signatory in any draw."
    drivers = [d for d in result.drivers if abs(d.rank_correlation) > 0][:5]
    if drivers:
        listed = ", ".join(f"{d.input} ({d.rank_correlation:+.2f})" for d in drivers)
        yield f"The inputs that move the gap most (rank correlation with it): {listed}."
    flips = [d for d in result.drivers if d.overturns]
    if flips:
        listed = ", ".join(
            f"{d.input} at {d.low:g}"
            if (d.gap_at_low <= 0) == (result.point_gap > 0)
            else f"{d.input} at {d.high:g}"
            for d in flips[:8]
        )
        yield (
            "Alone, with everything else at its best estimate, these would overturn the "
            f"verdict: {listed}."
        )
    else:
        yield "No single input, moved alone to either end of its range, overturns the verdict."


def _red_lines(result: SweepResult) -> Iterator[str]:
    lines = [(line, share) for line, share in result.binding_red_lines.items() if share.share > 0]
    if lines:
        lines.sort(key=lambda kv: -kv[1].share)
        of = next(iter(result.binding_red_lines.values())).of
        listed = ", ".join(f"{line} {100 * share.share:.1f}%" for line, share in lines[:5])
        yield (
            f"Dropping one red line alone would open a ZOPA (share of the first {of:,} draws): "
            f"{listed}."
        )
    elif result.binding_red_lines:
        yield "In no draw would dropping a single red line alone open a ZOPA."
    if result.unassessed_red_lines:
        yield (
            "Not assessed (without them the packages are too many to list): "
            + ", ".join(result.unassessed_red_lines)
            + "."
        )
