"""The main job: is there a deal, what would it take, which deal — in one result."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from peacetalks.analysis.enumerated import CANDIDATE_LIMIT, Candidates, maxmin_order
from peacetalks.analysis.evaluate import evaluate
from peacetalks.analysis.explain import explain
from peacetalks.analysis.frontier import Frontier, frontier_packages, frontier_result
from peacetalks.analysis.groups import Groups
from peacetalks.analysis.solutions import Solutions, solutions
from peacetalks.analysis.space import Count, exact
from peacetalks.analysis.what_it_takes import WhatItTakes, what_it_takes
from peacetalks.analysis.zopa import (
    ScoredPackage,
    maxmin_packages,
    red_line_space,
    scored,
    signatories,
    zopa_count,
)
from peacetalks.compiled import CompiledScenario
from peacetalks.model.scenario import Scenario
from peacetalks.results import Result

BEST = 5


@dataclass(frozen=True)
class Space(Result):
    """The size of the package space."""

    packages: int
    respecting_red_lines: Count
    """Packages that cross no red line of any party."""
    respecting_signatory_red_lines: Count
    """Packages that cross no red line of any signatory (the set searched for a deal)."""


@dataclass(frozen=True)
class Zopa(Result):
    """The zone of possible agreement."""

    exists: bool
    size: Count
    best: tuple[ScoredPackage, ...]
    """Up to five Pareto-efficient packages in the ZOPA, best first by their smallest
    signatory gain (ties: smallest total shortfall)."""
    method: str


@dataclass(frozen=True)
class ProposalVerdict(Result):
    """One named proposal, judged by every party."""

    id: str
    name: str
    date: str | None
    by: str | None
    accepted_by_all: bool | None
    verdicts: dict[str, dict[str, object]]
    """Party -> accepts (True, False or None when open issues decide), margin, red lines."""


@dataclass(frozen=True)
class Closest(Result):
    """The Pareto-efficient packages nearest to a deal when there is none, ranked by their
    largest shortfall (ties: smallest total shortfall)."""

    largest_shortfall: float
    packages: tuple[ScoredPackage, ...]


@dataclass(frozen=True)
class Analysis(Result):
    """Everything `peacetalks analyze` reports."""

    scenario: str
    title: str
    signatories: tuple[str, ...]
    verdict: tuple[str, ...]
    """The verdict in words, one sentence per item."""
    space: Space
    zopa: Zopa
    proposals: tuple[ProposalVerdict, ...]
    closest: Closest | None
    what_it_takes: WhatItTakes | None
    frontier: Frontier
    solutions: Solutions

    def _repr_html_(self) -> str:
        """A compact HTML summary (Jupyter)."""
        from peacetalks.report.html import analysis_html

        return analysis_html(self)


def analyze(
    scenario: Scenario, enumerate_limit: int = CANDIDATE_LIMIT, with_what_it_takes: bool = True
) -> Analysis:
    """Run every analysis of a scenario.

    The exact Pareto frontier comes first; the best (or closest) packages are the efficient
    packages ranked by their smallest signatory gain. When the packages that respect every
    signatory's red line number at most `enumerate_limit`, they are listed (group by group, so
    this is cheap) and most other questions are answered by a vectorised scan; otherwise they go
    to the MILP solver. Both are exact. ``enumerate_limit=0`` forces the MILP path.

    ``with_what_it_takes=False`` leaves out what it would take to open a missing ZOPA (the
    slowest part: a few MILPs); :func:`complete` adds it later (the web explorer shows the
    verdict first, then what it takes).
    """
    compiled = scenario.compiled
    sign = signatories(compiled)
    groups = Groups.of(compiled, sign)
    listed = groups.candidates(enumerate_limit) if enumerate_limit > 0 else None
    candidates = None if listed is None else Candidates.of(compiled, listed, sign)
    space = Space(
        packages=compiled.space_size,
        respecting_red_lines=_respecting(compiled, list(range(len(compiled.party_ids)))),
        respecting_signatory_red_lines=_respecting(compiled, sign, groups),
    )
    efficient, frontier_method = frontier_packages(compiled)
    front = frontier_result(compiled, efficient, frontier_method)
    pool = None if efficient is None else Candidates.of(compiled, efficient, sign)
    if pool is not None:
        ranked = [scored(compiled, pool.packages[i]) for i in maxmin_order(pool, BEST)]
        how = "the Pareto frontier"
    else:
        ranked = [scored(compiled, package) for package in maxmin_packages(compiled, BEST)]
        how = "MILP"
    feasible = bool(ranked)
    exists = feasible and ranked[0].largest_shortfall <= 0
    if feasible:
        smallest = min(ranked[0].gains.values())
        method = f"exact ({how}: the best package's smallest signatory gain is {smallest:+.6f})"
    else:
        method = "exact: no package respects every signatory's red lines"
    if candidates is not None:
        size = exact(int(candidates.in_zopa.sum()), "exact (enumeration)")
    elif feasible:
        size = zopa_count(compiled, exists, sum(item.largest_shortfall <= 0 for item in ranked))
    else:
        size = exact(0, method)
    zopa = Zopa(
        exists=exists,
        size=size,
        best=tuple(item for item in ranked if item.largest_shortfall <= 0),
        method=method,
    )
    closest = None
    if feasible and not exists:
        closest = Closest(ranked[0].largest_shortfall, tuple(ranked))
    takes = None if exists or not with_what_it_takes else what_it_takes(compiled, candidates)
    analysis = Analysis(
        scenario=scenario.id,
        title=scenario.title,
        signatories=tuple(compiled.party_ids[p] for p in sign),
        verdict=(),
        space=space,
        zopa=zopa,
        proposals=tuple(_proposal(scenario, proposal.id) for proposal in scenario.proposals),
        closest=closest,
        what_it_takes=takes,
        frontier=front,
        solutions=solutions(
            compiled,
            zopa=exists,
            feasible=feasible,
            candidates=candidates or pool,
            complete=candidates is not None,
        ),
    )
    return _with_verdict(scenario, analysis)


def complete(
    scenario: Scenario, analysis: Analysis, enumerate_limit: int = CANDIDATE_LIMIT
) -> Analysis:
    """An analysis made with ``with_what_it_takes=False``, with what it would take to open a
    ZOPA added and the verdict rewritten (unchanged when a ZOPA exists or it is there).

    >>> import peacetalks
    >>> flagship = peacetalks.load("russia-ukraine-2025")
    >>> quick = analyze(flagship, with_what_it_takes=False)
    >>> quick.what_it_takes is None, complete(flagship, quick) == analyze(flagship)
    (True, True)
    """
    if analysis.zopa.exists or analysis.what_it_takes is not None:
        return analysis
    compiled = scenario.compiled
    sign = signatories(compiled)
    listed = Groups.of(compiled, sign).candidates(enumerate_limit) if enumerate_limit else None
    candidates = None if listed is None else Candidates.of(compiled, listed, sign)
    takes = what_it_takes(compiled, candidates)
    return _with_verdict(scenario, replace(analysis, what_it_takes=takes))


def _respecting(
    compiled: CompiledScenario, owners: list[int], groups: Groups | None = None
) -> Count:
    count = (groups or Groups.of(compiled, owners)).count()
    if count is not None:
        return exact(count, "exact (product over independent groups of issues)")
    return red_line_space(compiled, owners)


def _with_verdict(scenario: Scenario, analysis: Analysis) -> Analysis:
    return replace(analysis, verdict=tuple(explain(scenario, analysis)))


def _proposal(scenario: Scenario, proposal_id: str) -> ProposalVerdict:
    proposal = scenario.proposal(proposal_id)
    result = evaluate(scenario, proposal_id)
    return ProposalVerdict(
        id=proposal.id,
        name=proposal.name,
        date=proposal.date.isoformat() if proposal.date else None,
        by=proposal.by,
        accepted_by_all=result.accepted_by_all,
        verdicts={
            v.party: {
                "accepts": v.accepts,
                "margin": float(np.round(v.margin[0], 6))
                if v.margin[0] == v.margin[1]
                else [float(m) for m in v.margin],
                "red_lines": [hit.id for hit in v.red_lines_crossed],
            }
            for v in result.verdicts
            if v.has_preferences
        },
    )
