"""The local web explorer (`peacetalks serve`): the case library, the analysis with what-if
controls, simulation replay, the run history and a JSON API mirroring the command line.

Front ends are thin: each route parses, calls the library and renders; everything the pages
show comes from the same result objects as the command line's ``--json``.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peacetalks.errors import ScenarioError, UsageError
from peacetalks.web.render import error
from peacetalks.web.state import Workspace

MAX_UPLOAD = 1_000_000
"""Largest scenario file accepted (bytes)."""
MAX_BODY = MAX_UPLOAD + 64_000
"""Largest request body (a file plus its multipart envelope)."""

log = logging.getLogger("peacetalks.web")


def create_app(store_path: str | Path | None = None) -> FastAPI:
    """The web application; `store_path` is the run store (default: see
    :func:`peacetalks.store.store_path`)."""
    from peacetalks import __version__
    from peacetalks.web.routes import analysis, api, library, runs, simulation

    app = FastAPI(
        title="peacetalks",
        version=__version__,
        description="Analyse peace negotiations: the JSON API of `peacetalks serve`, mirroring "
        "the command line.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.workspace = Workspace(store_path)
    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    for module in (library, analysis, simulation, runs, api):
        app.include_router(module.router)
    app.add_api_route("/plotly.min.js", _plotly, include_in_schema=False)
    _handle_errors(app)
    app.add_middleware(GZipMiddleware, minimum_size=2_000)
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    return app


@functools.cache
def _plotly_js() -> bytes:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs()).encode("utf-8")


def _plotly() -> Response:
    """plotly.js from the installed plotly package (never a CDN)."""
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(_plotly_js(), media_type="text/javascript", headers=headers)


def _handle_errors(app: FastAPI) -> None:
    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error(request, exc.status_code, str(exc.detail))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        parts = []
        for item in exc.errors():
            where = ".".join(str(part) for part in item.get("loc", ()))
            parts.append(f"{where}: {item.get('msg', 'invalid')}")
        return error(request, 422, "; ".join(parts) or "invalid request")

    async def on_scenario(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ScenarioError)
        count = len(exc.problems)
        message = f"{count} problem{'s' if count != 1 else ''} in the scenario"
        return error(request, 422, message, exc.problems, title="Invalid scenario")

    async def on_usage(request: Request, exc: Exception) -> Response:
        return error(request, 400, str(exc))

    async def on_anything(request: Request, exc: Exception) -> Response:
        log.error("error serving %s %s", request.method, request.url.path, exc_info=exc)
        return error(request, 500, "The server hit an unexpected error; it has been logged.")

    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(ScenarioError, on_scenario)
    app.add_exception_handler(UsageError, on_usage)
    app.add_exception_handler(Exception, on_anything)


class BodyLimit:
    """Refuse request bodies over `limit` bytes with a 413 (declared or streamed), before any
    route reads them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._too_large(scope, receive, send)
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.limit:
                await self._too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        message = (
            f"The request is larger than {self.limit:,} bytes; scenario files may be at most "
            f"{MAX_UPLOAD:,} bytes."
        )
        response = error(request, 413, message)
        await response(scope, receive, send)
