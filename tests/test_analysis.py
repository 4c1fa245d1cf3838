"""The analysis engine agrees with brute force, on both its paths, and its what-it-takes answers
hold when the engine is re-run on the changed scenario."""

from __future__ import annotations

import copy
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import peacetalks
from peacetalks.analysis import enumerated, solutions, what_it_takes, zopa
from peacetalks.analysis.analyze import analyze
from peacetalks.analysis.enumerated import Candidates
from peacetalks.analysis.groups import Groups
from tests import reference
from tests.strategies import scenario_data

EXAMPLES = 100


class Brute:
    """Every package of a small scenario, judged with the reference definitions."""

    def __init__(self, data):
        self.data = data
        self.signatories = [p["id"] for p in data["parties"] if p["signatory"]]
        self.with_prefs = [p["id"] for p in data["parties"] if p["id"] in data["preferences"]]
        self.packages = reference.all_packages(data)

    def reservation(self, party):
        return reference.number(self.data["preferences"][party]["reservation"])

    def gains(self, package):
        return {
            p: reference.effective(self.data, p, package) - self.reservation(p)
            for p in self.signatories
        }

    def respects(self, package, parties):
        return not any(reference.crosses(self.data, p, package) for p in parties)

    def feasible(self):
        return [pk for pk in self.packages if self.respects(pk, self.signatories)]

    def zopa(self):
        return [pk for pk in self.feasible() if all(g >= -1e-7 for g in self.gains(pk).values())]

    def frontier_points(self):
        points = [
            tuple(round(reference.effective(self.data, p, pk), 9) for p in self.signatories)
            for pk in self.feasible()
        ]
        return sorted(
            pt
            for pt in points
            if not any(
                all(a >= b for a, b in zip(other, pt, strict=True)) and other != pt
                for other in points
            )
        )

    def best_maxmin(self):
        return max((min(self.gains(pk).values()) for pk in self.feasible()), default=None)


def scenario_of(data):
    return peacetalks.Scenario.model_validate(data)


@settings(max_examples=EXAMPLES, deadline=None)
@given(scenario_data())
def test_verdict_counts_and_frontier_match_brute_force(data):
    brute = Brute(data)
    scenario = scenario_of(data)
    for limit in (enumerated.CANDIDATE_LIMIT, 0):
        result = analyze(scenario, enumerate_limit=limit)
        in_zopa = brute.zopa()
        assert result.zopa.exists == bool(in_zopa)
        assert result.zopa.size.value == len(in_zopa)
        assert result.space.respecting_signatory_red_lines.value == len(brute.feasible())
        everyone = [p["id"] for p in data["parties"]]
        all_respect = [pk for pk in brute.packages if brute.respects(pk, everyone)]
        assert result.space.respecting_red_lines.value == len(all_respect)
        points = sorted(
            tuple(round(pt.utilities[p], 9) for p in brute.signatories)
            for pt in result.frontier.points
        )
        assert sorted(set(points)) == sorted(set(brute.frontier_points()))
        best = brute.best_maxmin()
        if best is None:
            assert result.closest is None and not result.zopa.exists
        elif result.zopa.exists:
            assert min(result.zopa.best[0].gains.values()) == pytest.approx(best, abs=1e-7)
        else:
            assert result.closest is not None
            assert result.closest.largest_shortfall == pytest.approx(-best, abs=1e-7)


@settings(max_examples=EXAMPLES, deadline=None)
@given(scenario_data())
def test_milp_maxmin_matches_brute_force(data):
    brute = Brute(data)
    compiled = scenario_of(data).compiled
    found = zopa.maxmin_packages(compiled, 3)
    best = brute.best_maxmin()
    if best is None:
        assert found == []
        return
    values = [min(zopa.scored(compiled, pk).gains.values()) for pk in found]
    assert values[0] == pytest.approx(best, abs=1e-7)
    assert values == sorted(values, reverse=True) or np.allclose(values, sorted(values)[::-1])
    assert len({tuple(pk) for pk in found}) == len(found)


