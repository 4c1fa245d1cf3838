"""Analysis of GENIUS domains: small ones equal brute force; on the ANAC 2014 domains every
frontier point published with the competition is matched or dominated by the exact frontier."""

from __future__ import annotations

import numpy as np
import pytest

from peacetalks.analysis.analyze import analyze
from peacetalks.analysis.pareto import pareto_mask
from peacetalks.analysis.space import chunks
from peacetalks.io.genius import load_genius, read_published_pareto
from tests.test_genius import FOLDERS, needs_genius

SMALL = 200_000


def _small_folders():
    out = []
    for folder in FOLDERS:
        scenario = load_genius(folder)
        if scenario.compiled.space_size <= SMALL:
            out.append(folder)
    return out


SMALL_FOLDERS = _small_folders() if FOLDERS else []
ANAC_2014 = [folder for folder in FOLDERS if folder.parent.name == "y2014"]


@needs_genius
@pytest.mark.parametrize("folder", SMALL_FOLDERS, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_small_domain_analysis_equals_brute_force(folder):
    scenario = load_genius(folder)
    compiled = scenario.compiled
    sign = [int(p) for p in np.flatnonzero(compiled.signatory)]
    packages = np.concatenate(list(chunks(compiled)))
    effective = compiled.effective(compiled.utilities(packages))[:, sign]
    accepted = compiled.accepts(packages)[:, sign].all(axis=1)
    result = analyze(scenario)
    assert result.zopa.exists == bool(accepted.any())
    assert result.zopa.size.value == int(accepted.sum())
    brute = {tuple(np.round(row, 9)) for row in effective[pareto_mask(effective)]}
    ours = {
        tuple(round(point.utilities[compiled.party_ids[p]], 9) for p in sign)
        for point in result.frontier.points
    }
    assert ours == brute
    gains = effective - compiled.reservation[sign]
    best = gains.min(axis=1).max()
    ranked = result.zopa.best[0] if result.zopa.exists else result.closest.packages[0]
    assert min(ranked.gains.values()) == pytest.approx(best, abs=1e-7)


@needs_genius
@pytest.mark.parametrize("folder", ANAC_2014, ids=lambda f: f.name)
def test_published_anac_2014_frontier_is_matched_or_dominated(folder):
    scenario = load_genius(folder)
    result = analyze(scenario)
    assert result.frontier.exact
    parties = list(result.signatories)
    ours = np.array([[p.utilities[q] for q in parties] for p in result.frontier.points])
    # the published frontier is in raw utilities; with no relative gains they are the same
    assert not scenario.compiled.alpha.any()
    for point in read_published_pareto(folder):
        published = np.array(point)
        covered = np.all(ours >= published - 1e-6, axis=1).any()
        assert covered, f"published point {point} is not matched or dominated"


@needs_genius
@pytest.mark.parametrize(
    "folder", [f for f in ANAC_2014 if f.name.startswith("10")], ids=lambda f: f.name
)
def test_issue_dp_and_epsilon_constraint_give_the_same_frontier(folder):
    from peacetalks.analysis.frontier import epsilon_constraint
    from peacetalks.analysis.issue_dp import dp_frontier

    compiled = load_genius(folder).compiled
    by_dp = dp_frontier(compiled, [0, 1])
    by_milp, complete = epsilon_constraint(compiled, [0, 1], 1000, workers=1)
    assert by_dp is not None and complete

    def points(packages):
        effective = compiled.effective(compiled.utilities(packages))[:, :2]
        return {tuple(row) for row in np.round(effective, 9)}

    assert points(by_dp) == points(by_milp)
    assert len(by_dp) == len(points(by_dp))
