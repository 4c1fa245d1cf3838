"""NegMAS side of anac2014.py: run with the python of bench/.venv-negmas.

Loads one GENIUS domain folder with NegMAS's own importer and calls
``negmas.preferences.pareto_frontier`` on it. On the ANAC 2014 domains (10^10 packages and more)
NegMAS enumerates the whole outcome space, so the parent kills this process after a short
timeout; the address space is capped (``--memory`` GB) so that the attempt cannot exhaust the
machine. Prints JSON lines as it goes: the load time first, then the frontier if it ever ends.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
import warnings


def say(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder")
    parser.add_argument("--memory", type=float, default=4.0, help="address-space cap, GB")
    args = parser.parse_args()
    cap = int(args.memory * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    from negmas import load_genius_domain_from_folder
    from negmas.preferences import pareto_frontier

    start = time.perf_counter()
    scenario = load_genius_domain_from_folder(args.folder)
    say(
        loaded=time.perf_counter() - start,
        outcomes=scenario.outcome_space.cardinality,
        ufuns=[type(ufun).__name__ for ufun in scenario.ufuns],
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            points, _ = pareto_frontier(scenario.ufuns, issues=scenario.outcome_space.issues)
        except MemoryError:
            say(error="MemoryError", after=time.perf_counter() - start)
            return
    say(frontier=time.perf_counter() - start, size=len(points))


if __name__ == "__main__":
    main()
