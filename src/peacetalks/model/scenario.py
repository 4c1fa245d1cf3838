"""The scenario: the whole negotiation as written down by an analyst."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import Field, model_validator

from peacetalks.errors import ScenarioError, UsageError, did_you_mean
from peacetalks.model.base import Frozen, Slug
from peacetalks.model.checks import check_scenario
from peacetalks.model.parties import Issue, Party, Source
from peacetalks.model.preferences import Preferences
from peacetalks.model.proposal import Proposal
from peacetalks.model.red_lines import RedLine
from peacetalks.model.stakeholders import Stakeholders
from peacetalks.model.uncertainty import Uncertainty
from peacetalks.model.war import War

if TYPE_CHECKING:
    from peacetalks.analysis.analyze import Analysis
    from peacetalks.analysis.evaluate import Evaluation
    from peacetalks.compiled import CompiledScenario


class Scenario(Frozen):
    """A negotiation: parties, issues, preferences, red lines and proposals, with sources.

    Immutable: a what-if is a new, re-validated scenario made with :meth:`evolve`.
    """

    id: Slug
    title: str
    as_of: dt.date = Field(description="the date the positions describe")
    description: str | None = None
    sources: tuple[Source, ...] = Field(min_length=1)
    parties: tuple[Party, ...] = Field(min_length=2)
    issues: tuple[Issue, ...] = Field(min_length=1)
    preferences: dict[Slug, Preferences]
    red_lines: tuple[RedLine, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    war: War | None = Field(
        default=None, description="a model of the continuing war, the outside option over time"
    )
    uncertainty: Uncertainty | None = Field(
        default=None, description="correlation groups of uncertain numbers"
    )
    stakeholders: Stakeholders | None = Field(
        default=None,
        description="an actor table for the forecasting models (stakeholders beyond the "
        "signatories welcome)",
    )

    @model_validator(mode="after")
    def _references_hold(self) -> Scenario:
        problems = check_scenario(self)
        if problems:
            raise ScenarioError(problems)
        return self

    def evolve(self, **changes: Any) -> Scenario:
        """A validated copy with some top-level fields replaced (a what-if).

        >>> import peacetalks
        >>> flagship = peacetalks.load("russia-ukraine-2025")
        >>> softer = flagship.evolve(red_lines=flagship.red_lines[1:])
        >>> len(softer.red_lines) == len(flagship.red_lines) - 1
        True
        """
        data = self.model_dump(by_alias=True, exclude_none=True)
        data.update(changes)
        return Scenario.model_validate(data)

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Scenario:
        """A copy; the numeric form is recomputed rather than copied (it may be stale)."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("compiled", None)
        return copy

    def canonical_json(self) -> str:
        """The scenario's content as JSON (what runs are recorded and cached against)."""
        return self.model_dump_json(by_alias=True, exclude_none=True)

    def content_hash(self) -> str:
        """SHA-256 of :meth:`canonical_json`: equal for equal content, whatever the file."""
        import hashlib

        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def party(self, party_id: str) -> Party:
        """The party with this id."""
        return _find(self.parties, party_id, "party")

    def issue(self, issue_id: str) -> Issue:
        """The issue with this id."""
        return _find(self.issues, issue_id, "issue")

    def proposal(self, proposal_id: str) -> Proposal:
        """The proposal with this id."""
        return _find(self.proposals, proposal_id, "proposal")

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        return _find(self.sources, source_id, "source")

    def red_lines_of(self, party_id: str) -> tuple[RedLine, ...]:
        """The red lines of one party."""
        return tuple(line for line in self.red_lines if line.party == party_id)

    @property
    def signatories(self) -> tuple[Party, ...]:
        """The parties whose consent a deal needs."""
        return tuple(party for party in self.parties if party.signatory)

    @cached_property
    def compiled(self) -> CompiledScenario:
        """The numeric form every analysis reads (computed once)."""
        from peacetalks.compiled import compile_scenario

        return compile_scenario(self)

    def analyze(self) -> Analysis:
        """Is there a deal, what would it take, which deal (see :mod:`peacetalks.analysis`).

        >>> import peacetalks
        >>> result = peacetalks.load("camp-david-1978").analyze()
        >>> result.zopa.exists
        True
        """
        from peacetalks.analysis.analyze import analyze

        return analyze(self)

    def evaluate(self, package: Mapping[str, str] | str) -> Evaluation:
        """Each party's verdict on a package (issue -> option) or on a named proposal.

        >>> import peacetalks
        >>> flagship = peacetalks.load("russia-ukraine-2025")
        >>> verdict = flagship.evaluate("kremlin-terms")
        >>> verdict.accepted_by_all
        False
        """
        from peacetalks.analysis.evaluate import evaluate

        return evaluate(self, package)


_Item = TypeVar("_Item", Party, Issue, Proposal, Source)


def _find(items: tuple[_Item, ...], item_id: str, what: str) -> _Item:
    for item in items:
        if item.id == item_id:
            return item
    hint = did_you_mean(item_id, [item.id for item in items]) or "there are none"
    raise UsageError(f"no {what} {item_id!r} in this scenario; {hint}")
