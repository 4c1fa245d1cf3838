"""What one server keeps between requests: uploaded scenarios (in memory only, by content
hash), cached results of unchanged scenarios, and the run store."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.exceptions import HTTPException

from peacetalks.errors import did_you_mean
from peacetalks.model.scenario import Scenario

if TYPE_CHECKING:
    from peacetalks.analysis.analyze import Analysis
    from peacetalks.dynamics import Dynamics
    from peacetalks.store import RunStore

UPLOAD_PREFIX = "upload-"
MAX_UPLOADS = 64
"""Uploaded scenarios kept per server (the least recently used go first)."""
MAX_RESULTS = 128
"""Results of distinct scenarios (what-ifs included) kept per kind."""

T = TypeVar("T")


class Lru:
    """A small thread-safe least-recently-used map; `get_or_make` computes a missing value
    once even when several requests ask for it at the same time."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._making: dict[str, threading.Lock] = {}

    def get(self, key: str) -> Any | None:
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_make(self, key: str, make: Callable[[], T]) -> T:
        found = self.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
        with self._lock:
            lock = self._making.setdefault(key, threading.Lock())
        with lock:
            found = self.get(key)
            if found is None:
                found = make()
                self.put(key, found)
        with self._lock:
            self._making.pop(key, None)
        return found


class Workspace:
    """The server's memory. Nothing a user sends is written to disk, except recorded runs,
    which go to the one run store the server was started with."""

    def __init__(self, store_path: str | Path | None = None) -> None:
        self.store_path = store_path
        self.uploads = Lru(MAX_UPLOADS)
        self.analyses = Lru(MAX_RESULTS)
        self.what_ifs = Lru(MAX_RESULTS)
        """Scenarios by analysis key, for the follow-up request that adds what it takes."""
        self.dynamics_results = Lru(MAX_RESULTS)
        self.figures = Lru(MAX_RESULTS)
        self._store: RunStore | None = None
        self._store_lock = threading.Lock()
        self.heavy = threading.BoundedSemaphore(1)
        """Held while a sweep runs: one at a time per server."""

    # -- scenarios ----------------------------------------------------------------------------

    def scenario(self, ref: str) -> Scenario:
        """A built-in scenario by id, or an uploaded one by its reference (404 otherwise)."""
        from peacetalks.io import parse
        from peacetalks.scenarios import builtin_ids, builtin_text

        if ref in builtin_ids():
            return parse(builtin_text(ref), file=f"<built-in {ref}>")
        found = self.uploads.get(ref)
        if isinstance(found, Scenario):
            return found
        if ref.startswith(UPLOAD_PREFIX):
            detail = f"no uploaded scenario {ref!r} on this server (uploads live in memory only)"
        else:
            detail = f"no scenario {ref!r}; {did_you_mean(ref, builtin_ids())}"
        raise HTTPException(404, detail)

    def add_upload(self, raw: bytes, filename: str | None) -> tuple[str, Scenario]:
        """Validate an uploaded YAML file and keep it; returns its reference."""
        from peacetalks.io import parse

        name = _display_name(filename)
        _refuse_nested_aliases(raw, name)
        scenario = parse(raw, file=name)
        ref = UPLOAD_PREFIX + scenario.content_hash()[:24]
        self.uploads.put(ref, scenario)
        return ref, scenario

    def uploaded(self) -> list[tuple[str, Scenario]]:
        """The uploaded scenarios, most recent first."""
        with self.uploads._lock:
            items = list(self.uploads._items.items())
        return [(ref, scenario) for ref, scenario in reversed(items)]

    # -- cached results -----------------------------------------------------------------------

    def analysis(self, scenario: Scenario) -> Analysis:
        """The analysis of a scenario, computed once per distinct content (the war model
        aside: the analysis does not read it, so war-model what-ifs reuse it). Without what it
        would take to open a missing ZOPA unless that is known already: the page asks for it
        in a second request (:meth:`full_analysis`), so the verdict shows at once."""

        full = self.analyses.get("full " + analysis_key(scenario))
        if full is not None:
            return full  # type: ignore[no-any-return]
        return self.quick_analysis(scenario)

    def quick_analysis(self, scenario: Scenario) -> Analysis:
        """The analysis without what it would take (computed once); the scenario is kept
        for the request that adds it."""
        from peacetalks.analysis.analyze import analyze

        key = analysis_key(scenario)
        self.what_ifs.put(key, scenario)
        return self.analyses.get_or_make(
            "quick " + key, lambda: analyze(scenario, with_what_it_takes=False)
        )

    def full_analysis(self, scenario: Scenario) -> Analysis:
        """The whole analysis, what it would take included (computed once)."""
        from peacetalks.analysis.analyze import complete

        key = analysis_key(scenario)
        return self.analyses.get_or_make(
            "full " + key, lambda: complete(scenario, self.quick_analysis(scenario))
        )

    def remember(self, scenario: Scenario) -> str:
        """Keep a what-if for the requests that follow its result; returns its key."""
        key = scenario.content_hash()
        self.what_ifs.put(key, scenario)
        return key

    def what_if(self, key: str) -> Scenario | None:
        """A scenario analysed recently, by its analysis key (None once forgotten)."""
        found = self.what_ifs.get(key)
        return found if isinstance(found, Scenario) else None

    def dynamics(self, scenario: Scenario) -> Dynamics:
        """The war-model paths of a scenario (without the lever search), computed once."""
        from peacetalks.dynamics import dynamics

        return self.dynamics_results.get_or_make(
            scenario.content_hash(), lambda: dynamics(scenario, levers=False)
        )

    # -- the run store ------------------------------------------------------------------------

    def runs(self, create: bool = False) -> RunStore | None:
        """The run store (None when it does not exist yet and `create` is False)."""
        from peacetalks.store import RunStore, store_path

        with self._store_lock:
            if self._store is None:
                if not create and not store_path(self.store_path).exists():
                    return None
                self._store = RunStore(self.store_path)
            return self._store

    def record(
        self,
        kind: str,
        scenario: Scenario,
        parameters: dict[str, Any],
        summary: Any,
        seed: int | None = None,
        samples: Any = None,
    ) -> str:
        """Record a run in the store; returns its id."""
        store = self.runs(create=True)
        assert store is not None
        digest = scenario.content_hash()
        return store.record(kind, scenario.id, digest, parameters, summary, seed, samples)


