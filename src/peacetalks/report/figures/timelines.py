"""Charts over time or over samples: the war as the outside option (dynamics), a sweep's
distribution and drivers, and a simulated negotiation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from peacetalks.report.figures._common import Figure, _colour, _floats, _hover, _layout

if TYPE_CHECKING:
    from peacetalks.dynamics import Dynamics
    from peacetalks.negotiation import Simulation
    from peacetalks.sweep.montecarlo import SweepResult


def dynamics_figure(result: Dynamics) -> Figure:
    """Three stacked panels over time: control of the contested territory, each party's
    value of fighting on (own beliefs; dotted: the baseline), and the closest package's
    shortfall in each world (a ZOPA at or below 0), with ripe periods marked."""
    dates = list(result.dates)
    traces: list[dict[str, Any]] = []
    for label, values in result.control.items():
        traces.append(_line(dates, values, f"control: {label}", "y", "control"))
    for k, party in enumerate(result.parties):
        colour = _colour(k)
        traces.append(
            _line(dates, party.reservation, party.party, "y2", "value of fighting on", colour)
        )
        baseline = _line(
            dates, party.reservation_baseline, f"{party.party} (baseline)", "y2", "baseline"
        )
        baseline["line"] = {"color": colour, "dash": "dot"}
        baseline["showlegend"] = False
        traces.append(baseline)
    for world, zopa in result.zopa.items():
        traces.append(_line(dates, zopa.largest_shortfall, f"gap: {world}", "y3", "gap"))
    ripe = [dates[t] for t, flag in enumerate(result.ripeness.ripe) if flag]
    if ripe:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "ripe",
                "x": ripe,
                "y": [0.0] * len(ripe),
                "yaxis": "y3",
                "marker": {"symbol": "triangle-down", "size": 10, "color": "green"},
            }
        )
    layout = _layout(f"{result.scenario}: the war as the outside option", "", "")
    layout["yaxis"] = {"domain": [0.7, 1.0], "title": {"text": f"{result.sides[0]} control"}}
    layout["yaxis2"] = {"domain": [0.37, 0.63], "title": {"text": "value of fighting on"}}
    layout["yaxis3"] = {
        "domain": [0.0, 0.3],
        "title": {"text": "gap (ZOPA at or below 0)"},
        "zeroline": True,
    }
    layout["xaxis"] = {"title": {"text": f"{result.step}s from {dates[0]}"}, "anchor": "y3"}
    layout["height"] = 750
    return {"data": traces, "layout": layout}


def _line(
    xs: list[str],
    values: Sequence[float | None],
    name: str,
    axis: str,
    kind: str,
    colour: str | None = None,
) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": xs,
        "y": _floats(values),
        "yaxis": axis,
        "hovertemplate": f"%{{x}}: %{{y:.3f}}<extra>{kind}</extra>",
    }
    if colour:
        trace["line"] = {"color": colour}
    return trace


def sweep_figure(result: SweepResult) -> Figure:
    """A sweep: the grid's heat map (two inputs varied) or curve (one); otherwise the
    distribution of the gap beside a tornado chart of the inputs that drive it."""
    if result.grid:
        return _grid_figure(result)
    finite = [gap for gap in result.gaps if math.isfinite(gap)]
    traces: list[dict[str, Any]] = [
        {
            "type": "histogram",
            "name": "gap over the samples",
            "x": finite,
            "nbinsx": 40,
            "marker": {"color": "#1f77b4"},
            "xaxis": "x",
            "yaxis": "y",
            "hovertemplate": "gap %{x}: %{y} samples<extra></extra>",
        }
    ]
    traces += _tornado(result)
    share = result.zopa
    title = (
        f"{result.scenario}: ZOPA in {share.share:.1%} of {result.samples:,} samples "
        f"(95% CI {share.low:.1%}–{share.high:.1%})"
    )
    layout = _layout(title, "", "")
    layout["xaxis"] = {"domain": [0.0, 0.42], "title": {"text": "gap (at or below 0: a ZOPA)"}}
    layout["yaxis"] = {"title": {"text": "samples"}}
    layout["xaxis2"] = {"domain": [0.58, 1.0], "anchor": "y2", "title": {"text": "gap"}}
    layout["yaxis2"] = {"anchor": "x2", "automargin": True, "tickfont": {"size": 10}}
    layout["shapes"] = [
        _vline(0.0, "x", "#888", "dash"),
        _vline(result.point_gap, "x", "black", "solid"),
        _vline(0.0, "x2", "#888", "dash"),
        _vline(result.point_gap, "x2", "black", "solid"),
    ]
    layout["height"] = max(450, 28 * len(result.drivers) + 150)
    layout["showlegend"] = False
    return {"data": traces, "layout": layout}


def _tornado(result: SweepResult) -> list[dict[str, Any]]:
    drivers = list(result.drivers)[::-1]
    if not drivers:
        return []
    lows = [min(d.gap_at_low, d.gap_at_high) for d in drivers]
    highs = [max(d.gap_at_low, d.gap_at_high) for d in drivers]
    return [
        {
            "type": "bar",
            "orientation": "h",
            "name": "each input alone across its range",
            "y": [d.input for d in drivers],
            "x": [h - lo for lo, h in zip(lows, highs, strict=True)],
            "base": lows,
            "xaxis": "x2",
            "yaxis": "y2",
            "marker": {"color": ["#d62728" if d.overturns else "#1f77b4" for d in drivers]},
            "customdata": [[d.low, d.high, d.gap_at_low, d.gap_at_high] for d in drivers],
            "hovertemplate": (
                "%{y}<br>at %{customdata[0]:.3g}: gap %{customdata[2]:+.3f}"
                "<br>at %{customdata[1]:.3g}: gap %{customdata[3]:+.3f}<extra></extra>"
            ),
        }
    ]


def _vline(x: float, axis: str, colour: str, dash: str) -> dict[str, Any]:
    y_axis = "y domain" if axis == "x" else "y2 domain"
    return {
        "type": "line",
        "xref": axis,
        "yref": y_axis,
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 1, "dash": dash},
    }


def _grid_figure(result: SweepResult) -> Figure:
    names = list(result.grid[0].values)
    title = f"{result.scenario}: probability of a ZOPA"
    if len(names) == 2:
        first, second = names
        xs = sorted({p.values[first] for p in result.grid})
        ys = sorted({p.values[second] for p in result.grid})
        table = [[0.0] * len(xs) for _ in ys]
        for point in result.grid:
            table[ys.index(point.values[second])][xs.index(point.values[first])] = point.zopa.share
        trace: dict[str, Any] = {
            "type": "heatmap",
            "x": xs,
            "y": ys,
            "z": table,
            "zmin": 0,
            "zmax": 1,
            "colorscale": "Viridis",
            "colorbar": {"title": {"text": "P(ZOPA)"}},
        }
        return {"data": [trace], "layout": _layout(title, first, second)}
    name = names[0]
    xs = [p.values[name] for p in result.grid]
    curve = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "P(ZOPA)",
        "x": xs,
        "y": [p.zopa.share for p in result.grid],
        "error_y": {
            "type": "data",
            "symmetric": False,
            "array": [p.zopa.high - p.zopa.share for p in result.grid],
            "arrayminus": [p.zopa.share - p.zopa.low for p in result.grid],
        },
    }
    layout = _layout(title, name, "probability of a ZOPA")
    layout["yaxis"]["range"] = [0, 1]
    return {"data": [curve], "layout": layout}


def simulation_figure(result: Simulation) -> Figure:
    """The negotiation dance: each proposer's offers in the utility space of the first two
    negotiators (left), and every negotiator's utility of the offer on the table by round."""
    parties = [p for p in result.strategies if p != "mediator"]
    first, second = parties[0], parties[1 % len(parties)]
    traces: list[dict[str, Any]] = []
    proposers = sorted({row.proposer for row in result.trace})
    for proposer in proposers:
        k = (
            parties.index(proposer)
            if proposer in parties
            else len(parties) + proposers.index(proposer)
        )
        rows = [row for row in result.trace if row.proposer == proposer]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": f"offers by {proposer}",
                "x": [row.utilities.get(first) for row in rows],
                "y": [row.utilities.get(second) for row in rows],
                "text": [f"round {row.period}<br>{_hover(row.package)}" for row in rows],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {"color": _colour(k)},
                "line": {"color": _colour(k)},
            }
        )
    if result.outcome.utilities:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "agreement",
                "x": [result.outcome.utilities.get(first)],
                "y": [result.outcome.utilities.get(second)],
                "text": [_hover(result.outcome.package or {})],
                "hovertemplate": "%{text}<extra>agreement</extra>",
                "marker": {"symbol": "star", "size": 18, "color": "black"},
            }
        )
    for k, party in enumerate(parties):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{party} ({result.strategies[party]})",
                "x": [row.period for row in result.trace],
                "y": [row.utilities.get(party) for row in result.trace],
                "xaxis": "x2",
                "yaxis": "y2",
                "line": {"color": _colour(k), "width": 1.2},
            }
        )
    title = f"{result.scenario}: the negotiation dance ({result.outcome.reason})"
    layout = _layout(title, f"{first} utility", f"{second} utility")
    layout["xaxis"]["domain"] = [0.0, 0.45]
    layout["xaxis2"] = {"domain": [0.55, 1.0], "anchor": "y2", "title": {"text": "round"}}
    layout["yaxis2"] = {"anchor": "x2", "title": {"text": "utility of the offer on the table"}}
    return {"data": traces, "layout": layout}
