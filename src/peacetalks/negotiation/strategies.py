"""Negotiation strategies: small classes with metadata, listable and testable by one harness.

A strategy sees a :class:`View` of the talks from its own seat and answers two questions: what
to offer (`propose`, an index into the offer space) and whether to accept what is on the table
(`respond`). Writing a new one takes a class with `name`, `description`, `source` and those two
methods; register it with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from peacetalks.compiled import FloatArray
from peacetalks.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from peacetalks.model.scenario import Scenario


@dataclass(frozen=True)
class View:
    """The talks as one party sees them when it must act."""

    party: int
    """Column of this party in the offer space's utility table."""
    others: tuple[int, ...]
    """Columns of the other negotiating parties."""
    period: int
    deadline: int
    utilities: FloatArray
    """(N, P) every package's effective utility to every party."""
    reservation: float
    """This party's value of no deal now (its outside option)."""
    offers: tuple[tuple[int, int], ...] = ()
    """Every offer so far: (party column, package index), oldest first."""
    outside: FloatArray | None = None
    """This party's outside option in every round (its own beliefs), when the scenario has a
    war model; None otherwise."""
    floors: FloatArray | None = None
    """Every party's outside option now (complete information, as the static analysis
    assumes); None when not given."""

    def outside_rises(self) -> bool:
        """Whether this party expects its outside option to keep rising (waiting pays)."""
        if self.outside is None or self.period + 1 >= self.outside.size:
            return False
        return bool(self.outside[-1] > self.outside[self.period] + 1e-9)

    @staticmethod
    def seat(
        utilities: FloatArray,
        outside: FloatArray,
        party: int,
        others: tuple[int, ...],
        period: int,
        deadline: int,
        offers: tuple[tuple[int, int], ...],
    ) -> View:
        """The view of `party` in round `period`, from every party's outside option per round
        (`outside`, rounds x parties)."""
        now = outside[min(period, outside.shape[0] - 1)]
        return View(
            party=party,
            others=others,
            period=period,
            deadline=deadline,
            utilities=utilities,
            reservation=float(now[party]),
            offers=offers,
            outside=outside[:, party],
            floors=now,
        )

    @property
    def own(self) -> FloatArray:
        out: FloatArray = self.utilities[:, self.party]
        return out

    @property
    def time(self) -> float:
        """Share of the talks elapsed, in [0, 1]."""
        return min(1.0, self.period / max(1, self.deadline - 1))

    def others_floor(self) -> FloatArray:
        """Per package, the smallest utility among the other parties (how acceptable it is)."""
        out: FloatArray = self.utilities[:, list(self.others)].min(axis=1)
        return out


class Strategy:
    """Base class: subclasses set the metadata and override `propose` and `respond`."""

    name: ClassVar[str] = "strategy"
    description: ClassVar[str] = ""
    source: ClassVar[str] = ""
    classifier: ClassVar[dict[str, object]] = {}

    def propose(self, view: View, rng: np.random.Generator) -> int:
        raise NotImplementedError

    def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
        raise NotImplementedError

    def answer_truce(self, view: View, with_truce: FloatArray, relief: float) -> tuple[bool, str]:
        """Accept a truce offered now or not, and why. `with_truce` is this party's outside
        option in every round if the truce is agreed (its own beliefs), `view.outside` the
        same without it; `relief` the share of sanctions the truce lifts. By default a party
        accepts when the truce is worth at least as much to it as fighting on."""
        truce, war = float(with_truce[view.period]), view.reservation
        verdict = "at least as much as" if truce >= war - 1e-9 else "less than"
        return truce >= war - 1e-9, (
            f"the truce is worth {truce:.3f} to it, {verdict} fighting on ({war:.3f})"
        )


def _nicest_at(view: View, level: float) -> int:
    """Among packages giving this party at least `level` (at least its best if none), the one
    the least satisfied other party likes most (ties: the better for this party)."""
    own = view.own
    allowed = own >= min(level, float(own.max())) - 1e-12
    floor = np.where(allowed, view.others_floor(), -np.inf)
    best = floor.max()
    candidates = np.flatnonzero(floor >= best - 1e-12)
    return int(candidates[np.argmax(own[candidates])])


@dataclass
class TimeBased(Strategy):
    """Concede over time: aspiration(t) = max - (max - r) * t^(1/e) (Faratin et al. 1998).
    e < 1 is Boulware (holds out until late), e = 1 linear, e > 1 a conceder."""

    exponent: float = 1.0
    name: ClassVar[str] = "time-based"
    description: ClassVar[str] = "concedes from its best package towards its reservation value"
    source: ClassVar[str] = (
        "Faratin, Sierra & Jennings (1998), Negotiation decision functions for autonomous agents"
    )
    classifier: ClassVar[dict[str, object]] = {"concedes": True, "stochastic": False}

    def aspiration(self, view: View, period: int | None = None) -> float:
        t = view.time if period is None else min(1.0, period / max(1, view.deadline - 1))
        top = float(view.own.max())
        floor = min(view.reservation, top)
        return float(top - (top - floor) * t ** (1.0 / self.exponent))

    def propose(self, view: View, rng: np.random.Generator) -> int:
        return _nicest_at(view, self.aspiration(view))

    def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
        value = float(view.own[offer])
        return (
            value >= view.reservation - 1e-9
            and value >= self.aspiration(view, view.period + 1) - 1e-9
        )


