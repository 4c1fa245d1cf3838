"""A cache of validated scenarios, so that loading a large file again skips the YAML parse.

Entries are keyed by the SHA-256 of the file's bytes and the package version, and hold the
validated scenario as JSON (never pickle), which is validated again on the way back in. The
cache lives in ``$PEACETALKS_CACHE_DIR``, else ``$XDG_CACHE_HOME/peacetalks``, else
``~/.cache/peacetalks``; ``PEACETALKS_NO_CACHE=1`` turns it off. A missing, unreadable or
corrupt entry only means a normal parse; writes are atomic, so concurrent processes are safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from peacetalks.model.scenario import Scenario

VERSION = "1"


def directory() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("PEACETALKS_NO_CACHE"):
        return None
    if os.environ.get("PEACETALKS_CACHE_DIR"):
        return Path(os.environ["PEACETALKS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "peacetalks"


def _entry(raw: bytes) -> Path | None:
    from peacetalks import __version__

    folder = directory()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{__version__}/{VERSION}\n".encode() + raw).hexdigest()
    return folder / "scenarios" / f"{digest}.json"


def get(raw: bytes) -> Scenario | None:
    """The cached scenario for these file bytes, if any."""
    path = _entry(raw)
    if path is None:
        return None
    try:
        return Scenario.model_validate(json.loads(path.read_text("utf-8")))
    except Exception:
        return None


def put(raw: bytes, scenario: Scenario) -> None:
    """Remember a validated scenario (best effort: a read-only disk is no error)."""
    path = _entry(raw)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            json.dump(data, handle)
        os.replace(handle.name, path)
    except OSError:
        return
