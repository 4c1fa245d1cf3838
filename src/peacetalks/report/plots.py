"""Charts of results, written as PNG, SVG or a self-contained HTML page (matplotlib, an
optional dependency: ``pip install peacetalks[plot]``)."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peacetalks.errors import UsageError

if TYPE_CHECKING:
    from peacetalks.dynamics import Dynamics
    from peacetalks.negotiation import Simulation
    from peacetalks.sweep.montecarlo import SweepResult

FORMATS = (".png", ".svg", ".html")


def write_dynamics_plot(result: Dynamics, path: Path) -> Path:
    """Draw the dynamics paths (control of the contested territory, each party's value of
    fighting on, and the ZOPA gap) into `path`; its suffix picks the format."""
    _check(path)
    return _save(_dynamics_figure(result), path, result.scenario, "dynamics", result.verdict)


def write_sweep_plot(result: SweepResult, path: Path) -> Path:
    """Draw a sweep into `path`: the grid's heat map (two inputs varied) or curve (one), else
    a tornado chart of the gap as each driver moves alone across its range."""
    _check(path)
    return _save(_sweep_figure(result), path, result.scenario, "sweep", result.verdict)


def write_simulation_plot(result: Simulation, path: Path) -> Path:
    """Draw the negotiation dance: the offers in the utility space of the first two
    negotiators, and every negotiator's utility of the offer on the table, round by round."""
    _check(path)
    return _save(
        _simulation_figure(result), path, result.scenario, "simulation", result.explanation
    )


def _simulation_figure(result: Simulation) -> Any:
    plt = _pyplot()
    figure, (space, rounds) = plt.subplots(1, 2, figsize=(12, 5))
    parties = list(result.strategies)
    parties = [p for p in parties if p != "mediator"]
    first, second = parties[0], parties[1 % len(parties)]
    proposers = sorted({row.proposer for row in result.trace})
    for k, proposer in enumerate(proposers):
        rows = [row for row in result.trace if row.proposer == proposer]
        space.plot(
            [row.utilities[first] for row in rows],
            [row.utilities[second] for row in rows],
            marker="o",
            linestyle="-",
            color=f"C{k}",
            label=f"offers by {proposer}",
            alpha=0.7,
        )
    if result.outcome.utilities:
        space.scatter(
            [result.outcome.utilities[first]],
            [result.outcome.utilities[second]],
            marker="*",
            s=250,
            color="black",
            label="agreement",
            zorder=5,
        )
    space.set_xlabel(f"{first} utility")
    space.set_ylabel(f"{second} utility")
    space.set_title(f"{result.scenario}: the negotiation dance")
    space.legend(fontsize="small")
    for k, party in enumerate(parties):
        rounds.plot(
            [row.period for row in result.trace],
            [row.utilities[party] for row in result.trace],
            color=f"C{k}",
            label=f"{party} ({result.strategies[party]})",
        )
    rounds.set_xlabel("round")
    rounds.set_ylabel("utility of the offer on the table")
    rounds.set_title(result.outcome.reason)
    rounds.legend(fontsize="small")
    figure.tight_layout()
    return figure


