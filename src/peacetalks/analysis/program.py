"""Mixed-integer programs over packages, solved exactly by HiGHS.

HiGHS is the solver behind scipy.optimize.milp; it is called here through its own Python
package (highspy), which imports in a fraction of the time scipy.optimize takes, and the
command line's start-up time matters.

A package is encoded by one binary x_f per flat option f with exactly one option per issue.
Each interaction k gets a variable z_k in [0, 1] tied to the options by linear constraints that
force z_k = 1 exactly when its condition holds (so it needs no integrality of its own). Every
party's utility, effective utility and gain over its reservation value are then linear in
(x, z), red lines are linear cuts, and the questions a mediator asks become small MILPs.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from peacetalks.compiled import BoolArray, CompiledScenario, FloatArray, IntArray

BOUND = 1e3
"""Bound on auxiliary continuous variables (utilities are of order 1; a looser bound upsets
HiGHS at the tight tolerances used here)."""

FEASIBILITY = 1e-9
"""Slack on acceptance rows, absorbing rounding in the constants (HiGHS adds its own 1e-7)."""


@dataclass
class Program:
    """A MILP under construction: variables with bounds and integrality, and sparse rows."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    entries: list[tuple[int, int, float]] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Number of variables so far."""
        return len(self.lower)

    def variables(self, count: int, low: float, high: float, integer: bool) -> IntArray:
        """Add `count` variables; returns their indices."""
        start = self.size
        self.lower += [low] * count
        self.upper += [high] * count
        self.integer += [1 if integer else 0] * count
        return np.arange(start, start + count, dtype=np.int64)

    def row(
        self, columns: Iterable[int], coefficients: Iterable[float], low: float, high: float
    ) -> None:
        """Add the constraint low <= sum coefficients * variables <= high (a variable named
        twice gets the sum of its coefficients)."""
        index = len(self.row_lower)
        merged: dict[int, float] = {}
        for column, coefficient in zip(columns, coefficients, strict=True):
            merged[int(column)] = merged.get(int(column), 0.0) + float(coefficient)
        for column, coefficient in merged.items():
            if coefficient != 0:
                self.entries.append((index, column, coefficient))
        self.row_lower.append(low)
        self.row_upper.append(high)

    @property
    def rows(self) -> int:
        """Number of constraint rows so far."""
        return len(self.row_lower)

    def truncate(self, rows: int) -> None:
        """Remove every constraint row added after the first `rows` (variables stay)."""
        self.entries = [entry for entry in self.entries if entry[0] < rows]
        del self.row_lower[rows:]
        del self.row_upper[rows:]

    def solve(self, objective: dict[int, float] | FloatArray, maximize: bool = True) -> Solution:
        """Optimise a linear objective exactly (HiGHS, relative gap 0)."""
        import highspy

        c = np.zeros(self.size)
        if isinstance(objective, dict):
            for column, coefficient in objective.items():
                c[column] += coefficient
        else:
            c[: objective.size] = objective
        lp = highspy.HighsLp()
        lp.num_col_ = self.size
        lp.num_row_ = len(self.row_lower)
        lp.col_cost_ = c
        lp.col_lower_ = np.array(self.lower)
        lp.col_upper_ = np.array(self.upper)
        lp.row_lower_ = np.maximum(np.array(self.row_lower), -highspy.kHighsInf)
        lp.row_upper_ = np.minimum(np.array(self.row_upper), highspy.kHighsInf)
        lp.sense_ = highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        rows, columns, values = (
            (np.array(part) for part in zip(*self.entries, strict=True))
            if self.entries
            else (np.zeros(0, int), np.zeros(0, int), np.zeros(0))
        )
        order = np.lexsort((columns, rows))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.concatenate(
            [[0], np.cumsum(np.bincount(rows, minlength=lp.num_row_))]
        ).astype(np.int32)
        lp.a_matrix_.index_ = columns[order].astype(np.int32)
        lp.a_matrix_.value_ = values[order].astype(float)
        kinds = highspy.HighsVarType
        lp.integrality_ = [kinds.kInteger if k else kinds.kContinuous for k in self.integer]
        for presolve in ("on", "off"):
            # HiGHS's presolve occasionally ends in a solve error on programs with many
            # no-good cuts, and (HiGHS 1.16, at these tolerances) has been seen to declare a
            # feasible program infeasible; without presolve the answer is exact, so both
            # outcomes are checked again
            with _native_stdout_silenced():
                solver = highspy.Highs()  # type: ignore[no-untyped-call]
                solver.setOptionValue("output_flag", False)
                solver.setOptionValue("mip_rel_gap", 0.0)
                # tight tolerances: an "integer" at 1e-6 could otherwise fake a tiny gain
                solver.setOptionValue("mip_feasibility_tolerance", 1e-9)
                solver.setOptionValue("primal_feasibility_tolerance", 1e-9)
                solver.setOptionValue("presolve", presolve)
                solver.passModel(lp)
                solver.run()
            status = solver.getModelStatus()
            if status not in (
                highspy.HighsModelStatus.kSolveError,
                highspy.HighsModelStatus.kInfeasible,
            ):
                break
        if status != highspy.HighsModelStatus.kOptimal:
            return Solution(feasible=False, status=int(status), values=None, objective=None)
        values_out = np.array(solver.getSolution().col_value)
        objective_value = float(solver.getInfo().objective_function_value)
        return Solution(True, int(status), values_out, objective_value)


