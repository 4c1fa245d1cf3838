"""The analysis page: verdict, frontier chart, solutions and proposals, with what-if controls
that update them in place (an HTMX swap of the result fragment)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from peacetalks.errors import ScenarioError, UsageError
from peacetalks.model.scenario import Scenario
from peacetalks.web.forms import WhatIfForm
from peacetalks.web.render import page
from peacetalks.web.routes.deps import workspace
from peacetalks.web.state import Workspace, analysis_key
from peacetalks.whatif import Knob, apply, changed, knobs

router = APIRouter(include_in_schema=False)


@router.get("/scenarios/{ref}")
async def analysis_page(request: Request, ref: str) -> Response:
    """A scenario's analysis, with every what-if control at the scenario's own values."""
    space = workspace(request)
    base = space.scenario(ref)
    shown = await run_in_threadpool(result, space, base, base, None, None)
    return page(request, "analysis", **_controls(ref, base, base), **shown)


@router.post("/scenarios/{ref}/whatif")
async def what_if(request: Request, ref: str) -> Response:
    """The result for the controls' values: a fragment for HTMX, else the whole page."""
    start = time.perf_counter()
    space = workspace(request)
    base = space.scenario(ref)
    form = WhatIfForm.of(await request.form(), base)
    fragment = request.headers.get("HX-Request") == "true"
    try:
        scenario = apply(base, form.numbers, form.disabled)
        shown = await run_in_threadpool(result, space, base, scenario, form.x, form.y)
    except (ScenarioError, UsageError) as problem:
        context = {"ref": ref, "scenario": base, "failure": problem}
        return page(request, "_whatif_error", 422, **context)
    shown["elapsed_ms"] = 1000 * (time.perf_counter() - start)
    headers = {"Server-Timing": f"whatif;dur={shown['elapsed_ms']:.1f}"}
    if fragment:
        response = page(request, "_result", ref=ref, **shown)
    else:
        response = page(request, "analysis", **_controls(ref, base, scenario), **shown)
    response.headers.update(headers)
    return response


def result(
    space: Workspace, base: Scenario, scenario: Scenario, x: str | None, y: str | None
) -> dict[str, Any]:
    """What the result fragment shows (cached analyses; charts drawn by report.figures)."""
    from peacetalks.report.figures import dynamics_figure, utility_space_figure

    analysis = space.analysis(scenario)
    dynamics = space.dynamics(scenario) if scenario.war is not None else None
    figure = space.figures.get_or_make(
        f"{analysis_key(scenario)} {x} {y}", lambda: utility_space_figure(scenario, analysis, x, y)
    )
    timeline = None
    if dynamics is not None:
        key = scenario.content_hash()
        timeline = space.figures.get_or_make(key, lambda: dynamics_figure(dynamics))
    return {
        "scenario": scenario,
        "analysis": analysis,
        "names": {party.id: party.name for party in scenario.parties},
        "figure": figure,
        "dynamics": dynamics,
        "dynamics_figure": timeline,
        "changes": changed(base, scenario),
        "off": [line for line in base.red_lines if line.id not in _ids(scenario)],
        "elapsed_ms": None,
    }


def _controls(ref: str, base: Scenario, current: Scenario) -> dict[str, Any]:
    """The what-if form: every knob at its current value, grouped for the page."""
    groups: dict[str, dict[str, list[Knob]]] = {}
    for knob in knobs(current):
        groups.setdefault(knob.kind, {}).setdefault(knob.party or "", []).append(knob)
    active = {line.id for line in current.red_lines}
    plotted = [p.id for p in base.parties if p.id in base.preferences]
    return {"ref": ref, "base": base, "groups": groups, "active": active, "plotted": plotted}


def _ids(scenario: Scenario) -> set[str]:
    return {line.id for line in scenario.red_lines}
