"""NegMAS side of sao_vs_negmas.py: run with the python of bench/.venv-negmas.

Reads two parties' additive utilities from an .npz file (as negmas_frontier.py), runs a 100-step
SAO negotiation between two AspirationNegotiators (NegMAS's time-based concession), repeats it,
and prints one JSON object: the best and median time, and whether/when they agreed, with the
agreement's utilities.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("utilities")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--exponent", type=float, default=1.0)
    args = parser.parse_args()

    import negmas
    from _negmas_ufuns import issues_and_ufuns
    from negmas import AspirationNegotiator, SAOMechanism

    times: list[float] = []
    result: dict[str, object] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(max(1, args.repeat)):
            issues, ufuns = issues_and_ufuns(args.utilities)  # fresh per run, as before
            start = time.perf_counter()
            mechanism = SAOMechanism(issues=issues, n_steps=args.steps)
            for p in range(len(ufuns)):
                mechanism.add(
                    AspirationNegotiator(name=f"p{p}", aspiration_type=args.exponent),
                    ufun=ufuns[p],
                )
            state = mechanism.run()
            times.append(time.perf_counter() - start)
            agreement = state.agreement
            result = {
                "agreement": agreement is not None,
                "step": state.step,
                "utilities": [float(u(agreement)) for u in ufuns] if agreement else None,
            }
    print(
        json.dumps(
            {
                "negmas": negmas.__version__,
                "best": min(times),
                "median": statistics.median(times),
                "runs": len(times),
                **result,
            }
        )
    )


if __name__ == "__main__":
    main()
