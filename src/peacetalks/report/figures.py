"""Interactive charts of results, as plain plotly figure dicts (JSON-ready, no numpy).

Each function is a pure function of a scenario and/or result objects and returns
``{"data": [...], "layout": {...}}``: what ``plotly.graph_objects.Figure(...).to_plotly_json()``
gives, built directly so that it needs no plotly import. Render it with plotly.js
(``Plotly.newPlot(element, figure.data, figure.layout)``), in the HTML report, the web app or
a notebook (``plotly.io.show(figure)``).

>>> import peacetalks
>>> from peacetalks.report.figures import utility_space_figure
>>> scenario = peacetalks.load("camp-david-1978")
>>> figure = utility_space_figure(scenario, scenario.analyze())
>>> sorted(figure)
['data', 'layout']
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from peacetalks.errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from peacetalks.analysis.analyze import Analysis
    from peacetalks.compiled import CompiledScenario, IntArray
    from peacetalks.dynamics import Dynamics
    from peacetalks.model.scenario import Scenario
    from peacetalks.negotiation import Simulation
    from peacetalks.sweep.montecarlo import SweepResult

Figure = dict[str, Any]

PLOT_LIMIT = 2_000
"""At most this many red-line-respecting packages are drawn (a uniform random sample beyond)."""
LISTING_LIMIT = 1_000_000
"""Red-line-respecting sets up to this size are listed, then sampled from exactly."""
REJECTION_DRAWS = 50_000
"""Beyond listing, packages are drawn uniformly and those crossing a red line dropped."""
SEED = 0
SOLUTION_NAMES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "utilitarian": "utilitarian",
    "egalitarian": "egalitarian",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


# --- the utility space ------------------------------------------------------------------------


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


def respecting_packages(
    compiled: CompiledScenario, limit: int, fallback: Sequence[int] = ()
) -> tuple[IntArray, str, str]:
    """Up to `limit` packages that respect every signatory's red lines (all of them, or a
    uniform random sample), a sentence saying which, and a legend label. When no package
    respects them all, those respecting the red lines of the `fallback` parties only are drawn
    instead, and when there are none either, packages of the whole space."""
    from peacetalks.analysis.zopa import signatories

    names = " and ".join(compiled.party_ids[p] for p in fallback)
    attempts = [
        (signatories(compiled), "the signatories' red lines", "packages respecting the red lines"),
        (
            list(fallback),
            f"the red lines of {names} only (none respects every signatory's)",
            f"packages respecting {names}'s red lines",
        ),
        ([], f"no red line (none respects {names}'s red lines)", "packages (any)"),
    ]
    level = 0
    packages, total = _respecting(compiled, attempts[0][0], limit)
    while total == 0 and level + 1 < len(attempts):
        level += 1
        packages, total = _respecting(compiled, attempts[level][0], limit)
    whose, label = attempts[level][1], attempts[level][2]
    if total is None:
        note = (
            f"{len(packages):,} packages respecting {whose}, drawn at random from "
            f"{compiled.space_size:,} packages (too many to list)"
        )
    elif total > len(packages):
        note = f"a random sample of {len(packages):,} of the {total:,} packages respecting {whose}"
    else:
        note = f"all {total:,} packages respecting {whose}"
    return packages, note, label


def _respecting(
    compiled: CompiledScenario, parties: list[int], limit: int
) -> tuple[IntArray, int | None]:
    """Packages respecting the parties' red lines, at most `limit`, and their number (None:
    unknown, sampled by rejection)."""
    from peacetalks.analysis.groups import Groups

    groups = Groups.of(compiled, parties)
    rng = np.random.default_rng(SEED)
    count = groups.count()
    listed = groups.candidates(LISTING_LIMIT) if count is not None else None
    if listed is not None:
        if listed.shape[0] > limit:
            listed = listed[np.sort(rng.choice(listed.shape[0], size=limit, replace=False))]
        return listed, count
    from peacetalks.analysis.space import sample

    drawn = sample(compiled, REJECTION_DRAWS if parties else limit, SEED)
    owned = np.isin(compiled.red_line_party, parties)
    kept = drawn[~compiled.crossed(drawn)[:, owned].any(axis=1)]
    first = np.sort(np.unique(kept, axis=0, return_index=True)[1])[:limit]
    return kept[first], None if kept.shape[0] else 0


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


def _hover(package: Mapping[str, str]) -> str:
    """Hover text naming a package's options (ids are slugs; escaped all the same)."""
    return "<br>".join(f"{escape(issue)} = {escape(option)}" for issue, option in package.items())


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