def _check(path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise UsageError(
            f"cannot draw into {path.name!r}; expected a file ending in " + ", ".join(FORMATS)
        )


def _save(figure: Any, path: Path, scenario: str, kind: str, verdict: tuple[str, ...]) -> Path:
    suffix = path.suffix.lower()
    if suffix == ".html":
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight")
        path.write_text(_page(scenario, kind, verdict, buffer.getvalue()), encoding="utf-8")
    else:
        figure.savefig(path, format=suffix[1:], dpi=150, bbox_inches="tight")
    _pyplot().close(figure)
    return path


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise UsageError("plots need matplotlib: pip install 'peacetalks[plot]'") from error
    return plt


def _sweep_figure(result: SweepResult) -> Any:
    plt = _pyplot()
    if result.grid and len(result.grid[0].values) == 2:
        first, second = list(result.grid[0].values)
        xs = sorted({p.values[first] for p in result.grid})
        ys = sorted({p.values[second] for p in result.grid})
        table = [[0.0] * len(xs) for _ in ys]
        for point in result.grid:
            table[ys.index(point.values[second])][xs.index(point.values[first])] = point.zopa.share
        figure, axes = plt.subplots(figsize=(8, 6))
        image = axes.imshow(
            table,
            origin="lower",
            aspect="auto",
            vmin=0,
            vmax=1,
            cmap="viridis",
            extent=(xs[0], xs[-1], ys[0], ys[-1]),
        )
        figure.colorbar(image, label="probability of a ZOPA")
        axes.set_xlabel(first)
        axes.set_ylabel(second)
        axes.set_title(f"{result.scenario}: probability of a ZOPA")
        return figure
    if result.grid:
        name = next(iter(result.grid[0].values))
        figure, axes = plt.subplots(figsize=(8, 5))
        xs = [p.values[name] for p in result.grid]
        axes.plot(xs, [p.zopa.share for p in result.grid], marker="o")
        lows, highs = [p.zopa.low for p in result.grid], [p.zopa.high for p in result.grid]
        axes.fill_between(xs, lows, highs, alpha=0.2)
        axes.set_xlabel(name)
        axes.set_ylabel("probability of a ZOPA")
        axes.set_ylim(0, 1)
        return figure
    drivers = list(result.drivers)[::-1]
    figure, axes = plt.subplots(figsize=(9, 0.45 * len(drivers) + 1.5))
    for row, driver in enumerate(drivers):
        low, high = sorted((driver.gap_at_low, driver.gap_at_high))
        axes.barh(row, high - low, left=low, color="C3" if driver.overturns else "C0")
    axes.set_yticks(range(len(drivers)), [d.input for d in drivers], fontsize="small")
    axes.axvline(result.point_gap, color="black", linewidth=1, label="best estimates")
    axes.axvline(0.0, color="grey", linestyle="--", linewidth=1, label="ZOPA threshold")
    axes.set_xlabel("gap (the closest package's largest shortfall; at or below 0: a ZOPA)")
    axes.set_title(f"{result.scenario}: each input alone across its range")
    axes.legend(fontsize="small")
    figure.tight_layout()
    return figure


def _dynamics_figure(result: Dynamics) -> Any:
    plt = _pyplot()
    steps = list(range(len(result.dates)))
    figure, (top, middle, bottom) = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
    for label, values in result.control.items():
        top.plot(steps, values, label=label)
    top.set_ylabel(f"{result.sides[0]} control")
    top.set_title(f"{result.scenario}: the war as the outside option")
    top.legend(fontsize="small")
    for k, party in enumerate(result.parties):
        colour = f"C{k}"
        middle.plot(steps, party.reservation, color=colour, label=f"{party.party} (own beliefs)")
        middle.plot(
            steps, party.reservation_baseline, color=colour, linestyle="--", label="_nolegend_"
        )
    middle.set_ylabel("value of fighting on\n(dashed: baseline)")
    middle.legend(fontsize="small", ncol=2)
    for world, zopa in result.zopa.items():
        bottom.plot(steps, zopa.largest_shortfall, label=world)
    bottom.axhline(0.0, color="grey", linewidth=0.8)
    ripe = [t for t, flag in enumerate(result.ripeness.ripe) if flag]
    if ripe:
        bottom.scatter(ripe, [0.0] * len(ripe), marker="v", color="green", label="ripe")
    bottom.set_ylabel("closest package's shortfall\n(ZOPA at or below 0)")
    bottom.set_xlabel(f"{result.step}s from {result.dates[0]}")
    bottom.legend(fontsize="small")
    figure.tight_layout()
    return figure


def _page(scenario: str, kind: str, verdict: tuple[str, ...], svg: str) -> str:
    """A self-contained page: title, the verdict, the chart (inline SVG, no scripts)."""
    items = "\n".join(f"<li>{html.escape(sentence)}</li>" for sentence in verdict)
    start = svg.find("<svg")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(scenario)}: {kind}</title></head>\n<body>\n"
        f"<h1>{html.escape(scenario)}: {kind}</h1>\n"
        f"<ul>\n{items}\n</ul>\n{svg[start:]}\n</body></html>\n"
    )