_SILENCE_LOCK = threading.Lock()
_silenced = {"depth": 0, "saved": -1, "sink": -1}
"""Descriptor 1 is one per process: solves in several threads (the web explorer) share one
redirection, made by the first to enter and undone by the last to leave."""


@contextmanager
def _native_stdout_silenced() -> Iterator[None]:
    """Silence what native code writes to file descriptor 1 (HiGHS sometimes prints debug
    lines there, which would corrupt --json output). Safe in several threads at once."""
    with _SILENCE_LOCK:
        if _silenced["depth"] == 0:
            sys.stdout.flush()
            try:
                saved = os.dup(1)
            except OSError:  # no usable descriptor 1: nothing to protect
                saved = -1
            if saved >= 0:
                sink = os.open(os.devnull, os.O_WRONLY)
                os.dup2(sink, 1)
                _silenced.update(saved=saved, sink=sink)
        _silenced["depth"] += 1
    try:
        yield
    finally:
        with _SILENCE_LOCK:
            _silenced["depth"] -= 1
            if _silenced["depth"] == 0 and _silenced["saved"] >= 0:
                os.dup2(_silenced["saved"], 1)
                os.close(_silenced["saved"])
                os.close(_silenced["sink"])
                _silenced.update(saved=-1, sink=-1)


@dataclass(frozen=True)
class Solution:
    """The outcome of one solve."""

    feasible: bool
    status: int
    values: FloatArray | None
    objective: float | None


