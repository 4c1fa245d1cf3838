"""Simulated negotiations: protocols (alternating, stacked, mediated), strategies (the
Kremlin's playbook among them), truces, tournaments, and their traces."""

from peacetalks.negotiation.engine import PROTOCOLS, Simulation, simulate
from peacetalks.negotiation.strategies import (
    STRATEGIES,
    Strategy,
    View,
    default_strategies,
    register,
    strategy,
)

__all__ = [
    "PROTOCOLS",
    "STRATEGIES",
    "Simulation",
    "Strategy",
    "View",
    "default_strategies",
    "register",
    "simulate",
    "strategy",
]
