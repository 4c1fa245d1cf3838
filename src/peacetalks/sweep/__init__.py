"""Uncertainty analysis (Monte Carlo and grid sweeps over a scenario's stated ranges) and the
executors that sweeps and tournaments map over (in-process, local processes, Dask)."""

from peacetalks.sweep.executors import BACKENDS, Executor, run_blocks
from peacetalks.sweep.montecarlo import SweepResult, sweep

__all__ = ["BACKENDS", "Executor", "SweepResult", "run_blocks", "sweep"]
