"""The JSON API under /api, mirroring the command line: the same result objects as `--json`.

Scenario references are built-in ids or the ``upload-...`` reference an upload returns. Work
is capped (sweep samples, grid points, simulation rounds) so one request cannot hold the
server for long; sweeps run one at a time.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from peacetalks.errors import ScenarioError, UsageError
from peacetalks.negotiation.strategies import default_strategies
from peacetalks.web.forms import MAX_DEADLINE, MEDIATORS
from peacetalks.web.routes.deps import workspace
from peacetalks.whatif import apply, knobs

if TYPE_CHECKING:
    from peacetalks.store import RunStore

router = APIRouter(prefix="/api")
MAX_SAMPLES = 2_000
MAX_RED_LINE_SAMPLES = 1_000
MAX_GRID_POINTS = 10
YAML_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    }
}


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WhatIf(Body):
    numbers: dict[str, float] = Field(
        default_factory=dict, description="path -> value, e.g. preferences.russia.reservation"
    )
    disable_red_lines: list[str] = Field(default_factory=list, max_length=1_000)


class AnalyzeRequest(WhatIf):
    record: bool = False


class EvaluateRequest(WhatIf):
    proposal: str | None = None
    package: dict[str, str] | None = None


class DynamicsRequest(WhatIf):
    horizon: int | None = Field(default=None, ge=1, le=600)
    step: str | None = None
    levers: bool = True
    record: bool = False


class SweepRequest(Body):
    samples: int = Field(default=1_000, ge=1, le=MAX_SAMPLES)
    seed: int = 0
    vary: list[str] = Field(default_factory=list, max_length=2, description="PATH=LOW:HIGH:N")
    red_line_samples: int = Field(default=200, ge=0, le=MAX_RED_LINE_SAMPLES)
    dynamics: bool = False
    record: bool = False


class SimulateRequest(Body):
    protocol: str = "stacked"
    mediator: str = Field(default="nash", pattern="^(" + "|".join(MEDIATORS) + ")$")
    strategies: dict[str, str] | None = None
    deadline: int = Field(default=60, ge=1, le=MAX_DEADLINE)
    seed: int = 0
    truce: str | None = Field(
        default=None, description="START:LENGTH[:RELIEF], as `peacetalks simulate --truce`"
    )
    record: bool = False


async def _yaml_body(request: Request) -> bytes:
    from peacetalks.web.app import MAX_UPLOAD

    raw = await request.body()
    if len(raw) > MAX_UPLOAD:
        raise HTTPException(413, f"scenario files may be at most {MAX_UPLOAD:,} bytes")
    return raw


def _result(data: dict[str, Any], run_id: str | None) -> JSONResponse:
    """A result as JSON; a recorded run's id in the X-Run-Id header."""
    headers = {"X-Run-Id": run_id} if run_id else None
    return JSONResponse(data, headers=headers)


@router.get("/scenarios", tags=["scenarios"])
def scenarios(request: Request) -> list[dict[str, Any]]:
    """The built-in case library (`peacetalks scenarios --json`) and the uploaded scenarios."""
    from peacetalks.web.routes.library import builtins

    out = [{"ref": entry.id} | entry.to_dict() for entry in builtins()]
    for ref, scenario in workspace(request).uploaded():
        out.append({"ref": ref, "id": scenario.id, "title": scenario.title, "uploaded": True})
    return out


@router.post("/scenarios", tags=["scenarios"], status_code=201, openapi_extra=YAML_BODY)
async def upload(request: Request) -> dict[str, Any]:
    """Upload a scenario (YAML in the body); 422 with located problems when invalid."""
    from starlette.concurrency import run_in_threadpool

    raw = await _yaml_body(request)
    ref, scenario = await run_in_threadpool(workspace(request).add_upload, raw, "upload.yaml")
    return {"ref": ref, "id": scenario.id, "title": scenario.title}


@router.post("/validate", tags=["scenarios"], openapi_extra=YAML_BODY)
async def validate(request: Request) -> dict[str, Any]:
    """Check a scenario (YAML in the body), as `peacetalks validate --json`."""
    from starlette.concurrency import run_in_threadpool

    from peacetalks.io import parse

    try:
        scenario = await run_in_threadpool(parse, await _yaml_body(request), "upload.yaml")
    except ScenarioError as error:
        return {"valid": False, "problems": [p.to_dict() for p in error.problems]}
    return {"valid": True, "scenario": scenario.id, "problems": []}


@router.get("/scenarios/{ref}", tags=["scenarios"])
def show(request: Request, ref: str) -> dict[str, Any]:
    """The scenario as data (`peacetalks show --json`)."""
    scenario = workspace(request).scenario(ref)
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


@router.get("/scenarios/{ref}/knobs", tags=["what-if"])
def what_if_knobs(request: Request, ref: str) -> list[dict[str, Any]]:
    """Every number a what-if may change, with its current value and range."""
    return [asdict(knob) for knob in knobs(workspace(request).scenario(ref))]


@router.get("/scenarios/{ref}/analyze", tags=["analysis"])
def analyze(request: Request, ref: str) -> dict[str, Any]:
    """ZOPA, closest deals, what it takes, frontier, solutions (`peacetalks analyze --json`)."""
    space = workspace(request)
    return space.full_analysis(space.scenario(ref)).to_dict()


@router.post("/scenarios/{ref}/analyze", tags=["analysis", "what-if"])
def analyze_what_if(request: Request, ref: str, body: AnalyzeRequest) -> JSONResponse:
    """The analysis of a what-if: numbers changed by path, red lines switched off."""
    space = workspace(request)
    scenario = apply(space.scenario(ref), body.numbers, body.disable_red_lines)
    result = space.full_analysis(scenario)
    run_id = space.record("analyze", scenario, _edits(body), result) if body.record else None
    return _result(result.to_dict(), run_id)


