"""Dynamics: the reservation values of a scenario moved over time by its war model, the ZOPA in
each period, the value of waiting, ripeness, and the levers that bring a settlement forward.

Reservation values. The scenario's reservation value r_i is party i's value of fighting on now,
as it sees it. The war model gives V_i^b(t), the value of fighting on from period t under
parameter beliefs b (the analyst's baseline, or the party's own). With k_i = r_i - V_i^own(0),
party i's reservation value at t is k_i + V_i^own(t) under its own beliefs and
k_i + V_i^baseline(t) if it held the analyst's baseline. Parties without war stakes keep r_i.

Two worlds are reported: **own beliefs** (each party judges by what it believes: how talks go
if nobody changes their mind) and **baseline** (every party judges by the analyst's baseline:
what the war will teach them if the baseline is right).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from peacetalks.dynamics.model import Model, rounded, zopa_path
from peacetalks.dynamics.results import Assumption, Dynamics
from peacetalks.dynamics.war import baseline, believed
from peacetalks.errors import UsageError
from peacetalks.model.numbers import Estimate, best, bounds
from peacetalks.model.scenario import Scenario
from peacetalks.model.war import War, parameters

WEEKS = {"week": 1.0, "month": 52.0 / 12.0, "quarter": 13.0, "year": 52.0}


def dynamics(
    scenario: Scenario,
    horizon: int | None = None,
    step: str | None = None,
    levers: bool = True,
) -> Dynamics:
    """Run the war model of a scenario and judge the negotiation period by period.

    >>> import peacetalks
    >>> from peacetalks.dynamics import dynamics
    >>> result = dynamics(peacetalks.load("russia-ukraine-2025"), horizon=12, levers=False)
    >>> len(result.dates)
    13
    """
    war = _war_of(scenario)
    every = steps_per(war.period, step or war.period)
    count = war.horizon if horizon is None else horizon
    if count < 1:
        raise UsageError(f"the horizon must be at least 1 step, got {count}")
    model = Model(scenario, war, count * every, every)
    base = model.run(baseline(war), {p: believed(war, p) for p in war.parties})
    lever_results = tuple(model.lever(lever_) for lever_ in war.levers) if levers else ()
    result = Dynamics(
        scenario=scenario.id,
        period=war.period,
        step=step or war.period,
        every=every,
        dates=tuple(_date(scenario.as_of, war.period, int(t)) for t in model.reported),
        sides=war.sides,
        control={
            label: rounded(base.paths.control[row, model.reported])
            for row, label in model.distinct_rows(base)
        },
        win_probability={
            label: rounded(base.paths.win_probability[row, model.reported])
            for row, label in model.distinct_rows(base)
        },
        parties=model.party_paths(base),
        zopa={
            "own beliefs": zopa_path("own beliefs", base.own),
            "baseline": zopa_path("baseline", base.baseline),
        },
        ripeness=model.ripeness_path(base),
        levers=lever_results,
        sources=_war_sources(war),
        assumptions=_assumptions(war),
    )
    from peacetalks.dynamics.explain import explain

    return _with_verdict(result, explain(scenario, result))


def _with_verdict(result: Dynamics, verdict: Sequence[str]) -> Dynamics:
    from dataclasses import replace

    return replace(result, verdict=tuple(verdict))


def steps_per(period: str, step: str) -> int:
    """Model periods per reported step (a step must be a whole number of periods)."""
    if step not in WEEKS:
        raise UsageError(f"unknown step {step!r}; expected one of: {', '.join(WEEKS)}")
    ratio = WEEKS[step] / WEEKS[period]
    if ratio < 1 - 1e-9 or abs(ratio - round(ratio)) > 1e-9:
        raise UsageError(
            f"a step of one {step} is not a whole number of the war model's periods "
            f"({period}s); use a step of {period} or longer: "
            + ", ".join(k for k, w in WEEKS.items() if _whole(w / WEEKS[period]))
        )
    return round(ratio)


def _whole(ratio: float) -> bool:
    return ratio >= 1 - 1e-9 and abs(ratio - round(ratio)) <= 1e-9


def _war_of(scenario: Scenario) -> War:
    if scenario.war is None:
        raise UsageError(
            f"scenario {scenario.id!r} has no war model (a `war:` block); dynamics needs one "
            "(see docs/reference/war-model.md)"
        )
    return scenario.war


def _date(start: dt.date, period: str, t: int) -> str:
    if period == "week":
        return (start + dt.timedelta(weeks=int(t))).isoformat()
    months = {"month": 1, "quarter": 3, "year": 12}[period] * int(t)
    year, month = divmod(start.month - 1 + months, 12)
    last = calendar.monthrange(start.year + year, month + 1)[1]
    return dt.date(start.year + year, month + 1, min(start.day, last)).isoformat()


def _assumptions(war: War) -> tuple[Assumption, ...]:
    believed_values = {
        party: {belief.parameter: best(belief.value) for belief in beliefs}
        for party, beliefs in war.beliefs.items()
    }
    out = []
    for path, (number, _) in parameters(war).items():
        if path.startswith("sanctions.") and path.count(".") == 1:
            continue  # the short name of the single sanctions entry: listed under its target
        low, high = bounds(number)
        short = "sanctions." + path.split(".")[-1] if path.startswith("sanctions.") else path
        out.append(
            Assumption(
                parameter=path,
                baseline=best(number),
                low=low if low < high else None,
                high=high if low < high else None,
                beliefs={
                    party: values[name]
                    for party, values in believed_values.items()
                    for name in (path, short)
                    if name in values
                },
                sources=number.source_ids if isinstance(number, Estimate) else (),
                rationale=number.rationale if isinstance(number, Estimate) else None,
            )
        )
    return tuple(out)


def _war_sources(war: War) -> tuple[str, ...]:
    from peacetalks.model.checks import _walk_cited

    seen: list[str] = []
    for _, cited in _walk_cited(war, ()):
        for source in cited.source_ids:
            if source not in seen:
                seen.append(source)
    return tuple(seen)
