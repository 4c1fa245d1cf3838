"""Which deal? Bargaining solutions, each found exactly by MILP.

Every solution is computed over a feasible set with a disagreement point d:
* when a ZOPA exists, the set is the ZOPA and d is the reservation values;
* otherwise, the set is every package that respects the signatories' red lines, and d_p is
  the lowest effective utility party p gets in that set (so that gains are never negative);
  the result is then labelled as lying outside any ZOPA.

Solutions: Nash (maximise the product of gains over d), Kalai-Smorodinsky (the largest equal
share t of every party's ideal gain, then the largest total gain with that share), utilitarian
(maximise the total effective utility) and egalitarian (maximise the smallest gain over d).
Nash maximises a concave function (the sum of log gains); an outer approximation by tangent
cuts bounds it from above, the package found bounds it from below, and the cuts are refined
until the two meet (the remaining relative gap is reported).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from peacetalks.analysis import enumerated
from peacetalks.analysis.enumerated import Candidates
from peacetalks.analysis.program import BOUND, PackageProgram
from peacetalks.analysis.zopa import signatories
from peacetalks.compiled import CompiledScenario, FloatArray, IntArray
from peacetalks.results import Result

NASH_GAP = 1e-9
POSITIVE = 1e-6
"""The Nash solution needs every gain above this (the solver's tolerance is 1e-7)."""
NASH_ROUNDS = 60
TIE = 1e-9


@dataclass(frozen=True)
class Solution(Result):
    """One bargaining solution."""

    name: str
    package: dict[str, str]
    utilities: dict[str, float]
    """Effective utility of every signatory."""
    gains: dict[str, float]
    """Gain over the disagreement point, per signatory."""
    inside_zopa: bool
    gap: float
    """Proven relative optimality gap (0 when solved exactly)."""


@dataclass(frozen=True)
class Solutions(Result):
    """The four classical solutions and the set they were computed over."""

    over: str
    """'zopa' or 'red-line-respecting packages (no ZOPA)'."""
    disagreement: dict[str, float]
    ideal: dict[str, float]
    nash: Solution | None
    kalai_smorodinsky: Solution | None
    utilitarian: Solution | None
    egalitarian: Solution | None


class _Setting:
    """The feasible set and disagreement point shared by the solutions."""

    def __init__(self, compiled: CompiledScenario, zopa: bool) -> None:
        self.compiled = compiled
        self.sign = signatories(compiled)
        self.zopa = zopa
        self.d = compiled.reservation[self.sign].copy()
        if not zopa:
            self.d = np.array([self._extreme(p, maximize=False) for p in self.sign])
        self.ideal = np.array([self._extreme(p, maximize=True) for p in self.sign])

    def program(self, exact_links: bool = False) -> PackageProgram:
        program = PackageProgram(self.compiled, exact_links, reduced=True)
        program.respect_red_lines(self.sign)
        if self.zopa:
            for p in self.sign:
                program.require_gain(p)
        return program

    def gain_columns(self, program: PackageProgram) -> list[dict[int, float]]:
        """Objective rows of each signatory's gain over d, without their constants."""
        return [program.gain_objective(_unit(len(self.compiled.party_ids), p)) for p in self.sign]

    def gain_constants(self, program: PackageProgram) -> FloatArray:
        """Constant part of each signatory's gain over d."""
        reservation = self.compiled.reservation[self.sign]
        return program.gain_constant[self.sign] + reservation - self.d

    @staticmethod
    def lowest(compiled: CompiledScenario, p: int) -> float:
        """The lowest effective utility of party p over the red-line-respecting packages."""
        program = PackageProgram(compiled, exact_links=True)
        program.respect_red_lines(signatories(compiled))
        objective = program.gain_objective(_unit(len(compiled.party_ids), p))
        solution = program.solve(objective, maximize=False)
        assert solution.objective is not None
        return float(solution.objective + program.gain_constant[p] + compiled.reservation[p])

    def _extreme(self, p: int, maximize: bool) -> float:
        program = self.program(exact_links=not maximize)
        objective = program.gain_objective(_unit(len(self.compiled.party_ids), p))
        solution = program.solve(objective, maximize=maximize)
        assert solution.objective is not None
        return float(solution.objective + program.gain_constant[p] + self.compiled.reservation[p])

    def result(self, name: str, package: IntArray, gap: float = 0.0) -> Solution:
        c = self.compiled
        effective = c.effective(c.utilities(package[None, :]))[0]
        return Solution(
            name=name,
            package=c.decode(package),
            utilities={c.party_ids[p]: float(effective[p]) for p in self.sign},
            gains={
                c.party_ids[p]: float(effective[p] - self.d[j]) for j, p in enumerate(self.sign)
            },
            inside_zopa=self.zopa,
            gap=gap,
        )


def solutions(
    compiled: CompiledScenario,
    zopa: bool,
    feasible: bool,
    candidates: Candidates | None = None,
    complete: bool = True,
) -> Solutions:
    """All four solutions; `zopa` says whether a ZOPA exists, `feasible` whether any package
    respects every signatory's red line. With `candidates` they are found by a vectorised scan,
    otherwise by MILP; `complete` says whether the candidates are every red-line-respecting
    package (else they are the exact Pareto frontier, which holds every solution but not each
    party's lowest utility, so the disagreement point without a ZOPA comes from MILP)."""
    sign = signatories(compiled)
    names = [compiled.party_ids[p] for p in sign]
    over = "zopa" if zopa else "red-line-respecting packages (no ZOPA)"
    if not feasible:
        return Solutions(
            "no package respects every signatory's red lines", {}, {}, None, None, None, None
        )
    if candidates is not None:
        disagreement = None
        if not zopa and not complete:
            disagreement = np.array([_Setting.lowest(compiled, p) for p in sign])
        return _enumerated_solutions(compiled, zopa, candidates, over, names, disagreement)
    setting = _Setting(compiled, zopa)
    return Solutions(
        over=over,
        disagreement=dict(zip(names, map(float, setting.d), strict=True)),
        ideal=dict(zip(names, map(float, setting.ideal), strict=True)),
        nash=nash(setting),
        kalai_smorodinsky=kalai_smorodinsky(setting),
        utilitarian=utilitarian(setting),
        egalitarian=egalitarian(setting),
    )


def _enumerated_solutions(
    compiled: CompiledScenario,
    zopa: bool,
    candidates: Candidates,
    over: str,
    names: list[str],
    disagreement: FloatArray | None,
) -> Solutions:
    """Solutions by scanning a package set that contains them: every red-line-respecting
    package, or the exact Pareto frontier (every solution here is Pareto-efficient). Without a
    ZOPA, the disagreement point is the lowest utility over *all* red-line-respecting
    packages, given when the set is only the frontier."""
    sign = candidates.signatories
    mask = candidates.in_zopa if zopa else np.ones(candidates.packages.shape[0], dtype=bool)
    u = candidates.effective[mask][:, sign]
    if zopa:
        d = compiled.reservation[sign].copy()
    else:
        d = disagreement if disagreement is not None else u.min(axis=0)
    ideal = u.max(axis=0)
    chosen = enumerated.solution_indices(candidates, mask, d, ideal)

    def result(name: str) -> Solution | None:
        index = chosen[name]
        if index is None:
            return None
        effective = candidates.effective[index]
        return Solution(
            name=name,
            package=compiled.decode(candidates.packages[index]),
            utilities={compiled.party_ids[p]: float(effective[p]) for p in sign},
            gains={compiled.party_ids[p]: float(effective[p] - d[j]) for j, p in enumerate(sign)},
            inside_zopa=zopa,
            gap=0.0,
        )

    return Solutions(
        over=over,
        disagreement=dict(zip(names, map(float, d), strict=True)),
        ideal=dict(zip(names, map(float, ideal), strict=True)),
        nash=result("nash"),
        kalai_smorodinsky=result("kalai_smorodinsky"),
        utilitarian=result("utilitarian"),
        egalitarian=result("egalitarian"),
    )


def utilitarian(setting: _Setting) -> Solution:
    """Maximise the sum of the signatories' effective utilities."""
    program = setting.program()
    total = program.gain_objective(_indicator(setting))
    solution = program.solve(total)
    return setting.result("utilitarian", program.package(solution))


def egalitarian(setting: _Setting) -> Solution:
    """Maximise the smallest gain over d; ties broken by the total gain."""
    return setting.result("egalitarian", _maxmin(setting, np.ones(len(setting.sign))))


def kalai_smorodinsky(setting: _Setting) -> Solution:
    """Maximise t with gain_p >= t (ideal_p - d_p) for all p; ties broken by the total gain."""
    return setting.result("kalai_smorodinsky", _maxmin(setting, setting.ideal - setting.d))


def _maxmin(setting: _Setting, scale: FloatArray) -> IntArray:
    program = setting.program()
    t = int(program.program.variables(1, -BOUND, BOUND, integer=False)[0])
    columns = setting.gain_columns(program)
    constants = setting.gain_constants(program)
    for j, row in enumerate(columns):
        if scale[j] <= 0:
            continue
        cols = [*row, t]
        coefficients = [*row.values(), -float(scale[j])]
        program.program.row(cols, coefficients, -float(constants[j]), np.inf)
    first = program.solve({t: 1.0})
    assert first.objective is not None
    program.program.row([t], [1.0], first.objective - TIE, np.inf)
    second = program.solve(program.gain_objective(_indicator(setting)))
    return program.package(second if second.feasible else first)


def nash(setting: _Setting) -> Solution | None:
    """Maximise the product of gains over d (sum of logs) by outer approximation."""
    program = setting.program()
    columns = setting.gain_columns(program)
    constants = setting.gain_constants(program)
    spans = setting.ideal - setting.d
    if (spans <= 0).any():
        return None  # some party cannot gain at all: every package has Nash product 0
    floor = POSITIVE
    s = program.program.variables(len(columns), -1e3, 1e3, integer=False)
    positive = []
    for row, constant in zip(columns, constants, strict=True):
        positive.append(len(program.program.row_lower))
        program.program.row(list(row), list(row.values()), floor - float(constant), np.inf)

    def cut(j: int, at: float) -> None:
        # s_j <= log(at) + (gain_j - at) / at
        row = columns[j]
        cols = [int(s[j]), *row]
        coefficients = [1.0] + [-v / at for v in row.values()]
        high = math.log(at) - 1.0 + float(constants[j]) / at
        program.program.row(cols, coefficients, -np.inf, high)

    for j, span in enumerate(spans):
        for at in np.geomspace(max(span * 1e-3, floor), span, 8):
            cut(j, float(at))
    best: tuple[float, IntArray] | None = None
    gap = math.inf
    for _ in range(NASH_ROUNDS):
        solution = program.solve({int(v): 1.0 for v in s})
        if not solution.feasible or solution.objective is None:
            return None if best is None else setting.result("nash", best[1], gap)
        package = program.package(solution)
        gains = _gains(setting, package)
        value = float(np.log(np.maximum(gains, 1e-300)).sum())
        if best is None or value > best[0]:
            best = (value, package)
        upper = solution.objective
        gap = max(0.0, 1.0 - math.exp(best[0] - upper))  # relative gap on the product
        if gap <= NASH_GAP:
            break
        for j, g in enumerate(gains):
            cut(j, max(float(g), floor))
    assert best is not None
    return setting.result("nash", best[1], gap)


def _gains(setting: _Setting, package: IntArray) -> FloatArray:
    c = setting.compiled
    effective = c.effective(c.utilities(package[None, :]))[0]
    gains: FloatArray = effective[setting.sign] - setting.d
    return gains


def _unit(size: int, index: int) -> FloatArray:
    out = np.zeros(size)
    out[index] = 1.0
    return out


def _indicator(setting: _Setting) -> FloatArray:
    out = np.zeros(len(setting.compiled.party_ids))
    out[setting.sign] = 1.0
    return out
