"""`peacetalks report` and `peacetalks plot`: parse, call :mod:`peacetalks.report.html`, say
where the file went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peacetalks.commandline import friendly
from peacetalks.scenarios import FLAGSHIP

if TYPE_CHECKING:
    from peacetalks.model.scenario import Scenario

# the same as peacetalks.report.html.KINDS and REPORT_SWEEP (a test checks), repeated here so
# that starting the command line does not import the report machinery
KINDS = ("utility-space", "dynamics", "sweep", "simulation")
REPORT_SWEEP = 200

ScenarioArg = Annotated[
    str, typer.Argument(help="A built-in scenario id, a YAML file, or a GENIUS domain folder.")
]
XOpt = Annotated[
    str | None, typer.Option("--x", help="Party on the utility plot's x axis (default: binding).")
]
YOpt = Annotated[str | None, typer.Option("--y", help="Party on the utility plot's y axis.")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed of the sweep and the simulation.")]
StrategyOpt = Annotated[
    list[str] | None,
    typer.Option("--strategy", help="PARTY=NAME for --simulate (see `peacetalks strategies`)."),
]


def register(app: typer.Typer) -> None:
    """Add `report` and `plot` to the `peacetalks` app."""
    app.command("report")(friendly(report))
    app.command("plot")(friendly(plot))


def report(
    scenario: ScenarioArg = FLAGSHIP,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "report.html"
    ),
    dynamics: Annotated[
        bool | None,
        typer.Option(
            "--dynamics/--no-dynamics",
            help="Include the war over time (default: when the scenario models the war).",
            show_default=False,
        ),
    ] = None,
    sweep: Annotated[
        int,
        typer.Option(
            "--sweep",
            min=0,
            help=f"Include a Monte Carlo sweep of this many samples (0: none; {REPORT_SWEEP} "
            "takes a few seconds).",
        ),
    ] = 0,
    simulate: Annotated[bool, typer.Option("--simulate", help="Include simulated talks.")] = False,
    strategy: StrategyOpt = None,
    seed: SeedOpt = 0,
    x: XOpt = None,
    y: YOpt = None,
) -> None:
    """One self-contained HTML report that opens with no network: the verdict and its
    reasons, the closest packages and what it takes, interactive charts, the scenario with
    its sources, and the assumptions behind each conclusion."""
    from peacetalks.io import load_any
    from peacetalks.report.html import write_report

    _check_html(output)
    loaded = load_any(scenario)
    write_report(
        loaded,
        output,
        x=x,
        y=y,
        dynamics=dynamics,
        sweep=sweep,
        simulate=simulate,
        seed=seed,
        strategies=_strategies(loaded, strategy),
    )
    size = output.stat().st_size / 1e6
    typer.echo(f"report written to {output} ({size:.1f} MB)")


def plot(
    kind: Annotated[str, typer.Argument(help="One of: " + ", ".join(KINDS) + ".")],
    scenario: ScenarioArg = FLAGSHIP,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="A .png or .svg file, or .html (interactive).")
    ] = Path("chart.png"),
    samples: Annotated[
        int, typer.Option("--samples", "-n", min=1, help="Monte Carlo draws (sweep).")
    ] = REPORT_SWEEP,
    strategy: StrategyOpt = None,
    seed: SeedOpt = 0,
    x: XOpt = None,
    y: YOpt = None,
) -> None:
    """One chart as a file for papers: the utility space, the war over time, a sweep, or
    simulated talks."""
    from peacetalks.io import load_any
    from peacetalks.report.html import check_chart, write_chart

    check_chart(kind, output)
    loaded = load_any(scenario)
    chosen = _strategies(loaded, strategy)
    write_chart(kind, loaded, output, x, y, samples=samples, seed=seed, strategies=chosen)
    typer.echo(f"chart written to {output}")


def _check_html(path: Path) -> None:
    from peacetalks.errors import UsageError

    if path.suffix.lower() not in (".html", ".htm"):
        raise UsageError(f"a report is an HTML file; got {path.name!r} (use -o report.html)")


def _strategies(scenario: Scenario, pairs: list[str] | None) -> dict[str, str]:
    """PARTY=NAME pairs, with the command line's defaults (the flagship's playbook)."""
    from peacetalks.commandline import key_values
    from peacetalks.negotiation import default_strategies

    return default_strategies(scenario, key_values(pairs or [], "--strategy", "PARTY", "NAME"))