def _solution_values(brute, over_zopa):
    pool = brute.zopa() if over_zopa else brute.feasible()
    every = brute.feasible()
    sign = brute.signatories
    if over_zopa:
        d = [brute.reservation(p) for p in sign]
    else:
        d = [min(reference.effective(brute.data, p, pk) for pk in every) for p in sign]
    u = [[reference.effective(brute.data, p, pk) for p in sign] for pk in pool]
    gains = [[ui - di for ui, di in zip(row, d, strict=True)] for row in u]
    ideal = [max(row[j] for row in u) for j in range(len(sign))]
    span = [i - di for i, di in zip(ideal, d, strict=True)]
    out = {
        "utilitarian": max(sum(row) for row in u),
        "egalitarian": max(min(row) for row in gains),
    }
    shares = [
        min(g / s for g, s in zip(row, span, strict=True) if s > 0)
        if any(s > 0 for s in span)
        else math.inf
        for row in gains
    ]
    out["kalai_smorodinsky"] = max(shares)
    positive = [row for row in gains if all(g >= 1e-6 for g in row)]
    out["nash"] = (
        max(math.prod(row) for row in positive) if positive and all(s > 0 for s in span) else None
    )
    return out, d, span


def _measure(solution, d, span, sign, kind):
    gains = [solution.utilities[p] - di for p, di in zip(sign, d, strict=True)]
    if kind == "utilitarian":
        return sum(solution.utilities[p] for p in sign)
    if kind == "egalitarian":
        return min(gains)
    if kind == "kalai_smorodinsky":
        if not any(s > 0 for s in span):
            return math.inf
        return min(g / s for g, s in zip(gains, span, strict=True) if s > 0)
    return math.prod(gains)


@settings(max_examples=EXAMPLES, deadline=None)
@given(scenario_data())
def test_bargaining_solutions_are_optimal_on_every_path(data):
    brute = Brute(data)
    if not brute.feasible():
        return
    over_zopa = bool(brute.zopa())
    expected, d, span = _solution_values(brute, over_zopa)
    compiled = scenario_of(data).compiled
    sign = [compiled.party_ids.index(p) for p in brute.signatories]
    listed = Groups.of(compiled, sign).candidates(10**6)
    assert listed is not None
    paths = {
        "milp": solutions.solutions(compiled, over_zopa, True, None),
        "enumerated": solutions.solutions(
            compiled, over_zopa, True, Candidates.of(compiled, listed, sign)
        ),
    }
    for path, result in paths.items():
        for kind, value in expected.items():
            solution = getattr(result, kind)
            if value is None:
                assert solution is None, (path, kind)
                continue
            assert solution is not None, (path, kind)
            got = _measure(solution, d, span, brute.signatories, kind)
            assert got == pytest.approx(value, rel=1e-6, abs=1e-7), (path, kind)


def _with_reservations(data, lowering):
    changed = copy.deepcopy(data)
    for party, amount in lowering.items():
        prefs = changed["preferences"][party]
        prefs["reservation"] = reference.number(prefs["reservation"]) - amount
    return changed


def _zopa_exists(data):
    return Brute(data).zopa() != []


