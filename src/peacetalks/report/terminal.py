"""Readable terminal renderings of scenarios and results (rich tables)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from peacetalks.model.numbers import Estimate, best, bounds

if TYPE_CHECKING:
    from peacetalks.analysis.analyze import Analysis
    from peacetalks.analysis.evaluate import Evaluation, PartyVerdict
    from peacetalks.analysis.space import Count
    from peacetalks.analysis.zopa import ScoredPackage
    from peacetalks.model import Scenario
    from peacetalks.scenarios import LibraryEntry


def _console() -> Console:
    """A console; when output is not a terminal, wide enough that tables do not fold."""
    width = None if sys.stdout.isatty() else 160
    return Console(highlight=False, soft_wrap=False, width=width)


def print_library(entries: Sequence[LibraryEntry]) -> None:
    """The built-in case library as a table."""
    table = Table(title="Built-in scenarios", title_justify="left")
    for column in ("id", "title", "as of", "parties", "issues", "packages", "proposals"):
        table.add_column(column)
    for entry in entries:
        star = " (flagship)" if entry.flagship else ""
        table.add_row(
            entry.id + star,
            entry.title,
            entry.as_of,
            ", ".join(entry.parties),
            str(entry.issues),
            f"{entry.packages:,}",
            str(len(entry.proposals)),
        )
    _console().print(table)


def _number(number: float | Estimate) -> str:
    low, high = bounds(number)
    text = f"{best(number):g}"
    return text + (f" [{low:g}..{high:g}]" if low < high else "")


def _cites(item: object) -> str:
    ids = getattr(item, "source_ids", ())
    return ", ".join(ids)


def print_scenario(scenario: Scenario) -> None:
    """Parties, issues, positions, red lines and proposals, with their sources."""
    console = _console()
    console.print(f"[bold]{escape(scenario.title)}[/bold]  ({scenario.id}, as of {scenario.as_of})")
    if scenario.description:
        console.print(escape(scenario.description.strip()))
    parties = Table(title="Parties", title_justify="left")
    for column in ("id", "name", "kind", "signatory", "reservation", "relative gains"):
        parties.add_column(column)
    for party in scenario.parties:
        prefs = scenario.preferences.get(party.id)
        parties.add_row(
            party.id,
            escape(party.name),
            party.kind,
            "yes" if party.signatory else "no",
            _number(prefs.reservation) if prefs else "-",
            ", ".join(f"{q} {_number(a)}" for q, a in prefs.relative_gains.items())
            if prefs
            else "",
        )
    console.print(parties)
    with_prefs = [p for p in scenario.parties if p.id in scenario.preferences]
    for issue in scenario.issues:
        table = Table(title=f"Issue {issue.id}: {escape(issue.name)}", title_justify="left")
        table.add_column("option")
        for party in with_prefs:
            weight = scenario.preferences[party.id].weights.get(issue.id)
            table.add_column(f"{party.id} (w {_number(weight) if weight is not None else 0})")
        for option in issue.options:
            label = escape(option.label)
            if option.amount is not None:
                label += f" [{option.amount:g} {escape(option.unit or '')}]"
            if option.id == issue.default:
                label += " (default)"
            cells = []
            for party in with_prefs:
                value = scenario.preferences[party.id].values.get(issue.id, {}).get(option.id)
                cells.append(_number(value) if value is not None else "")
            table.add_row(f"{option.id}: {label}", *cells)
        console.print(table)
    if scenario.red_lines:
        from peacetalks.analysis.evaluate import describe_red_line

        lines = Table(title="Red lines", title_justify="left")
        for column in ("id", "party", "kind", "rule", "sources"):
            lines.add_column(column)
        for index, line in enumerate(scenario.red_lines):
            rule = describe_red_line(scenario, index)
            lines.add_row(line.id, line.party, line.kind, escape(rule), _cites(line))
        console.print(lines)
    if scenario.proposals:
        proposals = Table(title="Proposals", title_justify="left")
        for column in ("id", "name", "date", "by", "package", "sources"):
            proposals.add_column(column)
        for proposal in scenario.proposals:
            proposals.add_row(
                proposal.id,
                escape(proposal.name),
                str(proposal.date or ""),
                proposal.by or "",
                ", ".join(f"{i}={o}" for i, o in proposal.package.items()),
                _cites(proposal),
            )
        console.print(proposals)
    sources = Table(title="Sources", title_justify="left")
    for column in ("id", "source"):
        sources.add_column(column)
    for source in scenario.sources:
        parts = [source.author, f'"{source.title}"', source.publisher, source.date, source.url]
        sources.add_row(source.id, escape(", ".join(str(p) for p in parts if p)))
    console.print(sources)


def _span(pair: tuple[float, float], signed: bool = False) -> str:
    fmt = "{:+.3f}" if signed else "{:.3f}"
    low, high = pair
    return fmt.format(low) if low == high else f"{fmt.format(low)}..{fmt.format(high)}"


def _verdict_word(verdict: PartyVerdict) -> str:
    if not verdict.has_preferences:
        return "no preferences"
    if verdict.accepts is None:
        return f"[yellow]depends ({verdict.accept_share:.0%})[/yellow]"
    return "[green]accepts[/green]" if verdict.accepts else "[red]rejects[/red]"


def print_evaluation(scenario: Scenario, result: Evaluation) -> None:
    """Each party's verdict on a package, and why."""
    console = _console()
    what = f"proposal {result.proposal!r}" if result.proposal else "package"
    console.print(f"[bold]{scenario.title}[/bold]: {what}")
    terms = ", ".join(f"{issue}={option}" for issue, option in result.package.items())
    console.print(f"  terms: {escape(terms)}")
    if result.defaulted:
        console.print(f"  silent on (default applied): {', '.join(result.defaulted)}")
    if result.open_issues:
        console.print(
            f"  open (judged over all {result.completions:,} ways to settle them): "
            f"{', '.join(result.open_issues)}"
        )
    table = Table()
    for column in (
        "party",
        "signatory",
        "verdict",
        "utility",
        "effective",
        "reservation",
        "margin",
        "red lines crossed",
    ):
        table.add_column(column)
    for verdict in result.verdicts:
        table.add_row(
            verdict.party,
            "yes" if verdict.signatory else "no",
            _verdict_word(verdict),
            _span(verdict.utility) if verdict.has_preferences else "",
            _span(verdict.effective_utility) if verdict.has_preferences else "",
            f"{verdict.reservation:.3f}" if verdict.has_preferences else "",
            _span(verdict.margin, signed=True) if verdict.has_preferences else "",
            ", ".join(hit.id for hit in verdict.red_lines_crossed),
        )
    console.print(table)
    for verdict in result.verdicts:
        if verdict.has_preferences:
            console.print(f"[bold]{escape(verdict.name)}[/bold] {_verdict_word(verdict)}:")
            for reason in verdict.reasons:
                console.print(f"  - {escape(reason)}")
    if result.accepted_by_all is True:
        console.print("[green]Every signatory accepts this package.[/green]")
    elif result.accepted_by_all is False:
        refusing = [v.party for v in result.verdicts if v.signatory and v.accepts is not True]
        console.print(f"[red]Not a deal: rejected by {', '.join(refusing)}.[/red]")
    else:
        console.print(
            f"[yellow]Every signatory accepts {result.share_accepted_by_all:.1%} of the ways to "
            f"settle the open issues.[/yellow]"
        )


