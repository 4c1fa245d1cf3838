"""Pieces shared by the command-line apps (``peacetalks`` and its sub-apps): input errors as
located messages with exit code 2, and JSON printing."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer

from peacetalks.errors import PeacetalksError, UsageError

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


def key_values(
    pairs: list[str], option: str = "--package", key: str = "ISSUE", value: str = "OPTION"
) -> dict[str, str]:
    """KEY=VALUE pairs of a repeatable option, each key at most once."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, chosen = pair.partition("=")
        if not sep or not name.strip() or not chosen.strip():
            raise UsageError(f"{option} expects {key}={value}, got {pair!r}")
        if name.strip() in out:
            raise UsageError(f"{option} names {key.lower()} {name.strip()!r} twice")
        out[name.strip()] = chosen.strip()
    return out
