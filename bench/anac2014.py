"""ANAC 2014 GENIUS domains (10^10 to 10^50 packages, nonlinear utilities): peacetalks timings.

For every domain folder under /work/shared/genius/y2014:

* load: ``load_genius(folder).compiled`` (parse the XML files, validate, compile);
* frontier: the exact Pareto frontier, ``frontier(scenario.compiled)`` (target: under 5 s);
* analyze: the ZOPA verdict and the bargaining solutions as the engine computes them, which is
  the whole of ``analyze(scenario)`` (what ``peacetalks analyze`` runs): the exact frontier, the
  verdict and the best packages ranked from it, the four solutions by a scan of it, plus the
  proposals, and the closest packages and what it takes when there is no ZOPA (target for the
  verdict and the solutions: under 2 s, so met a fortiori when the whole of it is);
* MILP only: the verdict (``maxmin_packages(compiled, 1)``) and the four solutions
  (``solutions(compiled, zopa=..., feasible=...)``, no candidates) by MILP alone, the route the
  engine takes when no frontier can be computed (for comparison; no target);
* the published frontier (``pareto.xml``): every published point must be matched (within 1e-6
  on both utilities) or dominated by a point of the exact frontier (allowing 1e-7 for the
  single-precision rounding of the published utilities).

NegMAS computes a frontier by enumerating every outcome, which these spaces do not allow; with
``--negmas-timeout`` > 0 the script demonstrates it on the 10-issue domain (NegMAS's own GENIUS
importer, killed after the timeout).

    python bench/anac2014.py [--repeat 3] [--domains 10issues,30issues] [--negmas-timeout 30]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import BENCH, NEGMAS_PYTHON, best, median, seconds, table, timed

ROOT = Path("/work/shared/genius/y2014")
MATCH = 1e-6
"""Published utilities carry about 8 significant digits."""
SLACK = 1e-7
"""pareto.xml prints utilities in single precision (e.g. 0.6797583): a published point that
exceeds an exact point by less than this on some utility is within its own rounding."""
FRONTIER_TARGET = 5.0
SOLUTIONS_TARGET = 2.0


def load(folder: Path) -> Any:
    """The scenario of a GENIUS domain folder, compiled."""
    from peacetalks.io.genius import load_genius

    scenario = load_genius(folder)
    _ = scenario.compiled
    return scenario


def verdict_and_solutions(compiled: Any) -> tuple[bool, Any]:
    """The ZOPA verdict and the bargaining solutions, both by MILP (no frontier)."""
    from peacetalks.analysis.solutions import solutions
    from peacetalks.analysis.zopa import maxmin_packages, scored

    packages = maxmin_packages(compiled, 1)
    feasible = bool(packages)
    exists = feasible and scored(compiled, packages[0]).largest_shortfall <= 0
    return exists, solutions(compiled, zopa=exists, feasible=feasible)


def published_check(exact: np.ndarray, published: np.ndarray) -> tuple[int, int, int, int]:
    """(matched, dominated, beyond, exact points not published) for the published points.

    matched: an exact point within MATCH on every utility; dominated: otherwise some exact point
    at least as good on every utility; beyond: neither (the exact frontier misses it).
    """
    if exact.shape[0] == 0:
        return 0, 0, int(published.shape[0]), 0
    near = (np.abs(published[:, None, :] - exact[None, :, :]) <= MATCH).all(axis=2)
    matched = near.any(axis=1)
    covers = (exact[None, :, :] >= published[:, None, :] - SLACK).all(axis=2).any(axis=1)
    dominated = covers & ~matched
    beyond = ~matched & ~covers
    unpublished = int((~near.any(axis=0)).sum())
    return int(matched.sum()), int(dominated.sum()), int(beyond.sum()), unpublished


def negmas_demo(folder: Path, timeout: float) -> str:
    """What happens when NegMAS is asked for the frontier of `folder` (killed after timeout)."""
    if not NEGMAS_PYTHON.exists():
        return "not run: no NegMAS venv (run bench/setup_negmas.sh)"
    command = [str(NEGMAS_PYTHON), str(BENCH / "negmas_genius.py"), str(folder)]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        output, finished = done.stdout, True
    except subprocess.TimeoutExpired as expired:
        raw = expired.stdout or b""
        output = raw.decode() if isinstance(raw, bytes) else raw
        finished = False
    elapsed = time.perf_counter() - start
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    said = {key: value for line in lines for key, value in line.items()}
    parts = []
    if "loaded" in said:
        parts.append(
            f"its GENIUS importer loaded {folder.name} ({said['outcomes']:,} outcomes, "
            f"{', '.join(said['ufuns'])}) in {said['loaded']:.2f} s"
        )
    else:
        parts.append(f"it did not load {folder.name}")
    if "frontier" in said:
        parts.append(f"pareto_frontier finished in {said['frontier']:.1f} s")
    elif "error" in said:
        parts.append(f"pareto_frontier failed with {said['error']} after {said['after']:.1f} s")
    elif not finished:
        parts.append(f"pareto_frontier had not finished when killed at {elapsed:.0f} s")
    else:
        parts.append(f"it exited with code {done.returncode}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best shown")
    parser.add_argument("--domains", default="", help="comma-separated folder names (default all)")
    parser.add_argument(
        "--negmas-timeout",
        type=float,
        default=30.0,
        help="seconds to let NegMAS try the 10-issue domain (0: skip)",
    )
    args = parser.parse_args()

    from peacetalks.analysis.analyze import analyze
    from peacetalks.analysis.frontier import frontier
    from peacetalks.io.genius import read_published_pareto

    wanted = {name.strip() for name in args.domains.split(",") if name.strip()}
    folders = [f for f in sorted(ROOT.iterdir()) if f.is_dir() and (not wanted or f.name in wanted)]
    print(f"ANAC 2014 domains in {ROOT}: best of {args.repeat} runs (median in brackets)")
    sys.stdout.flush()
    rows = []
    problems = []
    totals = {"matched": 0, "dominated": 0, "beyond": 0}
    for folder in folders:
        started = time.perf_counter()
        load_times, scenario = timed(lambda folder=folder: load(folder), args.repeat)
        compiled = scenario.compiled
        front_times, front = timed(lambda compiled=compiled: frontier(compiled), args.repeat)
        solution_times, (exists, _) = timed(
            lambda compiled=compiled: verdict_and_solutions(compiled), args.repeat
        )
        analyze_times, analysis = timed(
            lambda scenario=scenario: analyze(scenario.model_copy()), args.repeat
        )
        if analysis.zopa.exists != exists:
            problems.append(f"{folder.name}: analyze and the MILP verdict disagree")
        names = list(compiled.party_ids)
        exact = np.array([[p.utilities[name] for name in names] for p in front.points])
        published = np.array(read_published_pareto(folder), dtype=float)
        if front.size is None or len(front.points) < front.size:
            problems.append(f"{folder.name}: frontier {front.method}")
        matched, dominated, beyond, unpublished = published_check(
            exact.reshape(-1, len(names)), published
        )
        totals["matched"] += matched
        totals["dominated"] += dominated
        totals["beyond"] += beyond
        if beyond:
            problems.append(f"{folder.name}: {beyond} published points beyond the exact frontier")
        f_best, a_best = best(front_times), best(analyze_times)
        rows.append(
            [
                folder.name,
                f"{compiled.space_size:.0e}".replace("e+", "e"),
                seconds(best(load_times)),
                f"{seconds(f_best)} ({seconds(median(front_times))})",
                "yes" if f_best < FRONTIER_TARGET else "NO",
                f"{seconds(a_best)} ({seconds(median(analyze_times))})",
                "yes" if a_best < SOLUTIONS_TARGET else "NO",
                f"{seconds(best(solution_times))} ({seconds(median(solution_times))})",
                "yes" if exists else "no",
                front.size if front.size is not None else "-",
                len(published),
                matched,
                dominated,
                beyond,
                unpublished,
            ]
        )
        print(f"  {folder.name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print()
    print(
        table(
            [
                "domain",
                "packages",
                "load s",
                "frontier s",
                "<5 s",
                "analyze s",
                "<2 s",
                "MILP only s",
                "ZOPA",
                "exact pts",
                "published",
                "matched",
                "dominated",
                "beyond",
                "new",
            ],
            rows,
        )
    )
    print()
    met_f = sum(row[4] == "yes" for row in rows)
    met_s = sum(row[6] == "yes" for row in rows)
    print(
        f"targets met: frontier < {FRONTIER_TARGET:.0f} s on {met_f}/{len(rows)} domains, "
        f"verdict+solutions (all of analyze) < {SOLUTIONS_TARGET:.0f} s on {met_s}/{len(rows)} "
        "domains."
    )
    print(
        f"published points: {totals['matched']} matched, {totals['dominated']} dominated by the "
        f"exact frontier, {totals['beyond']} beyond it."
    )
    print("new: exact frontier points that the published frontier lacks.")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print()
    print(
        "NegMAS: pareto_frontier enumerates every outcome (10^10 to 10^50 here), so it cannot "
        "compute these frontiers."
    )
    ten = ROOT / "10issues"
    if args.negmas_timeout > 0 and ten.is_dir():
        print(f"NegMAS on 10issues: {negmas_demo(ten, args.negmas_timeout)}.")


if __name__ == "__main__":
    main()
