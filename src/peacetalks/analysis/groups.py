"""Independent groups of issues: the structure that makes exact enumeration cheap.

Two issues share a group when a red line naming several issues (of the parties considered) or
an interaction names both. A red line on a single issue only removes options. Utilities are
additive across groups and every constraint lives inside one group, so

* the packages that respect the red lines are exactly the Cartesian product of each group's
  own feasible settlements (their number is a product of small counts), and
* the Pareto frontier of the whole is the frontier of the sum of the groups' frontiers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from peacetalks.analysis.space import CHUNK, ENUMERATION_LIMIT, decode_indices
from peacetalks.compiled import BoolArray, CompiledScenario, FloatArray, IntArray


@dataclass
class Groups:
    """The issues of a compiled scenario split into independent groups."""

    compiled: CompiledScenario
    members: list[list[int]]
    allowed: BoolArray
    """(T,) options left after single-issue red lines."""
    red_lines: list[BoolArray]
    """Per group: the multi-issue red-line boxes inside it."""
    interactions: list[list[int]]
    """Per group: indices of the interactions inside it."""
    always: list[int]
    """Interactions that hold for every package."""
    empty: bool
    """Whether some red line is crossed by every package."""
    _settlements: dict[int, IntArray] = field(default_factory=dict)

    @staticmethod
    def of(compiled: CompiledScenario, parties: Sequence[int]) -> Groups:
        """Group the issues, honouring the red lines of `parties`."""
        n = len(compiled.issue_ids)
        parent = list(range(n))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def join(issues: list[int]) -> None:
            for i in issues[1:]:
                parent[find(i)] = find(issues[0])

        allowed = np.ones(int(compiled.offsets[-1]), dtype=bool)
        empty = False
        multi: list[tuple[BoolArray, list[int]]] = []
        owners = np.isin(compiled.red_line_party, list(parties))
        for box in compiled.red_line_boxes[owners]:
            issues = _restricted(compiled, box)
            if issues is None:
                continue
            if not issues:
                empty = True
            elif len(issues) == 1:
                allowed &= ~box | _outside(compiled, issues[0])
            else:
                multi.append((box, issues))
                join(issues)
        always: list[int] = []
        inside: list[tuple[int, list[int]]] = []
        for k, box in enumerate(compiled.interaction_boxes):
            issues = _restricted(compiled, box)
            if issues is None:
                continue
            if not issues:
                always.append(k)
                continue
            inside.append((k, issues))
            join(issues)
        roots = sorted({find(i) for i in range(n)})
        where = {root: g for g, root in enumerate(roots)}
        members = [[i for i in range(n) if find(i) == root] for root in roots]
        boxes: list[list[BoolArray]] = [[] for _ in roots]
        for box, issues in multi:
            boxes[where[find(issues[0])]].append(box)
        interactions: list[list[int]] = [[] for _ in roots]
        for k, issues in inside:
            interactions[where[find(issues[0])]].append(k)
        total = int(compiled.offsets[-1])
        return Groups(
            compiled=compiled,
            members=members,
            allowed=allowed,
            red_lines=[np.array(b, dtype=bool).reshape(len(b), total) for b in boxes],
            interactions=interactions,
            always=always,
            empty=empty,
        )

    def raw_size(self, g: int) -> int:
        """Settlements of group g before its multi-issue red lines."""
        c = self.compiled
        sizes = [int(self.allowed[c.offsets[i] : c.offsets[i + 1]].sum()) for i in self.members[g]]
        return int(np.prod(sizes, dtype=object))

    @property
    def largest(self) -> int:
        """The largest raw group size (what enumeration would cost)."""
        return max((self.raw_size(g) for g in range(len(self.members))), default=1)

    def settlements(self, g: int) -> IntArray:
        """Every feasible settlement of group g, as full-length vectors (other issues 0)."""
        if g in self._settlements:
            return self._settlements[g]
        c = self.compiled
        group = self.members[g]
        choices = [np.flatnonzero(self.allowed[c.offsets[i] : c.offsets[i + 1]]) for i in group]
        sizes = np.array([x.size for x in choices], dtype=np.int64)
        total = int(np.prod(sizes))
        kept: list[IntArray] = []
        for start in range(0, total, CHUNK):
            index = decode_indices(np.arange(start, min(start + CHUNK, total)), sizes)
            full = np.zeros((index.shape[0], len(c.issue_ids)), dtype=np.int64)
            for column, i in enumerate(group):
                full[:, i] = choices[column][index[:, column]]
            if self.red_lines[g].shape[0]:
                full = full[~c.in_boxes(self.red_lines[g], full).any(axis=1)]
            kept.append(full)
        out = np.concatenate(kept) if kept else np.zeros((0, len(c.issue_ids)), dtype=np.int64)
        self._settlements[g] = out
        return out

    def count(self) -> int | None:
        """Exact number of packages respecting the red lines (None if a group is too large)."""
        if self.empty:
            return 0
        if self.largest > ENUMERATION_LIMIT:
            return None
        product = 1
        for g in range(len(self.members)):
            product *= int(self.settlements(g).shape[0])
        return product

    def candidates(self, limit: int) -> IntArray | None:
        """Every package respecting the red lines, if there are at most `limit` of them."""
        count = self.count()
        if count is None or count > limit:
            return None
        c = self.compiled
        out = np.zeros((count, len(c.issue_ids)), dtype=np.int64)
        if count == 0:
            return out
        repeat = count
        tile = 1
        for g, group in enumerate(self.members):
            rows = self.settlements(g)
            repeat //= rows.shape[0]
            block = np.repeat(rows[:, group], repeat, axis=0)
            out[:, group] = np.tile(block, (tile, 1))
            tile *= rows.shape[0]
        return out

    def points(self, g: int, rows: FloatArray, bonus: FloatArray) -> FloatArray:
        """Points of group g's settlements: `rows` (d, T) per option, `bonus` (d, K)."""
        c = self.compiled
        settlements = self.settlements(g)
        group = self.members[g]
        flat = settlements[:, group] + c.offsets[group]
        points: FloatArray = rows[:, flat].sum(axis=2).T
        if self.interactions[g]:
            inside = c.in_boxes(c.interaction_boxes[self.interactions[g]], settlements)
            points = points + inside @ bonus[:, self.interactions[g]].T
        return points


def _restricted(compiled: CompiledScenario, box: BoolArray) -> list[int] | None:
    """Issues a box restricts; None if the box is empty (it never holds)."""
    out = []
    for i in range(len(compiled.issue_ids)):
        part = box[compiled.offsets[i] : compiled.offsets[i + 1]]
        if not part.any():
            return None
        if not part.all():
            out.append(i)
    return out


def _outside(compiled: CompiledScenario, issue: int) -> BoolArray:
    """Mask of every flat option not belonging to `issue`."""
    mask = np.ones(int(compiled.offsets[-1]), dtype=bool)
    mask[compiled.offsets[issue] : compiled.offsets[issue + 1]] = False
    return mask
