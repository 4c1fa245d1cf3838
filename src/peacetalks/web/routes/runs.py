"""The run history: recorded runs from the run store, and one run in detail (a recorded
simulation can be replayed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from peacetalks.errors import UsageError
from peacetalks.web.render import page
from peacetalks.web.routes.deps import workspace

router = APIRouter(include_in_schema=False)
SAMPLES_SHOWN = 20


@router.get("/runs")
def runs_page(
    request: Request, kind: str | None = None, scenario: str | None = None, limit: int = 100
) -> Response:
    """The recorded runs, newest first."""
    store = workspace(request).runs()
    found = [] if store is None else store.list(kind or None, scenario or None, min(limit, 1000))
    path = None if store is None else str(store.path)
    return page(request, "runs", runs=found, path=path, kind=kind, scenario_filter=scenario)


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: str) -> Response:
    """One recorded run: parameters, summary, first samples; a simulation is replayed."""
    store = workspace(request).runs()
    if store is None:
        raise HTTPException(404, "nothing has been recorded yet")
    try:
        run = store.get(run_id)
    except UsageError as missing:
        raise HTTPException(404, str(missing)) from None
    samples = list(store.samples(run.id, limit=SAMPLES_SHOWN))
    replay = run.summary if run.kind == "simulate" and "trace" in run.summary else None
    return page(request, "run", run=run, samples=samples, replay=replay)
