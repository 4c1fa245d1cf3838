"""Saved verdicts on every proposal of every built-in case, checked on each run.

A change to a scenario file or to the maths that moves any verdict shows up here as a diff. After
a deliberate change, regenerate with ``PEACETALKS_UPDATE_EXPECTED=1 python -m pytest
tests/test_expected.py`` and review the diff of ``tests/expected/evaluations.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import peacetalks

EXPECTED = Path(__file__).parent / "expected" / "evaluations.json"


def summary() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for scenario_id in peacetalks.builtin_ids():
        scenario = peacetalks.load(scenario_id)
        cases: dict[str, Any] = {}
        for proposal in scenario.proposals:
            result = scenario.evaluate(proposal.id)
            cases[proposal.id] = {
                "accepted_by_all": result.accepted_by_all,
                "share_accepted_by_all": round(result.share_accepted_by_all, 6),
                "verdicts": {
                    v.party: {
                        "accepts": v.accepts,
                        "margin": [round(m, 6) for m in v.margin],
                        "red_lines": [hit.id for hit in v.red_lines_crossed],
                    }
                    for v in result.verdicts
                    if v.has_preferences
                },
            }
        out[scenario_id] = cases
    return out


def test_verdicts_match_saved_outputs():
    actual = summary()
    if os.environ.get("PEACETALKS_UPDATE_EXPECTED"):
        EXPECTED.write_text(json.dumps(actual, indent=1, sort_keys=True) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert set(actual) == set(expected)
    for scenario_id, cases in expected.items():
        assert set(actual[scenario_id]) == set(cases), scenario_id
        for proposal_id, case in cases.items():
            got = actual[scenario_id][proposal_id]
            where = f"{scenario_id}/{proposal_id}"
            assert got["accepted_by_all"] == case["accepted_by_all"], where
            for party, verdict in case["verdicts"].items():
                mine = got["verdicts"][party]
                assert mine["accepts"] == verdict["accepts"], (where, party)
                assert mine["red_lines"] == verdict["red_lines"], (where, party)
                assert mine["margin"] == pytest.approx(verdict["margin"], abs=1e-6), (where, party)
