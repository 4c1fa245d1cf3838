"""The `peacetalks` command: a thin layer that parses, calls the library and renders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peacetalks.commandline import JsonOpt, friendly, key_values, print_json
from peacetalks.errors import ScenarioError, UsageError
from peacetalks.scenarios import FLAGSHIP

app = typer.Typer(
    name="peacetalks",
    help="Analyse peace negotiations: scenarios, red lines, verdicts on proposals.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ScenarioArg = Annotated[
    str,
    typer.Argument(help="A built-in scenario id or a path to a YAML file.", show_default=True),
]


RecordOpt = Annotated[
    bool, typer.Option("--record", help="Record this run in the run store (see `peacetalks runs`).")
]
StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="The run store file to record in (implies --record)."),
]


def _record(
    store: Path | None,
    kind: str,
    scenario: Any,
    parameters: dict[str, Any],
    summary: Any,
    seed: int | None = None,
    samples: Any = None,
) -> None:
    """Record a run when asked to (--record or --store); say where on standard error."""
    from peacetalks.store import RunStore

    runs = RunStore(store)
    digest = scenario.content_hash()
    run_id = runs.record(kind, scenario.id, digest, parameters, summary, seed, samples)
    typer.echo(f"recorded run {run_id} in {runs.path}", err=True)


@app.command()
@friendly
def scenarios(as_json: JsonOpt = False) -> None:
    """List the built-in scenarios."""
    from peacetalks.report import terminal
    from peacetalks.scenarios import library

    entries = library()
    if as_json:
        print_json([entry.to_dict() for entry in entries])
    else:
        terminal.print_library(entries)


@app.command()
@friendly
def analyze(
    scenario: Annotated[
        str,
        typer.Argument(
            help="A built-in scenario id, a YAML file, or a GENIUS domain folder.",
            show_default=True,
        ),
    ] = FLAGSHIP,
    as_json: JsonOpt = False,
    points: Annotated[
        int, typer.Option("--points", help="Frontier points to print (all with --json).")
    ] = 10,
    record: RecordOpt = False,
    store: StoreOpt = None,
) -> None:
    """Is there a deal (a ZOPA)? If not, why not and what would it take? Which deals are
    efficient and fair?"""
    from peacetalks.analysis.analyze import analyze as run_analysis
    from peacetalks.io import load_any
    from peacetalks.report import terminal

    loaded = load_any(scenario)
    result = run_analysis(loaded)
    if record or store is not None:
        _record(store, "analyze", loaded, {}, result)
    if as_json:
        print_json(result.to_dict())
    else:
        terminal.print_analysis(loaded, result, points)


@app.command()
@friendly
def dynamics(
    scenario: Annotated[
        str, typer.Argument(help="A built-in scenario id or a YAML file with a war model.")
    ] = FLAGSHIP,
    horizon: Annotated[
        int | None,
        typer.Option("--horizon", min=1, help="Steps to look ahead (default: the scenario's)."),
    ] = None,
    step: Annotated[
        str | None,
        typer.Option(
            "--step", help="Length of a step: week, month, quarter or year (default: the model's)."
        ),
    ] = None,
    levers: Annotated[
        bool, typer.Option("--levers/--no-levers", help="Search the scenario's levers.")
    ] = True,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also draw the paths into this .png, .svg or .html file."),
    ] = None,
    as_json: JsonOpt = False,
    record: RecordOpt = False,
    store: StoreOpt = None,
) -> None:
    """The war as the outside option: each party's value of fighting on over time, the ZOPA
    in each period, the value of waiting, ripeness, and what brings a settlement forward."""
    from peacetalks.dynamics import dynamics as run_dynamics
    from peacetalks.io import load_any
    from peacetalks.report.dynamics import print_dynamics

    loaded = load_any(scenario)
    result = run_dynamics(loaded, horizon=horizon, step=step, levers=levers)
    if record or store is not None:
        parameters = {"horizon": horizon, "step": step, "levers": levers}
        _record(store, "dynamics", loaded, parameters, result)
    if plot is not None:
        from peacetalks.report.plots import write_dynamics_plot

        write_dynamics_plot(result, plot)
    if as_json:
        print_json(result.to_dict())
    else:
        print_dynamics(loaded, result)
        if plot is not None:
            typer.echo(f"chart written to {plot}")


@app.command()
@friendly
def sweep(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario id or a YAML file.")] = (
        FLAGSHIP
    ),
    samples: Annotated[int, typer.Option("--samples", "-n", min=1, help="Monte Carlo draws.")] = (
        10_000
    ),
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same numbers.")] = 0,
    backend: Annotated[
        str, typer.Option("--backend", help="inprocess, processes or dask.")
    ] = "inprocess",
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Processes or Dask workers.")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler.")
    ] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(
            "--vary",
            help="Grid sweep: hold an input at values LOW:HIGH:N (e.g. "
            "preferences.russia.reservation=0.4:0.7:7); at most two.",
        ),
    ] = None,
    red_line_samples: Annotated[
        int,
        typer.Option("--red-line-samples", min=0, help="Draws on which red lines are tested."),
    ] = 1_000,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Draw the tornado chart (or the grid's heat map) to a file."),
    ] = None,
    list_inputs: Annotated[
        bool, typer.Option("--list-inputs", help="List the uncertain inputs and stop.")
    ] = False,
    dynamics: Annotated[
        bool,
        typer.Option(
            "--dynamics",
            help="Draw the war model's numbers instead: when does a ZOPA open, when is it ripe?",
        ),
    ] = False,
    as_json: JsonOpt = False,
    record: RecordOpt = False,
    store: StoreOpt = None,
) -> None:
    """How robust is the verdict? Monte Carlo over every stated range: the probability of a
    ZOPA, the gap, the binding obstacles, the proposals, and the inputs that drive it."""
    from peacetalks.io import load_any
    from peacetalks.report.sweep import print_inputs, print_sweep, progress_bar
    from peacetalks.sweep.montecarlo import parse_vary
    from peacetalks.sweep.montecarlo import sweep as run_sweep

    loaded = load_any(scenario)
    if list_inputs:
        print_inputs(loaded, as_json)
        return
    grid = parse_vary(vary or [])
    options: dict[str, Any] = {"samples": samples, "seed": seed, "backend": backend}
    options |= {"workers": workers, "scheduler": scheduler, "vary": grid}
    with progress_bar(samples, enabled=not as_json) as advance:
        if dynamics:
            from peacetalks.sweep.dynamics import sweep_dynamics

            result: Any = sweep_dynamics(loaded, progress=advance, **options)
        else:
            result = run_sweep(
                loaded, red_line_samples=red_line_samples, progress=advance, **options
            )
    if record or store is not None:
        parameters = options | {"vary": vary or [], "red_line_samples": red_line_samples}
        del parameters["seed"], parameters["scheduler"]
        kind = "sweep-dynamics" if dynamics else "sweep"
        _record(store, kind, loaded, parameters, result.summary(), seed, result.sample_rows())
    if plot is not None and not dynamics:
        from peacetalks.report.plots import write_sweep_plot

        write_sweep_plot(result, plot)
    if as_json:
        print_json(result.to_dict())
    elif dynamics:
        typer.echo(f"{loaded.title} ({loaded.id})\n")
        for sentence in result.verdict:
            typer.echo(f"- {sentence}")
    else:
        print_sweep(loaded, result)
        if plot is not None:
            typer.echo(f"chart written to {plot}")


@app.command()
@friendly
def simulate(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario id or a YAML file.")] = (
        FLAGSHIP
    ),
    protocol: Annotated[
        str,
        typer.Option("--protocol", help="stacked, alternating (two negotiators) or mediated."),
    ] = "stacked",
    mediator: Annotated[
        str, typer.Option("--mediator", help="With mediated: target nash or kalai-smorodinsky.")
    ] = "nash",
    strategy: Annotated[
        list[str] | None,
        typer.Option("--strategy", help="PARTY=NAME (see `peacetalks strategies`); repeatable."),
    ] = None,
    deadline: Annotated[int, typer.Option("--deadline", min=1, help="Rounds before talks end.")] = (
        60
    ),
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same run.")] = 0,
    truce: Annotated[
        str | None,
        typer.Option(
            "--truce",
            help="START:LENGTH[:RELIEF] offers a temporary ceasefire in round START for LENGTH "
            "rounds, lifting the share RELIEF of the sanctions (needs a war model).",
        ),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Draw the negotiation dance to a .png, .svg or .html file."),
    ] = None,
    as_json: JsonOpt = False,
    record: RecordOpt = False,
    store: StoreOpt = None,
) -> None:
    """Simulated talks: parties following strategies until a deal or the deadline."""
    from peacetalks.dynamics.war import Truce
    from peacetalks.io import load_any
    from peacetalks.negotiation import default_strategies
    from peacetalks.negotiation import simulate as run_simulation

    loaded = load_any(scenario)
    pairs = key_values(strategy or [], "--strategy", "PARTY", "NAME")
    chosen = default_strategies(loaded, pairs)
    offered = Truce.parse(truce) if truce is not None else None
    result = run_simulation(
        loaded,
        chosen,
        protocol=protocol,
        deadline=deadline,
        seed=seed,
        mediator=mediator,
        truce=offered,
    )
    if record or store is not None:
        parameters = {"protocol": protocol, "strategies": result.strategies, "deadline": deadline}
        if truce is not None:
            parameters["truce"] = truce
        _record(store, "simulate", loaded, parameters, result, seed)
    if plot is not None:
        from peacetalks.report.plots import write_simulation_plot

        write_simulation_plot(result, plot)
    if as_json:
        print_json(result.to_dict())
        return
    outcome = result.outcome
    typer.echo(f"{loaded.title} ({loaded.id}): {protocol} offers, deadline {deadline}")
    for sentence in result.explanation:
        typer.echo(f"- {sentence}")
    typer.echo("strategies: " + ", ".join(f"{p}={n}" for p, n in result.strategies.items()))
    events: dict[int, list[str]] = {event.period: [] for event in result.events}
    for event in result.events:
        events[event.period].append(event.text)
    for row in result.trace:
        for text in events.pop(row.period, []):
            typer.echo(f"  round {row.period:>3} {'*':>15} {text}")
        said = ", ".join(f"{p} {'yes' if ok else 'no'}" for p, ok in row.responses.items())
        values = ", ".join(f"{p} {u:.3f}" for p, u in row.utilities.items())
        typer.echo(f"  round {row.period:>3} {row.proposer:>15} offers ({values}): {said}")
    typer.echo(f"outcome: {outcome.reason} (round {outcome.period})")
    if outcome.package:
        typer.echo("package: " + ", ".join(f"{i}={o}" for i, o in outcome.package.items()))


@app.command()
@friendly
def tournament(
    scenarios: Annotated[
        list[str] | None, typer.Argument(help="Built-in scenario ids or YAML files.")
    ] = None,
    strategies: Annotated[
        str, typer.Option("--strategies", help="Comma-separated strategy names.")
    ] = "boulware,linear,conceder,hard-liner,reciprocal",
    repetitions: Annotated[int, typer.Option("--repetitions", min=1)] = 1,
    deadline: Annotated[int, typer.Option("--deadline", min=1)] = 60,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    backend: Annotated[str, typer.Option("--backend", help="inprocess, processes or dask.")] = (
        "inprocess"
    ),
    workers: Annotated[int | None, typer.Option("--workers", min=1)] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Every assignment of the strategies to every scenario's negotiators: agreement rates,
    utilities, rounds, and distances from the Nash point and the Pareto frontier."""
    from peacetalks.io import load_any
    from peacetalks.negotiation.tournament import tournament as run_tournament

    loaded = [load_any(item) for item in (scenarios or ["camp-david-1978", "dayton-1995"])]
    names = [name.strip() for name in strategies.split(",") if name.strip()]
    result = run_tournament(
        loaded,
        names,
        repetitions=repetitions,
        deadline=deadline,
        seed=seed,
        backend=backend,
        workers=workers,
        scheduler=scheduler,
    )
    if as_json:
        print_json(result.to_dict())
        return
    typer.echo(f"{result.negotiations:,} negotiations (deadline {deadline}, seed {seed})")
    for score in sorted(result.strategies, key=lambda s: -s.mean_utility):
        rounds = "-" if score.mean_round is None else f"{score.mean_round:.1f}"
        typer.echo(
            f"  {score.strategy:12} agreements {100 * score.agreement_rate:5.1f}%  "
            f"mean utility {score.mean_utility:.3f}  mean round {rounds}"
        )
    for case in result.scenarios:
        nash = "-" if case.distance_to_nash is None else f"{case.distance_to_nash:.3f}"
        front = "-" if case.distance_to_frontier is None else f"{case.distance_to_frontier:.3f}"
        typer.echo(
            f"  {case.scenario:24} agreements {100 * case.agreement_rate:5.1f}%  "
            f"from Nash {nash}  from the frontier {front}"
        )


