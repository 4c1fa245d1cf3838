"""Pareto filters: which points no other point dominates, vectorised.

* two coordinates: one sort and a sweep;
* three: Kung's sweep with a staircase;
* more: a blocked sort-filter-skyline (each block of the points, sorted by their sum, checked
  against itself and then against every later point at once).

``grouped_pareto`` filters many small sets at once (the points of each group separately), as
the dynamic programme over issues needs after every step.
"""

from __future__ import annotations

import numpy as np

from peacetalks.compiled import BoolArray, FloatArray, IntArray

BLOCK = 32
DIGITS = 9
"""Points are compared after rounding to this many decimals, so that sums which are equal in
exact arithmetic but differ in the last bits of floating point count as ties."""


def pareto_mask(points: FloatArray) -> BoolArray:
    """Which rows are not dominated (>= everywhere and > somewhere) by another row.

    Points are compared after rounding to DIGITS decimals, so that sums which are equal in
    exact arithmetic but differ in the last bits of floating point count as ties.
    """
    points = np.round(points, DIGITS)
    n, d = points.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if d == 1:
        return np.asarray(points[:, 0] >= points[:, 0].max())
    if d == 2:
        return _pareto_2d(points)
    if d == 3:
        return _pareto_3d(points)
    # A point can only be dominated by one with a strictly larger sum. Taking points in
    # descending order of their sum, the next few remaining points are dominated by nothing
    # but each other; once that is settled within the block, the survivors are on the frontier
    # and every remaining point they dominate is dropped. Strong points come first, so the
    # remaining set shrinks fast.
    order = np.argsort(-points.sum(axis=1), kind="stable")
    rest = np.ascontiguousarray(points[order].T)  # (d, N): one contiguous row per coordinate
    rest_index = order
    front: list[IntArray] = []
    while rest_index.size:
        head = rest[:, :BLOCK]
        survivors = ~_dominates(head.T, head).any(axis=0)
        front.append(rest_index[: head.shape[1]][survivors])
        rest, rest_index = rest[:, head.shape[1] :], rest_index[head.shape[1] :]
        if rest_index.size:
            beaten = _dominates(head.T[survivors], rest).any(axis=0)
            rest, rest_index = np.ascontiguousarray(rest[:, ~beaten]), rest_index[~beaten]
    mask = np.zeros(n, dtype=bool)
    mask[np.concatenate(front)] = True
    return mask


def _dominates(a: FloatArray, columns: FloatArray) -> BoolArray:
    """(len(a), N): whether a[i] dominates point j, the points given as columns (d, N)."""
    at_least = columns[0][None, :] <= a[:, 0][:, None]
    better = columns[0][None, :] < a[:, 0][:, None]
    for k in range(1, a.shape[1]):
        at_least &= columns[k][None, :] <= a[:, k][:, None]
        better |= columns[k][None, :] < a[:, k][:, None]
    return np.asarray(at_least & better)


def _pareto_3d(points: FloatArray) -> BoolArray:
    """Kung's sweep: in descending order of x, a point is dominated by an earlier one iff the
    staircase of the (y, z) pairs seen so far has a pair >= it. Points with equal x are first
    checked against earlier x only, then among themselves in 2-D."""
    from bisect import bisect_left

    order = np.lexsort((-points[:, 2], -points[:, 1], -points[:, 0]))
    xs, ys, zs = (points[order, k].tolist() for k in range(3))
    stair_y: list[float] = []  # ascending
    stair_z: list[float] = []  # descending
    keep = np.zeros(len(xs), dtype=bool)
    i = 0
    while i < len(xs):
        j = i
        while j < len(xs) and xs[j] == xs[i]:
            j += 1
        group = range(i, j)
        alive = []
        for k in group:
            at = bisect_left(stair_y, ys[k])
            if at < len(stair_y) and stair_z[at] >= zs[k]:
                continue  # a point with larger x and y, z at least as large
            alive.append(k)
        if alive:
            local = _pareto_2d(np.array([[ys[k], zs[k]] for k in alive]))
            survivors = [k for k, ok in zip(alive, local, strict=True) if ok]
            for k in survivors:
                keep[k] = True
                y, z = ys[k], zs[k]
                at = bisect_left(stair_y, y)
                if at < len(stair_y) and stair_z[at] >= z:
                    continue
                start = at
                while start > 0 and stair_z[start - 1] <= z:
                    start -= 1
                del stair_y[start:at]
                del stair_z[start:at]
                stair_y.insert(start, y)
                stair_z.insert(start, z)
        i = j
    mask = np.zeros(len(xs), dtype=bool)
    mask[order[keep]] = True
    return mask


