"""Pareto frontier of 10^6 packages (6 issues x 10 options): peacetalks against NegMAS 0.16.0.

For each number of parties, random additive utilities (seeded: per party, random issue weights
normalised to sum to 1 and per-option values in [0, 1]) are drawn once and saved to a temporary
.npz file. peacetalks builds a scenario from them (no red lines, reservation 0, every party a
signatory) and times ``frontier(scenario.compiled)`` in this process; NegMAS reads the same file
in its own virtual environment (bench/negmas_frontier.py run by bench/.venv-negmas/bin/python)
and times ``negmas.preferences.pareto_frontier``. The two frontiers are compared as sets of
utility vectors (equal within 1e-9).

Targets (issue text): NegMAS takes about 4.6 s for 2 parties, 6 s for 3 and 80 s for 5 on this
machine; peacetalks must be at least 100x faster for 2 and 3 parties and under 1 s for 5.

    python bench/frontier_vs_negmas.py [--parties 2,3,5] [--repeat 3] [--skip-negmas]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import BENCH, NEGMAS_PYTHON, best, median, ratio, seconds, table, timed

ISSUES = 6
OPTIONS = 10
TOLERANCE = 1e-9


def draw(parties: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Normalised weights (parties x issues) and values (parties x issues x options)."""
    rng = np.random.default_rng([seed, parties])
    weights = rng.random((parties, ISSUES))
    weights /= weights.sum(axis=1, keepdims=True)
    values = rng.random((parties, ISSUES, OPTIONS))
    return weights, values


def scenario_data(weights: np.ndarray, values: np.ndarray) -> dict[str, Any]:
    """The scenario (plain data, as in a YAML file) of additive utilities."""
    parties, issues, options = values.shape
    return {
        "id": f"random-{parties}-parties",
        "title": f"Random additive utilities, {parties} parties",
        "as_of": "2025-01-01",
        "sources": [{"id": "random", "title": "numpy random numbers"}],
        "parties": [{"id": f"p{p}", "name": f"Party {p}", "kind": "other"} for p in range(parties)],
        "issues": [
            {
                "id": f"i{i}",
                "name": f"Issue {i}",
                "options": [{"id": f"o{k}", "label": f"Option {k}"} for k in range(options)],
            }
            for i in range(issues)
        ],
        "preferences": {
            f"p{p}": {
                "weights": {f"i{i}": float(weights[p, i]) for i in range(issues)},
                "values": {
                    f"i{i}": {f"o{k}": float(values[p, i, k]) for k in range(options)}
                    for i in range(issues)
                },
                "reservation": 0.0,
            }
            for p in range(parties)
        },
    }


def peacetalks_side(path: Path, repeat: int) -> dict[str, Any]:
    import peacetalks
    from peacetalks.analysis.frontier import frontier

    data = np.load(path)
    plain = scenario_data(data["weights"], data["values"])

    def build() -> Any:
        return peacetalks.Scenario.model_validate(plain).compiled

    build_times, compiled = timed(build, repeat)
    times, result = timed(lambda: frontier(compiled), repeat)
    if result.size is not None and len(result.points) < result.size:
        result = frontier(compiled, limit=result.size)
    names = list(compiled.party_ids)
    points = np.array([[point.utilities[name] for name in names] for point in result.points])
    return {
        "times": times,
        "build": build_times,
        "size": result.size,
        "method": result.method,
        "points": points.reshape(-1, len(names)),
    }


def negmas_side(path: Path, repeat: int, timeout: float) -> dict[str, Any]:
    """NegMAS's times and frontier, or {'error': why}."""
    if not NEGMAS_PYTHON.exists():
        return {"error": "no NegMAS venv (run bench/setup_negmas.sh)"}
    command = [
        str(NEGMAS_PYTHON),
        str(BENCH / "negmas_frontier.py"),
        str(path),
        "--repeat",
        str(repeat),
        "--budget",
        str(timeout),
    ]
    try:
        # NegMAS's own import takes a few seconds: allow for it on top of the budget
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout + 60, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timeout: one frontier took over {timeout:.0f} s", "timeout": True}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        return {"error": f"NegMAS failed (exit {done.returncode}): {tail[0]}"}
    out = json.loads(done.stdout)
    out["points"] = np.array(out["points"], dtype=float).reshape(-1, out["parties"])
    return out


