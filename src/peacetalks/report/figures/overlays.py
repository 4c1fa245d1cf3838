"""What the analysis adds over the cloud of packages: the Pareto frontier, the best or closest
packages, the named proposals and the bargaining solutions (plotly traces)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from peacetalks.report.figures._common import _hover

if TYPE_CHECKING:
    from peacetalks.analysis.analyze import Analysis
    from peacetalks.model.scenario import Scenario

SOLUTION_NAMES = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "utilitarian": "utilitarian",
    "egalitarian": "egalitarian",
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