@settings(max_examples=EXAMPLES, deadline=None)
@given(scenario_data())
def test_what_it_takes_answers_hold_when_the_engine_reruns(data):
    if _zopa_exists(data):
        return
    scenario = scenario_of(data)
    compiled = scenario.compiled
    sign = [compiled.party_ids.index(p) for p in Brute(data).signatories]
    listed = Groups.of(compiled, sign).candidates(10**6)
    pool = Candidates.of(compiled, listed, sign)
    for candidates in (None, pool):
        takes = what_it_takes.what_it_takes(compiled, candidates)
        for party, lowering in takes.reservation_lowering.items():
            if lowering is None:
                assert not _zopa_exists(_with_reservations(data, {party: 9.0}))
                continue
            assert _zopa_exists(_with_reservations(data, {party: lowering.total}))
            if lowering.total > 1e-4:
                assert not _zopa_exists(_with_reservations(data, {party: lowering.total - 1e-4}))
        combined = takes.combined_lowering
        if combined is not None:
            assert _zopa_exists(_with_reservations(data, dict(combined.parties)))
        for found in takes.red_line_sets:
            kept = [r for r in data["red_lines"] if r["id"] not in found.red_lines]
            assert _zopa_exists({**data, "red_lines": kept})
            for dropped in found.red_lines:
                partial = [r for r in found.red_lines if r != dropped]
                kept = [r for r in data["red_lines"] if r["id"] not in partial]
                assert not _zopa_exists({**data, "red_lines": kept}), "set is not minimal"
        for change in takes.relative_gains:
            if change.needed is None:
                continue
            changed = copy.deepcopy(data)
            changed["preferences"][change.party]["relative_gains"][change.other] = change.needed
            assert _zopa_exists(changed)
        brute = Brute(data)
        for collision in takes.collisions:
            groups = [c.rsplit(" ", 2) for c in collision.constraints]
            parsed = [(g[0], " ".join(g[1:])) for g in groups]
            assert not _satisfiable(brute, parsed)
            for k in range(len(parsed)):
                assert _satisfiable(brute, parsed[:k] + parsed[k + 1 :])


def _satisfiable(brute, constraints):
    for package in brute.packages:
        ok = True
        for party, kind in constraints:
            if kind == "red lines":
                ok = ok and not reference.crosses(brute.data, party, package)
            else:
                gain = reference.effective(brute.data, party, package) - brute.reservation(party)
                ok = ok and gain >= -1e-7
            if not ok:
                break
        if ok:
            return True
    return False


@settings(max_examples=EXAMPLES, deadline=None)
@given(scenario_data())
def test_enumerated_and_milp_what_it_takes_agree(data):
    if _zopa_exists(data):
        return
    compiled = scenario_of(data).compiled
    sign = [int(p) for p in np.flatnonzero(compiled.signatory)]
    listed = Groups.of(compiled, sign).candidates(10**6)
    pool = Candidates.of(compiled, listed, sign)
    for p in sign:
        milp = what_it_takes.reservation_lowering(compiled, [p])
        fast = what_it_takes.reservation_lowering(compiled, [p], pool)
        assert (milp is None) == (fast is None)
        if milp is not None and fast is not None:
            assert milp.total == pytest.approx(fast.total, abs=1e-6)
        for q in range(len(compiled.party_ids)):
            if compiled.alpha[p, q] != 0:
                a = what_it_takes.coefficient_change(compiled, p, q)
                b = what_it_takes.coefficient_change(compiled, p, q, pool)
                assert (a.change is None) == (b.change is None)
                if a.change is not None and b.change is not None:
                    assert a.change == pytest.approx(b.change, abs=1e-6)


def test_groups_list_exactly_the_red_line_respecting_packages():
    for scenario_id in ("camp-david-1978", "dayton-1995"):
        compiled = peacetalks.load(scenario_id).compiled
        sign = [int(p) for p in np.flatnonzero(compiled.signatory)]
        listed = Groups.of(compiled, sign).candidates(10**7)
        assert listed is not None
        sizes = [range(int(n)) for n in compiled.sizes]
        every = np.array(list(itertools.product(*sizes)))
        crossed = compiled.party_crossed(compiled.crossed(every))[:, sign].any(axis=1)
        expected = {tuple(row) for row in every[~crossed]}
        assert {tuple(row) for row in listed} == expected
        assert len(listed) == len(expected)


@settings(max_examples=40, deadline=None)
@given(scenario_data(max_parties=3, max_issues=3))
def test_milp_frontier_methods_match_brute_force(data):
    from peacetalks.analysis.frontier import disjunctive_frontier, epsilon_constraint

    brute = Brute(data)
    compiled = scenario_of(data).compiled
    sign = [compiled.party_ids.index(p) for p in brute.signatories]
    if len(sign) == 2:
        packages, complete = epsilon_constraint(compiled, sign, 1000)
    else:
        packages, complete = disjunctive_frontier(compiled, sign, 1000, seconds=60)
    assert complete
    points = (
        compiled.effective(compiled.utilities(packages))[:, sign]
        if packages.size
        else np.zeros((0, len(sign)))
    )
    ours = {tuple(np.round(row, 9)) for row in points}
    assert ours == set(brute.frontier_points())


