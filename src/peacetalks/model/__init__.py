"""The domain model: the nouns of a negotiation, and no maths."""

from peacetalks.model.base import Cited, Slug
from peacetalks.model.numbers import Estimate, Number, best, bounds
from peacetalks.model.parties import Issue, Option, Party, Source
from peacetalks.model.preferences import Condition, Interaction, Preferences
from peacetalks.model.proposal import Package, Proposal
from peacetalks.model.red_lines import RedLine
from peacetalks.model.scenario import Scenario

__all__ = [
    "Cited",
    "Condition",
    "Estimate",
    "Interaction",
    "Issue",
    "Number",
    "Option",
    "Package",
    "Party",
    "Preferences",
    "Proposal",
    "RedLine",
    "Scenario",
    "Slug",
    "Source",
    "best",
    "bounds",
]
