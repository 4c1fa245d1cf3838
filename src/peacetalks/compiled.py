"""The numeric form of a scenario: plain numpy arrays, the only input of the maths.

Conventions. Parties are indexed p = 0..P-1 and issues i = 0..I-1 in file order. Options are
numbered within their issue, and also *flat*: option o of issue i has flat index offsets[i] + o.
A package is an integer vector of length I (option index per issue; -1 = open).

A *box* is a condition over packages: a boolean row over the flat options in which an issue that
the condition does not name has every option allowed. A package satisfies the box when, on every
issue, its option is allowed. Interactions, red lines and linkages all compile to boxes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from peacetalks.errors import UsageError, did_you_mean
from peacetalks.model.numbers import best
from peacetalks.model.scenario import Scenario

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TOLERANCE = 1e-7
"""Margins above -TOLERANCE count as acceptable: the exact MILP solver works to 1e-7."""


@dataclass(frozen=True, eq=False)
class CompiledScenario:
    """A scenario as arrays. Build with :func:`compile_scenario`."""

    scenario_id: str
    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    option_ids: tuple[tuple[str, ...], ...]
    signatory: BoolArray  # (P,)
    has_preferences: BoolArray  # (P,)
    offsets: IntArray  # (I + 1,) flat index of each issue's first option; last = total
    values: FloatArray  # (P, T) normalised weight x option value
    interaction_boxes: BoolArray  # (K, T)
    interaction_bonus: FloatArray  # (P, K)
    interaction_party: IntArray  # (K,) owner of each interaction, in the owner's file order
    red_line_boxes: BoolArray  # (R, T) a package in a box crosses that red line
    red_line_party: IntArray  # (R,) owner of each box
    red_line_index: IntArray  # (R,) index in the scenario's red_lines (a linkage may use several)
    red_line_ids: tuple[str, ...]  # ids of the scenario's red lines, by index
    reservation: FloatArray  # (P,)
    alpha: FloatArray  # (P, P) relative-gains coefficients alpha[p, q]

    @property
    def sizes(self) -> IntArray:
        """Number of options of each issue."""
        return np.diff(self.offsets)

    @property
    def space_size(self) -> int:
        """Number of full packages (exact, as a Python int)."""
        return int(np.prod([int(n) for n in self.sizes], dtype=object))

    def in_boxes(self, boxes: BoolArray, packages: IntArray) -> BoolArray:
        """(N, K): whether each package lies in each box."""
        flat = packages + self.offsets[:-1]
        inside = np.ones((packages.shape[0], boxes.shape[0]), dtype=bool)
        for i in range(packages.shape[1]):
            inside &= boxes[:, flat[:, i]].T
        return inside

    @cached_property
    def _values_by_option(self) -> FloatArray:
        """(T, P) the values, one row per option (rows gather fast)."""
        return np.ascontiguousarray(self.values.T)

    def utilities(self, packages: IntArray) -> FloatArray:
        """(N, P) utility of each full package to each party, before relative gains."""
        flat = packages + self.offsets[:-1]
        rows = self._values_by_option
        additive: FloatArray = (
            rows[flat[:, 0]] if flat.shape[1] else np.zeros((flat.shape[0], rows.shape[1]))
        )
        for i in range(1, flat.shape[1]):
            additive += rows[flat[:, i]]  # the first gather is a copy: safe in place
        if self.interaction_bonus.shape[1] == 0:
            return additive
        bonus: FloatArray = (
            self.in_boxes(self.interaction_boxes, packages) @ self.interaction_bonus.T
        )
        return additive + bonus

    def effective(self, utilities: FloatArray) -> FloatArray:
        """(N, P) effective utility U'_p = U_p - sum_q alpha_pq (U_q - r_q)."""
        gains = utilities - self.reservation
        effective: FloatArray = utilities - gains @ self.alpha.T
        return effective

    def crossed(self, packages: IntArray) -> BoolArray:
        """(N, R) whether each package crosses each compiled red-line box."""
        return self.in_boxes(self.red_line_boxes, packages)

    def party_crossed(self, crossed: BoolArray) -> BoolArray:
        """(N, P) whether each package crosses any red line of each party."""
        owner = np.zeros((self.red_line_party.size, len(self.party_ids)), dtype=bool)
        owner[np.arange(self.red_line_party.size), self.red_line_party] = True
        return (crossed.astype(np.int64) @ owner.astype(np.int64)) > 0

    def accepts(self, packages: IntArray) -> BoolArray:
        """(N, P) whether each party accepts each full package."""
        margin = self.effective(self.utilities(packages)) - self.reservation
        return (margin >= -TOLERANCE) & ~self.party_crossed(self.crossed(packages))

    def encode(self, package: Mapping[str, str]) -> IntArray:
        """Issue -> option ids as an option-index vector; issues not named are -1 (open)."""
        vector = np.full(len(self.issue_ids), -1, dtype=np.int64)
        for issue_id, option_id in package.items():
            if issue_id not in self.issue_ids:
                raise UsageError(
                    f"unknown issue {issue_id!r}; {did_you_mean(issue_id, self.issue_ids)}"
                )
            i = self.issue_ids.index(issue_id)
            if option_id not in self.option_ids[i]:
                hint = did_you_mean(option_id, self.option_ids[i])
                raise UsageError(f"unknown option {option_id!r} of issue {issue_id!r}; {hint}")
            vector[i] = self.option_ids[i].index(option_id)
        return vector

    def decode(self, vector: Sequence[int] | IntArray) -> dict[str, str]:
        """An option-index vector as issue -> option ids (open issues left out)."""
        return {
            self.issue_ids[i]: self.option_ids[i][int(o)]
            for i, o in enumerate(vector)
            if int(o) >= 0
        }

    def completions(self, vector: IntArray) -> IntArray:
        """(N, I) every full package that agrees with a partial one."""
        open_issues = np.flatnonzero(vector < 0)
        grids = np.meshgrid(*[np.arange(self.sizes[i]) for i in open_issues], indexing="ij")
        count = int(np.prod([self.sizes[i] for i in open_issues], dtype=np.int64))
        out = np.repeat(vector[None, :], count, axis=0)
        for column, grid in zip(open_issues, grids, strict=True):
            out[:, column] = grid.ravel()
        return out


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    """Turn a validated scenario into arrays."""
    party_ids = tuple(p.id for p in scenario.parties)
    issue_ids = tuple(i.id for i in scenario.issues)
    option_ids = tuple(i.option_ids for i in scenario.issues)
    offsets = np.concatenate([[0], np.cumsum([len(o) for o in option_ids])]).astype(np.int64)
    box = _BoxMaker(issue_ids, option_ids, offsets)
    n_parties, total = len(party_ids), int(offsets[-1])

    values = np.zeros((n_parties, total))
    reservation = np.zeros(n_parties)
    alpha = np.zeros((n_parties, n_parties))
    boxes: list[BoolArray] = []
    bonus_columns: list[tuple[int, float]] = []
    for p, party_id in enumerate(party_ids):
        prefs = scenario.preferences.get(party_id)
        if prefs is None:
            continue
        weights = {issue: best(w) for issue, w in prefs.weights.items()}
        norm = sum(weights.values())
        for issue_id, weight in weights.items():
            if weight <= 0:
                continue
            i = issue_ids.index(issue_id)
            for o, option_id in enumerate(option_ids[i]):
                values[p, offsets[i] + o] = weight / norm * best(prefs.values[issue_id][option_id])
        for interaction in prefs.interactions:
            boxes.append(box.of(interaction.when))
            bonus_columns.append((p, best(interaction.bonus)))
        reservation[p] = best(prefs.reservation)
        for other, coefficient in prefs.relative_gains.items():
            alpha[p, party_ids.index(other)] = best(coefficient)

    bonus = np.zeros((n_parties, len(bonus_columns)))
    for k, (p, amount) in enumerate(bonus_columns):
        bonus[p, k] = amount

    red_boxes: list[BoolArray] = []
    red_party: list[int] = []
    red_index: list[int] = []
    for index, line in enumerate(scenario.red_lines):
        if line.never is not None:
            pieces = [box.of(line.never)]
        else:
            assert line.if_ is not None and line.then is not None
            pieces = [box.of(line.if_, {j: o}) for j, o in line.then.items()]
        for piece in pieces:
            red_boxes.append(piece)
            red_party.append(party_ids.index(line.party))
            red_index.append(index)

    return CompiledScenario(
        scenario_id=scenario.id,
        party_ids=party_ids,
        issue_ids=issue_ids,
        option_ids=option_ids,
        signatory=np.array([p.signatory for p in scenario.parties], dtype=bool),
        has_preferences=np.array([p.id in scenario.preferences for p in scenario.parties]),
        offsets=offsets,
        values=values,
        interaction_boxes=_stack(boxes, total),
        interaction_bonus=bonus,
        interaction_party=np.array([p for p, _ in bonus_columns], dtype=np.int64),
        red_line_boxes=_stack(red_boxes, total),
        red_line_party=np.array(red_party, dtype=np.int64),
        red_line_index=np.array(red_index, dtype=np.int64),
        red_line_ids=tuple(line.id for line in scenario.red_lines),
        reservation=reservation,
        alpha=alpha,
    )