def _pareto_2d(points: FloatArray) -> BoolArray:
    order = np.lexsort((-points[:, 1], -points[:, 0]))  # x descending, then y descending
    xs, ys = points[order, 0], points[order, 1]
    keep = np.zeros(points.shape[0], dtype=bool)
    best_y = -np.inf
    i = 0
    while i < xs.size:
        j = i
        while j < xs.size and xs[j] == xs[i]:
            j += 1
        top = ys[i]  # highest y among equal x
        if top > best_y:
            keep[i:j] = ys[i:j] == top
            best_y = top
        i = j
    mask = np.zeros(points.shape[0], dtype=bool)
    mask[order[keep]] = True
    return mask


def grouped_pareto(groups: IntArray, points: FloatArray) -> BoolArray:
    """Keep, within each group, one row per point that no row of the same group dominates
    (ties between equal points keep the first row)."""
    n = points.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    if points.shape[1] == 2:
        return _grouped_pareto_2d(groups, points)
    # more coordinates: a group is two more coordinates, +g and -g, on which one point can
    # be at least as good as another only in the same group
    _, dense = np.unique(groups, return_inverse=True)
    rows = np.column_stack([dense.reshape(-1), np.round(points, DIGITS)])
    _, first = np.unique(rows, axis=0, return_index=True)
    augmented = np.column_stack([rows[first], -rows[first, 0]])
    mask = np.zeros(n, dtype=bool)
    mask[first[pareto_mask(augmented)]] = True
    return mask


def _grouped_pareto_2d(groups: IntArray, points: FloatArray) -> BoolArray:
    """Two coordinates: two sorts and one sweep. Utilities are compared as integers in units of
    10^-DIGITS (bounded utilities keep them far inside int64)."""
    quantum = 10.0**DIGITS
    x = np.rint(points[:, 0] * quantum).astype(np.int64)
    y = np.rint(points[:, 1] * quantum).astype(np.int64)
    y -= y.min()
    order = np.argsort(-x)
    order = order[np.argsort(groups[order], kind="stable")]  # by group, x descending
    g, x, y = groups[order], x[order], y[order]
    starts = np.concatenate([[True], g[1:] != g[:-1]])
    # the running maximum of y within each group: offset every group above the previous one
    key = (np.cumsum(starts) - 1) * (int(y.max()) + 1) + y
    before = np.concatenate([[-1], np.maximum.accumulate(key)[:-1]])
    alive = key > before  # no earlier row of the group (x at least as large) has y as large
    # rows with equal x and group came in any order of y: keep the first row of the run
    # with the run's largest y
    run = starts | np.concatenate([[True], x[1:] != x[:-1]])
    run_id = np.cumsum(run) - 1
    run_best = np.maximum.reduceat(y, np.flatnonzero(run))[run_id]
    top = y == run_best
    first_top = _first_in_runs(top, run_id)
    mask = np.zeros(points.shape[0], dtype=bool)
    mask[order[alive & first_top]] = True
    return mask


def _first_in_runs(flags: BoolArray, run_id: IntArray) -> BoolArray:
    """Flags left only on the first flagged row of each run."""
    flagged = np.flatnonzero(flags)
    first = np.concatenate([[True], run_id[flagged][1:] != run_id[flagged][:-1]])
    out = np.zeros(flags.size, dtype=bool)
    out[flagged[first]] = True
    return out
