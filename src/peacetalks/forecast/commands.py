"""The ``peacetalks forecast`` command: parse, run a model, render (terminal, JSON or chart)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peacetalks.commandline import JsonOpt, friendly, print_json

if TYPE_CHECKING:
    from rich.table import Table

    from peacetalks.forecast.eum import EUMSettings
    from peacetalks.forecast.results import ForecastResult

__all__ = ["register"]

VARIANTS = ("published", "scholz-code")


def _settings(variant: str, q: float) -> EUMSettings:
    from peacetalks.errors import UsageError
    from peacetalks.forecast.eum import EUMSettings

    if variant == "published":
        return EUMSettings(q=q)
    if variant == "scholz-code":
        return EUMSettings.scholz_code(q=q)
    raise UsageError(f"unknown variant {variant!r}; expected one of: {', '.join(VARIANTS)}")


def forecast(
    source: Annotated[
        str | None,
        typer.Argument(
            help="An actor table (.csv or .yaml), a shipped dataset name, or the flagship "
            "scenario id (default: the flagship's actor table)."
        ),
    ] = None,
    model: Annotated[
        str, typer.Option("--model", help="compromise, median, eum, smp or exchange.")
    ] = "eum",
    rounds: Annotated[int, typer.Option("--rounds", min=0, help="Rounds to play.")] = 10,
    q: Annotated[
        float, typer.Option("--q", min=0.0, max=1.0, help="EUM: probability of the status quo.")
    ] = 1.0,
    variant: Annotated[
        str,
        typer.Option("--variant", help="EUM: 'published' formulas or 'scholz-code' (Table 2)."),
    ] = "published",
    shocks: Annotated[
        int, typer.Option("--shocks", min=0, help="Seeded shock runs for the spread (0: none).")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same numbers.")] = 0,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Draw the position paths (.png, .svg, .html).")
    ] = None,
    quadrant: Annotated[
        str | None,
        typer.Option(
            "--quadrant",
            help="With --plot: draw instead the expected-utility quadrant chart from this "
            "actor's point of view (first round).",
        ),
    ] = None,
    dimension: Annotated[
        str | None,
        typer.Option("--dimension", help="With --quadrant: the dimension (default: first)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Where will the outcome land, and who moves? Actor-based forecasts: compromise
    (weighted mean), expected utility (BDM/Scholz), spatial bargaining (SMP) or exchange."""
    from peacetalks.forecast.shocks import run_model, shock_forecast, with_spread
    from peacetalks.forecast.tables import resolve_table

    table = resolve_table(source)
    settings = _settings(variant, q)
    if quadrant is not None and plot is None:
        from peacetalks.errors import UsageError

        raise UsageError("--quadrant draws a chart: give the file with --plot FILE.png")
    result = run_model(table, model, rounds, q=q, seed=seed, settings=settings)
    if shocks:
        spread = shock_forecast(table, model, shocks, seed, rounds=rounds, settings=settings)
        result = with_spread(result, spread)
    if plot is not None and quadrant is not None:
        from peacetalks.forecast.plots import write_quadrant_plot

        write_quadrant_plot(table, quadrant, plot, dimension, settings)
    elif plot is not None:
        from peacetalks.forecast.plots import write_paths_plot

        write_paths_plot(result, plot, title=source or "flagship")
    if as_json:
        print_json(result.to_dict())
        return
    _print(result)
    if plot is not None:
        typer.echo(f"chart written to {plot}")


def _print(result: ForecastResult) -> None:
    from rich.console import Console

    console = Console()
    if len(result.dimensions) <= 2:
        console.print(_actor_table(result))
    console.print(_outcome_table(result))
    console.print(f"{len(result.rounds) - 1} rounds; {result.stop_reason}")
    together = result.rounds[-1].coalitions
    if together:
        shown = "; ".join(", ".join(group) for group in together[:8])
        more = f" (and {len(together) - 8} more)" if len(together) > 8 else ""
        console.print(f"coalitions in the last round: {shown}{more}")
    for note in result.notes:
        console.print(f"note: {note}")


def _actor_table(result: ForecastResult) -> Table:
    from rich.table import Table

    table = Table(title=f"{result.model}: positions at the start and after the last round")
    table.add_column("actor")
    for dim in result.dimensions:
        table.add_column(f"{dim} start", justify="right")
        table.add_column(f"{dim} end", justify="right")
    first, last = result.rounds[0].positions, result.final_positions
    for a, actor in enumerate(result.actors):
        cells = [
            f"{v:.3g}" for k in range(len(result.dimensions)) for v in (first[a, k], last[a, k])
        ]
        table.add_row(actor, *cells)
    return table


def _outcome_table(result: ForecastResult) -> Table:
    from rich.table import Table

    table = Table(title=f"{result.model} forecast ({result.outcome_rule})")
    for name in ("dimension", "scale", "start", "forecast"):
        table.add_column(name, justify="left" if name == "dimension" else "right")
    spread = result.spread
    if spread is not None:
        table.add_column(f"median of {spread.runs} shocks", justify="right")
        table.add_column("90% range", justify="right")
    start = result.rounds[0].outcome
    for k, dim in enumerate(result.dimensions):
        row = [dim, f"{result.low[k]:g}-{result.high[k]:g}", f"{start[k]:.4g}"]
        row.append(f"{result.outcome[k]:.4g}")
        if spread is not None:
            row += [f"{spread.q50[k]:.4g}", f"[{spread.q05[k]:.4g}, {spread.q95[k]:.4g}]"]
        table.add_row(*row)
    return table


def register(app: typer.Typer) -> None:
    """Add ``forecast`` to the ``peacetalks`` app."""
    app.command(name="forecast")(friendly(forecast))
