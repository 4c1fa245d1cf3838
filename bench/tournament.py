"""A tournament on the ANAC 2014 GENIUS domains: wall time of 1,000+ negotiations.

Target (issue text): a 1,000-negotiation tournament on ANAC domains under 30 s on this machine.
Every assignment of three time-based strategies (Boulware, linear, conceder) to the two
negotiators of each of the 12 ANAC 2014 domains (9 assignments per domain), repeated 10 times
with seeds: 1,080 negotiations of 100 rounds. Offers come from each domain's exact Pareto
frontier (the domains have 10^10 to 10^40 packages). Timed: loading the domains, then the
tournament (computing the frontiers, the negotiations, and the Nash/frontier distances).

    python bench/tournament.py [--backend inprocess|processes|dask] [--repetitions 10]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path("/work/shared/genius/y2014")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="inprocess")
    parser.add_argument("--repetitions", type=int, default=10)
    args = parser.parse_args()
    from peacetalks.io.genius import load_genius
    from peacetalks.negotiation.tournament import tournament

    start = time.perf_counter()
    domains = [load_genius(folder) for folder in sorted(ROOT.iterdir()) if folder.is_dir()]
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    result = tournament(
        domains,
        ["boulware", "linear", "conceder"],
        repetitions=args.repetitions,
        deadline=100,
        seed=0,
        backend=args.backend,
        workers=2 if args.backend != "inprocess" else None,
    )
    seconds = time.perf_counter() - start
    print(f"{len(domains)} ANAC 2014 domains loaded in {loaded:.2f} s")
    print(
        f"{result.negotiations:,} negotiations ({args.backend}) in {seconds:.2f} s "
        f"(target < 30 s): {'met' if seconds < 30 else 'NOT met'}"
    )
    for score in result.strategies:
        print(
            f"  {score.strategy:10} agreements {100 * score.agreement_rate:5.1f}%  "
            f"mean utility {score.mean_utility:.3f}"
        )


if __name__ == "__main__":
    main()
