"""Exporting a run's samples: CSV (standard library) or Parquet (pyarrow, optional)."""

from __future__ import annotations

import builtins
import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peacetalks.errors import UsageError, did_you_mean

FORMATS = ("csv", "parquet")

if TYPE_CHECKING:
    from peacetalks.store.store import Run


def _format(name: str) -> str:
    kind = str(name).strip().lower().lstrip(".")
    if kind not in FORMATS:
        hint = did_you_mean(kind, FORMATS)
        raise UsageError(f"unknown export format {name!r}" + (f" ({hint})" if hint else ""))
    return kind


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError(
            "Parquet export needs pyarrow: pip install 'peacetalks[parquet]'"
        ) from None
    return pyarrow, pyarrow.parquet


def _check_target(target: Path, store: Path) -> None:
    if target.is_dir():
        raise UsageError(f"{target}: is a folder; give the file to write")
    if not target.parent.is_dir():
        raise UsageError(f"{target}: the folder {target.parent} does not exist")
    own = {store.resolve()} | {store.resolve().with_name(store.name + s) for s in _SIDE}
    if target.resolve() in own:
        raise UsageError(f"{target}: is the run store itself; give another file")


_SIDE = ("-wal", "-shm", "-journal")


def _write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file, so the target is either complete or unchanged."""
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _write_csv(file: Path, columns: builtins.list[str], rows: Iterable[dict[str, Any]]) -> None:
    try:
        with file.open("w", encoding="utf-8", newline="") as handle:
            if not columns:
                return
            out = csv.writer(handle)
            out.writerow(columns)
            for row in rows:
                out.writerow([_cell(row.get(column)) for column in columns])
    except UnicodeEncodeError as error:
        raise UsageError(f"a sample holds text that is not valid UTF-8: {error}") from None


def _arrow_column(pa: Any, values: builtins.list[Any]) -> Any:
    if not any(isinstance(value, dict | list) for value in values):
        try:
            return pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            pass  # mixed types: fall through to JSON text
    return pa.array([None if v is None else json.dumps(v, ensure_ascii=False) for v in values])


def _arrow_table(
    pa: Any, run: Run, columns: builtins.list[str], rows: Iterable[dict[str, Any]]
) -> Any:
    data: dict[str, builtins.list[Any]] = {column: [] for column in columns}
    for row in rows:
        for column, values in data.items():
            values.append(row.get(column))
    table = pa.table({column: _arrow_column(pa, values) for column, values in data.items()})
    meta = json.dumps(run.to_dict(), ensure_ascii=False)
    return table.replace_schema_metadata({"peacetalks.run": meta})
