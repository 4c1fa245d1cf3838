"""Simulated talks: parties following strategies, period by period, until a deal or a deadline.

Protocols:

* ``alternating``: two negotiators take turns proposing; the other accepts or not (Rubinstein's
  alternating offers with a deadline);
* ``stacked``: any number of negotiators propose in turn; a proposal is agreed when every other
  negotiator accepts it (stacked alternating offers, Aydoğan et al. 2017);
* ``mediated``: a mediator drafts a single text and revises it after the negotiators' answers
  and criticisms, towards the Nash or Kalai-Smorodinsky solution (see
  :mod:`peacetalks.negotiation.mediated`).

A truce may be put to the negotiators in a given round (``truce=Truce(start, length,
relief)``, a what-if: a mediator's offer of a temporary ceasefire, perhaps priced in sanctions
relief). Each negotiator's strategy answers it (:meth:`Strategy.answer_truce`); if all accept,
the fighting pauses for its length and every outside option follows the war model with the
pause from then on - a side that regroups faster, or is paid in relief, comes out of it with a
better outside option, and talks go on from there.

The negotiators are the scenario's signatories. Their outside options move from round to round
when the scenario has a war model (one round per period; see :func:`outside_options`). A
negotiator walks out at its turn when no package could give it as much as its outside option.
Every run returns its trace (each offer, every party's utility for it, each response), its
outcome and an explanation in words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from peacetalks.compiled import FloatArray
from peacetalks.dynamics.war import Truce
from peacetalks.errors import UsageError
from peacetalks.model.scenario import Scenario
from peacetalks.negotiation.space import OfferSpace
from peacetalks.negotiation.strategies import Strategy, View, strategy
from peacetalks.results import Result

PROTOCOLS = ("alternating", "stacked", "mediated")
DEFAULT_STRATEGY = "linear"


@dataclass(frozen=True)
class Round(Result):
    """One offer and the answers to it."""

    period: int
    proposer: str
    package: dict[str, str]
    utilities: dict[str, float]
    responses: dict[str, bool]


@dataclass(frozen=True)
class Outcome(Result):
    """How the talks ended."""

    agreement: bool
    period: int
    package: dict[str, str] | None
    utilities: dict[str, float] | None
    reason: str
    outside: dict[str, float] | None = None
    """Each negotiator's outside option when the talks ended."""


@dataclass(frozen=True)
class Event(Result):
    """Something that happened besides offers: a truce offered, agreed or refused, or ended."""

    period: int
    kind: str
    text: str


@dataclass(frozen=True)
class Simulation(Result):
    """A simulated negotiation."""

    scenario: str
    protocol: str
    deadline: int
    seed: int
    strategies: dict[str, str]
    offers_from: str
    """What the negotiators could offer (the packages listed, or the Pareto frontier)."""
    outcome: Outcome
    trace: tuple[Round, ...]
    explanation: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()

    def _repr_html_(self) -> str:
        """A compact HTML summary (Jupyter)."""
        from peacetalks.report.html import simulation_html

        return simulation_html(self)


