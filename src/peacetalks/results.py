"""The common base of result objects: frozen dataclasses that turn into plain JSON data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from typing import Any

import numpy as np

DIGITS = 6
"""Floats in JSON output are rounded to this many decimals."""


class Result:
    """Mixin for frozen result dataclasses: ``to_dict()`` and ``to_json()``."""

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data (dicts, lists, str, float, int, bool, None)."""
        data = jsonable(self)
        assert isinstance(data, dict)
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The result as a JSON string."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def jsonable(value: Any) -> Any:
    """Convert results, numpy values, tuples and dates into JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        # JSON has no infinity or NaN: they become null (documented where they can occur)
        return round(value, DIGITS) + 0.0 if math.isfinite(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return jsonable(value.model_dump(mode="json", by_alias=True, exclude_none=True))
    raise TypeError(f"cannot turn {type(value).__name__} into JSON")
