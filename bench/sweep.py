"""Uncertainty analysis of the flagship: samples per second, and Dask's speed-up.

Each sample draws every uncertain number of the flagship (155 of them) and gets an exact ZOPA
verdict and gap over its 17,280 red-line-respecting packages (``red_line_samples=0``: the
red-line question, asked on 1,000 draws by default, is timed separately). Timed as the library
call ``sweep(...)``, after the scenario is loaded.

Targets (issue text): 10,000 samples under 10 s and 100,000 under 60 s on this 2-core machine;
and the speed-up of the Dask backend with 2 workers over one process.

    python bench/sweep.py [--repeat 1] [--large 100000]
"""

from __future__ import annotations

import argparse
import time

from _common import table


def timed(label: str, **options: object) -> tuple[str, int, float, float]:
    import peacetalks
    from peacetalks.sweep.montecarlo import sweep

    flagship = peacetalks.load("russia-ukraine-2025")
    start = time.perf_counter()
    result = sweep(flagship, **options)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    return label, result.samples, seconds, result.zopa.share


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", type=int, default=100_000, help="samples of the large run")
    args = parser.parse_args()
    runs = [
        timed("10,000, in-process", samples=10_000, seed=0, red_line_samples=0),
        timed(
            "10,000, in-process, red lines on 1,000",
            samples=10_000,
            seed=0,
            red_line_samples=1_000,
        ),
        timed(f"{args.large:,}, in-process", samples=args.large, seed=0, red_line_samples=0),
        timed(
            f"{args.large:,}, dask, 2 workers",
            samples=args.large,
            seed=0,
            red_line_samples=0,
            backend="dask",
            workers=2,
        ),
        timed(
            f"{args.large:,}, processes, 2 workers",
            samples=args.large,
            seed=0,
            red_line_samples=0,
            backend="processes",
            workers=2,
        ),
    ]
    rows = [
        [label, f"{samples:,}", f"{seconds:.2f}", f"{samples / seconds:,.0f}", f"{share:.4f}"]
        for label, samples, seconds, share in runs
    ]
    print("Flagship uncertainty analysis (russia-ukraine-2025), seed 0")
    print(table(["run", "samples", "s", "samples/s", "P(ZOPA)"], rows))
    one = runs[2][2]
    print()
    print(f"10,000 samples: {runs[0][2]:.2f} s (target < 10 s)")
    print(f"{args.large:,} samples: best {min(r[2] for r in runs[2:]):.2f} s (target < 60 s)")
    print(f"Dask with 2 workers over one process: {one / runs[3][2]:.2f}x")
    print(f"processes with 2 workers over one process: {one / runs[4][2]:.2f}x")
    shares = {round(r[3], 12) for r in runs[2:]}
    print(f"same numbers on every backend: {'yes' if len(shares) == 1 else 'NO'}")


if __name__ == "__main__":
    main()
