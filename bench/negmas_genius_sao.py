"""NegMAS side of negotiation_vs_negmas.py: run with the python of bench/.venv-negmas.

Reads one bilateral domain from a JSON file written by negotiation_vs_negmas.py (issues with
their option labels, each party's additive value of every option, reservation values: the
GENIUS domain as peacetalks imported it), builds NegMAS ``LinearAdditiveUtilityFunction``s from
it so that both tools negotiate over identical preferences, runs an SAO negotiation of
--steps steps for every pair of aspiration exponents given (the first negotiator reads the
first profile), and prints one JSON line per negotiation: the exponents,
whether and at which step they agreed, the agreement (option labels in issue order), each
negotiator's utility for it by NegMAS's utility functions, and the wall time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import warnings
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("domain", help="a JSON file written by negotiation_vs_negmas.py")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--exponents", default="5,1,0.2")
    args = parser.parse_args()

    from negmas import AspirationNegotiator, SAOMechanism

    exponents = [float(e) for e in args.exponents.split(",")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        issues, ufuns = _domain(args.domain)
        for first, second in itertools.product(exponents, repeat=2):
            start = time.perf_counter()
            mechanism = SAOMechanism(issues=issues, n_steps=args.steps)
            for k, (exponent, ufun) in enumerate(zip((first, second), ufuns, strict=True)):
                mechanism.add(
                    AspirationNegotiator(name=f"p{k}", aspiration_type=exponent), ufun=ufun
                )
            state = mechanism.run()
            seconds = time.perf_counter() - start
            agreement = state.agreement
            print(
                json.dumps(
                    {
                        "exponents": [first, second],
                        "agreement": [str(v) for v in agreement] if agreement else None,
                        "step": state.step,
                        "utilities": [float(u(agreement)) for u in ufuns] if agreement else None,
                        "reserved": [float(u.reserved_value) for u in ufuns],
                        "seconds": seconds,
                    }
                ),
                flush=True,
            )


def _domain(path: str) -> tuple[list[Any], list[Any]]:
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    with open(path) as handle:
        data = json.load(handle)
    issues = [make_issue(issue["options"], name=issue["name"]) for issue in data["issues"]]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={
                issue["name"]: dict(zip(issue["options"], table, strict=True))
                for issue, table in zip(data["issues"], values, strict=True)
            },
            weights={issue["name"]: 1.0 for issue in data["issues"]},
            issues=issues,
            reserved_value=reserved,
        )
        for values, reserved in zip(data["values"], data["reserved"], strict=True)
    ]
    return issues, ufuns


if __name__ == "__main__":
    main()