def simulate(
    scenario: Scenario,
    strategies: Mapping[str, str | Strategy] | None = None,
    protocol: str = "stacked",
    deadline: int = 60,
    seed: int = 0,
    mediator: str = "nash",
    space: OfferSpace | None = None,
    truce: Truce | None = None,
) -> Simulation:
    """Run one negotiation. `strategies` maps party ids to strategy names (see
    :data:`peacetalks.negotiation.strategies.STRATEGIES`) or instances; others use "linear".
    `space` reuses an :class:`OfferSpace` already built for this scenario (tournaments do).
    `truce` puts a temporary ceasefire to the negotiators in its start round (needs the
    scenario's war model).

    >>> import peacetalks
    >>> from peacetalks.negotiation import simulate
    >>> run = simulate(peacetalks.load("camp-david-1978"), deadline=40)
    >>> run.outcome.agreement
    True
    """
    if protocol not in PROTOCOLS:
        raise UsageError(f"unknown protocol {protocol!r}; expected one of: {', '.join(PROTOCOLS)}")
    if deadline < 1:
        raise UsageError(f"the deadline must be at least 1 round, got {deadline}")
    if space is None:
        space = OfferSpace.of(scenario.compiled)
    ids = scenario.compiled.party_ids
    negotiators = [ids[p] for p in space.parties]
    if protocol == "alternating" and len(negotiators) != 2:
        raise UsageError(
            f"alternating offers needs two negotiators; {scenario.id!r} has {len(negotiators)} "
            f"signatories ({', '.join(negotiators)}): use --protocol stacked"
        )
    chosen = dict(strategies or {})
    for party in chosen:
        if party not in negotiators:
            raise UsageError(
                f"{party!r} is not a negotiator; the signatories are {', '.join(negotiators)}"
            )
    players: dict[str, Strategy] = {}
    for party in negotiators:
        given = chosen.get(party, DEFAULT_STRATEGY)
        players[party] = strategy(given) if isinstance(given, str) else given
    names = {party: _name(chosen.get(party, DEFAULT_STRATEGY)) for party in negotiators}
    rng = np.random.default_rng(seed)
    war_outside, paused = _outside_paths(scenario, deadline, truce)
    outside: FloatArray = war_outside
    events: list[Event] = []
    if truce is not None and paused is not None:
        outside, events = _offer_truce(
            scenario, space, players, negotiators, war_outside, paused, truce
        )
    if protocol == "mediated":
        outcome, trace = _mediated(
            scenario, space, players, negotiators, deadline, outside, mediator, rng
        )
        names["mediator"] = mediator
    else:
        outcome, trace = _run(scenario, space, players, negotiators, deadline, outside, rng)
    end = outside[min(outcome.period, deadline)]
    ids_list = list(ids)
    outcome = replace(outcome, outside={q: float(end[ids_list.index(q)]) for q in negotiators})
    events = [event for event in events if event.period <= outcome.period]
    explanation = _explain(scenario, space, negotiators, outcome, trace, outside)
    explanation += _explain_truce(scenario, space, negotiators, events, truce, outside, war_outside)
    return Simulation(
        scenario=scenario.id,
        protocol=protocol,
        deadline=deadline,
        seed=seed,
        strategies=names,
        offers_from=space.method,
        outcome=outcome,
        trace=tuple(trace),
        explanation=tuple(explanation),
        events=tuple(events),
    )


def outside_options(scenario: Scenario, rounds: int, truce: Truce | None = None) -> FloatArray:
    """(rounds + 1, P) each party's outside option per round: the scenario's reservation
    values, moved by its war model under each party's own beliefs when it has one (one round
    per period of the war model), the fighting paused by `truce` if given."""
    war, paused = _outside_paths(scenario, rounds, truce)
    return war if paused is None else paused


def _outside_paths(
    scenario: Scenario, rounds: int, truce: Truce | None
) -> tuple[FloatArray, FloatArray | None]:
    """The outside options with the fighting going on, and with `truce` (None without one),
    from one war model."""
    compiled = scenario.compiled
    if scenario.war is None:
        if truce is not None:
            raise UsageError(
                f"a truce pauses the war model, and {scenario.id!r} has none (add a `war:` "
                "block; see docs/explanation/war-model.md)"
            )
        return np.repeat(compiled.reservation[None, :], rounds + 1, axis=0), None
    from peacetalks.dynamics.model import Model

    model = Model(scenario, scenario.war, rounds, 1)
    paused = model.own_reservations(truce) if truce is not None else None
    return model.own_reservations(), paused


