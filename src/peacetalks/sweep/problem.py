"""The fixed part of an uncertainty analysis, and the exact verdict of every sample of a block.

Red lines are not uncertain, so the packages that respect every signatory's red line are the
same in every sample: they are listed once (group by group) and every sample judges all of
them, vectorised (one matrix product gives every package's utility to every party in every
sample). Also listed once: for each red line, the packages that cross that red line and no other
signatory red line (to tell whether dropping it alone would open a ZOPA), and the completions of
every proposal.

A block is computed from its seed alone (see :mod:`peacetalks.sweep.sampling`), so any backend
gives the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from peacetalks.analysis.enumerated import CANDIDATE_LIMIT
from peacetalks.analysis.groups import Groups
from peacetalks.analysis.zopa import signatories
from peacetalks.compiled import TOLERANCE, BoolArray, CompiledScenario, FloatArray, IntArray
from peacetalks.errors import UsageError
from peacetalks.model.scenario import Scenario
from peacetalks.sweep.sampling import Arrays, Batch, Input, draw, uncertain_inputs

CHUNK = 32
"""Samples judged together (bounds memory: CHUNK x parties x packages numbers)."""


@dataclass(frozen=True)
class PackageSet:
    """Packages with what every sample needs to judge them."""

    incidence: FloatArray  # (N, T) one-hot options
    boxes: FloatArray  # (N, K) 1 where an interaction holds

    @staticmethod
    def of(compiled: CompiledScenario, packages: IntArray) -> PackageSet:
        incidence = np.zeros((packages.shape[0], int(compiled.offsets[-1])))
        if packages.size:
            rows = np.repeat(np.arange(packages.shape[0]), packages.shape[1])
            incidence[rows, (packages + compiled.offsets[:-1]).reshape(-1)] = 1.0
        boxes = (
            compiled.in_boxes(compiled.interaction_boxes, packages).astype(float)
            if packages.size
            else np.zeros((0, compiled.interaction_boxes.shape[0]))
        )
        return PackageSet(incidence, boxes)

    @property
    def size(self) -> int:
        return int(self.incidence.shape[0])

    def gains(self, batch: Batch) -> FloatArray:
        """(S, P, N) every party's effective gain over its reservation value, per package:
        (I - alpha)(U - r), with U from one matrix product over all samples and parties."""
        samples, parties, options = batch.values.shape
        utility = (batch.values.reshape(samples * parties, options) @ self.incidence.T).reshape(
            samples, parties, -1
        )
        if self.boxes.shape[1]:
            kinds = batch.bonus.shape[2]
            bonus = batch.bonus.reshape(samples * parties, kinds) @ self.boxes.T
            utility += bonus.reshape(samples, parties, -1)
        utility -= batch.reservation[:, :, None]
        if batch.alpha.any():
            utility -= np.matmul(batch.alpha, utility)
        return utility


@dataclass(frozen=True)
class GroupedSet:
    """The packages that respect the signatories' red lines, kept as the product of each
    independent group's settlements (see :mod:`peacetalks.analysis.groups`).

    Utility is additive across groups, so every package's gain is a sum of one small table
    per group: the tables are computed per sample and added by broadcasting, in the order in
    which :meth:`Groups.candidates` lists the packages.
    """

    incidences: tuple[FloatArray, ...]  # per group: (settlements, T) one-hot options
    boxes: tuple[FloatArray, ...]  # per group: (settlements, K) interactions that hold
    always: FloatArray  # (K,) 1 for interactions that hold in every package

    @staticmethod
    def of(groups: Groups) -> GroupedSet:
        compiled = groups.compiled
        kinds = compiled.interaction_boxes.shape[0]
        incidences, boxes = [], []
        for g in range(len(groups.members)):
            rows = groups.settlements(g)
            incidence = np.zeros((rows.shape[0], int(compiled.offsets[-1])))
            for i in groups.members[g]:
                incidence[np.arange(rows.shape[0]), compiled.offsets[i] + rows[:, i]] = 1.0
            held = np.zeros((rows.shape[0], kinds))
            inside = groups.interactions[g]
            if inside and rows.shape[0]:
                held[:, inside] = compiled.in_boxes(compiled.interaction_boxes[inside], rows)
            incidences.append(incidence)
            boxes.append(held)
        always = np.zeros(kinds)
        always[groups.always] = 1.0
        return GroupedSet(tuple(incidences), tuple(boxes), always)

    @property
    def size(self) -> int:
        return int(np.prod([m.shape[0] for m in self.incidences]))

    def gains(self, batch: Batch) -> FloatArray:
        """(S, P, N) every party's effective gain over its reservation value, per package."""
        samples, parties, options = batch.values.shape
        mix = np.eye(parties)[None] - batch.alpha  # (S, P, P)
        flat_values = batch.values.reshape(samples * parties, options)
        kinds = batch.bonus.shape[2]
        flat_bonus = batch.bonus.reshape(samples * parties, kinds)
        constant = (batch.bonus * self.always).sum(axis=2) - batch.reservation  # (S, P)
        total = np.matmul(mix, constant[:, :, None]).reshape(samples, parties)
        count = len(self.incidences)
        grid = total.reshape(samples, parties, *([1] * count))
        for g, (incidence, held) in enumerate(zip(self.incidences, self.boxes, strict=True)):
            table = (flat_values @ incidence.T).reshape(samples, parties, -1)
            if kinds and held.any():
                table += (flat_bonus @ held.T).reshape(samples, parties, -1)
            table = np.matmul(mix, table)  # relative gains mix the parties' tables
            shape = [samples, parties] + [1] * count
            shape[2 + g] = table.shape[2]
            grid = grid + table.reshape(shape)
        out: FloatArray = grid.reshape(samples, parties, -1)
        return out


