"""NegMAS issues and additive utility functions from the .npz files the benchmarks share
(``weights``: parties x issues, ``values``: parties x issues x options). Imported only by the
scripts run with the python of bench/.venv-negmas."""

from __future__ import annotations

from typing import Any

import numpy as np


def issues_and_ufuns(path: str) -> tuple[list[Any], list[Any]]:
    """The issues ``i0``, ``i1``, ... (options ``o0``, ``o1``, ...) and one
    ``LinearAdditiveUtilityFunction`` per party, reserved value 0."""
    from negmas.outcomes import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    data = np.load(path)
    weights, values = data["weights"], data["values"]
    parties, n_issues, n_options = values.shape
    options = [f"o{k}" for k in range(n_options)]
    issues = [make_issue(options, name=f"i{i}") for i in range(n_issues)]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values={
                f"i{i}": {options[k]: float(values[p, i, k]) for k in range(n_options)}
                for i in range(n_issues)
            },
            weights={f"i{i}": float(weights[p, i]) for i in range(n_issues)},
            issues=issues,
            reserved_value=0.0,
        )
        for p in range(parties)
    ]
    return issues, ufuns