@app.command()
@friendly
def strategies(as_json: JsonOpt = False) -> None:
    """The negotiation strategies available to `peacetalks simulate`."""
    from dataclasses import asdict

    from peacetalks.negotiation.strategies import catalogue

    items = catalogue()
    if as_json:
        print_json([asdict(item) for item in items])
        return
    for item in items:
        typer.echo(f"{item.name:12} {item.description} [{item.source}]")


@app.command("import-genius")
@friendly
def import_genius(
    folder: Annotated[Path, typer.Argument(help="A GENIUS domain folder (domain + profiles).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the YAML here (default: stdout).")
    ] = None,
) -> None:
    """Convert a GENIUS negotiation domain into a peacetalks scenario file (YAML)."""
    from peacetalks.io.genius import genius_to_yaml

    text = genius_to_yaml(folder)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command()
@friendly
def show(scenario: ScenarioArg = FLAGSHIP, as_json: JsonOpt = False) -> None:
    """Show a scenario: parties, issues, positions, red lines, proposals, sources."""
    from peacetalks.io import load
    from peacetalks.report import terminal

    loaded = load(scenario)
    if as_json:
        print_json(loaded.model_dump(mode="json", by_alias=True, exclude_none=True))
    else:
        terminal.print_scenario(loaded)


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="The scenario file to check.")],
    as_json: JsonOpt = False,
) -> None:
    """Check a scenario file; exit 0 only when it is valid (1 when invalid, 2 when unreadable)."""
    from peacetalks.io import load_file

    try:
        loaded = load_file(file)
    except ScenarioError as error:
        if as_json:
            print_json({"valid": False, "problems": [p.to_dict() for p in error.problems]})
        else:
            typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    except UsageError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        print_json({"valid": True, "scenario": loaded.id, "problems": []})
    else:
        typer.echo(
            f"{file}: valid scenario {loaded.id!r} ({len(loaded.parties)} parties, "
            f"{len(loaded.issues)} issues, {len(loaded.red_lines)} red lines, "
            f"{len(loaded.proposals)} proposals)"
        )


