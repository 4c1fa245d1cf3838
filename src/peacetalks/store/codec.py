"""Values to JSON for the run store: exact, finite, and named where they fail."""

from __future__ import annotations

import builtins
import dataclasses
import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any

import numpy as np

from peacetalks.errors import UsageError

# -- values to JSON ----------------------------------------------------------------------------


def _text(name: str, value: Any, empty: bool = False) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        raise UsageError(f"{name} must be a non-empty string, got {value!r}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{name} is not valid text: {value!r}") from None
    return value


def _seed(seed: Any) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, int | np.integer):
        raise UsageError(f"seed must be an integer or None, got {seed!r}")
    value = int(seed)
    if not -(2**63) <= value < 2**63:
        raise UsageError(f"seed must fit in 64 bits (-2**63 to 2**63-1), got {value}")
    return value


def dumps(value: Any, where: str = "value") -> str:
    """`value` as compact JSON text for the store (NaN and infinity become null)."""
    try:
        return json.dumps(value, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return _json(plain(value, where), where)


def _json(data: Any, where: str) -> str:
    try:
        return json.dumps(data, allow_nan=False, separators=(",", ":"))
    except ValueError as error:  # e.g. an integer with more than 4300 digits
        raise UsageError(f"{where}: cannot store this value: {error}") from None


def _mapping(value: Any, where: str) -> dict[str, Any]:
    data = plain(value, where)
    if not isinstance(data, dict):
        raise UsageError(f"{where} must be a mapping, got {type(value).__name__}")
    return data


def _encode_mapping(value: Any, where: str) -> str:
    return _json(_mapping(value, where), where)


def _encode_samples(samples: Iterable[Mapping[str, Any]]) -> builtins.list[str]:
    if isinstance(samples, Mapping | str | bytes):
        raise UsageError("samples must be an iterable of mappings (one per sample)")
    rows = []
    for index, sample in enumerate(samples):
        if not isinstance(sample, Mapping):
            raise UsageError(f"sample {index} is a {type(sample).__name__}, not a mapping")
        rows.append(dumps(sample, f"sample {index}"))
    return rows


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool | np.bool_):
        return "true" if key else "false"
    if isinstance(key, np.generic):
        return _key(key.item())
    return str(key)


def plain(value: Any, where: str = "value") -> Any:
    """`value` as plain JSON data, exactly: NaN and infinity become None, numpy values become
    Python numbers and lists, tuples lists, dates ISO strings; anything else is a UsageError."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float):
            return float(value) if math.isfinite(value) else None
        return int(value)
    if isinstance(value, Mapping):
        return {_key(k): plain(v, f"{where}.{_key(k)}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, np.ndarray | np.generic):
        return plain(value.tolist(), where)
    if isinstance(value, Enum):
        return plain(value.value, where)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {f.name: plain(getattr(value, f.name), f"{where}.{f.name}") for f in fields}
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "model_dump"):
        return plain(value.model_dump(mode="json", by_alias=True, exclude_none=True), where)
    raise UsageError(
        f"{where}: cannot store a {type(value).__name__} in a run "
        "(use dicts, lists, numbers, strings, booleans or None)"
    )


# -- export ------------------------------------------------------------------------------------
