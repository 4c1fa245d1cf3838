"""Options that another option of the same issue dominates, and can therefore be left out of
any search for packages that are good for every party.

Option b of an issue dominates option a when, whatever the other issues hold, the package with
b is at least as good for every party as the package with a and crosses no red line the
package with a avoids: b gives every party at least as much on its own, lies in every box with
a helpful effect (an interaction no party loses by) that a lies in, in no box with a harmful
effect (an interaction no party gains by, or a red line) that a avoids, and in exactly the same
boxes with mixed effects. Of equivalent options the first is kept.
"""

from __future__ import annotations

import numpy as np

from peacetalks.compiled import BoolArray, CompiledScenario, FloatArray, IntArray


def undominated_options(compiled: CompiledScenario) -> BoolArray:
    """(T,) which flat options no other option of their issue dominates, judged by every
    party's effective utility and every red line."""
    mix = np.eye(len(compiled.party_ids)) - compiled.alpha
    unary = mix @ compiled.values
    boxes = np.concatenate([compiled.interaction_boxes, compiled.red_line_boxes])
    red_lines = compiled.red_line_boxes.shape[0]
    effects = np.concatenate(
        [mix @ compiled.interaction_bonus, np.zeros((unary.shape[0], red_lines))], axis=1
    )
    red = np.arange(boxes.shape[0]) >= compiled.interaction_boxes.shape[0]
    keep = np.zeros(unary.shape[1], dtype=bool)
    for i in range(len(compiled.issue_ids)):
        columns = np.arange(int(compiled.offsets[i]), int(compiled.offsets[i + 1]))
        keep[columns[undominated(unary[:, columns], boxes[:, columns], effects, red)]] = True
    return keep


def undominated(
    unary: FloatArray, boxes: BoolArray, effects: FloatArray, red: BoolArray
) -> IntArray:
    """Indices (into these options) of the options no other option of the issue dominates.

    unary: (S, m) utilities; boxes: (B, m) membership; effects: (S, B) per-party effect of
    being in each box (red lines count as harmful to everyone)."""
    m = unary.shape[1]
    helps = (effects >= 0).all(axis=0) & ~red
    hurts = (effects <= 0).all(axis=0) | red
    # a dominates b: unary >= , in every helpful box b is in, out of every harmful box b avoids
    dominates = (unary[:, :, None] >= unary[:, None, :]).all(axis=0)
    h, r = boxes[helps], boxes[hurts]
    neutral = boxes[~helps & ~hurts]
    dominates &= (h[:, :, None] | ~h[:, None, :]).all(axis=0)
    dominates &= (~r[:, :, None] | r[:, None, :]).all(axis=0)
    dominates &= (neutral[:, :, None] == neutral[:, None, :]).all(axis=0)
    equal = dominates & dominates.T
    strict = dominates & ~equal
    index = np.arange(m)
    beaten = strict.any(axis=0) | (equal & (index[:, None] < index[None, :])).any(axis=0)
    return np.asarray(np.flatnonzero(~beaten))
