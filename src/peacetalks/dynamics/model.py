"""A scenario's war model with the anchors of its reservation values: runs of parameter sets,
the deal side judged period by period, ripeness, and the search over levers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from peacetalks.compiled import TOLERANCE, FloatArray
from peacetalks.dynamics.outcomes import Deals, Outcomes
from peacetalks.dynamics.results import LeverResult, PartyPath, RipenessPath, ZopaPath
from peacetalks.dynamics.war import Paths, Truce, baseline, believed, simulate, with_lever
from peacetalks.model.numbers import best
from peacetalks.model.scenario import Scenario
from peacetalks.model.war import Lever, War
from peacetalks.theory.ripeness import Ripeness, ripeness

DECIDED = 1e-9
"""Control within this of 0 or 1 means the war is decided (no stalemate)."""
DECIDED_GAIN = 1.0
"""The expected gain recorded for a side in a decided war (any positive number would do)."""
GRID = 9
"""Values tried per lever, evenly spread over its range."""
SECTIONS = 15
SECTION_ROUNDS = 3
"""The ZOPA threshold of a lever is narrowed in SECTION_ROUNDS rounds of SECTIONS points each
(to 1/16^3 of the gap between grid points)."""


@dataclass(frozen=True)
class Run:
    labels: tuple[str, ...]
    """Row labels of the paths: 'baseline', then each party with war stakes."""
    paths: Paths
    own_reservations: FloatArray  # (T + 1, P)
    baseline_reservations: FloatArray  # (T + 1, P)
    own: Outcomes  # at the reported periods
    baseline: Outcomes


class Model:
    """A scenario's war model with the anchors of its reservation values."""

    def __init__(self, scenario: Scenario, war: War, periods: int, every: int) -> None:
        self.scenario = scenario
        self.war = war
        self.compiled = scenario.compiled
        self.party_ids = list(self.compiled.party_ids)
        self.periods = periods
        self.every = every
        self.reported = np.arange(0, periods + 1, every)
        self._firsts: dict[tuple[str, float], tuple[int | None, int | None]] = {}
        self.stakes = [p for p in self.party_ids if p in war.parties]
        own = [believed(war, p) for p in self.stakes]
        own_now = simulate(war, own, self.party_ids, periods).value[:, :, 0]
        self.anchor = self.compiled.reservation.copy()
        for row, party in enumerate(self.stakes):
            j = self.party_ids.index(party)
            self.anchor[j] -= own_now[row, j]

    @cached_property
    def deals(self) -> Deals:
        """The packages to judge against the moving reservation values (built when needed)."""
        return Deals(self.compiled)

    def own_reservations(self, truce: Truce | None = None) -> FloatArray:
        """(T + 1, P) every party's reservation value per period under its own beliefs (the
        war model alone, no deal judged), with the fighting paused by `truce` if given (the
        anchors stay those of the war without it)."""
        war = self.war
        sets = [baseline(war), *(believed(war, p) for p in self.stakes)]
        paths = simulate(war, sets, self.party_ids, self.periods, truce)
        return self.reservations(paths, {p: 1 + k for k, p in enumerate(self.stakes)})

    def distinct_rows(self, run: Run) -> list[tuple[int, str]]:
        """The baseline row and the rows of parties that hold beliefs of their own."""
        return [(0, "baseline")] + [
            (1 + k, run.labels[1 + k]) for k, p in enumerate(self.stakes) if self.war.beliefs.get(p)
        ]

    def reservations(self, paths: Paths, row_of: Mapping[str, int]) -> FloatArray:
        """(T + 1, P) reservation values, party i read from row row_of[i] of the paths."""
        out = np.repeat(self.compiled.reservation[None, :], self.periods + 1, axis=0)
        for party, row in row_of.items():
            j = self.party_ids.index(party)
            out[:, j] = self.anchor[j] + paths.value[row, j, : self.periods + 1]
        return out

    def run(
        self,
        base: Mapping[str, float],
        own: Mapping[str, Mapping[str, float]],
        both_worlds: bool = True,
    ) -> Run:
        sets = [base, *(own[p] for p in self.stakes)]
        paths = simulate(self.war, sets, self.party_ids, self.periods)
        own_r = self.reservations(paths, {p: 1 + k for k, p in enumerate(self.stakes)})
        base_r = self.reservations(paths, dict.fromkeys(self.stakes, 0))
        own_outcomes = self.deals.outcomes(own_r[self.reported], best_deals=both_worlds)
        return Run(
            labels=("baseline", *(f"{p} beliefs" for p in self.stakes)),
            paths=paths,
            own_reservations=own_r,
            baseline_reservations=base_r,
            own=own_outcomes,
            baseline=self.deals.outcomes(base_r[self.reported]) if both_worlds else own_outcomes,
        )

    def party_paths(self, run: Run) -> tuple[PartyPath, ...]:
        out = []
        for j, party in enumerate(self.party_ids):
            if not self.compiled.has_preferences[j]:
                continue
            reservation = run.own_reservations[self.reported, j]
            best = run.own.best_deal[:, j]
            has_deal = np.isfinite(best)
            waiting = reservation - np.where(has_deal, best, 0.0)
            row = 1 + self.stakes.index(party) if party in self.stakes else 0
            out.append(
                PartyPath(
                    party=party,
                    reservation=rounded(reservation),
                    reservation_baseline=rounded(run.baseline_reservations[self.reported, j]),
                    best_deal=tuple(
                        round(float(b), 6) if ok else None
                        for b, ok in zip(best, has_deal, strict=True)
                    ),
                    waiting_better=tuple(
                        bool(not ok or w > TOLERANCE)
                        for w, ok in zip(waiting, has_deal, strict=True)
                    ),
                    value_of_waiting=tuple(
                        round(float(w), 6) if ok else None
                        for w, ok in zip(waiting, has_deal, strict=True)
                    ),
                    cost=rounded(run.paths.cost[row, j, self.reported]),
                )
            )
        return tuple(out)

    def ripeness_path(self, run: Run) -> RipenessPath:
        sides = self.war.sides
        gain, cost = self.side_paths(run.paths, 0)
        verdict = self.ripeness(gain, cost, run.own.exists)
        hurting = np.asarray(verdict.hurting, dtype=bool)
        stalemate = np.asarray(verdict.stalemate, dtype=bool)
        return RipenessPath(
            sides=sides,
            expected_gain={s: rounded(gain[k]) for k, s in enumerate(sides)},
            hurting={s: tuple(bool(x) for x in hurting[k]) for k, s in enumerate(sides)},
            stalemate={s: tuple(bool(x) for x in stalemate[k]) for k, s in enumerate(sides)},
            mutually_hurting=tuple(bool(x) for x in np.asarray(verdict.mutually_hurting)),
            way_out=tuple(bool(x) for x in run.own.exists),
            ripe=tuple(bool(x) for x in np.asarray(verdict.ripe)),
            first_ripe=verdict.first_ripe,
        )

    def side_paths(self, paths: Paths, offset: int) -> tuple[FloatArray, FloatArray]:
        """(2, T) expected gain and cost of each side, under its own beliefs, reading the
        block of rows that starts at `offset` (baseline first, then each party's beliefs)."""
        rows = [
            offset + (1 + self.stakes.index(s) if s in self.stakes else 0) for s in self.war.sides
        ]
        columns = [self.party_ids.index(s) for s in self.war.sides]
        pairs = list(zip(rows, columns, strict=True))
        gain = np.array([paths.gain[r, j, self.reported] for r, j in pairs])
        cost = np.array([paths.cost[r, j, self.reported] for r, j in pairs])
        # a war that a side believes decided (all or none of the territory held) is no
        # stalemate for it: its gain is counted as the whole stake of the war
        control = np.array([paths.control[r, self.reported] for r, _ in pairs])
        decided = (control <= DECIDED) | (control >= 1.0 - DECIDED)
        gain = np.where(decided, np.maximum(gain, DECIDED_GAIN), gain)
        return gain, cost

    def ripeness(self, gain: FloatArray, cost: FloatArray, way_out: np.ndarray) -> Ripeness:
        """theory.ripeness with each side's `hurting` threshold (a side without one never
        hurts: its threshold is set above every cost it bears)."""
        threshold = np.array(
            [
                _hurting(self.war, side, float(cost[k].max()) + 1.0)
                for k, side in enumerate(self.war.sides)
            ]
        )
        return ripeness(expected_gain=gain, cost=cost, threshold=threshold, way_out=way_out)

    def firsts(self, parameter: str, value: float) -> tuple[int | None, int | None]:
        """First reported period with a ZOPA (own beliefs) and first ripe period, with a
        lever moved."""
        return self.firsts_many(parameter, [value])[0]

    def firsts_many(
        self, parameter: str, values: Sequence[float]
    ) -> list[tuple[int | None, int | None]]:
        """`firsts` for several values of one lever, simulated and judged in one batch."""
        todo = [
            v for v in dict.fromkeys(float(v) for v in values) if (parameter, v) not in self._firsts
        ]
        if todo:
            block = 1 + len(self.stakes)
            sets = []
            for value in todo:
                sets.append(with_lever(self.war, baseline(self.war), parameter, value))
                sets += [
                    with_lever(self.war, believed(self.war, p), parameter, value)
                    for p in self.stakes
                ]
            paths = simulate(self.war, sets, self.party_ids, self.periods)
            reservations = np.concatenate(
                [
                    self.reservations(
                        paths, {p: g * block + 1 + k for k, p in enumerate(self.stakes)}
                    )[self.reported]
                    for g in range(len(todo))
                ]
            )
            exists = self.deals.outcomes(reservations, best_deals=False).exists
            exists = exists.reshape(len(todo), len(self.reported))
            for g, value in enumerate(todo):
                gain, cost = self.side_paths(paths, g * block)
                ripe = self.ripeness(gain, cost, exists[g]).first_ripe
                self._firsts[(parameter, value)] = (first_index(exists[g]), ripe)
        return [self._firsts[(parameter, float(v))] for v in values]

    def lever(self, lever: Lever) -> LeverResult:
        base_value = baseline(self.war)[lever.parameter]
        values = np.linspace(lever.low, lever.high, GRID)
        firsts = self.firsts_many(lever.parameter, [*values.tolist(), base_value])[:-1]
        zopa_first = [f[0] for f in firsts]
        ripe_first = [f[1] for f in firsts]
        base_zopa, base_ripe = self.firsts(lever.parameter, base_value)
        opens = self._threshold(lever.parameter, base_value, values, zopa_first)
        zopa_best = _earliest(zopa_first, values, base_value)
        ripe_best = _earliest(ripe_first, values, base_value)
        beyond = len(self.reported)
        return LeverResult(
            parameter=lever.parameter,
            label=lever.label or lever.parameter,
            baseline=base_value,
            values=rounded(values),
            first_zopa=tuple(zopa_first),
            first_ripe=tuple(ripe_first),
            baseline_first_zopa=base_zopa,
            baseline_first_ripe=base_ripe,
            opens_zopa_at=None if opens is None else round(opens, 6),
            earliest_zopa=None if zopa_best is None else zopa_best[0],
            earliest_zopa_at=None if zopa_best is None else round(zopa_best[1], 6),
            earliest_ripe=None if ripe_best is None else ripe_best[0],
            earliest_ripe_at=None if ripe_best is None else round(ripe_best[1], 6),
            brings_zopa_forward_by=None
            if zopa_best is None
            else (beyond if base_zopa is None else base_zopa) - zopa_best[0],
            brings_ripeness_forward_by=None
            if ripe_best is None
            else (beyond if base_ripe is None else base_ripe) - ripe_best[0],
        )

    def _threshold(
        self, parameter: str, base_value: float, values: FloatArray, first: list[int | None]
    ) -> float | None:
        """The value nearest the baseline that opens a ZOPA within the horizon: bisect between
        the grid value nearest the baseline that opens none and the nearest one that does."""
        opening = [float(v) for v, f in zip(values, first, strict=True) if f is not None]
        if not opening:
            return None
        target = min(opening, key=lambda v: abs(v - base_value))
        if self.firsts(parameter, base_value)[0] is not None:
            return base_value
        low, high = base_value, target  # low: no ZOPA; high: a ZOPA
        for _ in range(SECTION_ROUNDS):  # each round tries SECTIONS points at once
            points = np.linspace(low, high, SECTIONS + 2)[1:-1].tolist()
            found = [f[0] is not None for f in self.firsts_many(parameter, points)]
            cut = found.index(True) if True in found else len(points)
            low = points[cut - 1] if cut > 0 else low
            high = points[cut] if cut < len(points) else high
        return high