@router.post("/scenarios/{ref}/evaluate", tags=["analysis"])
def evaluate(request: Request, ref: str, body: EvaluateRequest) -> dict[str, Any]:
    """Each party's verdict on a proposal or a package (`peacetalks evaluate --json`)."""
    scenario = apply(workspace(request).scenario(ref), body.numbers, body.disable_red_lines)
    if (body.proposal is None) == (not body.package):
        raise UsageError("give either 'proposal' or 'package' (issue -> option)")
    return scenario.evaluate(body.proposal or body.package or {}).to_dict()


@router.post("/scenarios/{ref}/dynamics", tags=["dynamics"])
def dynamics(request: Request, ref: str, body: DynamicsRequest) -> JSONResponse:
    """The war as the outside option over time (`peacetalks dynamics --json`)."""
    from peacetalks.dynamics import dynamics as run_dynamics

    space = workspace(request)
    scenario = apply(space.scenario(ref), body.numbers, body.disable_red_lines)
    result = run_dynamics(scenario, horizon=body.horizon, step=body.step, levers=body.levers)
    parameters = {"horizon": body.horizon, "step": body.step, "levers": body.levers}
    run_id = space.record("dynamics", scenario, parameters, result) if body.record else None
    return _result(result.to_dict(), run_id)


@router.post("/scenarios/{ref}/sweep", tags=["sweep"])
def sweep(request: Request, ref: str, body: SweepRequest) -> JSONResponse:
    """Monte Carlo over the stated ranges (`peacetalks sweep --json`), capped in size."""
    from peacetalks.sweep.montecarlo import grid_points, parse_vary

    space = workspace(request)
    scenario = space.scenario(ref)
    grid = parse_vary(body.vary)
    if len(grid_points(grid)) > MAX_GRID_POINTS and grid:
        raise UsageError(f"a grid sweep here has at most {MAX_GRID_POINTS} points")
    if not space.heavy.acquire(timeout=60):
        raise HTTPException(503, "another sweep is running; try again shortly")
    try:
        result = _sweep(scenario, body, grid)
    finally:
        space.heavy.release()
    run_id = None
    if body.record:
        kind = "sweep-dynamics" if body.dynamics else "sweep"
        parameters = {"samples": body.samples, "vary": body.vary, "backend": "inprocess"}
        parameters["red_line_samples"] = body.red_line_samples
        summary, rows = result.summary(), result.sample_rows()
        run_id = space.record(kind, scenario, parameters, summary, body.seed, rows)
    return _result(result.to_dict(), run_id)


def _sweep(scenario: Any, body: SweepRequest, grid: Any) -> Any:
    options = {"samples": body.samples, "seed": body.seed, "vary": grid}
    if body.dynamics:
        from peacetalks.sweep.dynamics import sweep_dynamics

        return sweep_dynamics(scenario, **options)
    from peacetalks.sweep.montecarlo import sweep as run_sweep

    return run_sweep(scenario, red_line_samples=body.red_line_samples, **options)


@router.post("/scenarios/{ref}/simulate", tags=["simulation"])
def simulate(request: Request, ref: str, body: SimulateRequest) -> JSONResponse:
    """Simulated talks with their trace (`peacetalks simulate --json`)."""
    from peacetalks.web.forms import SimulationForm
    from peacetalks.web.routes.simulation import simulate as run_simulation

    space = workspace(request)
    scenario = space.scenario(ref)
    form = SimulationForm(
        strategies=default_strategies(scenario, body.strategies),
        protocol=body.protocol,
        mediator=body.mediator,
        deadline=body.deadline,
        seed=body.seed,
        record=body.record,
        truce=body.truce or "",
    )
    result, run_id = run_simulation(space, scenario, form)
    return _result(result.to_dict(), run_id)


@router.get("/strategies", tags=["simulation"])
def strategies() -> list[dict[str, Any]]:
    """The negotiation strategies (`peacetalks strategies --json`)."""
    from peacetalks.negotiation.strategies import catalogue

    return [asdict(item) for item in catalogue()]


@router.get("/runs", tags=["runs"])
def runs(
    request: Request,
    kind: str | None = None,
    scenario: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 50,
) -> list[dict[str, Any]]:
    """Recorded runs, newest first (`peacetalks runs list --json`)."""
    store = workspace(request).runs()
    return [] if store is None else [r.to_dict() for r in store.list(kind, scenario, limit)]


@router.get("/runs/{run_id}", tags=["runs"])
def run(request: Request, run_id: str) -> dict[str, Any]:
    """One recorded run (a unique id prefix will do)."""
    store = _store(request)
    try:
        return store.get(run_id).to_dict()
    except UsageError as missing:
        raise HTTPException(404, str(missing)) from None


@router.get("/runs/{run_id}/samples", tags=["runs"])
def samples(
    request: Request, run_id: str, limit: Annotated[int, Query(ge=1, le=100_000)] = 1_000
) -> list[dict[str, Any]]:
    """A recorded run's samples, in order."""
    store = _store(request)
    try:
        return list(store.samples(run_id, limit=limit))
    except UsageError as missing:
        raise HTTPException(404, str(missing)) from None


def _store(request: Request) -> RunStore:
    store = workspace(request).runs()
    if store is None:
        raise HTTPException(404, "nothing has been recorded yet")
    return store


def _edits(body: WhatIf) -> dict[str, Any]:
    return {"numbers": body.numbers, "disable_red_lines": body.disable_red_lines}
