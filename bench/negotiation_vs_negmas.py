"""Simulated negotiations on GENIUS domains: peacetalks vs NegMAS, outcome by outcome.

For every bilateral domain of ANAC 2010 and 2011 under ../shared/genius (11 domains, 3 to
390,625 packages), every assignment of three time-based strategies to the two negotiators (9
per domain): peacetalks' ``boulware``, ``linear`` and ``conceder`` (aspiration
``max - (max - r) t^(1/e)`` with e = 0.2, 1, 5) against NegMAS 0.16's ``AspirationNegotiator``
with the same curves (``max - (max - r) t^k``, k = 5, 1, 0.2). NegMAS runs in its own venv
(bench/.venv-negmas) over utility functions built from the tables peacetalks imported, so both
negotiate over identical preferences (discounting ignored, reservation values kept).

Time: NegMAS's SAO with 100 steps lets each negotiator offer once per step, so peacetalks runs
alternating offers with a deadline of 200 rounds: 100 offers each in both.

Printed per domain and in total: agreement rate, mean utility of each side's agreements, mean
Euclidean distance of the agreements from the Nash bargaining solution (over the packages that
give both at least their reservation value), mean share of the time used, how often the two
tools reach the same package, and the wall time of the negotiations (peacetalks includes
building its offer space once per domain).

    python bench/negotiation_vs_negmas.py [--steps 100]
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from _common import BENCH, NEGMAS_PYTHON, ratio, seconds, table

ROOT = Path("/work/shared/genius")
YEARS = ("y2010", "y2011")
STRATEGIES = {"boulware": 5.0, "linear": 1.0, "conceder": 0.2}
"""peacetalks strategy -> NegMAS aspiration exponent of the same concession curve."""


@dataclass
class Tally:
    """One tool's results on a set of negotiations."""

    runs: int = 0
    agreements: int = 0
    utilities: list[tuple[float, float]] = field(default_factory=list)
    nash_distance: list[float] = field(default_factory=list)
    time_used: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, utilities: np.ndarray | None, nash: np.ndarray, used: float) -> None:
        self.runs += 1
        if utilities is None:
            return
        self.agreements += 1
        self.utilities.append((float(utilities[0]), float(utilities[1])))
        self.nash_distance.append(float(np.linalg.norm(utilities - nash)))
        self.time_used.append(used)

    def row(self) -> list[str]:
        u = np.array(self.utilities) if self.utilities else np.full((1, 2), np.nan)
        return [
            f"{self.agreements}/{self.runs}",
            f"{u[:, 0].mean():.3f}",
            f"{u[:, 1].mean():.3f}",
            f"{np.mean(self.nash_distance):.3f}" if self.nash_distance else "-",
            f"{np.mean(self.time_used):.2f}" if self.time_used else "-",
            seconds(self.seconds),
        ]

    def merge(self, other: Tally) -> None:
        self.runs += other.runs
        self.agreements += other.agreements
        self.utilities += other.utilities
        self.nash_distance += other.nash_distance
        self.time_used += other.time_used
        self.seconds += other.seconds


