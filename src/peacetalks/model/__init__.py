"""The domain model: the nouns of a negotiation, and no maths."""

from peacetalks.model.base import Cited, Slug
from peacetalks.model.numbers import Estimate, Number, best, bounds
from peacetalks.model.parties import Issue, Option, Party, Source
from peacetalks.model.preferences import Condition, Interaction, Preferences
from peacetalks.model.proposal import Package, Proposal
from peacetalks.model.red_lines import RedLine
from peacetalks.model.scenario import Scenario
from peacetalks.model.stakeholders import Dimension, Stakeholder, Stakeholders
from peacetalks.model.uncertainty import CorrelationGroup, Uncertainty
from peacetalks.model.war import Belief, Lever, Sanctions, Shock, Support, War, WarStakes

__all__ = [
    "Belief",
    "Cited",
    "Condition",
    "CorrelationGroup",
    "Dimension",
    "Estimate",
    "Interaction",
    "Issue",
    "Lever",
    "Number",
    "Option",
    "Package",
    "Party",
    "Preferences",
    "Proposal",
    "RedLine",
    "Sanctions",
    "Scenario",
    "Shock",
    "Slug",
    "Source",
    "Stakeholder",
    "Stakeholders",
    "Support",
    "Uncertainty",
    "War",
    "WarStakes",
    "best",
    "bounds",
]