def analysis_key(scenario: Scenario) -> str:
    """What the analysis depends on: the scenario's content without its war model."""
    if scenario.war is None:
        return scenario.content_hash()
    return scenario.model_copy(update={"war": None}).content_hash()


def _refuse_nested_aliases(raw: bytes, file: str) -> None:
    """Uploads may not nest aliases: an alias inside an anchored node is how every YAML bomb
    multiplies itself. Flat aliases (as YAML dumpers write repeated lists) stay allowed; the
    reader also caps the values an expanded document may hold."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

    from peacetalks.errors import Problem, ScenarioError

    anchored: list[bool] = []
    try:
        for event in YAML(typ="safe", pure=True).parse(raw):
            if isinstance(event, CollectionStartEvent):
                anchored.append(event.anchor is not None)
            elif isinstance(event, CollectionEndEvent) and anchored:
                anchored.pop()
            elif isinstance(event, AliasEvent) and any(anchored):
                mark = event.start_mark
                message = "an alias inside an anchored node (nested aliases) is not allowed"
                hint = "YAML bombs are built this way; write the values out in full"
                problem = Problem((), message, hint)
                raise ScenarioError([problem.located(file, mark.line + 1, mark.column + 1)])
    except YAMLError:
        return  # not valid YAML: the parser reports it, located


def _display_name(filename: str | None) -> str:
    """The uploaded file's base name, for messages only (never used as a path)."""
    name = (filename or "upload.yaml").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:100] or "upload.yaml"
