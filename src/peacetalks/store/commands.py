"""`peacetalks runs ...`: list, show, export and delete recorded runs (parse, call, render)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peacetalks.commandline import JsonOpt, friendly, print_json

if TYPE_CHECKING:
    from rich.console import Console

    from peacetalks.store import Run, RunInfo

app = typer.Typer(
    help="The run store: runs recorded by analyze, dynamics, sweep and simulate - list them, "
    "show one, export its samples, delete it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="The run store file (default: $PEACETALKS_STORE, else "
        "$XDG_DATA_HOME/peacetalks/runs.sqlite, i.e. ~/.local/share/peacetalks/runs.sqlite).",
    ),
]
IdArg = Annotated[str, typer.Argument(help="A run id, or enough of its start to be unique.")]


@app.command("list")
@friendly
def list_runs(
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only runs of this kind (analyze, sweep, ...).")
    ] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Only runs on this scenario id.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show at most this many.")] = 50,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The recorded runs, newest first."""
    from peacetalks.store import RunStore, store_path

    path = store_path(store)
    if not path.exists():
        if as_json:
            print_json([])
        else:
            typer.echo(f"no runs recorded yet (no run store at {path})")
        return
    runs = RunStore(path, create=False)
    infos = runs.list(kind=kind, scenario=scenario, limit=limit)
    if as_json:
        print_json([info.to_dict() for info in infos])
    else:
        print_runs(infos, runs.count(kind=kind, scenario=scenario), path)


@app.command()
@friendly
def show(
    run_id: IdArg,
    samples: Annotated[int, typer.Option("--samples", min=0, help="How many samples to show.")] = 5,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """One run: what ran on which scenario, its parameters, summary and first samples."""
    from peacetalks.store import RunStore

    runs = RunStore(store, create=False)
    run = runs.get(run_id)
    first = list(runs.samples(run.id, limit=samples))
    if as_json:
        print_json(run.to_dict() | {"samples": first})
    else:
        print_run(run, first)


@app.command()
@friendly
def export(
    run_id: IdArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv or parquet (default: parquet for a .parquet file, else csv).",
        ),
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Write a run's samples to a CSV or Parquet file, one row per sample."""
    from peacetalks.store import RunStore

    if format is None:
        format = "parquet" if output.suffix.lower() in (".parquet", ".pq") else "csv"
    runs = RunStore(store, create=False)
    run = runs.get(run_id)
    runs.export(run.id, output, format)
    typer.echo(f"wrote {run.sample_count} samples of run {run.id} to {output}", err=True)


@app.command()
@friendly
def delete(run_id: IdArg, store: StoreOpt = None) -> None:
    """Delete a run and its samples."""
    from peacetalks.store import RunStore

    full = RunStore(store, create=False).delete(run_id)
    typer.echo(f"deleted run {full}")


# -- rendering ---------------------------------------------------------------------------------


def _console() -> Console:
    import sys

    from rich.console import Console

    width = None if sys.stdout.isatty() else 160
    return Console(highlight=False, soft_wrap=False, width=width)


def _when(created: str) -> str:
    return created[:19].replace("T", " ")


def _compact(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 3] + "..."


def print_runs(infos: list[RunInfo], total: int, path: Path) -> None:
    """The run list as a table, with how many more there are."""
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for column in ("id", "created (UTC)", "kind", "scenario", "seed", "samples", "summary"):
        table.add_column(column)
    for info in infos:
        seed = "" if info.seed is None else str(info.seed)
        table.add_row(
            info.id,
            _when(info.created),
            Text(info.kind),
            Text(info.scenario_id),
            seed,
            f"{info.sample_count:,}",
            Text(info.preview),
        )
    console = _console()
    console.print(Text(f"Runs in {path}", style="bold"))
    console.print(table)
    if total > len(infos):
        console.print(f"showing {len(infos)} of {total} runs (--limit N to see more)")


def _flat(data: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.extend(_flat(value, name + "."))
        else:
            out.append((name, value))
    return out


def print_run(run: Run, samples: list[dict[str, Any]]) -> None:
    """A run: its facts, parameters and summary (nested keys dotted), and its first samples."""
    from rich.table import Table
    from rich.text import Text

    console = _console()
    console.print(Text(f"Run {run.id}", style="bold"))
    facts = Table(show_header=False)
    facts.add_column("field")
    facts.add_column("value")
    for name, value in (
        ("created (UTC)", _when(run.created)),
        ("kind", run.kind),
        ("scenario", run.scenario_id),
        ("scenario hash", run.scenario_hash),
        ("peacetalks version", run.version),
        ("seed", "" if run.seed is None else str(run.seed)),
        ("samples", f"{run.sample_count:,}"),
    ):
        facts.add_row(name, Text(value))
    console.print(facts)
    for title, data in (("Parameters", run.parameters), ("Summary", run.summary)):
        console.print(Text(title, style="bold"))
        table = Table()
        table.add_column("key")
        table.add_column("value")
        for key, value in _flat(data):
            table.add_row(Text(key), Text(_compact(value, 100)))
        console.print(table)
    if samples:
        columns = list(dict.fromkeys(key for sample in samples for key in sample))
        console.print(Text(f"First {len(samples)} of {run.sample_count:,} samples", style="bold"))
        table = Table()
        table.add_column("#")
        for column in columns:
            table.add_column(Text(column))
        for index, sample in enumerate(samples):
            cells = [Text(_compact(sample.get(c, ""), 30)) for c in columns]
            table.add_row(str(index), *cells)
        console.print(table)
