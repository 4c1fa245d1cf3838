"""Charts of forecasts (matplotlib, ``pip install peacetalks[plot]``), as PNG, SVG or HTML.

- :func:`write_paths_plot`: every actor's position per round, one panel per dimension, with
  the model's outcome by round as a thick black line;
- :func:`write_quadrant_plot`: the expected-utility quadrant chart from one actor's point of
  view (BDM's figures): for every other actor j, ``x = E^i(U_ij)`` (what i expects from
  challenging j) and ``y = E^j(U_ji)`` (what j expects from challenging i), with the regions
  of fig. 6 of Scholz et al. (conflict, compromise, compel, status quo).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from peacetalks.errors import UsageError
from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.eum import EUMSettings, eum_round
from peacetalks.forecast.results import ForecastResult
from peacetalks.report.plots import _check, _pyplot, _save

__all__ = ["quadrant", "write_paths_plot", "write_quadrant_plot"]


def write_paths_plot(result: ForecastResult, path: Path, title: str = "") -> Path:
    """Draw every actor's position per round into `path` (.png, .svg or .html)."""
    _check(path)
    summary = (f"{result.model}: forecast " + _format(result), result.stop_reason)
    return _save(_paths_figure(result, title), path, title or result.model, "forecast", summary)


def _format(result: ForecastResult) -> str:
    return ", ".join(f"{d} {v:.3g}" for d, v in zip(result.dimensions, result.outcome, strict=True))


def _paths_figure(result: ForecastResult, title: str) -> Any:
    plt = _pyplot()
    dims = len(result.dimensions)
    figure, axes = plt.subplots(1, dims, figsize=(5 * dims + 1, 4.5), squeeze=False)
    path = result.path()
    rounds = np.arange(len(result.rounds))
    outcomes = result.outcomes()
    for k, axis in enumerate(axes[0]):
        for a, actor in enumerate(result.actors):
            axis.plot(rounds, path[:, a, k], marker="o", ms=3, color=f"C{a % 10}", label=actor)
        axis.plot(rounds, outcomes[:, k], color="black", lw=3, alpha=0.6, label="outcome")
        axis.set_ylim(result.low[k], result.high[k])
        axis.set_xlabel("round")
        axis.set_ylabel(result.dimensions[k])
        axis.set_title(f"{title or result.model}: {result.dimensions[k]}")
    axes[0][-1].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    figure.tight_layout()
    return figure


def quadrant(
    table: ActorTable, actor: str, dimension: str | None = None, settings: EUMSettings | None = None
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """From `actor`'s point of view on one dimension: ``(E^i(U_ij), E^j(U_ji), names)`` for
    every other actor j, with the first round's risk exponents."""
    if actor not in table.actors:
        from peacetalks.errors import did_you_mean

        raise UsageError(f"no actor {actor!r}; {did_you_mean(actor, table.actors)}")
    if dimension is not None and dimension not in table.dimensions:
        from peacetalks.errors import did_you_mean

        hint = did_you_mean(dimension, table.dimensions)
        raise UsageError(f"no dimension {dimension!r}; {hint}")
    k = table.dimensions.index(dimension) if dimension else 0
    i = table.actors.index(actor)
    state = eum_round(
        table.position[:, k],
        table.capability,
        table.salience[:, k],
        np.asarray(table.high[k] - table.low[k]),
        settings or EUMSettings(),
    )
    others = [j for j in range(table.size) if j != i]
    names = tuple(table.actors[j] for j in others)
    return state.eu[i, others], state.eu[others, i], names


def write_quadrant_plot(
    table: ActorTable,
    actor: str,
    path: Path,
    dimension: str | None = None,
    settings: EUMSettings | None = None,
) -> Path:
    """Draw the EUM quadrant chart from `actor`'s point of view into `path`."""
    _check(path)
    mine, theirs, names = quadrant(table, actor, dimension, settings)
    figure = _quadrant_figure(mine, theirs, names, actor, dimension or table.dimensions[0])
    return _save(figure, path, actor, "quadrant", (f"expected utilities seen from {actor}",))


def _quadrant_figure(
    mine: np.ndarray, theirs: np.ndarray, names: tuple[str, ...], actor: str, dimension: str
) -> Any:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(6.5, 6))
    top = float(max(np.abs(mine).max(initial=0), np.abs(theirs).max(initial=0), 1e-9)) * 1.15
    axis.axhline(0, color="grey", lw=1)
    axis.axvline(0, color="grey", lw=1)
    axis.plot([-top, top], [-top, top], color="grey", lw=0.6, ls="--")
    axis.plot([-top, top], [top, -top], color="grey", lw=0.6, ls="--")
    labels = {
        (0.55, 0.8): "conflict",
        (0.75, 0.3): f"compromise ({actor} ahead)",
        (0.75, 0.05): "compel: they capitulate",
        (0.3, 0.9): f"they compel: {actor} capitulates",
        (0.02, 0.6): "compromise (they ahead)",
        (0.2, 0.2): "status quo",
    }
    for (x, y), text in labels.items():
        axis.text(x, y, text, transform=axis.transAxes, fontsize="small", color="dimgrey")
    axis.scatter(mine, theirs, color="C0", zorder=3)
    for x, y, name in zip(mine, theirs, names, strict=True):
        axis.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize="small")
    axis.set_xlim(-top, top)
    axis.set_ylim(-top, top)
    axis.set_xlabel(f"E^{actor}(U_{actor},j): {actor} challenges j")
    axis.set_ylabel(f"E^j(U_j,{actor}): j challenges {actor}")
    axis.set_title(f"Expected utility from {actor}'s point of view ({dimension})")
    figure.tight_layout()
    return figure
