"""The self-contained HTML report, standalone chart pages, and HTML summaries for Jupyter.

The report is one file that opens with no network: plotly.js is inlined once, every chart is
a figure dict from :mod:`peacetalks.report.figures` embedded as JSON, and no style sheet, font
or script is loaded from anywhere else. Templates live in ``report/templates`` (Jinja2, with
autoescaping on: every name and sentence from a scenario is escaped).

>>> import peacetalks
>>> from peacetalks.report.html import render_report
>>> scenario = peacetalks.load("camp-david-1978")
>>> page = render_report(scenario, scenario.analyze())
>>> page.startswith("<!DOCTYPE html>") and "<script src=" not in page
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peacetalks.errors import UsageError
from peacetalks.model.numbers import Estimate, best, bounds

if TYPE_CHECKING:
    from jinja2 import Environment

    from peacetalks.analysis.analyze import Analysis
    from peacetalks.dynamics import Dynamics
    from peacetalks.model.base import Cited
    from peacetalks.model.scenario import Scenario
    from peacetalks.negotiation import Simulation
    from peacetalks.sweep.montecarlo import SweepResult

REPORT_SWEEP = 200
"""Monte Carlo samples a report draws when asked for a sweep without a size (a few seconds)."""
REPORT_RED_LINE_SAMPLES = 0
"""Samples on which a report's sweep asks whether dropping a red line opens a ZOPA (each costs
a fraction of a second on the flagship, so by default none: `peacetalks sweep` asks it)."""
TEMPLATES = Path(__file__).parent / "templates"


# --- building -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Results:
    """Everything a report shows: the analysis, and what else was computed."""

    analysis: Analysis
    dynamics: Dynamics | None = None
    sweep: SweepResult | None = None
    simulation: Simulation | None = None


def compute(
    scenario: Scenario,
    dynamics: bool | None = None,
    sweep: int = 0,
    simulate: bool = False,
    seed: int = 0,
    strategies: Mapping[str, str] | None = None,
    red_line_samples: int = REPORT_RED_LINE_SAMPLES,
) -> Results:
    """Run the analyses a report shows. `dynamics` defaults to whether the scenario models
    the war; `sweep` is a number of Monte Carlo samples (0: none); `simulate` runs simulated
    talks with `strategies` (party -> strategy name; others concede linearly);
    `red_line_samples` is how many of the sweep's draws test each red line."""
    from peacetalks.analysis.analyze import analyze

    if dynamics and scenario.war is None:
        raise UsageError(f"{scenario.id} has no war model: drop --dynamics")
    moving = None
    if dynamics or (dynamics is None and scenario.war is not None):
        from peacetalks.dynamics import dynamics as run_dynamics

        moving = run_dynamics(scenario)
    robust = None
    if sweep > 0:
        from peacetalks.sweep.montecarlo import sweep as run_sweep

        lines = min(sweep, red_line_samples)
        robust = run_sweep(scenario, samples=sweep, seed=seed, red_line_samples=lines)
    talks = None
    if simulate:
        from peacetalks.negotiation import simulate as run_simulation

        talks = run_simulation(scenario, dict(strategies or {}), seed=seed)
    return Results(analyze(scenario), moving, robust, talks)


def build_report(
    scenario: Scenario, x: str | None = None, y: str | None = None, **options: Any
) -> str:
    """Compute (see :func:`compute` for the options) and render the report of a scenario."""
    results = compute(scenario, **options)
    return render_report(
        scenario, results.analysis, results.dynamics, results.sweep, results.simulation, x, y
    )


def write_report(scenario: Scenario, path: Path, **options: Any) -> Path:
    """Build the report and write it to `path` (UTF-8)."""
    path.write_text(build_report(scenario, **options), encoding="utf-8")
    return path


def render_report(
    scenario: Scenario,
    analysis: Analysis,
    dynamics: Dynamics | None = None,
    sweep: SweepResult | None = None,
    simulation: Simulation | None = None,
    x: str | None = None,
    y: str | None = None,
) -> str:
    """The report page of results already computed (a pure function of its inputs, but for
    the time stamp)."""
    from peacetalks.report import figures

    charts = {"utility": figures.utility_space_figure(scenario, analysis, x, y)}
    if dynamics is not None:
        charts["dynamics"] = figures.dynamics_figure(dynamics)
    if sweep is not None:
        charts["sweep"] = figures.sweep_figure(sweep)
    if simulation is not None:
        charts["simulation"] = figures.simulation_figure(simulation)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            scenario=scenario,
            analysis=analysis,
            dynamics=dynamics,
            sweep=sweep,
            simulation=simulation,
            charts=charts,
            plotly_js=_plotly_js(),
            red_lines=red_line_rows(scenario),
            numbers=number_rows(scenario),
            uncertain=_uncertain(scenario) if sweep is not None else [],
            sources={source.id: source for source in scenario.sources},
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            version=_version(),
        )
    )


