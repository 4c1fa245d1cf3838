"""The final forecast's spread under shocks: seeded perturbations of positions and saliences.

Run ``k`` of ``runs`` draws from its own generator, ``default_rng(SeedSequence(seed).spawn(runs)
[k])``: every position moves by a normal shock of standard deviation ``position_noise`` times
its dimension's scale (then is clipped to the scale), every salience by one of standard
deviation ``salience_noise`` (clipped to [0, 1]); capabilities stay. The model then runs on the
shocked table. Because each run's shocks depend on its own seed only, the spread is the same
whatever the backend, the number of workers or the size of the blocks.

The runs go to :func:`peacetalks.sweep.executors.run_blocks` in blocks; within a block the
compromise model and the EUM run as one vectorised batch, other models run by run.

>>> from peacetalks.forecast.tables import load_dataset
>>> spread = shock_forecast(load_dataset("bdm1994_eu_car_emissions"), runs=50, seed=1)
>>> spread.runs, spread.outcomes.shape
(50, (50, 1))
>>> bool((spread.q05 <= spread.q50).all() and (spread.q50 <= spread.q95).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from peacetalks.errors import UsageError
from peacetalks.forecast.actors import ActorTable, FloatArray
from peacetalks.forecast.compromise import weighted_mean, weighted_median
from peacetalks.forecast.eum import EUMSettings, eum_paths
from peacetalks.forecast.results import ForecastResult, Spread

__all__ = ["shock_forecast", "shocked_tables", "with_spread"]

MODELS = ("compromise", "median", "eum", "smp", "exchange")


@dataclass(frozen=True)
class _Block:
    """The work of one block: the table, the model and the seeds of its runs."""

    table: ActorTable
    model: str
    seeds: tuple[np.random.SeedSequence, ...]
    position_noise: float
    salience_noise: float
    rounds: int
    settings: EUMSettings


def shock(
    table: ActorTable,
    seeds: tuple[np.random.SeedSequence, ...],
    position_noise: float,
    salience_noise: float,
) -> tuple[FloatArray, FloatArray]:
    """Shocked positions and saliences, shape ``(runs, n, d)``, one run per seed."""
    shape = (table.size, len(table.dimensions))
    draws = [np.random.default_rng(seed).standard_normal((2, *shape)) for seed in seeds]
    noise = np.stack(draws) if draws else np.zeros((0, 2, *shape))
    span = table.high - table.low
    position = np.clip(table.position + noise[:, 0] * position_noise * span, table.low, table.high)
    salience = np.clip(table.salience + noise[:, 1] * salience_noise, 0.0, 1.0)
    return position, salience


def shocked_tables(
    table: ActorTable,
    runs: int,
    seed: int,
    position_noise: float = 0.05,
    salience_noise: float = 0.1,
) -> list[ActorTable]:
    """The shocked tables themselves (for models without a batch path, or to inspect)."""
    seeds = tuple(np.random.SeedSequence(seed).spawn(runs))
    position, salience = shock(table, seeds, position_noise, salience_noise)
    return [table.with_numbers(p, s) for p, s in zip(position, salience, strict=True)]


def _run_block(block: _Block) -> FloatArray:
    """Every run's final forecast in one block, shape ``(runs, d)``."""
    table = block.table
    position, salience = shock(table, block.seeds, block.position_noise, block.salience_noise)
    weight = table.capability[:, None] * salience
    if block.model == "compromise":
        return weighted_mean(position, weight)
    if block.model == "median":
        return weighted_median(position, weight)
    if block.model == "eum":
        span = np.broadcast_to(table.high - table.low, (len(block.seeds), len(table.dimensions)))
        _, medians = eum_paths(
            position,
            np.broadcast_to(table.capability, position.shape[:2]),
            salience,
            span,
            block.rounds,
            block.settings,
        )
        final: FloatArray = medians[-1]
        return final
    return np.stack(
        [
            run_model(table.with_numbers(p, s), block.model, block.rounds).outcome
            for p, s in zip(position, salience, strict=True)
        ]
    )


def run_model(
    table: ActorTable,
    model: str,
    rounds: int,
    q: float = 1.0,
    seed: int = 0,
    settings: EUMSettings | None = None,
) -> ForecastResult:
    """Run one model by name (``smp`` and ``exchange`` are imported when asked for)."""
    if model in ("compromise", "median"):
        from peacetalks.forecast.compromise import simulate_compromise

        return simulate_compromise(table, rule="mean" if model == "compromise" else "median")
    if model == "eum":
        from peacetalks.forecast.eum import simulate_eum

        return simulate_eum(table, rounds=rounds, settings=settings or EUMSettings(q=q))
    if model == "smp":
        from peacetalks.forecast.smp import simulate_smp

        return simulate_smp(table, rounds=rounds, seed=seed)
    if model == "exchange":
        from peacetalks.forecast.exchange import simulate_exchange

        return simulate_exchange(table, rounds=rounds)
    raise UsageError(f"unknown model {model!r}; the models are: {', '.join(MODELS)}")


def shock_forecast(
    table: ActorTable,
    model: str = "eum",
    runs: int = 1000,
    seed: int = 0,
    position_noise: float = 0.05,
    salience_noise: float = 0.1,
    rounds: int = 8,
    settings: EUMSettings | None = None,
    backend: str = "inprocess",
    workers: int | None = None,
    block_size: int = 250,
) -> Spread:
    """The spread of `model`'s final forecast over `runs` seeded shocks (see the module notes).

    `settings` are the EUM's; `backend` and `workers` go to
    :func:`peacetalks.sweep.executors.run_blocks`.
    """
    if model not in MODELS:
        raise UsageError(f"unknown model {model!r}; the models are: {', '.join(MODELS)}")
    if runs < 1 or block_size < 1:
        raise UsageError("runs and block_size must be at least 1")
    if position_noise < 0 or salience_noise < 0:
        raise UsageError("shock sizes must be non-negative")
    from peacetalks.sweep.executors import run_blocks

    seeds = tuple(np.random.SeedSequence(seed).spawn(runs))
    blocks = [
        _Block(
            table,
            model,
            seeds[k : k + block_size],
            position_noise,
            salience_noise,
            rounds,
            settings or EUMSettings(),
        )
        for k in range(0, runs, block_size)
    ]
    outcomes = np.concatenate(run_blocks(_run_block, blocks, backend=backend, workers=workers))
    return _spread(outcomes, seed, position_noise, salience_noise)


def _spread(
    outcomes: FloatArray, seed: int, position_noise: float, salience_noise: float
) -> Spread:
    q = np.quantile(outcomes, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return Spread(
        runs=len(outcomes),
        seed=seed,
        position_noise=position_noise,
        salience_noise=salience_noise,
        mean=outcomes.mean(axis=0),
        std=outcomes.std(axis=0),
        q05=q[0],
        q25=q[1],
        q50=q[2],
        q75=q[3],
        q95=q[4],
        outcomes=outcomes,
    )


def with_spread(result: ForecastResult, spread: Spread) -> ForecastResult:
    """The same result carrying its spread under shocks."""
    return replace(result, spread=spread)


def describe(spread: Spread, dimensions: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per dimension: the spread's quantiles (for tables)."""
    return [
        {
            "dimension": dim,
            "mean": float(spread.mean[k]),
            "std": float(spread.std[k]),
            "q05": float(spread.q05[k]),
            "q50": float(spread.q50[k]),
            "q95": float(spread.q95[k]),
        }
        for k, dim in enumerate(dimensions)
    ]
