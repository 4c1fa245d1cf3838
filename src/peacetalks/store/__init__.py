"""The run store: a history of analyze, dynamics, sweep and simulate runs in one SQLite file.

``RunStore().record(...)`` records a run (parameters, summary, samples) in one transaction;
``list``, ``get``, ``samples``, ``export`` and ``delete`` read and manage the history. Several
processes may write at once; a writer killed mid-write loses only its own run. The command line
is ``peacetalks runs ...`` (`peacetalks.store.commands`).
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from peacetalks.store.codec import dumps, plain
    from peacetalks.store.export import FORMATS
    from peacetalks.store.store import (
        SCHEMA_VERSION,
        Run,
        RunInfo,
        RunStore,
        preview,
        store_path,
    )

_HOMES = {
    "dumps": "codec",
    "plain": "codec",
    "FORMATS": "export",
    "SCHEMA_VERSION": "store",
    "Run": "store",
    "RunInfo": "store",
    "RunStore": "store",
    "preview": "store",
    "store_path": "store",
}


def __getattr__(name: str) -> Any:
    """Import the store on first use: `peacetalks runs` is registered at the command line's
    start-up, which must stay fast."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"peacetalks.store.{_HOMES[name]}"), name)


__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "Run",
    "RunInfo",
    "RunStore",
    "dumps",
    "plain",
    "preview",
    "store_path",
]