def _frontier_traces(analysis: Analysis, x: str, y: str) -> list[dict[str, Any]]:
    points = [p for p in analysis.frontier.points if x in p.utilities and y in p.utilities]
    if not points:
        return []
    traces = []
    for inside, colour, label in (
        (False, "#1f77b4", "outside the ZOPA"),
        (True, "#2ca02c", "in the ZOPA"),
    ):
        chosen = [p for p in points if p.in_zopa == inside]
        if chosen:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": f"Pareto frontier, {label}",
                    "x": [p.utilities[x] for p in chosen],
                    "y": [p.utilities[y] for p in chosen],
                    "text": [_hover(p.package) for p in chosen],
                    "hovertemplate": "%{text}<extra>Pareto-efficient</extra>",
                    "marker": {"size": 6, "color": colour, "symbol": "diamond", "opacity": 0.6},
                }
            )
    return traces


def _ranked_traces(analysis: Analysis, x: str, y: str) -> list[dict[str, Any]]:
    ranked = analysis.zopa.best or (analysis.closest.packages if analysis.closest else ())
    chosen = [item for item in ranked if x in item.utilities and y in item.utilities]
    if not chosen:
        return []
    label = "best packages in the ZOPA" if analysis.zopa.exists else "closest packages"
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": label,
            "x": [item.utilities[x] for item in chosen],
            "y": [item.utilities[y] for item in chosen],
            "hovertext": [f"#{k + 1}<br>{_ranked_hover(item)}" for k, item in enumerate(chosen)],
            "hoverinfo": "text",
            "marker": {
                "size": 12,
                "color": "rgba(0,0,0,0)",
                "line": {"width": 2, "color": "black"},
            },
        }
    ]


def _ranked_hover(item: Any) -> str:
    short = ", ".join(f"{p} {g:+.3f}" for p, g in item.gains.items())
    return f"{_hover(item.package)}<br><b>gains:</b> {short}"


def _proposal_traces(
    scenario: Scenario, analysis: Analysis, x: str, y: str
) -> list[dict[str, Any]]:
    reservation = scenario.compiled.reservation
    ids = scenario.compiled.party_ids
    xs, ys, labels, hovers, errors = [], [], [], [], []
    for proposal in analysis.proposals:
        x_span = _margin(proposal.verdicts.get(x, {}).get("margin"))
        y_span = _margin(proposal.verdicts.get(y, {}).get("margin"))
        if x_span is None or y_span is None:
            continue
        (x_low, x_high), (y_low, y_high) = x_span, y_span
        rx, ry = float(reservation[ids.index(x)]), float(reservation[ids.index(y)])
        xs.append(rx + (x_low + x_high) / 2)
        ys.append(ry + (y_low + y_high) / 2)
        errors.append(((x_high - x_low) / 2, (y_high - y_low) / 2))
        labels.append(escape(proposal.id))
        deal = {True: "accepted by all", False: "not a deal", None: "depends on open issues"}
        terms = _hover(scenario.proposal(proposal.id).package)
        hovers.append(
            f"<b>{escape(proposal.name)}</b> ({deal[proposal.accepted_by_all]})<br>{terms}"
        )
    if not xs:
        return []
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "markers+text",
        "name": "proposals",
        "x": xs,
        "y": ys,
        "text": labels,
        "textposition": "bottom center",
        "textfont": {"size": 10, "color": "#d62728"},
        "cliponaxis": False,
        "hovertext": hovers,
        "hoverinfo": "text",
        "marker": {"size": 11, "color": "#d62728", "symbol": "square"},
    }
    if any(e != (0.0, 0.0) for e in errors):
        trace["error_x"] = {"type": "data", "array": [e[0] for e in errors], "visible": True}
        trace["error_y"] = {"type": "data", "array": [e[1] for e in errors], "visible": True}
    return [trace]


def _margin(margin: object) -> tuple[float, float] | None:
    if isinstance(margin, list | tuple) and len(margin) == 2:
        return float(margin[0]), float(margin[1])
    if isinstance(margin, float | int) and not isinstance(margin, bool):
        return float(margin), float(margin)
    return None


