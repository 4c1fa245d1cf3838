"""The analysis page: verdict, frontier chart, solutions and proposals, with what-if controls
that update them in place (an HTMX swap of the result fragment)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

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
    shown = await run_in_threadpool(result, space, base, base, None, None, False)
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
        shown = await run_in_threadpool(result, space, base, scenario, form.x, form.y, fragment)
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


@router.get("/scenarios/{ref}/takes/{key}")
async def what_it_takes(request: Request, ref: str, key: str) -> Response:
    """What it would take to open a ZOPA: the verdict's last sentences, asked for by the
    result fragment once it shows (they take a few MILPs)."""
    space = workspace(request)
    scenario = space.what_if(key)
    if scenario is None:
        raise HTTPException(404, "this what-if is no longer in memory: reload the page")
    quick = space.quick_analysis(scenario)
    full = await run_in_threadpool(space.full_analysis, scenario)
    sentences = [line for line in full.verdict if line not in quick.verdict]
    return page(request, "_takes", sentences=sentences)


@router.get("/scenarios/{ref}/war/{key}")
async def war_over_time(request: Request, ref: str, key: str) -> Response:
    """The war model's paths and verdict for a what-if, asked for by the result fragment once
    it shows."""
    from peacetalks.report.figures import dynamics_figure

    space = workspace(request)
    scenario = space.what_if(key)
    if scenario is None or scenario.war is None:
        raise HTTPException(404, "this what-if is no longer in memory: reload the page")
    dynamics = await run_in_threadpool(space.dynamics, scenario)
    chart = space.figures.get_or_make(key, lambda: dynamics_figure(dynamics))
    return page(request, "_dynamics", dynamics=dynamics, dynamics_figure=chart)


def result(
    space: Workspace,
    base: Scenario,
    scenario: Scenario,
    x: str | None,
    y: str | None,
    lazy: bool = True,
) -> dict[str, Any]:
    """What the result shows (cached analyses; charts drawn by report.figures). When `lazy`
    (an HTMX update), what it would take and the war over time follow in requests of their
    own, so that the verdict shows at once; a whole page has them inline (no script needed)."""
    from peacetalks.report.figures import dynamics_figure, utility_space_figure

    analysis = space.analysis(scenario) if lazy else space.full_analysis(scenario)
    war_key = space.remember(scenario)
    dynamics, timeline = None, None
    if not lazy and scenario.war is not None:
        dynamics = space.dynamics(scenario)
        timeline = space.figures.get_or_make(war_key, lambda: dynamics_figure(dynamics))
    figure = space.figures.get_or_make(
        f"{analysis_key(scenario)} {x} {y}", lambda: utility_space_figure(scenario, analysis, x, y)
    )
    return {
        "scenario": scenario,
        "analysis": analysis,
        "names": {party.id: party.name for party in scenario.parties},
        "figure": figure,
        "key": analysis_key(scenario),
        "war_key": war_key,
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
