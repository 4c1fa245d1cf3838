"""Helpers shared by the benchmark scripts: timing and plain-text tables."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

BENCH = Path(__file__).resolve().parent
NEGMAS_PYTHON = BENCH / ".venv-negmas" / "bin" / "python"


def timed(run: Callable[[], T], repeat: int) -> tuple[list[float], T]:
    """Wall-clock seconds of `repeat` calls of `run` (at least one) and the last result."""
    times: list[float] = []
    result: T
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def best(times: Sequence[float]) -> float:
    return min(times)


def median(times: Sequence[float]) -> float:
    return statistics.median(times)


def seconds(value: float | None) -> str:
    """A duration for a table: 3 significant digits, '-' when missing."""
    if value is None:
        return "-"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 0.1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def ratio(slow: float | None, fast: float | None) -> str:
    if slow is None or fast is None or fast <= 0:
        return "-"
    value = slow / fast
    return f"{value:,.0f}x" if value >= 10 else f"{value:.1f}x"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with right-aligned columns (first column left-aligned)."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])
