"""Benchmark the forecasting models against the issue's targets; prints a table.

    python bench/forecast.py

- 1,000 seeded shock runs of the expected utility model on the BDM 1994 data (target < 5 s),
  in-process and on local worker processes;
- if ``peacetalks.forecast.smp`` exists: a 40-actor, 3-dimension, 100-round SMP run (target
  < 1 s; KTAB's C++ takes about 12 s on its 40-actor example).
"""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Callable

import numpy as np

import peacetalks
from peacetalks.forecast import ActorTable
from peacetalks.forecast.actors import from_scenario
from peacetalks.forecast.eum import EUMSettings
from peacetalks.forecast.shocks import shock_forecast
from peacetalks.forecast.tables import load_dataset


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    """The best of `repeat` wall-clock times, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def random_table(n: int, d: int, seed: int) -> ActorTable:
    rng = np.random.default_rng(seed)
    return ActorTable(
        actors=tuple(f"a{k}" for k in range(n)),
        dimensions=tuple(f"d{k}" for k in range(d)),
        capability=rng.uniform(0.1, 1.0, n),
        position=rng.uniform(0, 100, (n, d)),
        salience=rng.uniform(0.1, 1.0, (n, d)),
        low=np.zeros(d),
        high=np.full(d, 100.0),
    )


def main() -> None:
    bdm = load_dataset("bdm1994_eu_car_emissions")
    rows: list[tuple[str, float, float]] = []
    for name, settings in (
        ("published", EUMSettings()),
        ("scholz-code", EUMSettings.scholz_code()),
    ):
        seconds = timed(lambda s=settings: shock_forecast(bdm, "eum", 1000, seed=0, settings=s))
        rows.append((f"EUM, BDM 1994, 1,000 shocks x 8 rounds ({name}, in-process)", seconds, 5.0))
    seconds = timed(
        lambda: shock_forecast(bdm, "eum", 1000, seed=0, backend="processes", workers=4), repeat=1
    )
    rows.append(
        ("EUM, BDM 1994, 1,000 shocks x 8 rounds (4 processes, incl. start-up)", seconds, 5.0)
    )
    flagship = from_scenario(peacetalks.load("russia-ukraine-2025"))
    seconds = timed(lambda: shock_forecast(flagship, "eum", 1000, seed=0, rounds=10))
    rows.append(("EUM, flagship 12 x 3, 1,000 shocks x 10 rounds (in-process)", seconds, 5.0))
    if importlib.util.find_spec("peacetalks.forecast.smp") is not None:
        from peacetalks.forecast.smp import simulate_smp

        table = random_table(40, 3, seed=1)
        seconds = timed(lambda: simulate_smp(table, rounds=100, seed=0))
        rows.append(("SMP, 40 actors x 3 dimensions, up to 100 rounds", seconds, 1.0))
    width = max(len(row[0]) for row in rows)
    print(f"{'run':<{width}}  {'seconds':>8}  {'target':>6}  ok")
    for label, seconds, target in rows:
        ok = "yes" if seconds < target else "NO"
        print(f"{label:<{width}}  {seconds:8.3f}  {target:6.1f}  {ok}")


if __name__ == "__main__":
    main()