def _solution_traces(analysis: Analysis, x: str, y: str) -> list[dict[str, Any]]:
    symbols = {"nash": "star", "kalai_smorodinsky": "triangle-up", "utilitarian": "cross"}
    traces = []
    for name, label in SOLUTION_NAMES.items():
        solution = getattr(analysis.solutions, name)
        if solution is None or x not in solution.utilities or y not in solution.utilities:
            continue
        where = "inside the ZOPA" if solution.inside_zopa else "outside any ZOPA"
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": f"{label} solution",
                "x": [solution.utilities[x]],
                "y": [solution.utilities[y]],
                "text": [label],
                "textposition": "top left",
                "textfont": {"size": 10, "color": "#b35900"},
                "hovertext": [f"<b>{label}</b> ({where})<br>{_hover(solution.package)}"],
                "hoverinfo": "text",
                "marker": {"size": 14, "symbol": symbols.get(name, "x"), "color": "#ff7f0e"},
            }
        )
    return traces


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


# --- shared -------------------------------------------------------------------------------------

GRID = "#e5e5e5"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def _colour(k: int) -> str:
    return PALETTE[k % len(PALETTE)]


def _floats(values: Any) -> list[float | None]:
    """Plain floats; NaN and infinities become None (a gap in the line)."""
    out: list[float | None] = []
    for value in values:
        number = None if value is None else float(value)
        out.append(number if number is not None and math.isfinite(number) else None)
    return out


def _layout(title: str, x_title: str, y_title: str) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0.01, "xanchor": "left"},
        "xaxis": {"title": {"text": x_title}, "zeroline": False, "gridcolor": GRID},
        "yaxis": {"title": {"text": y_title}, "zeroline": False, "gridcolor": GRID},
        "hovermode": "closest",
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": {"family": FONT, "size": 13},
        "margin": {"l": 60, "r": 20, "t": 80, "b": 50},
        "height": 560,
    }


# --- the same chart, static (matplotlib) ------------------------------------------------------

MARKERS = {
    "diamond": "D",
    "square": "s",
    "star": "*",
    "triangle-up": "^",
    "triangle-down": "v",
    "cross": "P",
    "x": "X",
}


def draw_utility_space(figure: Figure) -> Any:
    """A matplotlib figure of a :func:`utility_space_figure` dict (for PNG and SVG files):
    the same traces, labels and reservation lines."""
    from peacetalks.report.plots import _pyplot

    plt = _pyplot()
    drawing, axes = plt.subplots(figsize=(10, 7))
    for k, trace in enumerate(figure["data"]):
        _draw_trace(axes, trace, k)
    for shape in figure["layout"].get("shapes", []):
        if shape["xref"] == "x":
            axes.axvline(shape["x0"], color="grey", linestyle="--", linewidth=1)
        else:
            axes.axhline(shape["y0"], color="grey", linestyle="--", linewidth=1)
    from html import unescape

    layout = figure["layout"]
    axes.set_xlabel(unescape(layout["xaxis"]["title"]["text"]))
    axes.set_ylabel(unescape(layout["yaxis"]["title"]["text"]))
    title, _, note = layout["title"]["text"].partition("<br>")
    note = note.removeprefix("<sub>").removesuffix("</sub>")
    axes.set_title(unescape(f"{title}\n{note}"), fontsize="medium", loc="left")
    axes.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
    axes.grid(color=GRID)
    drawing.tight_layout()
    return drawing


def _draw_trace(axes: Any, trace: Mapping[str, Any], k: int) -> None:
    from html import unescape

    marker = trace.get("marker", {})
    colour = marker.get("color", _colour(k))
    hollow = colour == "rgba(0,0,0,0)"
    if isinstance(colour, str) and colour.startswith("rgba("):
        colour = "grey" if not hollow else "none"
    points = [(a, b) for a, b in zip(trace["x"], trace["y"], strict=True) if None not in (a, b)]
    if not points:
        return
    xs, ys = zip(*points, strict=True)
    axes.scatter(
        xs,
        ys,
        s=(marker.get("size", 6) ** 2) / (4 if len(points) > 50 else 1.5),
        marker=MARKERS.get(marker.get("symbol", ""), "o"),
        c="none" if hollow else colour,
        edgecolors="black" if hollow else "none",
        alpha=0.35 if len(points) > 200 else 0.9,
        label=unescape(trace["name"]),
        zorder=2 if len(points) > 50 else 4,
    )
    if "text" in trace.get("mode", ""):
        for x, y, text in zip(trace["x"], trace["y"], trace["text"], strict=True):
            if x is not None and y is not None:
                axes.annotate(
                    unescape(text), (x, y), fontsize=7, xytext=(3, -9), textcoords="offset points"
                )
