"""The dynamics report on the terminal: the verdict in words, then the paths and levers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from peacetalks.report.terminal import _console

if TYPE_CHECKING:
    from peacetalks.dynamics import Dynamics
    from peacetalks.model import Scenario

ROWS = 13
"""Periods shown in the table (evenly spaced; --json has every period)."""


def print_dynamics(scenario: Scenario, result: Dynamics) -> None:
    """Verdict sentences, a table of the paths, the levers, and the war model's sources."""
    console = _console()
    war = scenario.war
    assert war is not None
    console.print(f"[bold]{escape(scenario.title)}[/bold] ({result.scenario})")
    if war.description:
        console.print(escape(" ".join(war.description.split())))
    console.print()
    for sentence in result.verdict:
        console.print(f"- {escape(sentence)}")
    console.print()
    count = len(result.dates)
    shown = sorted(
        {round(k * (count - 1) / (ROWS - 1)) for k in range(ROWS)}
        if count > ROWS
        else set(range(count))
    )
    table = Table(
        title=f"Paths, every {result.every} {result.period}(s) ({len(shown)} of {count} rows;"
        " --json has all)",
        title_justify="left",
    )
    table.add_column("date")
    first = result.sides[0]
    for label in result.control:
        table.add_column(f"{first} control\n({label})")
    for path in result.parties:
        table.add_column(f"{path.party}\nno deal")
    for world in result.zopa:
        table.add_column(f"ZOPA ({world})\nor shortfall")
    table.add_column("ripe")
    for t in shown:
        cells = [result.dates[t]]
        cells += [f"{values[t]:.3f}" for values in result.control.values()]
        cells += [
            _reservation(path.reservation[t], path.waiting_better[t]) for path in result.parties
        ]
        for zopa in result.zopa.values():
            short = zopa.largest_shortfall[t]
            cells.append("[green]yes[/green]" if zopa.exists[t] else f"no {short:.3f}")
        cells.append("yes" if result.ripeness.ripe[t] else "no")
        table.add_row(*cells)
    console.print(table)
    console.print(
        "no deal: each party's value of fighting on under its own beliefs; * marks periods where "
        "it beats the best deal every other signatory would accept."
    )
    if result.levers:
        levers = Table(title="Levers", title_justify="left")
        for column in ("lever", "baseline", "range", "opens a ZOPA from", "earliest ripe"):
            levers.add_column(column)
        for lever in result.levers:
            ripe = (
                f"{result.step} {lever.earliest_ripe} at {lever.earliest_ripe_at:g}"
                if lever.earliest_ripe is not None and lever.earliest_ripe_at is not None
                else "never"
            )
            levers.add_row(
                escape(lever.label),
                f"{lever.baseline:g}",
                f"{lever.values[0]:g} to {lever.values[-1]:g}",
                "never" if lever.opens_zopa_at is None else f"{lever.opens_zopa_at:g}",
                ripe,
            )
        console.print(levers)
    assumptions = Table(
        title="War model: the assumptions behind these conclusions", title_justify="left"
    )
    for column in ("parameter", "baseline", "range", "believed otherwise", "sources"):
        assumptions.add_column(column)
    for item in result.assumptions:
        span = (
            f"{item.low:g} to {item.high:g}"
            if item.low is not None and item.high is not None
            else ""
        )
        believed = ", ".join(f"{party} {value:g}" for party, value in item.beliefs.items())
        assumptions.add_row(
            item.parameter, f"{item.baseline:g}", span, believed, ", ".join(item.sources)
        )
    console.print(assumptions)
    console.print("peacetalks show prints each source; each rationale is in --json (assumptions).")


def _reservation(value: float, waiting: bool) -> str:
    return f"{value:.3f}{'*' if waiting else ''}"
