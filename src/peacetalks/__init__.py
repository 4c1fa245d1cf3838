"""peacetalks: analyse and simulate peace negotiations.

>>> import peacetalks
>>> scenario = peacetalks.load("russia-ukraine-2025")
>>> [party.id for party in scenario.parties]
['russia', 'ukraine', 'usa', 'eu']
"""

from peacetalks.errors import PeacetalksError, ScenarioError, UsageError
from peacetalks.io import load, load_file, parse
from peacetalks.model import Scenario
from peacetalks.scenarios import FLAGSHIP, builtin_ids

__version__ = "0.1.0"

__all__ = [
    "FLAGSHIP",
    "PeacetalksError",
    "Scenario",
    "ScenarioError",
    "UsageError",
    "__version__",
    "builtin_ids",
    "load",
    "load_file",
    "parse",
]
