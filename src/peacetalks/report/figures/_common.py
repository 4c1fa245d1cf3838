"""What the figures share: the layout, the palette, plain floats and hover text."""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from typing import Any

Figure = dict[str, Any]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
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


def _hover(package: Mapping[str, str]) -> str:
    """Hover text naming a package's options (ids are slugs; escaped all the same)."""
    return "<br>".join(f"{escape(issue)} = {escape(option)}" for issue, option in package.items())


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
