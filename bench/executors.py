"""Wall time of the same CPU-bound numpy workload on each executor backend.

Every item carries a seed (`numpy.random.SeedSequence(seed).spawn(items)`) and sorts and
summarises a few hundred thousand normal draws: single-threaded numpy (no BLAS), so one item
uses one core and the backends are compared fairly. For each backend:

- `cold s`: one `run_blocks(...)` call, start-up of the pool or cluster included (what a
  one-off sweep pays);
- `warm s`: the best of `--repeat` runs in an `Executor` kept open (start-up paid once).

`speed-up` is the in-process (one process) time over the backend's time, cold and warm. The
results of every run are compared with the in-process ones, bit for bit (`same results`).
Nothing leaves the machine: the Dask cluster is a local one on 127.0.0.1. About 30 s here.

    python bench/executors.py [--items 16] [--size 400000] [--repeat 3] [--seed 2024]
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from _common import seconds, table

from peacetalks.sweep import Executor, run_blocks
from peacetalks.sweep.executors import BackendFallbackWarning

Item = tuple[np.random.SeedSequence, int]


def workload(item: Item) -> np.ndarray:
    """Draw `size` normals from the item's seed, sort them, return a few quantiles."""
    seed, size = item
    rng = np.random.default_rng(seed)
    values = np.sort(rng.standard_normal(size))
    for _ in range(3):
        values = np.sort(np.abs(values - values.mean()) + rng.standard_normal(size) * 1e-3)
    quantiles: np.ndarray = values[np.linspace(0, size - 1, 9).astype(int)]
    return quantiles


def wall(run: Callable[[], list[np.ndarray]]) -> tuple[float, list[np.ndarray]]:
    start = time.perf_counter()
    results = run()
    return time.perf_counter() - start, results


def same(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def measure(
    backend: str, workers: int, items: list[Item], repeat: int
) -> tuple[float, float, list[list[np.ndarray]]]:
    """Cold and warm wall time of `backend`, and the results of every run."""
    cold, first = wall(lambda: run_blocks(workload, items, backend=backend, workers=workers))
    runs = [first]
    warm = float("inf")
    with Executor(backend, workers) as executor:
        executor.run(workload, items[:workers])  # start every worker
        for _ in range(repeat):
            elapsed, results = wall(lambda: executor.run(workload, items))
            warm = min(warm, elapsed)
            runs.append(results)
    return cold, warm, runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=16)
    parser.add_argument("--size", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    warnings.simplefilter("error", BackendFallbackWarning)  # time the backend, or nothing
    seeds = np.random.SeedSequence(args.seed).spawn(args.items)
    items: list[Item] = [(seed, args.size) for seed in seeds]

    times = [wall(lambda: run_blocks(workload, items)) for _ in range(max(1, args.repeat))]
    one = min(elapsed for elapsed, _ in times)
    reference = times[0][1]
    rows: list[list[object]] = [["inprocess", 1, seconds(one), seconds(one), "1.0x", "1.0x", "yes"]]
    speedups = {}
    for backend, workers in [("processes", 2), ("dask", 1), ("dask", 2)]:
        cold, warm, runs = measure(backend, workers, items, args.repeat)
        ok = all(same(run, reference) for run in runs)
        speedups[(backend, workers)] = (one / cold, one / warm)
        rows.append(
            [
                backend,
                workers,
                seconds(cold),
                seconds(warm),
                f"{one / cold:.1f}x",
                f"{one / warm:.1f}x",
                "yes" if ok else "NO",
            ]
        )

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"{args.items} items of {args.size:,} draws, {os.cpu_count()} cores (load average "
        f"{load}); warm = best of {args.repeat}; speed-up = one process (in-process) time / "
        "backend time\n"
    )
    headers = ["backend", "workers", "cold s", "warm s", "speed-up cold", "speed-up warm"]
    print(table([*headers, "same results"], rows))
    cold_up, warm_up = speedups[("dask", 2)]
    print(
        f"\nDask with 2 workers over one process: {warm_up:.2f}x warm (cluster kept), "
        f"{cold_up:.2f}x cold (cluster start-up included)"
    )


if __name__ == "__main__":
    main()