@settings(max_examples=EXAMPLES, deadline=None)
@given(scenario_data(max_parties=3, max_issues=5), st.booleans())
def test_issue_dp_frontier_matches_brute_force(data, prune_everywhere):
    from peacetalks.analysis.issue_dp import dp_frontier

    brute = Brute(data)
    compiled = scenario_of(data).compiled
    sign = [compiled.party_ids.index(p) for p in brute.signatories]
    packages = dp_frontier(compiled, sign, prune_after=0 if prune_everywhere else 10**9)
    assert packages is not None
    points = [
        tuple(np.round(row, 9))
        for row in (
            compiled.effective(compiled.utilities(packages))[:, sign]
            if packages.size
            else np.zeros((0, len(sign)))
        )
    ]
    assert len(points) == len(set(points))  # one package per point
    assert sorted(points) == sorted(set(brute.frontier_points()))
    if packages.size:  # every package respects the signatories' red lines
        crossed = compiled.party_crossed(compiled.crossed(packages))[:, sign]
        assert not crossed.any()


def test_frontier_survives_a_solver_presolve_that_wrongly_claims_infeasibility():
    """HiGHS 1.16's presolve declared one of these programs infeasible (found by Hypothesis);
    every infeasibility is now checked again without presolve."""
    from peacetalks.analysis.frontier import disjunctive_frontier

    def options(count):
        return [{"id": f"o{k}", "label": f"Option {k}"} for k in range(count)]

    data = {
        "id": "generated",
        "title": "A generated scenario",
        "as_of": "2025-01-01",
        "sources": [{"id": "s", "title": "A source"}],
        "parties": [
            {"id": f"p{k}", "name": f"P{k}", "kind": "state", "signatory": True} for k in range(3)
        ],
        "issues": [
            {"id": "i0", "name": "Issue 0", "options": options(3)},
            {"id": "i1", "name": "Issue 1", "options": options(2)},
        ],
        "preferences": {
            "p0": {
                "weights": {"i0": 1, "i1": 0},
                "values": {"i0": {"o0": 1.0, "o1": 0.0, "o2": 0.5}, "i1": {"o0": 0.0, "o1": 0.0}},
                "reservation": 0.0,
            },
            "p1": {
                "weights": {"i0": 1, "i1": 0},
                "values": {"i0": {"o0": 0.0, "o1": 0.0, "o2": 0.0}, "i1": {"o0": 0.0, "o1": 0.0}},
                "reservation": 0.0,
            },
            "p2": {
                "weights": {"i0": 1, "i1": 1},
                "values": {"i0": {"o0": 0.0, "o1": 1.0, "o2": 0.5}, "i1": {"o0": 0.0, "o1": 0.222}},
                "reservation": 0.0,
            },
        },
    }
    brute = Brute(data)
    compiled = scenario_of(data).compiled
    packages, complete = disjunctive_frontier(compiled, [0, 1, 2], 1000)
    assert complete
    points = {tuple(row) for row in np.round(compiled.effective(compiled.utilities(packages)), 9)}
    assert points == set(brute.frontier_points())


def test_solves_in_several_threads_give_standard_output_back():
    """Each solve silences descriptor 1 while HiGHS runs; in threads at once (the web
    explorer) the last one must restore the real descriptor, not another's /dev/null."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from peacetalks.analysis.analyze import analyze

    scenario = peacetalks.load("russia-ukraine-2025")
    before = os.fstat(1)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: analyze(scenario.model_copy()), range(6)))
    after = os.fstat(1)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert all(result.zopa.exists is False for result in results)
