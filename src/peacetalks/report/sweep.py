"""The sweep report on the terminal, the list of uncertain inputs, and the progress bar."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from peacetalks.report.terminal import _console

if TYPE_CHECKING:
    from peacetalks.model import Scenario
    from peacetalks.sweep.montecarlo import SweepResult


@contextmanager
def progress_bar(total: int, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error (only when it is a terminal); yields a function that
    takes the number of samples done so far."""
    if not enabled or not sys.stderr.isatty():
        yield lambda done: None
        return
    from rich.console import Console

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task("sampling", total=total)
        yield lambda done: bar.update(task, completed=done)


def print_inputs(scenario: Scenario, as_json: bool) -> None:
    """Every uncertain input: path, best estimate, range and distribution."""
    from peacetalks.sweep.sampling import uncertain_inputs

    inputs = uncertain_inputs(scenario)
    rows = [
        {
            "input": item.path,
            "best": item.estimate.value,
            "low": item.low,
            "high": item.high,
            "distribution": item.estimate.distribution or "uniform",
            "group": item.estimate.group,
        }
        for item in inputs
    ]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table(title=f"Uncertain inputs of {scenario.id} ({len(rows)})", title_justify="left")
    for column in ("input", "best", "range", "distribution", "group"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["input"]),
            f"{row['best']:g}",
            f"{row['low']:g} to {row['high']:g}",
            str(row["distribution"]),
            str(row["group"] or ""),
        )
    _console().print(table)


def print_sweep(scenario: Scenario, result: SweepResult) -> None:
    """Verdict sentences, then the tables behind them."""
    console = _console()
    console.print(f"[bold]{escape(scenario.title)}[/bold] ({result.scenario})")
    console.print()
    for sentence in result.verdict:
        console.print(f"- {escape(sentence)}")
    console.print()
    if not result.feasible:
        console.print(f"{result.samples:,} samples, seed {result.seed}, backend {result.backend}")
        return
    table = Table(title="Drivers of the gap", title_justify="left")
    for column in (
        "input",
        "best",
        "range",
        "rank corr.",
        "gap at low",
        "gap at high",
        "overturns",
    ):
        table.add_column(column)
    for driver in result.drivers:
        table.add_row(
            driver.input,
            f"{driver.best:g}",
            f"{driver.low:g} to {driver.high:g}",
            f"{driver.rank_correlation:+.2f}",
            f"{driver.gap_at_low:+.3f}",
            f"{driver.gap_at_high:+.3f}",
            "yes" if driver.overturns else "",
        )
    console.print(table)
    if result.grid:
        grid = Table(title="Grid sweep: probability of a ZOPA", title_justify="left")
        names = list(result.grid[0].values)
        for name in names:
            grid.add_column(name)
        grid.add_column("P(ZOPA)")
        grid.add_column("95% interval")
        for point in result.grid:
            grid.add_row(
                *[f"{point.values[name]:g}" for name in names],
                f"{point.zopa.share:.3f}",
                f"{point.zopa.low:.3f} to {point.zopa.high:.3f}",
            )
        console.print(grid)
    console.print(
        f"{result.samples:,} samples, seed {result.seed}, backend {result.backend}"
        + (" (interrupted)" if result.interrupted else "")
    )
