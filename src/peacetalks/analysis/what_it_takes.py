"""What would it take to open a ZOPA? Smallest changes, each found exactly by MILP.

* Lowering one signatory's reservation value by d (others unchanged) raises its gain by d and,
  through relative gains, lowers the effective gain of every party q that minds it by
  alpha_qp * d. The smallest d is one MILP; the smallest combined lowering is another.
* Red lines: a binary switch per red line; the fewest switched off, then every minimal set up to
  a size, enumerated in order of size with cuts that exclude each found set and its supersets.
* A relative-gains coefficient alpha_pq multiplies q's gain, which is linear in the package; the
  product of a bounded coefficient and binary variables is linearised exactly (McCormick).
* Which constraints collide: the minimal sets of constraint groups (a signatory's red lines; its
  reservation value) that no package satisfies together.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from peacetalks.analysis import enumerated
from peacetalks.analysis.enumerated import Candidates
from peacetalks.analysis.program import PackageProgram
from peacetalks.analysis.space import sample
from peacetalks.analysis.zopa import signatories
from peacetalks.compiled import TOLERANCE, BoolArray, CompiledScenario, IntArray
from peacetalks.results import Result

MAX_LOWERING = 10.0
MAX_SETS = 40


@dataclass(frozen=True)
class Lowering(Result):
    """The smallest lowering of one or more reservation values that opens a ZOPA."""

    parties: dict[str, float]
    """Party -> how much its reservation value must fall (0 for parties left unchanged)."""
    total: float
    package: dict[str, str]
    """A package in the ZOPA that the lowering opens."""


@dataclass(frozen=True)
class RedLineSet(Result):
    """A minimal set of red lines whose removal (all of them) opens a ZOPA."""

    red_lines: tuple[str, ...]
    parties: tuple[str, ...]
    package: dict[str, str]


@dataclass(frozen=True)
class CoefficientChange(Result):
    """The smallest change of one relative-gains coefficient that opens a ZOPA."""

    party: str
    other: str
    current: float
    needed: float | None
    """The value closest to the current one at which a ZOPA opens; None if none in [-1, 1]."""
    change: float | None
    package: dict[str, str] | None


@dataclass(frozen=True)
class Collision(Result):
    """A minimal set of constraints that no package satisfies together."""

    constraints: tuple[str, ...]
    """Each 'PARTY red lines' or 'PARTY reservation value'."""


@dataclass(frozen=True)
class WhatItTakes(Result):
    """Every smallest change found, and the constraints that collide."""

    reservation_lowering: dict[str, Lowering | None]
    """Per signatory: the smallest lowering of its reservation alone (None if none opens one)."""
    combined_lowering: Lowering | None
    red_line_sets: tuple[RedLineSet, ...]
    red_line_sets_complete: bool
    """Whether every minimal set up to the size limit was found (False if the list was cut)."""
    max_set_size: int
    relative_gains: tuple[CoefficientChange, ...]
    collisions: tuple[Collision, ...]


def what_it_takes(
    compiled: CompiledScenario, candidates: Candidates | None = None, max_set_size: int = 3
) -> WhatItTakes:
    """All the what-it-takes answers for a scenario whose ZOPA is empty. With `candidates`
    (every red-line-respecting package, enumerated) the single-party questions are answered
    by a vectorised scan; otherwise, and for the rest, by MILP."""
    sign = signatories(compiled)
    sets, complete = red_line_sets(compiled, max_set_size)
    return WhatItTakes(
        reservation_lowering={
            compiled.party_ids[p]: reservation_lowering(compiled, [p], candidates) for p in sign
        },
        combined_lowering=reservation_lowering(compiled, sign),
        red_line_sets=sets,
        red_line_sets_complete=complete,
        max_set_size=max_set_size,
        relative_gains=tuple(
            coefficient_change(compiled, p, q, candidates)
            for p in sign
            for q in range(len(compiled.party_ids))
            if compiled.alpha[p, q] != 0
        ),
        collisions=collisions(compiled, candidates=candidates),
    )


def reservation_lowering(
    compiled: CompiledScenario, parties: list[int], candidates: Candidates | None = None
) -> Lowering | None:
    """The smallest total lowering of these parties' reservation values that opens a ZOPA."""
    sign = signatories(compiled)
    if candidates is not None and len(parties) == 1:
        found = enumerated.single_lowering(candidates, parties[0], MAX_LOWERING)
        if found is None:
            return None
        amount, index = found
        return Lowering(
            parties={compiled.party_ids[parties[0]]: amount},
            total=amount,
            package=compiled.decode(candidates.packages[index]),
        )
    program = PackageProgram(compiled)
    program.respect_red_lines(sign)
    delta = program.program.variables(len(parties), 0.0, MAX_LOWERING, integer=False)
    for q in sign:
        extra = {}
        for d, p in zip(delta, parties, strict=True):
            coefficient = (1.0 if q == p else 0.0) - float(compiled.alpha[q, p])
            if coefficient:
                extra[int(d)] = coefficient
        program.require_gain(q, 0.0, extra)
    solution = program.solve({int(d): 1.0 for d in delta}, maximize=False)
    if not solution.feasible or solution.values is None:
        return None
    amounts = {
        compiled.party_ids[p]: float(solution.values[d])
        for d, p in zip(delta, parties, strict=True)
    }
    return Lowering(
        parties=amounts,
        total=float(sum(amounts.values())),
        package=compiled.decode(program.package(solution)),
    )


