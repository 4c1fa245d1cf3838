"""The run store: a history of analyze, dynamics, sweep and simulate runs in one SQLite file.

``RunStore().record(...)`` records a run (parameters, summary, samples) in one transaction;
``list``, ``get``, ``samples``, ``export`` and ``delete`` read and manage the history. Several
processes may write at once; a writer killed mid-write loses only its own run. The command line
is ``peacetalks runs ...`` (`peacetalks.store.commands`).
"""

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
