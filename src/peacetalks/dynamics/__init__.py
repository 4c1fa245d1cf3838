"""The war as the outside option: reservation values that move over time (see
:mod:`peacetalks.dynamics.analysis`), simulated by :mod:`peacetalks.dynamics.war`."""

from peacetalks.dynamics.analysis import dynamics
from peacetalks.dynamics.results import Dynamics

__all__ = ["Dynamics", "dynamics"]