@app.command()
@friendly
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    from peacetalks.io.schema import scenario_schema

    print_json(scenario_schema())


@app.command()
@friendly
def evaluate(
    scenario: ScenarioArg = FLAGSHIP,
    proposal: Annotated[
        str | None, typer.Option("--proposal", "-p", help="A named proposal of the scenario.")
    ] = None,
    package: Annotated[
        list[str] | None,
        typer.Option("--package", "-k", help="ISSUE=OPTION; repeat for several issues."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Each party's verdict on a proposal or package: utility, margin, red lines, and why."""
    from peacetalks.io import load
    from peacetalks.report import terminal

    loaded = load(scenario)
    if (proposal is None) == (not package):
        names = ", ".join(p.id for p in loaded.proposals) or "none"
        raise UsageError(
            "give either --proposal NAME or --package ISSUE=OPTION ... "
            f"(proposals of {loaded.id}: {names})"
        )
    target: str | dict[str, str] = proposal if proposal is not None else key_values(package or [])
    result = loaded.evaluate(target)
    if as_json:
        print_json(result.to_dict())
    else:
        terminal.print_evaluation(loaded, result)


def _register_commands() -> None:
    """Commands that live beside their library code; each module registers its own."""
    from peacetalks.forecast.commands import register as register_forecast
    from peacetalks.report.commands import register as register_report
    from peacetalks.store.commands import app as runs
    from peacetalks.web.commands import register as register_web

    app.add_typer(runs, name="runs")
    register_report(app)
    register_web(app)
    register_forecast(app)


_register_commands()


def main() -> None:
    """Entry point of the `peacetalks` command."""
    app(prog_name="peacetalks")


if __name__ == "__main__":  # pragma: no cover
    main()
