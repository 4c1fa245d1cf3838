"""The utility space, static: a matplotlib drawing of a figure dict (for PNG and SVG files)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from peacetalks.report.figures._common import GRID, Figure, _colour

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
