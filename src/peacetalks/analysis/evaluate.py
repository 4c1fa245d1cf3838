"""Would each party accept this package, and why (not)?"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from peacetalks.compiled import TOLERANCE, CompiledScenario, FloatArray, IntArray
from peacetalks.errors import UsageError
from peacetalks.model.scenario import Scenario
from peacetalks.results import Result

MAX_COMPLETIONS = 2_000_000
"""A partial package is judged over all its completions; beyond this many, fix more issues."""


@dataclass(frozen=True)
class RedLineHit(Result):
    """A red line a package crosses."""

    id: str
    kind: str
    description: str
    sources: tuple[str, ...]
    quote: str | None
    always: bool
    """True when every completion of the package crosses it (always true for a full package)."""


@dataclass(frozen=True)
class IssueScore(Result):
    """What one issue of a full package is worth to a party, against the best it could get."""

    issue: str
    option: str
    points: float
    best_option: str
    best_points: float

    @property
    def loss(self) -> float:
        """How much utility the party gives up on this issue."""
        return self.best_points - self.points


@dataclass(frozen=True)
class PartyVerdict(Result):
    """One party's verdict on a package."""

    party: str
    name: str
    signatory: bool
    has_preferences: bool
    accepts: bool | None
    """True or False; None when it depends on how the open issues are settled."""
    utility: tuple[float, float]
    """Utility before relative gains: (low, high) over completions; equal for a full package."""
    effective_utility: tuple[float, float]
    reservation: float
    margin: tuple[float, float]
    """Effective utility minus reservation value: (low, high)."""
    accept_share: float
    """Share of the package's completions this party accepts (0 or 1 for a full package)."""
    red_lines_crossed: tuple[RedLineHit, ...]
    interactions: tuple[str, ...]
    """Descriptions of interaction terms that apply (full packages only)."""
    scores: tuple[IssueScore, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation(Result):
    """Every party's verdict on one package."""

    scenario: str
    proposal: str | None
    package: dict[str, str]
    defaulted: tuple[str, ...]
    """Issues the package left open that took the issue's default option."""
    open_issues: tuple[str, ...]
    completions: int
    verdicts: tuple[PartyVerdict, ...]
    accepted_by_all: bool | None
    """Whether every signatory accepts; None when it depends on the open issues."""
    share_accepted_by_all: float

    def verdict(self, party_id: str) -> PartyVerdict:
        """The verdict of one party."""
        for verdict in self.verdicts:
            if verdict.party == party_id:
                return verdict
        raise UsageError(f"no party {party_id!r} in this evaluation")


def evaluate(scenario: Scenario, package: Mapping[str, str] | str) -> Evaluation:
    """Each party's verdict on a package (issue -> option) or on the proposal with this id."""
    proposal_id = None
    if isinstance(package, str):
        proposal_id = package
        package = scenario.proposal(package).package
    compiled = scenario.compiled
    vector = compiled.encode(package)
    defaulted = []
    for i, issue in enumerate(scenario.issues):
        if vector[i] < 0 and issue.default is not None:
            vector[i] = issue.option_ids.index(issue.default)
            defaulted.append(issue.id)
    open_issues = tuple(compiled.issue_ids[i] for i in np.flatnonzero(vector < 0))
    count = int(np.prod([int(compiled.sizes[i]) for i in np.flatnonzero(vector < 0)]))
    if count > MAX_COMPLETIONS:
        raise UsageError(
            f"the package leaves {len(open_issues)} issues open ({', '.join(open_issues)}): "
            f"{count:,} ways to settle them, more than {MAX_COMPLETIONS:,}; fix more issues"
        )
    packages = compiled.completions(vector)
    utilities = compiled.utilities(packages)
    effective = compiled.effective(utilities)
    crossed = compiled.crossed(packages)
    accepts = (effective - compiled.reservation >= -TOLERANCE) & ~compiled.party_crossed(crossed)
    signatories = np.flatnonzero(compiled.signatory)
    all_accept = np.asarray(accepts[:, signatories].all(axis=1), dtype=bool)
    verdicts = tuple(
        _party_verdict(scenario, compiled, p, packages, utilities, effective, crossed, accepts)
        for p in range(len(compiled.party_ids))
    )
    return Evaluation(
        scenario=scenario.id,
        proposal=proposal_id,
        package=compiled.decode(vector),
        defaulted=tuple(defaulted),
        open_issues=open_issues,
        completions=count,
        verdicts=verdicts,
        accepted_by_all=_all_or_none(all_accept),
        share_accepted_by_all=float(all_accept.mean()),
    )


def _all_or_none(flags: npt.NDArray[np.bool_]) -> bool | None:
    if flags.all():
        return True
    if not flags.any():
        return False
    return None


def _party_verdict(
    scenario: Scenario,
    compiled: CompiledScenario,
    p: int,
    packages: IntArray,
    utilities: FloatArray,
    effective: FloatArray,
    crossed: np.ndarray,
    accepts: np.ndarray,
) -> PartyVerdict:
    party = scenario.parties[p]
    if party.id not in scenario.preferences:
        zero = (0.0, 0.0)
        return PartyVerdict(
            party=party.id,
            name=party.name,
            signatory=party.signatory,
            has_preferences=False,
            accepts=None,
            utility=zero,
            effective_utility=zero,
            reservation=0.0,
            margin=zero,
            accept_share=0.0,
            red_lines_crossed=(),
            interactions=(),
            scores=(),
            reasons=("no preferences given: no verdict",),
        )
    reservation = float(compiled.reservation[p])
    hits = _red_line_hits(scenario, compiled, p, crossed)
    full = packages.shape[0] == 1
    scores = _issue_scores(compiled, p, packages[0]) if full else ()
    interactions = _interactions(scenario, compiled, p, packages[0]) if full else ()
    margin = effective[:, p] - reservation
    verdict = PartyVerdict(
        party=party.id,
        name=party.name,
        signatory=party.signatory,
        has_preferences=True,
        accepts=_all_or_none(accepts[:, p]),
        utility=_span(utilities[:, p]),
        effective_utility=_span(effective[:, p]),
        reservation=reservation,
        margin=_span(margin),
        accept_share=float(accepts[:, p].mean()),
        red_lines_crossed=hits,
        interactions=interactions,
        scores=scores,
        reasons=(),
    )
    return _with_reasons(verdict, compiled, p)


def _span(column: FloatArray) -> tuple[float, float]:
    return float(column.min()), float(column.max())


def _red_line_hits(
    scenario: Scenario, compiled: CompiledScenario, p: int, crossed: np.ndarray
) -> tuple[RedLineHit, ...]:
    hits = []
    for index in sorted(set(compiled.red_line_index[compiled.red_line_party == p].tolist())):
        rows = compiled.red_line_index == index
        per_package = crossed[:, rows].any(axis=1)
        if not per_package.any():
            continue
        line = scenario.red_lines[index]
        hits.append(
            RedLineHit(
                id=line.id,
                kind=line.kind,
                description=line.description or describe_red_line(scenario, index),
                sources=line.source_ids,
                quote=line.quote,
                always=bool(per_package.all()),
            )
        )
    return tuple(hits)


def describe_red_line(scenario: Scenario, index: int) -> str:
    """A red line in words, e.g. 'never nato = membership-path'."""
    line = scenario.red_lines[index]
    if line.never is not None:
        return "never " + _condition_text(line.never)
    assert line.if_ is not None and line.then is not None
    return f"if {_condition_text(line.if_)} then {_condition_text(line.then)}"


def _condition_text(condition: Mapping[str, str | tuple[str, ...]]) -> str:
    parts = []
    for issue, chosen in condition.items():
        names = (chosen,) if isinstance(chosen, str) else chosen
        parts.append(f"{issue} = {' or '.join(names)}")
    return " and ".join(parts)


def _issue_scores(compiled: CompiledScenario, p: int, package: IntArray) -> tuple[IssueScore, ...]:
    scores = []
    for i, issue_id in enumerate(compiled.issue_ids):
        row = compiled.values[p, compiled.offsets[i] : compiled.offsets[i + 1]]
        if not row.any():
            continue
        top = int(row.argmax())
        scores.append(
            IssueScore(
                issue=issue_id,
                option=compiled.option_ids[i][int(package[i])],
                points=float(row[package[i]]),
                best_option=compiled.option_ids[i][top],
                best_points=float(row[top]),
            )
        )
    return tuple(scores)


def _interactions(
    scenario: Scenario, compiled: CompiledScenario, p: int, package: IntArray
) -> tuple[str, ...]:
    prefs = scenario.preferences[scenario.parties[p].id]
    own = np.flatnonzero(compiled.interaction_party == p)
    inside = compiled.in_boxes(compiled.interaction_boxes[own], package[None, :])[0]
    out = []
    for interaction, k, applies in zip(prefs.interactions, own, inside, strict=True):
        if applies:
            bonus = float(compiled.interaction_bonus[p, k])
            label = interaction.description or _condition_text(interaction.when)
            out.append(f"{label} ({bonus:+.3f})")
    return tuple(out)


def _with_reasons(verdict: PartyVerdict, compiled: CompiledScenario, p: int) -> PartyVerdict:
    reasons = [_margin_reason(verdict)]
    for hit in verdict.red_lines_crossed:
        cited = f" [{', '.join(hit.sources)}]" if hit.sources else ""
        when = "" if hit.always else " in some ways of settling the open issues"
        reasons.append(f"crosses red line {hit.id!r}: {hit.description}{when}{cited}")
    shift = verdict.effective_utility[0] - verdict.utility[0]
    others = [compiled.party_ids[q] for q in np.flatnonzero(compiled.alpha[p])]
    if others and abs(shift) > TOLERANCE and verdict.utility[0] == verdict.utility[1]:
        direction = "lowers" if shift < 0 else "raises"
        reasons.append(
            f"its relative-gains concern for {', '.join(others)} {direction} the package's worth "
            f"by {abs(shift):.3f}"
        )
    losses = sorted(verdict.scores, key=lambda score: score.loss, reverse=True)
    losses = [score for score in losses[:3] if score.loss > TOLERANCE]
    if losses:
        words = "; ".join(
            f"{s.issue}: gets {s.option} ({s.points:.3f}), wanted {s.best_option} "
            f"({s.best_points:.3f})"
            for s in losses
        )
        reasons.append(f"gives up most on {words}")
    reasons += [f"interaction applies: {text}" for text in verdict.interactions]
    return replace(verdict, reasons=tuple(reasons))


def _margin_reason(verdict: PartyVerdict) -> str:
    low, high = verdict.margin
    value = verdict.effective_utility
    if low == high:
        relation = "at or above" if low >= -TOLERANCE else "below"
        return (
            f"effective utility {value[0]:.3f} is {relation} its reservation value "
            f"{verdict.reservation:.3f} (margin {low:+.3f})"
        )
    return (
        f"effective utility ranges {value[0]:.3f}..{value[1]:.3f} over the open issues against "
        f"its reservation value {verdict.reservation:.3f} (margin {low:+.3f}..{high:+.3f}); "
        f"it accepts {verdict.accept_share:.0%} of the ways to settle them"
    )
