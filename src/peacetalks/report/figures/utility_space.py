"""The packages in the utility space of two parties, with reservation values and the analysis's
points (see :mod:`~peacetalks.report.figures.overlays`)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from peacetalks.errors import UsageError, did_you_mean
from peacetalks.report.figures._common import Figure, _floats, _hover, _layout
from peacetalks.report.figures.overlays import (
    _frontier_traces,
    _proposal_traces,
    _ranked_traces,
    _solution_traces,
)
from peacetalks.report.figures.packages import PLOT_LIMIT, respecting_packages

if TYPE_CHECKING:
    from peacetalks.analysis.analyze import Analysis
    from peacetalks.compiled import CompiledScenario, IntArray
    from peacetalks.model.scenario import Scenario


def default_axes(scenario: Scenario, analysis: Analysis) -> tuple[str, str]:
    """The two parties to plot: the two signatories whose reservation values bind (the
    smallest gains in the best package, or the largest shortfalls in the closest one), else
    the first two parties with preferences."""
    ranked = analysis.zopa.best or (analysis.closest.packages if analysis.closest else ())
    if ranked and len(ranked[0].gains) >= 2:
        gains = ranked[0].gains
        first, second = sorted(gains, key=lambda party: (gains[party], list(gains).index(party)))[
            :2
        ]
        return _in_file_order(scenario, first, second)
    with_prefs = [party.id for party in scenario.parties if party.id in scenario.preferences]
    if len(with_prefs) < 2:
        raise UsageError(f"{scenario.id} has fewer than two parties with preferences to plot")
    return with_prefs[0], with_prefs[1]


def _in_file_order(scenario: Scenario, first: str, second: str) -> tuple[str, str]:
    order = [party.id for party in scenario.parties]
    return (first, second) if order.index(first) < order.index(second) else (second, first)


def utility_space_figure(
    scenario: Scenario,
    analysis: Analysis,
    x: str | None = None,
    y: str | None = None,
    limit: int = PLOT_LIMIT,
) -> Figure:
    """The packages in the utility space of two parties (effective utilities).

    Drawn: every package that respects the signatories' red lines (a uniform random sample of
    `limit` when there are more, said in the title), the Pareto frontier (computed over every
    signatory, projected onto the two axes), each party's reservation value, the named
    proposals, the best or closest packages and the bargaining solutions. Hovering over a point
    names its options. `x` and `y` choose the parties (default: :func:`default_axes`).
    """
    x, y = _axes(scenario, analysis, x, y)
    compiled = scenario.compiled
    px, py = compiled.party_ids.index(x), compiled.party_ids.index(y)
    packages, note, label = respecting_packages(compiled, limit, (px, py))
    traces = [_cloud(compiled, packages, px, py, label)]
    traces += _frontier_traces(analysis, x, y)
    traces += _ranked_traces(analysis, x, y)
    traces += _proposal_traces(scenario, analysis, x, y)
    traces += _solution_traces(analysis, x, y)
    verdict = "a ZOPA exists" if analysis.zopa.exists else "no ZOPA"
    title = f"{escape(scenario.title)}: {verdict}<br><sub>{escape(note)}</sub>"
    layout = _layout(title, f"{x}: effective utility", f"{y}: effective utility")
    layout["shapes"] = _reservation_lines(compiled, px, py)
    layout["annotations"] = _reservation_labels(compiled, px, py, x, y)
    layout["legend"] = {"orientation": "v", "x": 1.02, "y": 1}
    return {"data": traces, "layout": layout}


def _axes(scenario: Scenario, analysis: Analysis, x: str | None, y: str | None) -> tuple[str, str]:
    default = default_axes(scenario, analysis)
    x = x or (default[0] if default[0] != y else default[1])
    y = y or (default[1] if default[1] != x else default[0])
    with_prefs = [party.id for party in scenario.parties if party.id in scenario.preferences]
    for party in (x, y):
        if party not in with_prefs:
            hint = did_you_mean(party, with_prefs) or "none has preferences"
            raise UsageError(f"cannot plot party {party!r}: {hint}")
    if x == y:
        raise UsageError(f"choose two different parties to plot (both are {x!r})")
    return x, y


def _crossed_text(compiled: CompiledScenario, packages: IntArray) -> list[str]:
    """Per package: the red lines it crosses, as hover text ('' when none)."""
    if not packages.shape[0] or not compiled.red_line_index.size:
        return [""] * packages.shape[0]
    crossed = compiled.crossed(packages)
    out = []
    for row in crossed:
        ids = sorted({compiled.red_line_ids[i] for i in compiled.red_line_index[row]})
        out.append("<br><b>crosses:</b> " + ", ".join(escape(i) for i in ids) if ids else "")
    return out


def _cloud(
    compiled: CompiledScenario, packages: IntArray, px: int, py: int, label: str
) -> dict[str, Any]:
    if packages.shape[0]:
        effective = compiled.effective(compiled.utilities(packages))
    else:
        effective = np.zeros((0, len(compiled.party_ids)))
    return {
        "type": "scatter",
        "mode": "markers",
        "name": label,
        "x": _floats(np.round(effective[:, px], 4)),
        "y": _floats(np.round(effective[:, py], 4)),
        "text": [
            _hover(compiled.decode(row)) + crossed
            for row, crossed in zip(packages, _crossed_text(compiled, packages), strict=True)
        ],
        "hovertemplate": "%{text}<extra>package</extra>",
        "marker": {"size": 5, "color": "rgba(120,120,140,0.35)"},
    }


def _reservation_lines(compiled: CompiledScenario, px: int, py: int) -> list[dict[str, Any]]:
    dash = {"color": "#444", "width": 1.5, "dash": "dash"}
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": float(compiled.reservation[px]),
            "x1": float(compiled.reservation[px]),
            "y0": 0,
            "y1": 1,
            "line": dash,
        },
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": float(compiled.reservation[py]),
            "y1": float(compiled.reservation[py]),
            "line": dash,
        },
    ]


def _reservation_labels(
    compiled: CompiledScenario, px: int, py: int, x: str, y: str
) -> list[dict[str, Any]]:
    rx, ry = float(compiled.reservation[px]), float(compiled.reservation[py])
    return [
        {
            "x": rx,
            "y": 1,
            "xref": "x",
            "yref": "paper",
            "text": f"{x} reservation {rx:.3f}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "top",
            "textangle": -90,
            "font": {"size": 11},
        },
        {
            "x": 1,
            "y": ry,
            "xref": "paper",
            "yref": "y",
            "text": f"{y} reservation {ry:.3f}",
            "showarrow": False,
            "xanchor": "right",
            "yanchor": "bottom",
            "font": {"size": 11},
        },
    ]


# --- dynamics, sweeps, simulations ------------------------------------------------------------