def figure_page(title: str, figure: Mapping[str, Any], sentences: Sequence[str] = ()) -> str:
    """A self-contained page with one interactive chart (plotly.js inlined) and its verdict."""
    return (
        _environment()
        .get_template("chart.html.j2")
        .render(title=title, figure=figure, sentences=sentences, plotly_js=_plotly_js())
    )


# --- single charts -------------------------------------------------------------------------

KINDS = ("utility-space", "dynamics", "sweep", "simulation")
CHART_FORMATS = (".png", ".svg", ".html")


def check_chart(kind: str, path: Path) -> None:
    """Raise a UsageError for an unknown chart kind or file format (before any work)."""
    from peacetalks.errors import did_you_mean

    if kind not in KINDS:
        raise UsageError(f"unknown chart {kind!r}; {did_you_mean(kind, KINDS)}")
    if path.suffix.lower() not in CHART_FORMATS:
        raise UsageError(
            f"cannot draw into {path.name!r}; expected a file ending in " + ", ".join(CHART_FORMATS)
        )


def write_chart(
    kind: str,
    scenario: Scenario,
    path: Path,
    x: str | None = None,
    y: str | None = None,
    samples: int = REPORT_SWEEP,
    seed: int = 0,
    strategies: Mapping[str, str] | None = None,
) -> Path:
    """Draw one chart of a scenario into `path`: PNG or SVG (matplotlib, for papers) or a
    self-contained interactive HTML page (plotly). `kind` is one of :data:`KINDS`; `samples`
    is the sweep's size, `strategies` the simulation's (party -> strategy name)."""
    check_chart(kind, path)
    if kind == "utility-space":
        results = compute(scenario, dynamics=False)
    elif kind == "dynamics":
        results = compute(scenario, dynamics=True)
    else:
        results = compute(
            scenario,
            dynamics=False,
            sweep=samples if kind == "sweep" else 0,
            simulate=kind == "simulation",
            seed=seed,
            strategies=strategies,
        )
    if path.suffix.lower() == ".html":
        title, figure, sentences = _interactive(kind, scenario, results, x, y)
        path.write_text(figure_page(title, figure, sentences), encoding="utf-8")
        return path
    return _static(kind, scenario, results, path, x, y)


def _interactive(
    kind: str, scenario: Scenario, results: Results, x: str | None, y: str | None
) -> tuple[str, dict[str, Any], Sequence[str]]:
    from peacetalks.report import figures

    title = f"{scenario.title}: {kind.replace('-', ' ')}"
    if results.dynamics is not None:
        return title, figures.dynamics_figure(results.dynamics), results.dynamics.verdict
    if results.sweep is not None:
        return title, figures.sweep_figure(results.sweep), results.sweep.verdict
    if results.simulation is not None:
        talks = results.simulation
        return title, figures.simulation_figure(talks), talks.explanation
    figure = figures.utility_space_figure(scenario, results.analysis, x, y)
    return title, figure, results.analysis.verdict


def _static(
    kind: str, scenario: Scenario, results: Results, path: Path, x: str | None, y: str | None
) -> Path:
    from peacetalks.report import plots

    if results.dynamics is not None:
        return plots.write_dynamics_plot(results.dynamics, path)
    if results.sweep is not None:
        return plots.write_sweep_plot(results.sweep, path)
    if results.simulation is not None:
        return plots.write_simulation_plot(results.simulation, path)
    from peacetalks.report.figures import draw_utility_space, utility_space_figure

    drawing = draw_utility_space(utility_space_figure(scenario, results.analysis, x, y))
    return plots._save(drawing, path, scenario.id, kind, results.analysis.verdict)


# --- what the templates show ----------------------------------------------------------------


@dataclass(frozen=True)
class NumberRow:
    """One number of the scenario, where it is, and what it rests on."""

    party: str
    what: str
    value: float
    low: float
    high: float
    sources: tuple[str, ...]
    quote: str | None
    rationale: str | None


@dataclass(frozen=True)
class RedLineRow:
    """One red line: whose, its rule in words, and what it rests on."""

    id: str
    party: str
    kind: str
    rule: str
    description: str | None
    sources: tuple[str, ...]
    quote: str | None
    rationale: str | None


def red_line_rows(scenario: Scenario) -> list[RedLineRow]:
    """Every red line of the scenario, in words, with its sources."""
    from peacetalks.analysis.evaluate import describe_red_line

    return [
        RedLineRow(
            line.id,
            line.party,
            line.kind,
            describe_red_line(scenario, index),
            line.description,
            line.source_ids,
            line.quote,
            line.rationale,
        )
        for index, line in enumerate(scenario.red_lines)
    ]


