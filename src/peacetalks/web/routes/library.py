"""The case library: the built-in scenarios, the uploaded ones, and the upload form."""

from __future__ import annotations

import functools
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from peacetalks.errors import ScenarioError
from peacetalks.scenarios import LibraryEntry
from peacetalks.web.render import error, page
from peacetalks.web.routes.deps import workspace

router = APIRouter(include_in_schema=False)


@functools.cache
def builtins() -> tuple[LibraryEntry, ...]:
    """The built-in case library (validated once per process)."""
    from peacetalks.scenarios import library

    return library()


@router.get("/")
def home(request: Request) -> Response:
    """The case library and the upload form."""
    return page(request, "library", entries=builtins(), uploads=workspace(request).uploaded())


@router.post("/upload")
async def upload(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    """Validate an uploaded scenario file; open it, or show its located problems."""
    from peacetalks.web.app import MAX_UPLOAD

    raw = await file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        return error(request, 413, f"The file is larger than {MAX_UPLOAD:,} bytes.")
    space = workspace(request)
    try:
        ref, _ = await run_in_threadpool(space.add_upload, raw, file.filename)
    except ScenarioError as problem:
        context = {"entries": builtins(), "uploads": space.uploaded(), "filename": file.filename}
        return page(request, "library", 422, problems=problem.problems, **context)
    return RedirectResponse(f"/scenarios/{ref}", status_code=303)