@dataclass(frozen=True)
class Proposal:
    """A proposal's completions and which parties' red lines each crosses."""

    id: str
    packages: PackageSet
    crossed: BoolArray  # (completions, P)


@dataclass(frozen=True)
class Problem:
    """Everything a block needs, picklable (plain arrays): the analysis of one scenario."""

    inputs: list[Input]
    groups: dict[str, float]
    arrays: Arrays
    signatories: list[int]
    candidates: GroupedSet
    red_line_ids: tuple[str, ...]
    near: tuple[PackageSet | None, ...]
    """Per red line: packages crossing it and no other signatory red line (None: too many to
    list, so the red line is not assessed)."""
    proposals: tuple[Proposal, ...]

    @staticmethod
    def of(scenario: Scenario) -> Problem:
        compiled = scenario.compiled
        sign = signatories(compiled)
        structure = Groups.of(compiled, sign)
        listed = structure.candidates(CANDIDATE_LIMIT)
        if listed is None:
            raise UsageError(
                f"scenario {scenario.id!r} has more than {CANDIDATE_LIMIT:,} packages that respect "
                "the signatories' red lines; uncertainty analysis needs them listed"
            )
        near = []
        for index in range(len(compiled.red_line_ids)):
            crossing = _crossing_only(compiled, sign, listed, index)
            near.append(None if crossing is None else PackageSet.of(compiled, crossing))
        proposals = []
        for proposal in scenario.proposals:
            completions = _proposal_packages(scenario, proposal.id)
            if completions is None:
                continue
            crossed = compiled.party_crossed(compiled.crossed(completions))
            proposals.append(Proposal(proposal.id, PackageSet.of(compiled, completions), crossed))
        groups = (
            {name: group.correlation for name, group in scenario.uncertainty.groups.items()}
            if scenario.uncertainty
            else {}
        )
        return Problem(
            inputs=uncertain_inputs(scenario),
            groups=groups,
            arrays=Arrays.of(scenario),
            signatories=sign,
            candidates=GroupedSet.of(structure),
            red_line_ids=compiled.red_line_ids,
            near=tuple(near),
            proposals=tuple(proposals),
        )

    def input_index(self, path: str) -> int:
        """The column of an uncertain input, by its path."""
        for j, item in enumerate(self.inputs):
            if item.path == path:
                return j
        from peacetalks.errors import did_you_mean

        known = [item.path for item in self.inputs]
        hint = did_you_mean(path, known) or "no uncertain input has that path"
        raise UsageError(f"unknown uncertain input {path!r} ({hint})")


def _proposal_packages(scenario: Scenario, proposal_id: str) -> IntArray | None:
    """Every way to complete a proposal (open issues take their defaults first); None when
    there are too many."""
    from peacetalks.analysis.evaluate import MAX_COMPLETIONS

    compiled = scenario.compiled
    vector = compiled.encode(scenario.proposal(proposal_id).package)
    for i, issue in enumerate(scenario.issues):
        if vector[i] < 0 and issue.default is not None:
            vector[i] = issue.option_ids.index(issue.default)
    count = int(np.prod([int(compiled.sizes[i]) for i in np.flatnonzero(vector < 0)]))
    return None if count > MAX_COMPLETIONS else compiled.completions(vector)


