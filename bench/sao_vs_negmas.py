"""A 100-round bilateral negotiation on a 10,000-package domain: peacetalks vs NegMAS's SAO.

Target (issue text): at least 10x faster than NegMAS's SAO with its aspiration negotiators.

Both sides read the same random additive utilities (4 issues x 10 options, 2 parties, seed
[0, 2]; reservation values 0). NegMAS (``negmas_sao.py`` under bench/.venv-negmas) times
building an ``SAOMechanism(n_steps=100)`` with two ``AspirationNegotiator``s (linear aspiration,
``aspiration_type=1.0``) and running it. peacetalks times ``simulate(...)`` with two ``linear``
time-based negotiators (alternating offers, deadline 100), including building its offer space
from the 10,000 packages. Both are best of --repeat runs; agreement, round and utilities are
printed side by side (the strategies are equivalent in spirit, not identical in their offers).

    python bench/sao_vs_negmas.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from _common import BENCH, NEGMAS_PYTHON, best, median, table, timed
from frontier_vs_negmas import scenario_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import peacetalks
    from peacetalks.negotiation import simulate

    rng = np.random.default_rng([0, 2])
    weights = rng.random((2, 4))
    weights /= weights.sum(axis=1, keepdims=True)
    values = rng.random((2, 4, 10))
    scenario = peacetalks.Scenario.model_validate(scenario_data(weights, values))
    _ = scenario.compiled
    strategies = {"p0": "linear", "p1": "linear"}
    times, run = timed(
        lambda: simulate(
            scenario.model_copy(), strategies, protocol="alternating", deadline=100, seed=0
        ),
        args.repeat,
    )
    ours = run.outcome
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sao.npz"
        np.savez(path, weights=weights, values=values)
        if NEGMAS_PYTHON.exists():
            done = subprocess.run(
                [
                    str(NEGMAS_PYTHON),
                    str(BENCH / "negmas_sao.py"),
                    str(path),
                    "--repeat",
                    str(args.repeat),
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=600,
            )
            theirs = json.loads(done.stdout.strip().splitlines()[-1])
        else:
            theirs = None
    rows = [
        [
            "peacetalks (linear x linear)",
            f"{best(times):.4f}",
            f"{median(times):.4f}",
            "yes" if ours.agreement else "no",
            str(ours.period),
            ", ".join(f"{u:.3f}" for u in (ours.utilities or {}).values()),
        ]
    ]
    if theirs is not None:
        rows.append(
            [
                f"NegMAS {theirs['negmas']} SAO (aspiration x aspiration)",
                f"{theirs['best']:.4f}",
                f"{theirs['median']:.4f}",
                "yes" if theirs["agreement"] else "no",
                str(theirs["step"]),
                ", ".join(f"{u:.3f}" for u in theirs["utilities"] or []),
            ]
        )
    print("100-round bilateral negotiation, 10,000 packages (4 issues x 10 options), seed [0, 2]")
    print(table(["side", "best s", "median s", "agreement", "round", "utilities"], rows))
    if theirs is not None:
        ratio = theirs["best"] / best(times)
        print(f"\nspeed ratio (NegMAS best / peacetalks best): {ratio:,.1f}x (target >= 10x)")
    else:
        print("\nNegMAS not run: create bench/.venv-negmas with bench/setup_negmas.sh")


if __name__ == "__main__":
    main()
