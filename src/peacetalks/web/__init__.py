"""The local web explorer: ``peacetalks serve`` (FastAPI, Jinja2, HTMX).

Importing this package is cheap (the command line registers `serve` at start-up); FastAPI is
imported when an app is created.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(store_path: str | Path | None = None) -> FastAPI:
    """The web application (see :func:`peacetalks.web.app.create_app`)."""
    from peacetalks.web.app import create_app as make

    return make(store_path)


__all__ = ["create_app"]