def export(compiled, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The domain as NegMAS needs it: issues, each party's value of every option, reserves."""
    sign = [p for p in range(len(compiled.party_ids)) if compiled.signatory[p]]
    offsets = compiled.offsets
    data = {
        "issues": [
            {"name": issue, "options": list(options)}
            for issue, options in zip(compiled.issue_ids, compiled.option_ids, strict=True)
        ],
        "values": [
            [
                compiled.values[p, offsets[i] : offsets[i + 1]].tolist()
                for i in range(len(compiled.issue_ids))
            ]
            for p in sign
        ],
        "reserved": [float(compiled.reservation[p]) for p in sign],
    }
    path.write_text(json.dumps(data))


def nash_point(utilities: np.ndarray, reservation: np.ndarray) -> np.ndarray:
    gains = utilities - reservation
    ok = (gains >= 0).all(axis=1)
    product = np.where(ok, gains.prod(axis=1), -np.inf)
    return utilities[int(np.argmax(product))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=100)
    args = parser.parse_args()
    from peacetalks.io.genius import load_genius
    from peacetalks.negotiation import simulate
    from peacetalks.negotiation.space import OfferSpace

    if not NEGMAS_PYTHON.exists():
        raise SystemExit("NegMAS not found: create bench/.venv-negmas with bench/setup_negmas.sh")
    folders = [f for year in YEARS for f in sorted((ROOT / year).iterdir()) if f.is_dir()]
    rows, same_total, both_total, worst = [], 0, 0, 0.0
    totals = {"peacetalks": Tally(), "NegMAS": Tally()}
    for folder in folders:
        scenario = load_genius(folder)
        compiled = scenario.compiled
        negotiators = [p.id for p in scenario.signatories]
        columns = [compiled.party_ids.index(p) for p in negotiators]
        reservation = compiled.reservation[columns]
        start = time.perf_counter()
        space = OfferSpace.of(compiled)
        ours, theirs = Tally(seconds=time.perf_counter() - start), Tally()
        nash = nash_point(compiled.utilities(space.packages)[:, columns], reservation)
        deadline = 2 * args.steps
        our_packages = []
        for first, second in itertools.product(STRATEGIES, repeat=2):
            start = time.perf_counter()
            run = simulate(
                scenario,
                dict(zip(negotiators, (first, second), strict=True)),
                protocol="alternating",
                deadline=deadline,
                seed=0,
                space=space,
            )
            ours.seconds += time.perf_counter() - start
            outcome = run.outcome
            package = compiled.encode(outcome.package) if outcome.package else None
            our_packages.append(package)
            utilities = (
                compiled.utilities(package[None, :])[0, columns] if package is not None else None
            )
            ours.add(utilities, nash, (outcome.period + 1) / deadline)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "domain.json"
            export(compiled, path)
            exponents = ",".join(str(e) for e in STRATEGIES.values())
            done = subprocess.run(
                [str(NEGMAS_PYTHON), str(BENCH / "negmas_genius_sao.py"), str(path)]
                + ["--steps", str(args.steps), "--exponents", exponents],
                capture_output=True,
                text=True,
                check=True,
                timeout=1800,
            )
        same = both = 0
        for line, mine in zip(done.stdout.strip().splitlines(), our_packages, strict=True):
            result = json.loads(line)
            theirs.seconds += result["seconds"]
            package = None
            if result["agreement"] is not None:
                chosen = dict(zip(compiled.issue_ids, result["agreement"], strict=True))
                package = compiled.encode(chosen)
                utilities = compiled.utilities(package[None, :])[0, columns]
                gap = float(np.abs(utilities - result["utilities"]).max())
                worst = max(worst, gap)
                assert gap < 1e-3, (folder, result)
                theirs.add(utilities, nash, result["step"] / args.steps)
            else:
                theirs.add(None, nash, 1.0)
            both += (package is None) == (mine is None)
            same += package is not None and mine is not None and bool(np.all(package == mine))
        same_total += same
        both_total += both
        size = f"{compiled.space_size:,}"
        for tool, tally in (("peacetalks", ours), ("NegMAS", theirs)):
            totals[tool].merge(tally)
            label = f"{folder.parent.name}/{folder.name} ({size})" if tool == "peacetalks" else ""
            rows.append([label, tool, *tally.row(), f"{same}/9" if tool == "NegMAS" else ""])
    for tool, tally in totals.items():
        rows.append(["all domains" if tool == "peacetalks" else "", tool, *tally.row(), ""])
    print(
        f"{len(folders)} bilateral GENIUS domains (ANAC 2010-2011), 9 strategy pairings each, "
        f"{args.steps} offers per negotiator"
    )
    headers = ["domain (packages)", "tool", "agreed", "mean u1", "mean u2", "to Nash"]
    print(table([*headers, "time used", "seconds", "same deal"], rows))
    runs = totals["peacetalks"].runs
    print(
        f"\nsame verdict (both agree or both fail): {both_total}/{runs}; "
        f"same package: {same_total}/{runs}"
    )
    print(f"largest difference between the two tools' utilities of an agreement: {worst:.1e}")
    speed = ratio(totals["NegMAS"].seconds, totals["peacetalks"].seconds)
    print(f"speed (NegMAS seconds / peacetalks seconds, negotiations only): {speed}")


if __name__ == "__main__":
    main()
