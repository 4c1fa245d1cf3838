"""`peacetalks serve`: the local web explorer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from peacetalks.commandline import friendly


def register(app: typer.Typer) -> None:
    """Add `peacetalks serve` to the command line."""
    app.command()(serve)


@friendly
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = (
        8000
    ),
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser window.")
    ] = False,
    store: Annotated[
        Path | None, typer.Option("--store", help="The run store to read and record runs in.")
    ] = None,
) -> None:
    """The web explorer: the case library, the analysis with what-if controls, simulation
    replay, the run history and a JSON API (needs the `web` extra)."""
    try:
        import uvicorn

        from peacetalks.web import create_app
    except ImportError as missing:
        typer.echo(f"error: {missing.name} is missing; pip install 'peacetalks[web]'", err=True)
        raise typer.Exit(2) from None
    url = f"http://{'127.0.0.1' if host in {'0.0.0.0', '::'} else host}:{port}/"
    if host not in {"127.0.0.1", "localhost", "::1"}:
        typer.echo(f"warning: listening on {host}: other machines can reach this server", err=True)
    typer.echo(f"peacetalks explorer on {url} (Ctrl+C to stop)", err=True)
    app = create_app(store)
    _warm(app)
    if not no_browser:
        _open_when_ready(url)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _warm(app: Any) -> None:
    """Analyse the flagship in the background, so that it opens at once."""
    import threading

    from peacetalks.scenarios import FLAGSHIP

    def warm() -> None:
        space = app.state.workspace
        space.full_analysis(space.scenario(FLAGSHIP))

    # not a daemon: the interpreter waits for it at exit, since a process that ends while
    # HiGHS is solving in another thread aborts ("terminate called without an active exception")
    threading.Thread(target=warm, name="peacetalks-warm-up", daemon=False).start()


def _open_when_ready(url: str) -> None:
    """Open the browser once the server answers (in the background)."""
    import threading
    import time
    import urllib.request
    import webbrowser

    def wait_then_open() -> None:
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        webbrowser.open(url)

    threading.Thread(target=wait_then_open, daemon=True).start()