def red_line_sets(compiled: CompiledScenario, max_size: int) -> tuple[tuple[RedLineSet, ...], bool]:
    """Every minimal set of at most `max_size` signatory red lines whose removal opens a ZOPA."""
    sign = signatories(compiled)
    owned = sorted(
        {
            int(compiled.red_line_index[r])
            for r in range(compiled.red_line_index.size)
            if int(compiled.red_line_party[r]) in sign
        }
    )
    program = PackageProgram(compiled)
    switches = program.program.variables(len(owned), 0.0, 1.0, integer=True)
    relax = {index: int(s) for index, s in zip(owned, switches, strict=True)}
    program.respect_red_lines(sign, relax=relax)
    for p in sign:
        program.require_gain(p)
    names = dict(enumerate(compiled.red_line_ids))
    found: list[RedLineSet] = []
    while len(found) < MAX_SETS:
        solution = program.solve({int(s): 1.0 for s in switches}, maximize=False)
        if not solution.feasible or solution.values is None or solution.objective is None:
            return tuple(found), True
        if solution.objective > max_size + 0.5:
            return tuple(found), True
        chosen = [index for index, s in relax.items() if solution.values[s] > 0.5]
        owners = sorted(
            {
                compiled.party_ids[int(compiled.red_line_party[r])]
                for r in range(compiled.red_line_index.size)
                if int(compiled.red_line_index[r]) in chosen
            }
        )
        found.append(
            RedLineSet(
                red_lines=tuple(names[i] for i in chosen),
                parties=tuple(owners),
                package=compiled.decode(program.package(solution)),
            )
        )
        # exclude this set and all its supersets
        program.program.row(
            [relax[i] for i in chosen], [1.0] * len(chosen), -np.inf, len(chosen) - 1.0
        )
    return tuple(found), False


def coefficient_change(
    compiled: CompiledScenario, p: int, q: int, candidates: Candidates | None = None
) -> CoefficientChange:
    """The smallest change of alpha_pq (within [-1, 1]) that opens a ZOPA."""
    current = float(compiled.alpha[p, q])
    best: tuple[float, float, dict[str, str]] | None = None
    if candidates is not None:
        found = enumerated.coefficient_change(candidates, p, q)
        if found is not None:
            best = (found[0], found[1], compiled.decode(candidates.packages[found[2]]))
    for direction in (-1.0, 1.0) if candidates is None else ():
        program, a = _coefficient_program(compiled, p, q)
        if direction < 0:
            program.program.upper[a] = current
        else:
            program.program.lower[a] = current
        solution = program.solve({a: -direction}, maximize=True)
        if solution.feasible and solution.values is not None:
            value = float(solution.values[a])
            change = abs(value - current)
            if best is None or change < best[1]:
                best = (value, change, compiled.decode(program.package(solution)))
    return CoefficientChange(
        party=compiled.party_ids[p],
        other=compiled.party_ids[q],
        current=current,
        needed=None if best is None else best[0],
        change=None if best is None else best[1],
        package=None if best is None else best[2],
    )