@dataclass
class HardLiner(Strategy):
    """Asks for its best package every round and accepts only what comes within `slack` of it."""

    slack: float = 0.0
    name: ClassVar[str] = "hard-liner"
    description: ClassVar[str] = "never concedes; accepts only (nearly) its best package"
    source: ClassVar[str] = "the 'Boulware' limit of time-based concession (exponent to 0)"
    classifier: ClassVar[dict[str, object]] = {"concedes": False, "stochastic": False}

    def propose(self, view: View, rng: np.random.Generator) -> int:
        return _nicest_at(view, float(view.own.max()))

    def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
        value = float(view.own[offer])
        return value >= view.reservation - 1e-9 and value >= float(view.own.max()) - self.slack


@dataclass
class Reciprocal(Strategy):
    """Tit for tat in utility: concedes as much (in its own utility) as the others' last offers
    conceded to it, starting from its best package (Axelrod 1984; relative tit-for-tat in
    Faratin et al. 1998)."""

    name: ClassVar[str] = "reciprocal"
    description: ClassVar[str] = "mirrors the other side's concessions"
    source: ClassVar[str] = "Axelrod (1984); Faratin, Sierra & Jennings (1998)"
    classifier: ClassVar[dict[str, object]] = {"concedes": "when the other side does"}

    def _level(self, view: View) -> float:
        own = view.own
        mine = [p for who, p in view.offers if who == view.party]
        theirs = [p for who, p in view.offers if who != view.party]
        top = float(own.max())
        if not mine or len(theirs) < 2:
            return top
        conceded = max(0.0, float(own[theirs[-1]] - own[theirs[-2]]))
        return max(min(view.reservation, top), float(own[mine[-1]]) - conceded)

    def propose(self, view: View, rng: np.random.Generator) -> int:
        return _nicest_at(view, self._level(view))

    def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
        value = float(view.own[offer])
        return value >= view.reservation - 1e-9 and value >= self._level(view) - 1e-9


@dataclass
class Playbook(Strategy):
    """The Kremlin's playbook as Boris Bondarev describes it: open with its full terms (its best
    package within everyone's red lines), reject
    anything that does not beat fighting on, and wait while it expects its value of fighting on
    to rise (Western fatigue); only when that bet stops paying, concede slowly, Boulware-style.

    Its red lines and linkage (no ceasefire without sanctions relief) are the scenario's: no
    package that crosses them is ever on the table."""

    exponent: float = 0.1
    name: ClassVar[str] = "playbook"
    description: ClassVar[str] = (
        "maximal opening on its full terms; waits while its value of fighting on rises; "
        "then concedes very slowly"
    )
    source: ClassVar[str] = (
        "Bondarev, 'Here's What Putin's Peace Talks Playbook Looks Like', The Moscow Times, "
        "3 Feb 2025"
    )
    classifier: ClassVar[dict[str, object]] = {"concedes": "late", "uses_outside_option": True}
    truce_price: float = 0.0
    """A truce is accepted only with more sanctions relief than this ("all or at least
    part of the sanctions")."""
    _waited_until: int = 0

    def answer_truce(self, view: View, with_truce: FloatArray, relief: float) -> tuple[bool, str]:
        """No ceasefire, even a temporary one, without sanctions relief; with it, a truce is
        taken when the pause pays (relief, rest, regrouping) - to fight on from a stronger
        position, not to settle."""
        if relief <= self.truce_price:
            return False, (
                f"no ceasefire, even a temporary one, without sanctions relief (offered "
                f"{relief:.0%})"
            )
        accepted, why = super().answer_truce(view, with_truce, relief)
        return accepted, f"{relief:.0%} of the sanctions lifted; {why}"

    def aspiration(self, view: View) -> float:
        top = float(view.own.max())
        if view.outside_rises():
            self._waited_until = view.period
            return top
        floor = min(view.reservation, top)
        left = max(1, view.deadline - 1 - self._waited_until)
        t = min(1.0, (view.period - self._waited_until) / left)
        return float(top - (top - floor) * t ** (1.0 / self.exponent))

    def propose(self, view: View, rng: np.random.Generator) -> int:
        if not view.offers or all(who != view.party for who, _ in view.offers):
            return int(np.argmax(view.own))  # the maximal opening
        return _nicest_at(view, self.aspiration(view))

    def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
        value = float(view.own[offer])
        return value >= view.reservation - 1e-9 and value >= self.aspiration(view) - 1e-9


