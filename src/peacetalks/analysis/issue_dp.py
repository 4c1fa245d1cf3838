"""The exact Pareto frontier by dynamic programming over issues, for spaces far beyond
enumeration whose constraints each name a few issues.

Issues are decided one at a time. A partial package is summarised by its utility vector so
far and by its *state*: for every constraint (interaction or multi-issue red line) that names
both a decided and an undecided issue, whether the decided part still satisfies the
constraint's box. Two partial packages in the same state have the same futures, so only the
Pareto-efficient ones of each state need to be kept; when a constraint's last issue is decided
it pays its bonus (interaction) or removes the partial package (red line) and leaves the state.
The partial packages left after the last issue are exactly the frontier packages (one per
frontier point).

Before that, each issue's options are reduced to those not dominated by another option of the
same issue: an option that gives every party at least as much, falls into every box with a
positive effect that the other does and into no box with a negative effect (or red line) that
the other avoids, can always replace it. Domains shrink from ten options to a handful in the
ANAC 2014 domains, which is what keeps the number of states small.

The method gives up (returns None) when the table of partial packages outgrows ROW_LIMIT; the
caller then falls back to a sequence of mixed-integer programs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from peacetalks.analysis.dominance import undominated
from peacetalks.analysis.pareto import DIGITS, grouped_pareto
from peacetalks.compiled import BoolArray, CompiledScenario, FloatArray, IntArray

PRUNE_AFTER = 1_000
"""Partial packages per step beyond which dominance across states is checked."""
PRUNE_KEEPS = 0.3
"""A pass of dominance across states that keeps more of the rows than this is not repeated at
the next step (it costs more than it saves there)."""
ROW_LIMIT = 3_000_000
"""Most partial packages kept at once for two parties (about 100 MB)."""
ROW_LIMIT_MANY = 200_000
"""The same for more than two parties, whose per-state Pareto filter is slower."""
STATE_LIMIT = 1_000_000
"""Most distinct states a dry run of an issue order may reach."""


@dataclass(frozen=True)
class Constraint:
    """A box naming at least two issues: an interaction (bonus per party) or a red line."""

    issues: tuple[int, ...]
    allowed: tuple[BoolArray, ...]
    """Per named issue: which of its remaining options fall inside the box."""
    bonus: FloatArray | None
    """(S,) effect on each party's effective utility; None for a red line."""

    @property
    def direction(self) -> int:
        """+1 when being inside the box never hurts a party, -1 when it never helps, else 0."""
        if self.bonus is None or (self.bonus <= 0).all():
            return -1
        return 1 if (self.bonus >= 0).all() else 0


def dp_frontier(
    compiled: CompiledScenario,
    parties: list[int],
    row_limit: int | None = None,
    prune_after: int = PRUNE_AFTER,
) -> IntArray | None:
    """Frontier packages over the packages respecting the parties' red lines (one package
    per frontier point), or None when the partial packages outgrow `row_limit` (by default
    ROW_LIMIT for two parties, ROW_LIMIT_MANY for more)."""
    problem = _Problem.of(compiled, parties)
    n = len(compiled.issue_ids)
    if problem is None:
        return np.zeros((0, n), dtype=np.int64)
    if row_limit is None:
        row_limit = ROW_LIMIT if len(parties) == 2 else ROW_LIMIT_MANY
    return problem.solve(row_limit, prune_after)