def _crossing_only(
    compiled: CompiledScenario, sign: list[int], listed: IntArray, index: int
) -> IntArray | None:
    """Packages that cross red line `index` (a signatory's) and no other signatory red line;
    None when the packages without that red line are too many to list."""
    owner_rows = np.isin(compiled.red_line_party, sign)
    if not owner_rows[compiled.red_line_index == index].any():
        return np.zeros((0, listed.shape[1]), dtype=np.int64)
    keep = compiled.red_line_index != index
    dropped = replace(
        compiled,
        red_line_boxes=compiled.red_line_boxes[keep],
        red_line_party=compiled.red_line_party[keep],
        red_line_index=compiled.red_line_index[keep],
    )
    wider = Groups.of(dropped, sign).candidates(CANDIDATE_LIMIT)
    if wider is None:
        return None
    if wider.shape[0] == listed.shape[0]:
        return np.zeros((0, listed.shape[1]), dtype=np.int64)
    crossed = compiled.crossed(wider)[:, (compiled.red_line_index == index) & owner_rows]
    return wider[crossed.any(axis=1)]


@dataclass(frozen=True)
class BlockResult:
    """Per sample of one block."""

    draws: FloatArray  # (S, inputs)
    gap: FloatArray  # (S,) the closest package's largest shortfall (<= 0: a ZOPA)
    binding: IntArray  # (S,) the signatory (index into signatories) short at the closest package
    red_lines: BoolArray  # (S, R) dropping that red line alone opens a ZOPA (no ZOPA before)
    proposals: BoolArray  # (S, Q) every completion accepted by every signatory


@dataclass(frozen=True)
class ScenarioRef:
    """A scenario as a job carries it to a worker: its JSON and a hash to cache by."""

    digest: str
    text: str

    @staticmethod
    def of(scenario: Scenario) -> ScenarioRef:
        return ScenarioRef(scenario.content_hash(), scenario.canonical_json())


_PROBLEMS: dict[str, Problem] = {}


def problem_of(ref: ScenarioRef) -> Problem:
    """The problem of a scenario, built once per process."""
    if ref.digest not in _PROBLEMS:
        _PROBLEMS.clear()  # one scenario at a time is enough
        _PROBLEMS[ref.digest] = Problem.of(Scenario.model_validate_json(ref.text))
    return _PROBLEMS[ref.digest]


def remember(ref: ScenarioRef, problem: Problem) -> None:
    """Cache a problem built here (the in-process backend then never rebuilds it)."""
    _PROBLEMS.clear()
    _PROBLEMS[ref.digest] = problem


Job = tuple[ScenarioRef, np.random.SeedSequence, int, bool, dict[int, float]]
"""(scenario, block seed, samples, judge red lines, inputs held fixed: column -> value)."""


def evaluate_block(job: Job) -> BlockResult:
    """The exact verdict of every sample of one block."""
    ref, seed, count, red_lines, fixed = job
    problem = problem_of(ref)
    draws = draw(problem.inputs, problem.groups, count, seed)
    for column, value in fixed.items():
        draws[:, column] = value
    return judge(problem, draws, red_lines)


def judge(problem: Problem, draws: FloatArray, red_lines: bool = True) -> BlockResult:
    """The verdict of every row of `draws` (one row per sample)."""
    count = draws.shape[0]
    sign = problem.signatories
    gap = np.empty(count)
    binding = np.empty(count, dtype=np.int64)
    blocked = np.zeros((count, len(problem.red_line_ids)), dtype=bool)
    accepted = np.zeros((count, len(problem.proposals)), dtype=bool)
    for start in range(0, count, CHUNK):
        rows = slice(start, start + CHUNK)
        batch = problem.arrays.batch(problem.inputs, draws[rows])
        if problem.candidates.size:
            gains = problem.candidates.gains(batch)
            smallest = gains[:, sign, :].min(axis=1)  # (s, N)
            best = smallest.argmax(axis=1)
            gap[rows] = -smallest[np.arange(best.size), best]
            at_best = gains[np.arange(best.size), :, best][:, sign]  # (s, S)
            binding[rows] = at_best.argmin(axis=1)
        else:  # no package respects every signatory's red lines, whatever the numbers
            gap[rows] = np.inf
            binding[rows] = -1
        none = gap[rows] > TOLERANCE
        if red_lines and none.any():
            for r, near in enumerate(problem.near):
                if near is None or near.size == 0:
                    continue
                extra = near.gains(batch)
                opens = extra[:, sign, :].min(axis=1).max(axis=1) >= -TOLERANCE
                blocked[rows, r] = none & opens
        for q, proposal in enumerate(problem.proposals):
            extra = proposal.packages.gains(batch)
            ok = (extra >= -TOLERANCE) & ~proposal.crossed.T[None, :, :]
            accepted[rows, q] = ok[:, sign, :].all(axis=(1, 2))
    return BlockResult(draws, gap, binding, blocked, accepted)
