"""The Pareto frontier published with an ANAC 2014 domain (its plain-text ``pareto.xml``)."""

from __future__ import annotations

import math
from pathlib import Path

from peacetalks.io.genius.folder import open_folder
from peacetalks.io.genius.safe_xml import fail, read_bytes


def read_published_pareto(folder: str | Path) -> list[tuple[float, ...]]:
    """The Pareto frontier published with an ANAC 2014 domain (its ``pareto.xml``).

    Despite its name the file is plain text: one outcome per line, the utilities of the profiles
    separated by commas (``0.67824775, 1.0``). Blank lines are skipped.
    """
    path = open_folder(folder) / "pareto.xml"
    if not path.is_file():
        fail(path, "no published Pareto frontier (pareto.xml) in this folder")
    points: list[tuple[float, ...]] = []
    for number, line in enumerate(_text(path).splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        point = _point(path, stripped, number)
        if points and len(point) != len(points[0]):
            fail(path, f"expected {len(points[0])} utilities per line, got {len(point)}", number)
        points.append(point)
    if not points:
        fail(path, "the published Pareto frontier is empty")
    return points


def _text(path: Path) -> str:
    """The UTF-8 text of ``path`` (a byte-order mark is dropped)."""
    try:
        return read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        fail(path, f"not UTF-8 text ({error.reason} at byte {error.start})")


def _point(path: Path, line: str, number: int) -> tuple[float, ...]:
    """The utilities on one (stripped, non-blank) line of the file."""
    if line.startswith("<"):
        fail(path, "an XML Pareto file is not supported; expected 'u1, u2' lines", number)
    try:
        point = tuple(float(part) for part in line.split(","))
    except ValueError:
        fail(path, f"expected comma-separated utilities, got {line[:60]!r}", number)
    if not all(math.isfinite(u) for u in point):
        fail(path, f"utilities must be finite numbers, got {line[:60]!r}", number)
    return point