def _offer_truce(
    scenario: Scenario,
    space: OfferSpace,
    players: Mapping[str, Strategy],
    negotiators: list[str],
    outside: FloatArray,
    paused: FloatArray,
    truce: Truce,
) -> tuple[FloatArray, list[Event]]:
    """Put `truce` to every negotiator in its start round, given the outside options with the
    fighting going on and `paused` by the truce: the outside options from then on (paused if
    all accept) and the events."""
    deadline = outside.shape[0] - 1
    if truce.start >= deadline:
        raise UsageError(
            f"the truce is offered in round {truce.start}, after the talks' last round "
            f"({deadline - 1})"
        )
    ids = list(scenario.compiled.party_ids)
    names = {party.id: party.name for party in scenario.parties}
    start = truce.start
    terms = f"a truce of {truce.length} round(s) with {truce.relief:.0%} of the sanctions lifted"
    events = [Event(start, "truce-offered", f"Offered: {terms}.")]
    answers = {}
    for party in negotiators:
        p = ids.index(party)
        others = tuple(ids.index(q) for q in negotiators if q != party)
        seat = View.seat(space.utilities, outside, p, others, start, deadline, ())
        answers[party] = players[party].answer_truce(seat, paused[:, p], truce.relief)
    for party, (accepted, why) in answers.items():
        kind = "truce-accepted" if accepted else "truce-refused"
        verb = "accepts" if accepted else "refuses"
        events.append(Event(start, kind, f"{names[party]} {verb}: {why}."))
    if not all(accepted for accepted, _ in answers.values()):
        return outside, events
    combined = outside.copy()
    combined[start:] = paused[start:]
    events.append(Event(start, "truce-agreed", f"The fighting pauses until round {truce.end}."))
    if truce.end <= deadline:
        events.append(Event(truce.end, "truce-ended", "The truce ends; the fighting resumes."))
    return combined, events


def _explain_truce(
    scenario: Scenario,
    space: OfferSpace,
    negotiators: list[str],
    events: list[Event],
    truce: Truce | None,
    outside: FloatArray,
    war_outside: FloatArray,
) -> list[str]:
    """What the truce did to every negotiator's outside option, when one was agreed."""
    if truce is None or not any(e.kind == "truce-offered" for e in events):
        return []
    if not any(e.kind == "truce-agreed" for e in events):
        refused = [e.text for e in events if e.kind == "truce-refused"]
        return ["The truce was not agreed. " + " ".join(refused)]
    ids = list(scenario.compiled.party_ids)
    names = {party.id: party.name for party in scenario.parties}
    at = min(truce.end, outside.shape[0] - 1)
    lines = [f"A truce held from round {truce.start} until round {at}."]
    for party in negotiators:
        p = ids.index(party)
        change = float(outside[at, p] - war_outside[at, p])
        if abs(change) < 5e-4:
            lines.append(f"By round {at} the outside option of {names[party]} was unchanged.")
            continue
        verb = "raised" if change > 0 else "lowered"
        lines.append(
            f"By round {at} it had {verb} the outside option of {names[party]} by "
            f"{abs(change):.3f} ({outside[at, p]:.3f} instead of {war_outside[at, p]:.3f} "
            "had the fighting gone on)."
        )
    columns = [ids.index(q) for q in negotiators]
    with_truce, without = (
        float((space.utilities[:, columns] - path[at, columns]).min(axis=1).max())
        for path in (outside, war_outside)
    )
    if with_truce < -1e-9 or without < -1e-9:
        moved = "widened" if with_truce < without else "narrowed"
        lines.append(
            f"In round {at} the package closest to acceptable to all leaves a negotiator "
            f"{max(0.0, -with_truce):.3f} short of its outside option, against "
            f"{max(0.0, -without):.3f} without the truce: the truce {moved} the gap."
        )
    return lines