def unmatched(a: np.ndarray, b: np.ndarray, tolerance: float = TOLERANCE) -> int:
    """How many rows of `a` have no row of `b` within `tolerance` on every coordinate."""
    if b.shape[0] == 0:
        return int(a.shape[0])
    missing = 0
    for start in range(0, a.shape[0], 256):
        block = a[start : start + 256]
        close = (np.abs(block[:, None, :] - b[None, :, :]) <= tolerance).all(axis=2)
        missing += int((~close.any(axis=1)).sum())
    return missing


def target(parties: int, negmas: float | None, ours: float) -> tuple[str, str]:
    """The issue's target for this many parties and whether it is met."""
    if parties <= 3:
        if negmas is None:
            return ">=100x", "?"
        return ">=100x", "yes" if negmas / ours >= 100 else "NO"
    if parties == 5:
        return "<1 s", "yes" if ours < 1.0 else "NO"
    return "-", "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parties", default="2,3,5", help="comma-separated (default 2,3,5)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; best is reported")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-negmas", action="store_true")
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="NegMAS time budget per party count, seconds (default 300)",
    )
    args = parser.parse_args()
    counts = [int(part) for part in args.parties.split(",") if part.strip()]

    print(
        f"Pareto frontier of {OPTIONS}^{ISSUES} = {OPTIONS**ISSUES:,} packages, random additive "
        f"utilities (seed {args.seed}); best of {args.repeat} runs per side",
        flush=True,
    )
    rows = []
    notes = []
    method = "-"
    with tempfile.TemporaryDirectory(prefix="peacetalks-bench-") as tmp:
        for parties in counts:
            weights, values = draw(parties, args.seed)
            path = Path(tmp) / f"utilities-{parties}.npz"
            np.savez(path, weights=weights, values=values)
            started = time.perf_counter()
            ours = peacetalks_side(path, args.repeat)
            if args.skip_negmas:
                theirs: dict[str, Any] = {"error": "skipped (--skip-negmas)"}
            else:
                theirs = negmas_side(path, args.repeat, args.timeout)
            ours_best = best(ours["times"])
            method = ours["method"]
            negmas_best = best(theirs["times"]) if "times" in theirs else None
            if "points" in theirs:
                missing = unmatched(theirs["points"], ours["points"])
                extra = unmatched(ours["points"], theirs["points"])
                same = missing == 0 and extra == 0 and len(theirs["points"]) == ours["size"]
                match = "yes" if same else f"NO ({missing} missing, {extra} extra)"
                negmas_size: object = len(theirs["points"])
                runs = len(theirs["times"])
            else:
                match, negmas_size, runs = "-", "-", 0
                notes.append(f"{parties} parties: NegMAS {theirs['error']}")
            goal, met = target(parties, negmas_best, ours_best)
            negmas_cell = seconds(negmas_best)
            if theirs.get("timeout"):
                negmas_cell = f">{args.timeout:.0f}"
            rows.append(
                [
                    parties,
                    negmas_cell + (f" ({runs})" if runs else ""),
                    seconds(ours_best),
                    seconds(median(ours["times"])),
                    seconds(best(ours["build"]) + ours_best),
                    ratio(negmas_best, ours_best),
                    goal,
                    met,
                    negmas_size,
                    ours["size"],
                    match,
                ]
            )
            print(
                f"  {parties} parties done in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
    print()
    print(
        table(
            [
                "parties",
                "NegMAS s (runs)",
                "peacetalks s",
                "median s",
                "build+frontier s",
                "ratio",
                "target",
                "met",
                "NegMAS size",
                "peacetalks size",
                "same frontier",
            ],
            rows,
        )
    )
    print()
    print("NegMAS s: best of its runs of negmas.preferences.pareto_frontier (enumerates and")
    print("evaluates every outcome, then filters). peacetalks s: best of frontier(compiled);")
    print("build+frontier adds building the scenario from plain data and compiling it.")
    print("ratio = NegMAS best / peacetalks best, measured in this run.")
    print(f"peacetalks method: {method}")
    for note in notes:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
