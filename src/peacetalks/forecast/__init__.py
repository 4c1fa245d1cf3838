"""Actor-based forecasting: compromise, expected utility, spatial bargaining and exchange models."""

from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.exchange import simulate_exchange
from peacetalks.forecast.results import ForecastResult, Interaction, Round, Spread
from peacetalks.forecast.smp import SmpOptions, simulate_smp

__all__ = [
    "ActorTable",
    "ForecastResult",
    "Interaction",
    "Round",
    "SmpOptions",
    "Spread",
    "simulate_exchange",
    "simulate_smp",
]
