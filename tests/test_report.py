"""The HTML report, the `plot` command, the interactive figures and the Jupyter summaries."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from typer.testing import CliRunner

import peacetalks
from peacetalks.cli import app
from peacetalks.model import Scenario
from peacetalks.report import commands, figures
from peacetalks.report import html as report_html

pytest.importorskip("plotly")
pytest.importorskip("jinja2")

GENIUS = Path(__file__).resolve().parents[2] / "shared" / "genius" / "y2011" / "Laptop"
RUSSIA_UKRAINE = [i for i in peacetalks.builtin_ids() if i.startswith("russia-ukraine")]
runner = CliRunner()


class Resources(HTMLParser):
    """Every resource a page would load, and the text of its style sheets."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.styles: list[str] = []
        self.scripts = 0
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and found.get(
            "src"
        ):
            self.loads.append(str(found["src"]))
        if tag == "link" and found.get("href"):
            self.loads.append(str(found["href"]))
        if tag == "object" and found.get("data"):
            self.loads.append(str(found["data"]))
        if found.get("style"):
            self.styles.append(str(found["style"]))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def external_loads(page: str) -> list[str]:
    parser = Resources()
    parser.feed(page)
    loads = [url for url in parser.loads if re.match(r"\s*(https?:)?//", url)]
    for css in parser.styles:
        loads += re.findall(r"url\(\s*['\"]?\s*((?:https?:)?//[^'\")]+)", css)
        loads += re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\"\s;)]+)", css)
    return loads


def esc(text: str) -> str:
    """Text as the templates escape it."""
    return str(escape(text))


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def camp_david() -> tuple[Scenario, Any]:
    scenario = peacetalks.load("camp-david-1978")
    return scenario, scenario.analyze()