class _BoxMaker:
    def __init__(
        self, issue_ids: tuple[str, ...], option_ids: tuple[tuple[str, ...], ...], offsets: IntArray
    ) -> None:
        self.issue_ids, self.option_ids, self.offsets = issue_ids, option_ids, offsets

    def of(
        self,
        condition: Mapping[str, str | tuple[str, ...]],
        excluded: Mapping[str, str | tuple[str, ...]] | None = None,
    ) -> BoolArray:
        """The box where `condition` holds and, on each issue of `excluded`, none of its options."""
        row = np.ones(int(self.offsets[-1]), dtype=bool)
        for issue_id, chosen in condition.items():
            self._restrict(row, issue_id, chosen, keep=True)
        for issue_id, chosen in (excluded or {}).items():
            self._restrict(row, issue_id, chosen, keep=False)
        return row

    def _restrict(
        self, row: BoolArray, issue_id: str, chosen: str | tuple[str, ...], keep: bool
    ) -> None:
        i = self.issue_ids.index(issue_id)
        names = (chosen,) if isinstance(chosen, str) else chosen
        start = int(self.offsets[i])
        for o, option_id in enumerate(self.option_ids[i]):
            row[start + o] = (option_id in names) == keep


def _stack(rows: list[BoolArray], total: int) -> BoolArray:
    return np.array(rows, dtype=bool).reshape(len(rows), total)
