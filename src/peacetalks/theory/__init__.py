"""The classic formal models of bargaining and war, as small pure functions.

Each function takes floats or numpy arrays, validates them (raising
:class:`peacetalks.errors.UsageError` with the argument's name), and returns a frozen result
dataclass with ``to_dict()``/``to_json()``. Numerical failures raise :class:`ConvergenceError`.
Source keys [M#] refer to the formal-models reference; docs/explanation/formal-models.md
explains each model and the choices made.

* Fearon [M1][M2]: :func:`fearon_range`, :func:`mutual_optimism`, :func:`screening`,
  :func:`screening_numeric`
* Powell [M4]: :func:`commitment_problem`
* War of attrition [M9][M10][M12]: :func:`attrition_hazards`, :func:`time_varying_hazards`,
  :func:`concession_time`, :func:`concession_time_uniform`
* Rubinstein [M14]-[M17]: :func:`rubinstein_shares`
* Zartman [M18]-[M20]: :func:`ripeness`
* Truces as shifts of power: :func:`truce`
* Slantchev [M6]: :func:`convergence`
"""

from peacetalks.theory._checks import ConvergenceError
from peacetalks.theory.attrition import (
    AttritionEquilibrium,
    ConcessionTimes,
    TimeVaryingAttrition,
    attrition_hazards,
    concession_time,
    concession_time_uniform,
    time_varying_hazards,
)
from peacetalks.theory.commitment import CommitmentProblem, commitment_problem
from peacetalks.theory.convergence import Convergence, convergence
from peacetalks.theory.fearon import (
    BargainingRange,
    MutualOptimism,
    Screening,
    fearon_range,
    mutual_optimism,
    screening,
    screening_numeric,
)
from peacetalks.theory.ripeness import Ripeness, ripeness
from peacetalks.theory.rubinstein import RubinsteinShares, rubinstein_shares
from peacetalks.theory.truce import TruceAnalysis, truce

__all__ = [
    "AttritionEquilibrium",
    "BargainingRange",
    "CommitmentProblem",
    "ConcessionTimes",
    "Convergence",
    "ConvergenceError",
    "MutualOptimism",
    "Ripeness",
    "RubinsteinShares",
    "Screening",
    "TimeVaryingAttrition",
    "TruceAnalysis",
    "attrition_hazards",
    "commitment_problem",
    "concession_time",
    "concession_time_uniform",
    "convergence",
    "fearon_range",
    "mutual_optimism",
    "ripeness",
    "rubinstein_shares",
    "screening",
    "screening_numeric",
    "time_varying_hazards",
    "truce",
]
