"""The package space: exact counting under red lines, enumeration in chunks, sampling."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from peacetalks.compiled import BoolArray, CompiledScenario, IntArray
from peacetalks.results import Result

ENUMERATION_LIMIT = 5_000_000
"""Spaces up to this many packages are enumerated (vectorised) when a count is wanted."""

CHUNK = 200_000
COUNT_NODE_LIMIT = 2_000_000
"""Inclusion-exclusion visits at most this many non-empty box intersections."""


@dataclass(frozen=True)
class Count(Result):
    """A number of packages: exact, or an estimate with bounds, and how it was obtained."""

    value: int | None
    """The exact count, or None when only an estimate is known."""
    estimate: float
    low: float
    high: float
    method: str


def exact(value: int, method: str) -> Count:
    """An exact count."""
    return Count(value, float(value), float(value), float(value), method)


def count_outside(compiled: CompiledScenario, rows: Sequence[int]) -> int | None:
    """Number of full packages in none of the given red-line boxes (None if too costly).

    Inclusion-exclusion over the boxes: |outside| = sum over subsets S of (-1)^|S| |cap S|. The
    intersection of boxes is a box whose size is a product, and a depth-first walk prunes every
    superset of an empty intersection, so the count is exact and usually quick.
    """
    boxes = [compiled.red_line_boxes[r] for r in rows]
    sizes = compiled.sizes
    offsets = compiled.offsets
    total = 0
    visited = 0

    def box_size(box: BoolArray) -> int:
        product = 1
        for i in range(sizes.size):
            product *= int(box[offsets[i] : offsets[i + 1]].sum())
            if product == 0:
                return 0
        return product

    stack: list[tuple[int, BoolArray, int]] = [(0, np.ones(int(offsets[-1]), dtype=bool), 0)]
    while stack:
        start, box, depth = stack.pop()
        size = box_size(box)
        if size == 0:
            continue
        visited += 1
        if visited > COUNT_NODE_LIMIT:
            return None
        total += size if depth % 2 == 0 else -size
        for j in range(start, len(boxes)):
            stack.append((j + 1, box & boxes[j], depth + 1))
    return total


def chunks(compiled: CompiledScenario, chunk: int = CHUNK) -> Iterator[IntArray]:
    """Every full package, in chunks of at most `chunk` rows (mixed-radix order)."""
    sizes = compiled.sizes.astype(np.int64)
    total = compiled.space_size
    for start in range(0, total, chunk):
        index = np.arange(start, min(start + chunk, total), dtype=np.int64)
        yield decode_indices(index, sizes)


def decode_indices(index: IntArray, sizes: IntArray) -> IntArray:
    """Package vectors of mixed-radix indices (last issue varies fastest)."""
    out = np.empty((index.size, sizes.size), dtype=np.int64)
    rest = index.copy()
    for i in range(sizes.size - 1, -1, -1):
        out[:, i] = rest % sizes[i]
        rest //= sizes[i]
    return out


def sample(compiled: CompiledScenario, count: int, seed: int) -> IntArray:
    """`count` packages drawn uniformly at random (independent options per issue)."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, int(n), size=count) for n in compiled.sizes], axis=1)


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * np.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
