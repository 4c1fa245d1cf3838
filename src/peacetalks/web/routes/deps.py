"""Small helpers shared by the routes."""

from __future__ import annotations

from fastapi import Request

from peacetalks.web.state import Workspace


def workspace(request: Request) -> Workspace:
    """The server's workspace (uploads, caches, run store)."""
    space = request.app.state.workspace
    assert isinstance(space, Workspace)
    return space