class PackageProgram:
    """A program whose first variables encode one package of a compiled scenario.

    Build it, add requirements (acceptance by parties, red lines), then solve for objectives
    expressed with :meth:`effective` rows. ``package(solution)`` decodes the chosen package.

    Interaction variables are tied to the options from above (z_k <= each condition) and, unless
    it is safe to leave it out, from below (z_k >= sum - (m - 1)). The lower tie is safe to
    leave out when every party's effective utility has a non-negative coefficient on every z_k
    and the program only asks for utilities to be large (rows ">=", objectives maximised): then
    raising z_k to its true value never hurts, so optima and feasibility are unchanged, and the
    program solves far faster. A caller that minimises a utility, or multiplies z by another
    variable, passes ``exact_links=True``.

    With ``reduced=True`` the options that another option of their issue dominates (see
    :mod:`peacetalks.analysis.dominance`) are fixed to 0. For a caller that only asks for
    utilities to be large and wants one optimal package (not a list of packages), this changes
    no optimal value and shrinks the search.
    """

    def __init__(
        self, compiled: CompiledScenario, exact_links: bool = False, reduced: bool = False
    ) -> None:
        self.compiled = compiled
        self.program = Program()
        total = int(compiled.offsets[-1])
        self.x = self.program.variables(total, 0.0, 1.0, integer=True)
        self.z = self.program.variables(compiled.interaction_boxes.shape[0], 0.0, 1.0, False)
        base = np.concatenate([compiled.values, compiled.interaction_bonus], axis=1)
        n_parties = len(compiled.party_ids)
        self.utility_rows = base  # (P, T + K)
        mix = np.eye(n_parties) - compiled.alpha
        self.effective_rows = mix @ base
        monotone = bool((self.effective_rows[:, self.x.size :] >= 0).all())
        self.exact_links = exact_links or not monotone
        for i in range(len(compiled.issue_ids)):
            start, end = int(compiled.offsets[i]), int(compiled.offsets[i + 1])
            self.program.row(self.x[start:end], [1.0] * (end - start), 1.0, 1.0)
        for k in range(self.z.size):
            self._link_interaction(k)
        if reduced and not exact_links:
            from peacetalks.analysis.dominance import undominated_options

            for column in self.x[~undominated_options(compiled)]:
                self.program.upper[int(column)] = 0.0
        self.effective_constant = compiled.alpha @ compiled.reservation
        # gain over reservation: effective_rows . v + gain_constant
        self.gain_constant = self.effective_constant - compiled.reservation

    @property
    def base_size(self) -> int:
        """Number of package-encoding variables (x and z)."""
        return int(self.x.size + self.z.size)

    def _issue_groups(self, box: BoolArray) -> tuple[list[IntArray], bool]:
        """The allowed options of each issue a box restricts; and whether the box is empty."""
        groups = []
        for i in range(len(self.compiled.issue_ids)):
            start, end = int(self.compiled.offsets[i]), int(self.compiled.offsets[i + 1])
            allowed = box[start:end]
            if allowed.all():
                continue
            if not allowed.any():
                return [], True
            groups.append(self.x[start:end][allowed])
        return groups, False

    def _link_interaction(self, k: int) -> None:
        groups, empty = self._issue_groups(self.compiled.interaction_boxes[k])
        z = int(self.z[k])
        if empty:
            self.program.row([z], [1.0], 0.0, 0.0)
            return
        for group in groups:
            self.program.row([z, *group], [1.0] + [-1.0] * group.size, -np.inf, 0.0)
        if not self.exact_links:
            return
        columns = [z] + [int(c) for group in groups for c in group]
        coefficients = [1.0] + [-1.0] * (len(columns) - 1)
        self.program.row(columns, coefficients, -(len(groups) - 1.0), np.inf)

    def forbid_box(self, box: BoolArray, relax: int | None = None) -> None:
        """Forbid packages inside a box; with `relax` (a binary variable), only when it is 0."""
        groups, empty = self._issue_groups(box)
        if empty:
            return
        columns = [int(c) for group in groups for c in group]
        coefficients = [1.0] * len(columns)
        if relax is not None:
            columns.append(relax)
            coefficients.append(-1.0)
        self.program.row(columns, coefficients, -np.inf, len(groups) - 1.0)

    def respect_red_lines(
        self,
        parties: Sequence[int],
        dropped: IntArray | None = None,
        relax: dict[int, int] | None = None,
    ) -> None:
        """Respect the red lines of these parties, except scenario red lines in `dropped`;
        a red line index in `relax` maps to a binary variable that switches it off."""
        owners = set(int(p) for p in parties)
        skip = set() if dropped is None else {int(i) for i in dropped}
        for row in range(self.compiled.red_line_boxes.shape[0]):
            index = int(self.compiled.red_line_index[row])
            if int(self.compiled.red_line_party[row]) not in owners or index in skip:
                continue
            switch = None if relax is None else relax.get(index)
            self.forbid_box(self.compiled.red_line_boxes[row], switch)

    def require_gain(
        self, p: int, at_least: float = 0.0, extra: dict[int, float] | None = None
    ) -> None:
        """Require party p's effective gain over reservation (+ extra terms) >= at_least."""
        columns = list(range(self.base_size))
        coefficients = list(self.effective_rows[p])
        for column, coefficient in (extra or {}).items():
            columns.append(column)
            coefficients.append(coefficient)
        low = at_least - float(self.gain_constant[p]) - FEASIBILITY
        self.program.row(columns, coefficients, low, np.inf)

    def exclude(self, package: IntArray) -> None:
        """Cut off one full package (a no-good cut)."""
        chosen = self.compiled.offsets[:-1] + package
        self.program.row(self.x[chosen], [1.0] * chosen.size, -np.inf, chosen.size - 1.0)

    def gain_objective(self, weights: FloatArray) -> dict[int, float]:
        """Objective sum_p weights[p] * effective gain_p (without its constant)."""
        row = weights @ self.effective_rows
        return {int(c): float(v) for c, v in enumerate(row) if v != 0}

    def solve(self, objective: dict[int, float], maximize: bool = True) -> Solution:
        """Solve the program as built so far."""
        return self.program.solve(objective, maximize)

    def package(self, solution: Solution) -> IntArray:
        """The package chosen in a feasible solution."""
        assert solution.values is not None
        chosen = solution.values[self.x] > 0.5
        out = np.empty(len(self.compiled.issue_ids), dtype=np.int64)
        for i in range(out.size):
            start, end = int(self.compiled.offsets[i]), int(self.compiled.offsets[i + 1])
            out[i] = int(np.flatnonzero(chosen[start:end])[0])
        return out
