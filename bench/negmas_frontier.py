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
import math
import sys
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("utilities", help=".npz file with 'weights' and 'values'")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--budget", type=float, default=float("inf"))
    args = parser.parse_args()

    import negmas
    from _negmas_ufuns import issues_and_ufuns
    from negmas.preferences import pareto_frontier

    issues, ufuns = issues_and_ufuns(args.utilities)

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
            "parties": len(ufuns),
            "outcomes": math.prod(issue.cardinality for issue in issues),
            "times": times,
            "points": [list(map(float, point)) for point in points],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