def _earliest(
    firsts: Sequence[int | None], values: FloatArray, base_value: float
) -> tuple[int, float] | None:
    """The earliest period over the grid, and the value giving it (nearest the baseline)."""
    known = [(f, float(v)) for f, v in zip(firsts, values, strict=True) if f is not None]
    return min(known, key=lambda fv: (fv[0], abs(fv[1] - base_value)), default=None)


def _hurting(war: War, side: str, never: float) -> float:
    stakes = war.parties.get(side)
    if stakes is None or stakes.hurting is None:
        return never
    return best(stakes.hurting)


def zopa_path(world: str, result: Outcomes) -> ZopaPath:
    exists = [bool(x) for x in result.exists]
    windows: list[tuple[int, int]] = []
    for t, on in enumerate(exists):
        if on and (t == 0 or not exists[t - 1]):
            windows.append((t, t))
        elif on:
            windows[-1] = (windows[-1][0], t)
    return ZopaPath(
        world=world,
        exists=tuple(exists),
        largest_shortfall=rounded(result.shortfall),
        first=first_index(result.exists),
        windows=tuple(windows),
    )


def first_index(flags: np.ndarray) -> int | None:
    hits = np.flatnonzero(flags)
    return int(hits[0]) if hits.size else None


def rounded(values: FloatArray) -> tuple[float, ...]:
    return tuple(round(float(v), 6) for v in values)
