"""Rendering: Jinja2 templates (autoescaped) shipped inside the package, and error bodies that
are pages for people and JSON for the API, never tracebacks."""

from __future__ import annotations

from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from peacetalks.errors import Problem

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("peacetalks.web", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES = Jinja2Templates(env=_ENV)


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A template rendered as a page or a fragment (templates starting with '_')."""
    return TEMPLATES.TemplateResponse(request, f"{name}.html.j2", context, status_code=status_code)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def error(
    request: Request,
    status: int,
    message: str,
    problems: tuple[Problem, ...] = (),
    title: str | None = None,
) -> Response:
    """An error as JSON under /api, else as a page (or a fragment for an HTMX request)."""
    if is_api(request):
        body: dict[str, Any] = {"detail": message}
        if problems:
            body["problems"] = [p.to_dict() for p in problems]
        return JSONResponse(body, status_code=status)
    name = "_error" if request.headers.get("HX-Request") else "error"
    return page(
        request,
        name,
        status_code=status,
        status=status,
        title=title or _TITLES.get(status, "Something went wrong"),
        message=message,
        problems=problems,
    )


_TITLES = {
    400: "That request cannot be done",
    404: "Not found",
    405: "Not allowed",
    413: "File too large",
    422: "Invalid input",
    500: "Something went wrong",
    503: "Busy",
}
