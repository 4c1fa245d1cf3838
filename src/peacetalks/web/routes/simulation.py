"""Simulated talks: choose strategies, run, and replay the negotiation offer by offer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from peacetalks.model.scenario import Scenario
from peacetalks.negotiation.strategies import default_strategies
from peacetalks.web.forms import SimulationForm
from peacetalks.web.render import page
from peacetalks.web.routes.deps import workspace
from peacetalks.web.state import Workspace

router = APIRouter(include_in_schema=False)


@router.get("/scenarios/{ref}/simulate")
def simulation_page(request: Request, ref: str) -> Response:
    """The simulation form, with the command line's defaults."""
    scenario = workspace(request).scenario(ref)
    form = SimulationForm(strategies=default_strategies(scenario))
    return page(request, "simulate", **_choices(ref, scenario, form), run=None, run_id=None)


@router.post("/scenarios/{ref}/simulate")
async def simulation_run(request: Request, ref: str) -> Response:
    """Run the talks; show the replay (a fragment for HTMX, else the whole page)."""
    space = workspace(request)
    scenario = space.scenario(ref)
    form = SimulationForm.of(await request.form(), scenario)
    run, run_id = await run_in_threadpool(simulate, space, scenario, form)
    context = {"run": run.to_dict(), "run_id": run_id, "figure": _figure(run)}
    if request.headers.get("HX-Request") == "true":
        return page(request, "_replay", ref=ref, **context)
    return page(request, "simulate", **_choices(ref, scenario, form), **context)


def simulate(space: Workspace, scenario: Scenario, form: SimulationForm) -> tuple[Any, str | None]:
    """Run the simulation; record it when asked to."""
    from peacetalks.negotiation import simulate as run_simulation

    run = run_simulation(scenario, form.strategies, **form.options())
    run_id = None
    if form.record:
        parameters: dict[str, Any] = {"protocol": form.protocol, "strategies": run.strategies}
        parameters["deadline"] = form.deadline
        if form.truce:
            parameters["truce"] = form.truce
        run_id = space.record("simulate", scenario, parameters, run, form.seed)
    return run, run_id


def _figure(run: Any) -> dict[str, Any]:
    from peacetalks.report.figures import simulation_figure

    return simulation_figure(run)


def _choices(ref: str, scenario: Scenario, form: SimulationForm) -> dict[str, Any]:
    from peacetalks.negotiation import PROTOCOLS
    from peacetalks.negotiation.strategies import catalogue

    return {
        "ref": ref,
        "scenario": scenario,
        "form": form,
        "protocols": PROTOCOLS,
        "strategies": catalogue(),
        "negotiators": [party for party in scenario.signatories],
    }
