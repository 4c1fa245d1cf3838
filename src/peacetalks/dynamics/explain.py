"""The dynamics verdict in words, written from the numbers of a :class:`Dynamics` result."""

from __future__ import annotations

import math
from collections.abc import Iterator

from peacetalks.dynamics.results import Dynamics, LeverResult, PartyPath, ZopaPath
from peacetalks.model.numbers import best
from peacetalks.model.scenario import Scenario


def explain(scenario: Scenario, result: Dynamics) -> list[str]:
    """Sentences: each belligerent's view, the ZOPA in both worlds, ripeness, the levers."""
    return list(_sentences(scenario, result))


def _sentences(scenario: Scenario, result: Dynamics) -> Iterator[str]:
    war = scenario.war
    assert war is not None
    unit = result.step
    last = len(result.dates) - 1
    names = {party.id: party.name for party in scenario.parties}
    for path in result.parties:
        if path.party not in war.parties:
            continue
        yield _party_sentence(names, path, war.beliefs.get(path.party, ()), unit, last)
    yield _zopa_sentence(result.zopa["own beliefs"], result, "the parties' own beliefs", unit)
    yield _zopa_sentence(result.zopa["baseline"], result, "the analyst's baseline", unit)
    yield _ripeness_sentence(result, names, unit)
    for lever in result.levers:
        yield _lever_sentence(lever, result, unit)


def _party_sentence(
    names: dict[str, str], path: PartyPath, beliefs: tuple[object, ...], unit: str, last: int
) -> str:
    name = names[path.party]
    start, end = path.reservation[0], path.reservation[-1]
    trend = {1: "rises", -1: "falls", 0: "stays"}[
        (round(end, 3) > round(start, 3)) - (round(end, 3) < round(start, 3))
    ]
    held = ""
    if beliefs:
        from peacetalks.model.war import Belief

        listed = [f"{b.parameter} = {best(b.value):g}" for b in beliefs if isinstance(b, Belief)]
        held = f" (it believes {', '.join(listed)})"
    waiting = sum(path.waiting_better)
    base_end = path.reservation_baseline[-1]
    moves = (
        f"{trend} from {start:.3f} to {end:.3f}" if trend != "stays" else f"stays at {start:.3f}"
    )
    text = (
        f"Under its own beliefs{held}, the value of fighting on for {name} {moves} over {last} "
        f"{unit}s (under the analyst's baseline it would end at {base_end:.3f}); "
    )
    if waiting == len(path.waiting_better):
        return text + "fighting on beats the best deal the others would accept in every period."
    if waiting == 0:
        return text + "the best deal the others would accept beats fighting on in every period."
    return (
        text + f"fighting on beats the best deal the others would accept in {waiting} of "
        f"{len(path.waiting_better)} periods."
    )


def _zopa_sentence(path: ZopaPath, result: Dynamics, world: str, unit: str) -> str:
    dates = result.dates
    if all(math.isinf(x) for x in path.largest_shortfall):
        return (
            f"Under {world}, no package respects every signatory's red lines, so no change in "
            "the war can open a ZOPA: a red line has to go first."
        )
    if path.first is None:
        return (
            f"Under {world}, no package satisfies every signatory in any {unit} up to "
            f"{dates[-1]}: the closest falls short by {path.largest_shortfall[0]:.3f} now and by "
            f"{path.largest_shortfall[-1]:.3f} at the end."
        )
    spans = ", ".join(f"{dates[a]} to {dates[b]}" if a != b else dates[a] for a, b in path.windows)
    when = "now" if path.first == 0 else f"in {unit} {path.first} ({dates[path.first]})"
    return f"Under {world}, a ZOPA exists {when}; it is open {spans}."


def _ripeness_sentence(result: Dynamics, names: dict[str, str], unit: str) -> str:
    ripe = result.ripeness
    if ripe.first_ripe is not None:
        return (
            f"The conflict is first ripe in {unit} {ripe.first_ripe} "
            f"({result.dates[ripe.first_ripe]}): both sides hurt, neither expects to gain by "
            "fighting on, and a ZOPA offers a way out."
        )
    reasons = []
    for side in ripe.sides:
        gaining = sum(not s for s in ripe.stalemate[side])
        hurting = sum(ripe.hurting[side])
        total = len(ripe.stalemate[side])
        if gaining:
            reasons.append(f"{names[side]} expects to gain by fighting on in {gaining} of {total}")
        if hurting < total:
            reasons.append(f"{names[side]} does not hurt enough in {total - hurting} of {total}")
    if not any(ripe.way_out):
        reasons.append("no ZOPA offers a way out")
    return f"The conflict is not ripe in any {unit}: " + "; ".join(reasons) + "."


def _lever_sentence(lever: LeverResult, result: Dynamics, unit: str) -> str:
    dates = result.dates
    head = (
        f"{lever.label} (baseline {lever.baseline:g}, tried {lever.values[0]:g} to "
        f"{lever.values[-1]:g}): "
    )
    if lever.opens_zopa_at is None:
        text = "no value in the range opens a ZOPA within the horizon"
    elif lever.baseline_first_zopa is not None:
        text = f"a ZOPA already opens at the baseline in {unit} {lever.baseline_first_zopa}"
    else:
        text = f"a ZOPA opens within the horizon from {lever.opens_zopa_at:g}"
    earliest, at = lever.earliest_zopa, lever.earliest_zopa_at
    if earliest is not None and at is not None and lever.brings_zopa_forward_by:
        text += f"; earliest in {unit} {earliest} ({dates[earliest]}) at {at:g}"
    if lever.earliest_ripe is not None and lever.earliest_ripe_at is not None:
        text += (
            f"; the conflict is ripe earliest in {unit} {lever.earliest_ripe} at "
            f"{lever.earliest_ripe_at:g}"
        )
        if lever.baseline_first_ripe is None:
            text += " (never within the horizon at the baseline)"
        elif lever.brings_ripeness_forward_by:
            text += (
                f", {_periods(lever.brings_ripeness_forward_by, unit)} sooner than at the baseline"
            )
    else:
        text += "; no value in the range makes the conflict ripe within the horizon"
    return head + text + "."


def _periods(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")
