"""Pieces shared by the command-line apps (``peacetalks`` and its sub-apps): input errors as
located messages with exit code 2, and JSON printing."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer

from peacetalks.errors import PeacetalksError

JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]

F = TypeVar("F", bound=Callable[..., Any])


def friendly(command: F) -> F:
    """Report input errors as located messages on stderr (exit code 2), never as tracebacks."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PeacetalksError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None

    return run  # type: ignore[return-value]


def print_json(data: Any) -> None:
    """Print plain data as indented JSON."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