@dataclass
class _Problem:
    options: list[IntArray]
    """Per issue: the original indices of its remaining options."""
    unary: list[FloatArray]
    """Per issue: (S, options) effective utility of each remaining option."""
    constant: FloatArray
    constraints: list[Constraint]

    @staticmethod
    def of(compiled: CompiledScenario, parties: list[int]) -> _Problem | None:
        """The reduced problem, or None when no package respects the red lines."""
        mix = (np.eye(len(compiled.party_ids)) - compiled.alpha)[parties]
        unary_all = mix @ compiled.values
        bonus_all = mix @ compiled.interaction_bonus
        n = len(compiled.issue_ids)
        offsets = compiled.offsets
        red_boxes = compiled.red_line_boxes[np.isin(compiled.red_line_party, parties)]
        interactions = compiled.interaction_boxes.shape[0]
        boxes = np.concatenate([compiled.interaction_boxes, red_boxes])
        effects = np.concatenate([bonus_all, np.zeros((len(parties), red_boxes.shape[0]))], 1)
        red = np.arange(boxes.shape[0]) >= interactions
        options = [np.arange(int(offsets[i + 1] - offsets[i])) for i in range(n)]
        changed = True
        while changed:  # a red line can come to name a single issue once options go
            for i in range(n):
                columns = offsets[i] + options[i]
                kept = undominated(unary_all[:, columns], boxes[:, columns], effects, red)
                options[i] = options[i][kept]
            changed = False
            for box in red_boxes:
                named = _named(box, offsets, options)
                if named is None:
                    continue
                if not named:
                    return None
                if len(named) == 1:
                    i = named[0]
                    options[i] = options[i][~box[offsets[i] + options[i]]]
                    if not options[i].size:
                        return None
                    changed = True
        unary = [unary_all[:, offsets[i] + options[i]] for i in range(n)]
        constant = np.zeros(len(parties))
        constraints: list[Constraint] = []
        for k in range(interactions):
            named = _named(boxes[k], offsets, options)
            if named is None:
                continue
            inside = [boxes[k][offsets[i] + options[i]] for i in named]
            if not named:
                constant += bonus_all[:, k]
            elif len(named) == 1:
                unary[named[0]] = unary[named[0]] + bonus_all[:, k, None] * inside[0][None, :]
            else:
                constraints.append(Constraint(tuple(named), tuple(inside), bonus_all[:, k]))
        for box in red_boxes:
            named = _named(box, offsets, options)
            if named is not None:  # now always on two issues or more
                inside = [box[offsets[i] + options[i]] for i in named]
                constraints.append(Constraint(tuple(named), tuple(inside), None))
        return _Problem(options, unary, constant, constraints)

    def order(self) -> list[int] | None:
        """The issue order to decide in: of two candidates, the one whose partial packages
        fall into fewer distinct states (counted by a dry run over states alone); None when
        both pass STATE_LIMIT.

        The first candidate adds, at each step, the issue that leaves the fewest constraints
        pending (greedy). Its reverse often does better still: it decides first the issues
        named by many constraints, and a constraint whose box a decided option misses is
        settled at once (its bit is simply off), so states merge early."""
        greedy = self.pending_order()
        peak = self.peak_states(greedy[::-1], STATE_LIMIT)
        other = self.peak_states(greedy, peak if peak is not None else STATE_LIMIT)
        if other is not None and (peak is None or other < peak):
            return greedy
        return greedy[::-1] if peak is not None else None

    def peak_states(self, order: list[int], limit: int) -> int | None:
        """The largest number of distinct states after any step, or None beyond `limit`."""
        plan, words, _ = self.plan(order)
        state = np.zeros((1, words), dtype=np.uint64)
        peak = 1
        for issue, actions in zip(order, plan, strict=True):
            count = self.options[issue].size
            pick = np.tile(np.arange(count), state.shape[0])
            state = np.repeat(state, count, axis=0)
            for action in actions:
                _apply(state, action, pick)
            state = np.unique(state, axis=0) if words > 1 else np.unique(state).reshape(-1, 1)
            peak = max(peak, state.shape[0])
            if peak > limit:
                return None
        return peak

    def pending_order(self) -> list[int]:
        """Issues in an order that keeps few constraints pending: at each step, the issue
        after which the fewest constraints have both decided and undecided issues (ties: the
        fewest options, then the first)."""
        n = len(self.options)
        naming: list[list[int]] = [[] for _ in range(n)]
        for k, constraint in enumerate(self.constraints):
            for i in constraint.issues:
                naming[i].append(k)
        size = [len(c.issues) for c in self.constraints]
        decided_in = [0] * len(self.constraints)
        pending = 0
        left = set(range(n))
        order: list[int] = []
        while left:
            pending, _, best = min(
                (
                    pending
                    + sum(1 for k in naming[j] if decided_in[k] == 0)
                    - sum(1 for k in naming[j] if decided_in[k] == size[k] - 1),
                    int(self.options[j].size),
                    j,
                )
                for j in left
            )
            for k in naming[best]:
                decided_in[k] += 1
            left.remove(best)
            order.append(best)
        return order

    def solve(self, row_limit: int, prune_after: int = PRUNE_AFTER) -> IntArray | None:
        """Frontier packages, or None past the row limit."""
        order = self.order()
        if order is None:
            return None
        plan, words, helpful = self.plan(order)
        points = self.constant[None, :].copy()
        state = np.zeros((1, words), dtype=np.uint64)
        trail: list[tuple[IntArray, IntArray]] = []  # per step: (row it extends, option)
        prune = True
        for issue, actions, slots in zip(order, plan, helpful, strict=True):
            count = self.options[issue].size
            rows = points.shape[0]
            if rows * count > row_limit:
                return None
            source = np.repeat(np.arange(rows), count)
            pick = np.tile(np.arange(count), rows)
            points = (points[:, None, :] + self.unary[issue].T[None, :, :]).reshape(
                rows * count, -1
            )
            state = state[source]
            feasible = np.ones(points.shape[0], dtype=bool)
            for action in actions:
                holds = _apply(state, action, pick)
                if holds is None:
                    continue
                if action.bonus is None:
                    feasible &= ~holds
                else:
                    points += holds[:, None] * action.bonus[None, :]
            if not feasible.all():
                points, state = points[feasible], state[feasible]
                source, pick = source[feasible], pick[feasible]
            keep = np.flatnonzero(grouped_pareto(_state_codes(state), points))
            if prune and words == 1 and points.shape[1] == 2 and keep.size > prune_after:
                before = keep.size
                keep = keep[_undominated_across(state[keep, 0], points[keep], slots)]
                prune = keep.size < 1.01 * before  # rest a step when it removes little
            else:
                prune = True
            points, state = points[keep], state[keep]
            trail.append((source[keep], pick[keep]))
        return self.packages(order, trail)

    def plan(
        self, order: list[int]
    ) -> tuple[list[list[_Action]], int, list[list[tuple[int, int]]]]:
        """Per step, what each constraint naming the issue does; the number of 64-bit words
        the state needs (a constraint holds one bit while it is pending); and per step, the
        pending bits as (bit, direction): +1 when holding the bit can only help every party
        (an interaction with no negative effect), -1 when it can only hurt (a red line or an
        interaction with no positive effect)."""
        position = {issue: step for step, issue in enumerate(order)}
        last = [max(position[i] for i in c.issues) for c in self.constraints]
        slots: dict[int, int] = {}
        free: list[int] = []
        width = 0
        plan: list[list[_Action]] = []
        helpful: list[list[tuple[int, int]]] = []
        for step, issue in enumerate(order):
            actions = []
            for k, constraint in enumerate(self.constraints):
                if issue not in constraint.issues:
                    continue
                starts = k not in slots
                if starts:
                    if free:
                        slots[k] = free.pop()
                    else:
                        slots[k] = width
                        width += 1
                slot = slots[k]
                actions.append(
                    _Action(
                        word=slot // 64,
                        bit=slot % 64,
                        inside=constraint.allowed[constraint.issues.index(issue)],
                        starts=starts,
                        finishes=last[k] == step,
                        bonus=constraint.bonus,
                    )
                )
            for k in [k for k in slots if last[k] == step]:
                free.append(slots.pop(k))
            free.sort(reverse=True)
            plan.append(actions)
            helpful.append(
                [
                    (slot, direction)
                    for k, slot in slots.items()
                    if (direction := self.constraints[k].direction) != 0
                ]
            )
        return plan, max(1, -(-width // 64)), helpful

    def packages(self, order: list[int], trail: list[tuple[IntArray, IntArray]]) -> IntArray:
        """Follow the trail back from the final rows to their packages."""
        rows = trail[-1][0].size if trail else 1
        out = np.zeros((rows, len(self.options)), dtype=np.int64)
        at = np.arange(rows)
        for issue, (source, pick) in zip(order[::-1], trail[::-1], strict=True):
            out[:, issue] = self.options[issue][pick[at]]
            at = source[at]
        return out


_ALL = np.uint64(0xFFFFFFFFFFFFFFFF)


def _apply(state: npt.NDArray[np.uint64], action: _Action, pick: IntArray) -> BoolArray | None:
    """Update the constraint's bit in place for the options picked; when the constraint
    finishes, clear its bit and return whether the package is inside its box."""
    word = state[:, action.word]
    inside = action.inside[pick]
    if action.starts:
        word |= inside.astype(np.uint64) << np.uint64(action.bit)
    else:
        word &= np.where(inside, _ALL, ~action.mask)
    if not action.finishes:
        return None
    holds = (word & action.mask) != 0
    word &= ~action.mask
    return np.asarray(holds)


@dataclass(frozen=True)
class _Action:
    """What deciding an issue does to one constraint's bit."""

    word: int
    bit: int
    inside: BoolArray
    """Per option of the issue: inside the constraint's box."""
    starts: bool
    finishes: bool
    bonus: FloatArray | None

    @property
    def mask(self) -> np.uint64:
        return np.uint64(1) << np.uint64(self.bit)


def _undominated_across(
    state: npt.NDArray[np.uint64], points: FloatArray, slots: list[tuple[int, int]]
) -> IntArray:
    """Rows (indices) that no row of a state one helpful bit richer dominates.

    A row A whose state differs from row B's only by holding a helpful bit that B lacks (or
    lacking a harmful one B holds), with a point at least as good for both parties, can
    follow every continuation of B and end at least as well; B can go. Rows are sorted once
    by state, then by descending utility of the first party; for each bit, the rows richer in
    it keep that order when their state is mapped to the partner state (a constant added or
    taken away), so each poorer row finds its partners by binary search, no further sort.
    Rows are already Pareto-efficient within their own state."""
    quantum = 10.0**DIGITS
    x = np.rint(points[:, 0] * quantum).astype(np.int64)
    y = np.rint(points[:, 1] * quantum).astype(np.int64)
    x = x.max() - x  # ascending x here is descending utility
    y -= y.min()
    width, span = int(x.max()) + 1, int(y.max()) + 2
    if state.size * max(width, span) >= 2**62:
        return np.arange(state.size)  # utilities too far apart for exact integer keys
    order = np.lexsort((-y, x, state))
    codes, x, y = state[order], x[order], y[order]
    for slot, direction in slots:
        bit = np.uint64(1) << np.uint64(slot)
        holds = (codes & bit) != 0
        rich = holds if direction > 0 else ~holds
        poor = np.flatnonzero(~rich)
        if poor.size == 0 or poor.size == codes.size:
            continue
        # groups: the distinct states of the poorer rows, in ascending order
        poor_codes = codes[poor]
        starts = np.concatenate([[True], poor_codes[1:] != poor_codes[:-1]])
        poor_group = np.cumsum(starts) - 1
        distinct = poor_codes[starts]
        richer = np.flatnonzero(rich)
        partner = codes[richer] ^ bit  # still ascending: the same constant for every row
        at = np.minimum(np.searchsorted(distinct, partner), distinct.size - 1)
        found = distinct[at] == partner
        richer, rich_group = richer[found], at[found]
        if richer.size == 0:
            continue
        composite = rich_group * width + x[richer]  # ascending: by group, then x
        best_y = np.maximum.accumulate(rich_group * span + y[richer] + 1)
        # the last richer row of the same group whose first utility is at least as large
        query = poor_group * width + x[poor]
        last = np.searchsorted(composite, query, side="right") - 1
        valid = last >= 0
        same = np.zeros(poor.size, dtype=bool)
        same[valid] = rich_group[last[valid]] == poor_group[valid]
        beaten = np.zeros(codes.size, dtype=bool)
        hit = poor[same]
        beaten[hit] = best_y[last[same]] >= poor_group[same] * span + y[hit] + 1
        if beaten.any():  # later bits compare the rows left (dominance is transitive)
            keep = ~beaten
            order, codes, x, y = order[keep], codes[keep], x[keep], y[keep]
    return np.asarray(np.sort(order))


def _state_codes(state: npt.NDArray[np.uint64]) -> IntArray:
    """An integer per row, equal for rows in the same state."""
    if state.shape[1] == 1:
        return state[:, 0].view(np.int64)
    _, codes = np.unique(state, axis=0, return_inverse=True)
    return np.asarray(codes.reshape(-1), dtype=np.int64)


def _named(box: BoolArray, offsets: IntArray, options: list[IntArray]) -> list[int] | None:
    """The issues whose remaining options the box restricts; None when the box is empty."""
    named = []
    for i, opts in enumerate(options):
        inside = box[offsets[i] + opts]
        if not inside.any():
            return None
        if not inside.all():
            named.append(i)
    return named
