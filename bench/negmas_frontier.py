"""NegMAS side of frontier_vs_negmas.py: run with the python of bench/.venv-negmas.

Reads random additive utilities from an .npz file (``weights``: parties x issues, normalised
to sum to 1 per party; ``values``: parties x issues x options, in [0, 1]), builds NegMAS issues
and ``LinearAdditiveUtilityFunction``s from them and times ``negmas.preferences.pareto_frontier``
(which enumerates the outcome space, evaluates every utility function and filters the Pareto
frontier). Only the frontier call is timed. Prints one JSON object on stdout.

Repeats stop early when another run would overrun ``--budget`` seconds in total.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("utilities", help=".npz file with 'weights' and 'values'")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--budget", type=float, default=float("inf"))
    args = parser.parse_args()

    import negmas
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction, pareto_frontier

    data = np.load(args.utilities)
    weights, values = data["weights"], data["values"]
    parties, n_issues, n_options = values.shape
    options = [f"o{k}" for k in range(n_options)]
    issues = [make_issue(options, name=f"i{i}") for i in range(n_issues)]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={
                f"i{i}": {options[k]: float(values[p, i, k]) for k in range(n_options)}
                for i in range(n_issues)
            },
            weights={f"i{i}": float(weights[p, i]) for i in range(n_issues)},
            issues=issues,
            reserved_value=0.0,
        )
        for p in range(parties)
    ]

    times: list[float] = []
    points: tuple[tuple[float, ...], ...] = ()
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "too many outcomes" warnings: we know
        for _ in range(max(1, args.repeat)):
            t0 = time.perf_counter()
            points, _indices = pareto_frontier(ufuns, issues=issues)
            times.append(time.perf_counter() - t0)
            elapsed = time.perf_counter() - started
            if elapsed + min(times) > args.budget:
                break

    json.dump(
        {
            "negmas": negmas.__version__,
            "parties": parties,
            "outcomes": n_options**n_issues,
            "times": times,
            "points": [list(map(float, point)) for point in points],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