def print_analysis(scenario: Scenario, result: Analysis, points: int = 10) -> None:
    """The analysis report: the verdict in words, then the tables behind it."""
    console = _console()
    console.print(f"[bold]{escape(result.title)}[/bold] ({result.scenario})")
    console.print()
    for sentence in result.verdict:
        console.print(f"- {escape(sentence)}")
    console.print()
    space = result.space
    console.print(
        f"Packages: {space.packages:,}; respecting every red line: "
        f"{_count(space.respecting_red_lines)}; respecting the signatories' red lines: "
        f"{_count(space.respecting_signatory_red_lines)}"
    )
    zopa = result.zopa
    console.print(
        f"ZOPA: {'yes' if zopa.exists else 'no'}; size {_count(zopa.size)} ({zopa.size.method})"
    )
    if zopa.best:
        console.print(_packages_table("Best packages in the ZOPA", zopa.best, "gain"))
    if result.closest is not None:
        console.print(_packages_table("Closest packages", result.closest.packages, "shortfall"))
    proposals = Table(title="Proposals", title_justify="left")
    proposals.add_column("proposal")
    parties = list(result.signatories)
    for party in parties:
        proposals.add_column(party)
    proposals.add_column("deal")
    for proposal in result.proposals:
        cells = []
        for party in parties:
            verdict = proposal.verdicts.get(party, {})
            margin = verdict.get("margin")
            text = _margin_text(margin)
            accepts = verdict.get("accepts")
            mark = "[green]yes[/green]" if accepts else "[red]no[/red]" if accepts is False else "?"
            lines = verdict.get("red_lines")
            count = len(lines) if isinstance(lines, list) else 0
            cells.append(f"{mark} {text}" + (f" ({count} red lines)" if count else ""))
        deal = {True: "[green]yes[/green]", False: "[red]no[/red]", None: "depends"}
        proposals.add_row(proposal.id, *cells, deal[proposal.accepted_by_all])
    console.print(proposals)
    _print_solutions(console, result)
    front = result.frontier
    console.print(
        f"Pareto frontier: {front.size if front.size is not None else 'not computed'} points "
        f"({front.method}); inside the ZOPA: {front.zopa_size}"
    )
    if front.points and points > 0:
        table = Table(
            title=f"Frontier (first {min(points, len(front.points))})", title_justify="left"
        )
        for party in parties:
            table.add_column(party)
        table.add_column("in ZOPA")
        for point in front.points[:points]:
            table.add_row(
                *[f"{point.utilities[p]:.3f}" for p in parties], "yes" if point.in_zopa else "no"
            )
        console.print(table)


