"""Actor-based forecasting: compromise, expected utility, spatial bargaining and exchange models."""

from peacetalks.forecast.actors import ActorTable

__all__ = ["ActorTable"]
