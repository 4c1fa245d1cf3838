"""Simulated negotiations: protocols, strategies, and their traces (work in progress: the
mediated single text, the playbook strategy, tournaments and the NegMAS comparison follow)."""

from peacetalks.negotiation.engine import PROTOCOLS, Simulation, simulate
from peacetalks.negotiation.strategies import STRATEGIES, Strategy, View, register, strategy

__all__ = [
    "PROTOCOLS",
    "STRATEGIES",
    "Simulation",
    "Strategy",
    "View",
    "register",
    "simulate",
    "strategy",
]