def _coefficient_program(compiled: CompiledScenario, p: int, q: int) -> tuple[PackageProgram, int]:
    """Program with alpha_pq as a variable `a` in [-1, 1] and w_v = a * v linearised."""
    sign = signatories(compiled)
    program = PackageProgram(compiled, exact_links=True)
    program.respect_red_lines(sign)
    for s in sign:
        if s != p:
            program.require_gain(s)
    a = int(program.program.variables(1, -1.0, 1.0, integer=False)[0])
    utility_q = program.utility_rows[q]
    support = np.flatnonzero(utility_q)
    w = program.program.variables(support.size, -1.0, 1.0, integer=False)
    for column, product in zip(support.tolist(), w.tolist(), strict=True):
        # product = a * column for a binary column and a in [-1, 1]
        program.program.row([product, column], [1.0, -1.0], -np.inf, 0.0)
        program.program.row([product, column], [1.0, 1.0], 0.0, np.inf)
        program.program.row([product, a, column], [1.0, -1.0, 1.0], -np.inf, 1.0)
        program.program.row([product, a, column], [1.0, -1.0, -1.0], -1.0, np.inf)
    # p's gain with alpha_pq replaced by a: base gain + current*g_q - a*g_q
    # g_q = utility_q . v - r_q, so a*g_q = sum utility_q[v] w_v - r_q a
    current = float(compiled.alpha[p, q])
    extra: dict[int, float] = {}
    for v, wv in zip(support, w, strict=True):
        extra[int(wv)] = -float(utility_q[v])
        extra[int(v)] = extra.get(int(v), 0.0) + current * float(utility_q[v])
    extra[a] = float(compiled.reservation[q])
    constant_shift = -current * float(compiled.reservation[q])
    program.require_gain(p, -constant_shift, extra)
    return program, a


def collisions(
    compiled: CompiledScenario,
    max_size: int = 4,
    seed: int = 0,
    candidates: Candidates | None = None,
) -> tuple[Collision, ...]:
    """Minimal sets of constraint groups that no package satisfies together.

    Monotonicity makes this cheap: a superset of an infeasible set is infeasible, and a set is
    feasible as soon as one known package (a *witness*) satisfies all of it. Witnesses come from
    a seeded sample and from every feasibility solve; only sets without a witness need a MILP.
    """
    sign = signatories(compiled)
    groups = [(p, kind) for p in sign for kind in ("red lines", "reservation value")]
    witnesses = _satisfied(compiled, sample(compiled, 2_000, seed), groups)
    if candidates is not None and candidates.packages.shape[0]:
        witnesses = np.vstack([witnesses, _satisfied(compiled, candidates.packages, groups)])
    infeasible: list[frozenset[int]] = []
    for size in range(1, min(max_size, len(groups)) + 1):
        for combo in itertools.combinations(range(len(groups)), size):
            chosen = frozenset(combo)
            if any(known <= chosen for known in infeasible):
                continue
            if witnesses[:, list(combo)].all(axis=1).any():
                continue
            package = _witness(compiled, [groups[g] for g in combo])
            if package is None:
                infeasible.append(chosen)
            else:
                witnesses = np.vstack([witnesses, _satisfied(compiled, package[None, :], groups)])
    return tuple(
        Collision(
            constraints=tuple(
                f"{compiled.party_ids[groups[g][0]]} {groups[g][1]}" for g in sorted(combo)
            )
        )
        for combo in infeasible
    )


def _satisfied(
    compiled: CompiledScenario, packages: IntArray, groups: list[tuple[int, str]]
) -> BoolArray:
    """(N, G) whether each package satisfies each constraint group."""
    crossed = compiled.party_crossed(compiled.crossed(packages))
    gains = compiled.effective(compiled.utilities(packages)) - compiled.reservation
    columns = [
        ~crossed[:, p] if kind == "red lines" else gains[:, p] >= -TOLERANCE for p, kind in groups
    ]
    return np.stack(columns, axis=1)


def _witness(compiled: CompiledScenario, groups: list[tuple[int, str]]) -> IntArray | None:
    """A package satisfying every given constraint group, or None if there is none."""
    program = PackageProgram(compiled)
    program.respect_red_lines([p for p, kind in groups if kind == "red lines"])
    for p, kind in groups:
        if kind == "reservation value":
            program.require_gain(p)
    solution = program.solve({})
    return program.package(solution) if solution.feasible else None