@pytest.mark.parametrize("scenario_id", RUSSIA_UKRAINE)
def test_report_of_the_russia_ukraine_cases_is_self_contained(
    scenario_id: str, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    result = run("report", scenario_id, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "report written to" in result.output
    page = out.read_text(encoding="utf-8")
    assert external_loads(page) == []
    assert page.count("<script>") == 2  # plotly.js, inlined once, and the few lines that draw
    scenario = peacetalks.load(scenario_id)
    analysis = scenario.analyze()
    for sentence in analysis.verdict:
        assert esc(sentence) in page
    for line in report_html.red_line_rows(scenario):
        assert f'id="red-line-{line.id}"' in page
        assert esc(line.rule) in page
    for source in scenario.sources:
        assert f'id="source-{source.id}"' in page
        assert esc(source.title) in page
    assert 'id="dynamics"' in page  # both model the war
    assert 'data-figure="figure-utility"' in page


def test_report_of_a_genius_domain(tmp_path: Path) -> None:
    if not GENIUS.is_dir():
        pytest.skip("the GENIUS domains are not here")
    out = tmp_path / "laptop.html"
    result = run("report", str(GENIUS), "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert external_loads(page) == []
    assert 'id="dynamics"' not in page
    assert "Verdict" in page


def test_report_with_a_sweep_and_a_simulation(camp_david: tuple[Scenario, Any]) -> None:
    scenario, _ = camp_david
    results = report_html.compute(scenario, sweep=40, simulate=True, seed=3)
    assert results.sweep is not None and results.sweep.samples == 40
    assert results.simulation is not None and results.dynamics is None
    page = report_html.render_report(
        scenario, results.analysis, None, results.sweep, results.simulation
    )
    for section in ('id="sweep"', 'id="simulation"', "figure-sweep", "figure-simulation"):
        assert section in page
    assert external_loads(page) == []


def test_names_from_a_scenario_are_escaped(camp_david: tuple[Scenario, Any]) -> None:
    scenario, _ = camp_david
    evil = "<script>alert('x')</script>"
    party = scenario.parties[0].model_copy(update={"name": f"Egypt {evil}"})
    source = scenario.sources[0].model_copy(
        update={"title": f"A {evil} source", "url": "javascript:alert(1)"}
    )
    hostile = scenario.evolve(
        title=f"Camp David {evil}",
        parties=[party.model_dump(), *[p.model_dump() for p in scenario.parties[1:]]],
        sources=[source.model_dump(), *[s.model_dump() for s in scenario.sources[1:]]],
    )
    page = report_html.render_report(hostile, hostile.analyze())
    assert "alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    # in a chart, the name is escaped for plotly's own markup, then written as JSON in which
    # "&" and "<" are \u0026 and \u003c, so no script element can end early
    assert "Camp David \\u0026lt;script\\u0026gt;" in page


def test_figures_are_valid_plotly(camp_david: tuple[Scenario, Any]) -> None:
    go = pytest.importorskip("plotly.graph_objects")
    scenario, analysis = camp_david
    figure = figures.utility_space_figure(scenario, analysis, x="egypt", y="israel")
    go.Figure(figure)  # raises on an unknown property
    json.dumps(figure, allow_nan=False)
    names = [trace["name"] for trace in figure["data"]]
    assert names[0] == "packages respecting the red lines"
    assert "Nash solution" in names and "proposals" in names
    assert "all 324 packages" in figure["layout"]["title"]["text"]
    assert figure["layout"]["xaxis"]["title"]["text"].startswith("egypt")
    assert "=" in figure["data"][0]["text"][0]  # hover text names the options
    results = report_html.compute(scenario, sweep=30, simulate=True)
    assert results.sweep is not None and results.simulation is not None
    for other in (
        figures.sweep_figure(results.sweep),
        figures.simulation_figure(results.simulation),
    ):
        go.Figure(other)
        json.dumps(other, allow_nan=False)


def test_big_spaces_are_sampled_and_say_so() -> None:
    scenario = peacetalks.load("russia-ukraine-2025")
    figure = figures.utility_space_figure(scenario, scenario.analyze(), limit=300)
    assert len(figure["data"][0]["x"]) == 300
    assert "random sample of 300 of the 17,280" in figure["layout"]["title"]["text"]


def test_no_respecting_package_falls_back_and_says_so() -> None:
    scenario = peacetalks.load("russia-ukraine-2026")
    analysis = scenario.analyze()
    figure = figures.utility_space_figure(scenario, analysis, limit=200)
    assert figure["data"][0]["x"]
    assert "none respects" in figure["layout"]["title"]["text"]
    assert "crosses" in figure["data"][0]["text"][0]


def test_dynamics_figure_is_valid_plotly() -> None:
    go = pytest.importorskip("plotly.graph_objects")
    from peacetalks.dynamics import dynamics

    result = dynamics(peacetalks.load("russia-ukraine-2025"), levers=False)
    figure = figures.dynamics_figure(result)
    go.Figure(figure)
    assert len(figure["data"][0]["x"]) == len(result.dates)


def test_choosing_axes(camp_david: tuple[Scenario, Any]) -> None:
    scenario, analysis = camp_david
    assert len(set(figures.default_axes(scenario, analysis))) == 2
    with pytest.raises(peacetalks.UsageError, match="did you mean 'egypt'"):
        figures.utility_space_figure(scenario, analysis, x="egipt")
    with pytest.raises(peacetalks.UsageError, match="two different parties"):
        figures.utility_space_figure(scenario, analysis, x="egypt", y="egypt")


@pytest.mark.parametrize(
    ("kind", "scenario_id", "name", "extra"),
    [
        ("utility-space", "camp-david-1978", "u.png", []),
        ("utility-space", "camp-david-1978", "u.svg", ["--x", "israel", "--y", "egypt"]),
        ("utility-space", "dayton-1995", "u.html", []),
        ("dynamics", "russia-ukraine-2025", "d.png", []),
        ("sweep", "camp-david-1978", "s.svg", ["-n", "30"]),
        ("simulation", "camp-david-1978", "m.html", []),
    ],
)
def test_plot_writes_files(
    kind: str, scenario_id: str, name: str, extra: list[str], tmp_path: Path
) -> None:
    out = tmp_path / name
    result = run("plot", kind, scenario_id, "-o", str(out), *extra)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if name.endswith(".png"):
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    elif name.endswith(".svg"):
        assert b"<svg" in data[:2000]
    else:
        page = data.decode()
        assert page.startswith("<!DOCTYPE html>") and 'data-figure="figure-main"' in page
        assert external_loads(page) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plot", "utility", "-o", "x.png"], "did you mean 'utility-space'"),
        (["plot", "sweep", "-o", "x.pdf"], "expected a file ending in .png, .svg, .html"),
        (["plot", "utility-space", "camp-david-1978", "-o", "x.png", "--x", "nobody"], "nobody"),
        (["report", "-o", "x.pdf"], "a report is an HTML file"),
        (["report", "camp-david-1978", "--dynamics", "-o", "x.html"], "has no war model"),
        (["report", "no-such-scenario", "-o", "x.html"], "no-such-scenario"),
        (
            ["report", "camp-david-1978", "--simulate", "--strategy", "egypt", "-o", "x.html"],
            "PARTY=NAME",
        ),
    ],
)
def test_cli_errors_are_messages(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_repr_html_of_the_results(camp_david: tuple[Scenario, Any]) -> None:
    from peacetalks.dynamics import dynamics

    scenario, analysis = camp_david
    summary = analysis._repr_html_()
    assert "a ZOPA exists" in summary and esc(analysis.verdict[0]) in summary
    assert "<script" not in summary
    results = report_html.compute(scenario, sweep=30, simulate=True)
    assert results.sweep is not None and results.simulation is not None
    assert "Monte Carlo sweep" in results.sweep._repr_html_()
    assert esc(results.simulation.outcome.reason) in results.simulation._repr_html_()
    moving = dynamics(peacetalks.load("russia-ukraine-2025"), levers=False)
    assert "first ripe period" in moving._repr_html_()


def test_command_constants_match_the_library() -> None:
    assert commands.KINDS == report_html.KINDS
    assert commands.REPORT_SWEEP == report_html.REPORT_SWEEP


def test_static_utility_space_shows_names_unescaped() -> None:
    scenario = peacetalks.load("russia-ukraine-2025")
    from peacetalks.analysis.analyze import analyze

    drawing = figures.draw_utility_space(figures.utility_space_figure(scenario, analyze(scenario)))
    axes = drawing.axes[0]
    texts = [axes.get_title(loc="left"), axes.get_xlabel(), *(t.get_text() for t in axes.texts)]
    assert "Kremlin's playbook" in texts[0]
    assert not [text for text in texts if "&#" in text or "&amp;" in text]