def _frontier(view: View) -> np.ndarray:
    """Indices of the Pareto-efficient packages among the negotiators (own column first)."""
    from peacetalks.analysis.pareto import pareto_mask

    columns = [view.party, *view.others]
    return np.asarray(np.flatnonzero(pareto_mask(view.utilities[:, columns])))


@dataclass
class FrontierWalker(Strategy):
    """Offers only Pareto-efficient packages, walking down them in descending own utility at a
    linear pace; accepts what is worth as much as its next offer."""

    name: ClassVar[str] = "frontier-walker"
    description: ClassVar[str] = "offers Pareto-efficient packages in descending own utility"
    source: ClassVar[str] = "Raiffa (1982), The Art and Science of Negotiation (efficient offers)"
    classifier: ClassVar[dict[str, object]] = {"concedes": True, "efficient": True}

    def _step(self, view: View, period: int) -> int:
        front = _frontier(view)
        worth = front[view.own[front] >= min(view.reservation, float(view.own.max())) - 1e-12]
        ordered = worth[np.argsort(-view.own[worth], kind="stable")]
        t = min(1.0, period / max(1, view.deadline - 1))
        return int(ordered[min(len(ordered) - 1, int(t * len(ordered)))])

    def propose(self, view: View, rng: np.random.Generator) -> int:
        return self._step(view, view.period)

    def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
        value = float(view.own[offer])
        next_offer = float(view.own[self._step(view, view.period + 1)])
        return value >= view.reservation - 1e-9 and value >= next_offer - 1e-9


@dataclass
class NashSeeker(Strategy):
    """Offers the package with the largest product of gains over the negotiators' outside
    options (the Nash bargaining solution as it sees them) and accepts anything at least as
    good for itself as that package."""

    name: ClassVar[str] = "nash-seeker"
    description: ClassVar[str] = "offers the Nash bargaining solution and accepts what matches it"
    source: ClassVar[str] = "Nash (1950), The Bargaining Problem"
    classifier: ClassVar[dict[str, object]] = {"concedes": False, "efficient": True}

    def _target(self, view: View) -> int:
        columns = [view.party, *view.others]
        floors = (
            view.floors[columns]
            if view.floors is not None
            else np.array([view.reservation] + [0.0] * len(view.others))
        )
        gains = view.utilities[:, columns] - floors
        positive = (gains > 0).all(axis=1)
        if not positive.any():
            return _nicest_at(view, float(view.own.max()))
        product = np.where(positive, np.log(np.maximum(gains, 1e-300)).sum(axis=1), -np.inf)
        return int(np.argmax(product))

    def propose(self, view: View, rng: np.random.Generator) -> int:
        return self._target(view)

    def respond(self, view: View, offer: int, rng: np.random.Generator) -> bool:
        value = float(view.own[offer])
        return (
            value >= view.reservation - 1e-9 and value >= float(view.own[self._target(view)]) - 1e-9
        )


Factory = Callable[[], Strategy]

STRATEGIES: dict[str, Factory] = {
    "boulware": lambda: TimeBased(exponent=0.2),
    "linear": lambda: TimeBased(exponent=1.0),
    "conceder": lambda: TimeBased(exponent=5.0),
    "hard-liner": HardLiner,
    "reciprocal": Reciprocal,
    "playbook": Playbook,
    "frontier-walker": FrontierWalker,
    "nash-seeker": NashSeeker,
}


def register(name: str, factory: Factory) -> None:
    """Make a strategy available by name (to the command line and tournaments)."""
    STRATEGIES[name] = factory


def strategy(name: str) -> Strategy:
    """A new strategy by name."""
    if name not in STRATEGIES:
        hint = did_you_mean(name, STRATEGIES) or ""
        raise UsageError(f"unknown strategy {name!r}" + (f"; {hint}" if hint else ""))
    return STRATEGIES[name]()


@dataclass(frozen=True)
class StrategyInfo:
    name: str
    description: str
    source: str
    classifier: dict[str, object] = field(default_factory=dict)


def catalogue() -> list[StrategyInfo]:
    """Every registered strategy with its metadata."""
    out = []
    for name, factory in STRATEGIES.items():
        made = factory()
        out.append(StrategyInfo(name, made.description, made.source, dict(made.classifier)))
    return out


def default_strategies(
    scenario: Scenario, chosen: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The strategies `chosen` by party, and on the flagship the seed article's playbook for
    Russia unless told otherwise (the default of the command line, the report and the web)."""
    from peacetalks.scenarios import FLAGSHIP

    out = dict(chosen or {})
    negotiators = {party.id for party in scenario.signatories}
    if scenario.id == FLAGSHIP and "russia" in negotiators and "russia" not in out:
        out["russia"] = "playbook"
    return out