def _margin_text(margin: object) -> str:
    if isinstance(margin, list):
        return f"{margin[0]:+.3f}..{margin[1]:+.3f}"
    if isinstance(margin, float | int):
        return f"{margin:+.3f}"
    return ""


def _count(count: Count) -> str:
    if count.value is not None:
        return f"{count.value:,}"
    return f"~{count.estimate:,.0f} [{count.low:,.0f}, {count.high:,.0f}]"


def _packages_table(title: str, items: Sequence[ScoredPackage], kind: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("package")
    parties = list(items[0].gains) if items else []
    for party in parties:
        table.add_column(party)
    for item in items:
        terms = ", ".join(f"{issue}={option}" for issue, option in item.package.items())
        cells = [f"{item.gains[p]:+.3f}" for p in parties]
        table.add_row(escape(terms), *cells)
    table.caption = f"cells: each signatory's effective gain over its reservation value ({kind})"
    return table


def _print_solutions(console: Console, result: Analysis) -> None:
    solutions = result.solutions
    table = Table(title=f"Bargaining solutions (over: {solutions.over})", title_justify="left")
    table.add_column("solution")
    parties = list(result.signatories)
    for party in parties:
        table.add_column(party)
    table.add_column("package")
    for name in ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian"):
        solution = getattr(solutions, name)
        if solution is None:
            table.add_row(name, *["" for _ in parties], "none")
            continue
        terms = ", ".join(f"{issue}={option}" for issue, option in solution.package.items())
        table.add_row(name, *[f"{solution.utilities[p]:.3f}" for p in parties], escape(terms))
    console.print(table)