def number_rows(scenario: Scenario) -> list[NumberRow]:
    """Every number of the parties' preferences, with its range, sources and rationale (in
    file order: reservation value and relative gains first, then weights, values and
    interactions)."""
    rows: list[NumberRow] = []
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        if prefs is None:
            continue
        rows.append(_row(party.id, "reservation value (no deal)", prefs.reservation))
        for other, alpha in prefs.relative_gains.items():
            rows.append(_row(party.id, f"relative-gains concern for {other}", alpha))
        if prefs.discount is not None:
            rows.append(_row(party.id, "discount per period", prefs.discount))
        for issue, weight in prefs.weights.items():
            rows.append(_row(party.id, f"weight of {issue}", weight))
        for issue, table in prefs.values.items():
            for option, value in table.items():
                rows.append(_row(party.id, f"value of {issue} = {option}", value))
        for item in prefs.interactions:
            when = " and ".join(f"{i} = {_options(o)}" for i, o in item.when.items())
            rows.append(_row(party.id, f"bonus when {when}", item.bonus, item))
    return rows


def _options(chosen: str | tuple[str, ...]) -> str:
    return chosen if isinstance(chosen, str) else " or ".join(chosen)


def _row(party: str, what: str, number: float | Estimate, holder: Cited | None = None) -> NumberRow:
    low, high = bounds(number)
    cited = number if isinstance(number, Estimate) else holder
    return NumberRow(
        party=party,
        what=what,
        value=best(number),
        low=low,
        high=high,
        sources=cited.source_ids if cited else (),
        quote=cited.quote if cited else None,
        rationale=cited.rationale if cited else None,
    )


def _uncertain(scenario: Scenario) -> list[dict[str, Any]]:
    from peacetalks.sweep.sampling import uncertain_inputs

    return [
        {
            "path": item.path,
            "best": item.estimate.value,
            "low": item.low,
            "high": item.high,
            "distribution": item.estimate.distribution or "uniform",
            "group": item.estimate.group,
        }
        for item in uncertain_inputs(scenario)
    ]


# --- Jupyter --------------------------------------------------------------------------------


def analysis_html(result: Analysis) -> str:
    """A compact HTML summary of an analysis (what ``Analysis._repr_html_`` shows)."""
    return _environment().get_template("summary.html.j2").render(kind="analysis", result=result)


def dynamics_html(result: Dynamics) -> str:
    """A compact HTML summary of a dynamics result."""
    return _environment().get_template("summary.html.j2").render(kind="dynamics", result=result)


def sweep_html(result: SweepResult) -> str:
    """A compact HTML summary of a Monte Carlo sweep."""
    return _environment().get_template("summary.html.j2").render(kind="sweep", result=result)


def simulation_html(result: Simulation) -> str:
    """A compact HTML summary of a simulated negotiation."""
    return _environment().get_template("summary.html.j2").render(kind="simulation", result=result)


# --- plumbing -------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    try:
        from jinja2 import Environment, FileSystemLoader, StrictUndefined
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise UsageError("reports need jinja2: pip install 'peacetalks[report]'") from error
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["num"] = _num
    environment.filters["signed"] = _signed
    environment.filters["terms"] = _terms
    environment.filters["percent"] = _percent
    environment.tests["web_address"] = _web_address
    return environment


def _num(value: object, digits: int = 3) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:.{digits}f}"
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{_num(value[0], digits)}..{_num(value[1], digits)}"
    return "" if value is None else str(value)


def _signed(value: object, digits: int = 3) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:+.{digits}f}"
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{_signed(value[0], digits)}..{_signed(value[1], digits)}"
    return "" if value is None else str(value)


def _web_address(url: object) -> bool:
    """Whether a source's address may become a link (no javascript: or data: addresses)."""
    return isinstance(url, str) and url.lower().startswith(("https://", "http://"))


def _percent(value: float, digits: int = 1) -> str:
    return f"{100 * value:.{digits}f}%"


def _terms(package: Mapping[str, str] | None) -> str:
    return ", ".join(f"{issue} = {option}" for issue, option in (package or {}).items())


@cache
def _plotly_js() -> str:
    """plotly.js from the installed plotly package, safe to place inside a script element."""
    from markupsafe import Markup

    try:
        from plotly.offline import get_plotlyjs
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise UsageError("reports need plotly: pip install 'peacetalks[report]'") from error
    source = str(get_plotlyjs()).replace("</script", "<\\/script")
    return Markup(source)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("peacetalks")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"