def _explain(
    scenario: Scenario,
    space: OfferSpace,
    negotiators: list[str],
    outcome: Outcome,
    trace: list[Round],
    outside: FloatArray,
) -> list[str]:
    """Why the talks ended as they did, from the trace."""
    names = {party.id: party.name for party in scenario.parties}
    ids = list(scenario.compiled.party_ids)
    out = []
    if outcome.agreement:
        out.append(f"Agreement in round {outcome.period}: {outcome.reason}.")
    else:
        out.append(f"No agreement: {outcome.reason}.")
    for party in negotiators:
        mine = [row for row in trace if row.proposer == party]
        p = ids.index(party)
        if mine:
            first, last = mine[0].utilities[party], mine[-1].utilities[party]
            out.append(
                f"{names[party]} asked for {first:.3f} at first and {last:.3f} at the end "
                f"(its outside option: {outside[0, p]:.3f} then {outside[-1, p]:.3f})."
            )
    if not outcome.agreement and trace:

        def shortfall(row: Round) -> float:
            return float(
                max(
                    outside[min(row.period, outside.shape[0] - 1), ids.index(q)] - row.utilities[q]
                    for q in negotiators
                )
            )

        closest = min(trace, key=shortfall)
        refusers = [names[q] for q, ok in closest.responses.items() if not ok]
        by = names.get(closest.proposer, closest.proposer)
        out.append(
            f"The closest offer came in round {closest.period} from {by}; "
            f"{', '.join(refusers) or 'nobody'} refused it, and it left a party "
            f"{max(0.0, shortfall(closest)):.3f} short of its outside option."
        )
        best_floor = float(
            (
                space.utilities[:, [ids.index(q) for q in negotiators]]
                - outside[0, [ids.index(q) for q in negotiators]]
            )
            .min(axis=1)
            .max()
        )
        if best_floor < -1e-9:
            out.append(
                "No package gives every negotiator its outside option at the start (no ZOPA), "
                "so no strategy could have reached a deal then."
            )
    return out


def _mediated(
    scenario: Scenario,
    space: OfferSpace,
    players: Mapping[str, Strategy],
    negotiators: list[str],
    deadline: int,
    outside: FloatArray,
    target: str,
    rng: np.random.Generator,
) -> tuple[Outcome, list[Round]]:
    from peacetalks.negotiation.mediated import mediate

    agreed, period, text, reason, history = mediate(
        scenario, space, players, negotiators, deadline, outside, target, rng
    )
    compiled = scenario.compiled
    ids = list(compiled.party_ids)

    def values(index: int) -> dict[str, float]:
        return {q: float(space.utilities[index, ids.index(q)]) for q in negotiators}

    trace = [
        Round(t, "mediator", compiled.decode(space.packages[k]), values(k), answers)
        for t, k, answers in history
    ]
    if agreed:
        return Outcome(
            True, period, compiled.decode(space.packages[text]), values(text), reason
        ), trace
    return Outcome(False, period, None, None, reason), trace


def _name(item: str | Strategy) -> str:
    return item if isinstance(item, str) else type(item).name


def _run(
    scenario: Scenario,
    space: OfferSpace,
    players: Mapping[str, Strategy],
    negotiators: list[str],
    deadline: int,
    outside: FloatArray,
    rng: np.random.Generator,
) -> tuple[Outcome, list[Round]]:
    compiled = scenario.compiled
    ids = list(compiled.party_ids)
    column = {party: ids.index(party) for party in negotiators}
    offers: list[tuple[int, int]] = []
    trace: list[Round] = []

    def view(party: str, period: int) -> View:
        others = tuple(column[q] for q in negotiators if q != party)
        return View.seat(
            space.utilities, outside, column[party], others, period, deadline, tuple(offers)
        )

    for period in range(deadline):
        proposer = negotiators[period % len(negotiators)]
        seat = view(proposer, period)
        if seat.reservation > space.best_for(seat.party) + 1e-9:
            reason = (
                f"{proposer} walked out: no package gives it its outside option "
                f"({seat.reservation:.3f} > {space.best_for(seat.party):.3f})"
            )
            return Outcome(False, period, None, None, reason), trace
        offer = players[proposer].propose(seat, rng)
        offers.append((seat.party, offer))
        responses = {
            party: bool(players[party].respond(view(party, period), offer, rng))
            for party in negotiators
            if party != proposer
        }
        package = compiled.decode(space.packages[offer])
        utilities = {party: float(space.utilities[offer, column[party]]) for party in negotiators}
        trace.append(Round(period, proposer, package, utilities, responses))
        if all(responses.values()):
            return Outcome(True, period, package, utilities, f"{proposer}'s offer accepted"), trace
    return Outcome(False, deadline, None, None, "deadline reached without agreement"), trace
