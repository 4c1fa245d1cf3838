"""The war model in numbers: parameter sets (a batch at once) and their simulated paths.

A parameter set is a flat mapping from parameter paths (``control``, ``support.us-aid.fatigue``,
``parties.russia.cost``, ...; see :func:`peacetalks.model.war.parameters`) to values. Several
sets are simulated at once, each a row: the analyst's baseline, each party's own beliefs, the
points of a lever's grid.

Each period t:

* support_k(t) = max(0, level_k (1 - fatigue_k)^t + the shocks scheduled at or before t);
* S_side(t) = strength_side + the support it receives; the first side's win probability is the
  contest success function p(t) = S_a^m / (S_a^m + S_b^m);
* control(t + 1) = clip(control(t) + advance (2 p(t) - 1), 0, 1);
* party i's flow utility of the war, relative to now, is
  stake_i (control(t) - control(0)) - cost_i - sanctions on i at t.

A truce (:class:`Truce`) of L periods from period t0 pauses the fighting: control does not move
and nobody pays the cost of fighting in those periods, while each side's own strength grows by
its ``regroup`` rate per period of the pause, compounding, and keeps what it gained once the
fighting resumes. Support keeps its course (fatigue does not pause). The truce's price may be a
share of the sanctions lifted from t0 on, for good (the Kremlin's linkage).

Party i's value of fighting on from t is the discounted average of its flows,
(1 - delta) sum_{s >= t} delta^(s - t) flow_i(s). The model describes the analyst's window, the
horizon: after it the state (control, support, costs) is held where it ended, so trends such as
sanctions that tighten every period are not extrapolated beyond what the analyst looked at.
Sanctions never cost less than nothing, and support is never negative.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from peacetalks.compiled import FloatArray
from peacetalks.errors import UsageError
from peacetalks.model.numbers import best
from peacetalks.model.war import War, parameters


def baseline(war: War) -> dict[str, float]:
    """The analyst's baseline: every parameter at its best estimate."""
    return {path: best(number) for path, (number, _) in parameters(war).items()}


def believed(war: War, party: str, base: Mapping[str, float] | None = None) -> dict[str, float]:
    """The parameters as `party` believes them: the baseline with its beliefs applied."""
    values = dict(base if base is not None else baseline(war))
    for belief in war.beliefs.get(party, ()):
        _set(values, belief.parameter, best(belief.value))
    return values


def with_lever(
    war: War, values: Mapping[str, float], parameter: str, value: float
) -> dict[str, float]:
    """A parameter set with a lever moved: the parameter takes `value` where it holds the
    baseline, and moves by the same amount where a belief had set it apart."""
    out = dict(values)
    shift = value - baseline(war)[parameter]
    _set(out, parameter, values[parameter] + shift)
    return out


def _set(values: dict[str, float], parameter: str, value: float) -> None:
    values[parameter] = value
    if parameter.startswith("sanctions.") and parameter.count(".") == 1:
        for key in [k for k in values if k.startswith("sanctions.") and k.count(".") == 2]:
            if key.endswith("." + parameter.split(".")[1]):
                values[key] = value  # the short form names the single sanctions entry
    elif parameter.startswith("sanctions."):
        short = "sanctions." + parameter.split(".")[2]
        if short in values:
            values[short] = value


@dataclass(frozen=True)
class Truce:
    """A ceasefire of `length` periods from period `start`; `relief` is the share of every
    sanction lifted from `start` on (0: none, 1: all), the price of the truce."""

    start: int
    length: int
    relief: float = 0.0

    def __post_init__(self) -> None:
        if self.start < 0:
            raise UsageError(f"a truce starts at period 0 or later, got {self.start}")
        if self.length < 1:
            raise UsageError(f"a truce lasts at least 1 period, got {self.length}")
        if not 0.0 <= self.relief <= 1.0:
            raise UsageError(f"sanctions relief is a share in [0, 1], got {self.relief}")

    @classmethod
    def parse(cls, text: str) -> Truce:
        """A truce from ``START:LENGTH[:RELIEF]``, e.g. ``3:6:0.5``."""
        parts = text.split(":")
        try:
            if len(parts) not in (2, 3):
                raise ValueError
            relief = float(parts[2]) if len(parts) == 3 else 0.0
            return cls(int(parts[0]), int(parts[1]), relief)
        except ValueError:
            raise UsageError(
                f"a truce is START:LENGTH[:RELIEF] (rounds, rounds, share of sanctions lifted), "
                f"e.g. 3:6:0.5; got {text!r}"
            ) from None

    @property
    def end(self) -> int:
        """The first period of fighting after the truce."""
        return self.start + self.length

    def paused(self, t: FloatArray) -> FloatArray:
        """1.0 in the periods of the truce, 0.0 elsewhere."""
        return ((t >= self.start) & (t < self.end)).astype(float)

    def elapsed(self, t: FloatArray) -> FloatArray:
        """Periods of truce before period t (the regrouping that has compounded by then)."""
        return np.clip(t - self.start, 0, self.length).astype(float)


@dataclass(frozen=True)
class Paths:
    """Simulated paths of a batch of parameter sets: rows are sets, columns periods 0..T."""

    control: FloatArray
    """(B, T + 1) the first side's share of the contested territory."""
    win_probability: FloatArray
    """(B, T + 1) the first side's win probability p(t)."""
    support: FloatArray
    """(B, K, T + 1) each support line."""
    cost: FloatArray
    """(B, P, T + 1) each party's per-period cost of fighting on (sanctions included)."""
    flow: FloatArray
    """(B, P, T + 1) each party's flow utility of the war relative to now."""
    value: FloatArray
    """(B, P, T + 1) each party's value of fighting on from t (discounted average of flows)."""
    gain: FloatArray
    """(B, P, T + 1) each party's discounted expected gain from the movement of control after
    t, against a freeze at t (the cost of fighting left out)."""


def simulate(
    war: War,
    sets: Sequence[Mapping[str, float]],
    parties: Sequence[str],
    periods: int,
    truce: Truce | None = None,
) -> Paths:
    """Simulate every parameter set for `periods` periods, the state held after them;
    `parties` orders the party axis (parties without war stakes get zero flows). With a
    `truce`, the fighting pauses as described in the module's documentation."""
    rows = len(sets)
    discount = np.array([s["discount"] for s in sets])
    span = periods
    t = np.arange(span + 1, dtype=np.float64)
    support = np.zeros((rows, len(war.support), span + 1))
    received = {side: np.zeros((rows, span + 1)) for side in war.sides}
    for k, line in enumerate(war.support):
        level = np.array([s[f"support.{line.id}.level"] for s in sets])
        fatigue = np.array([s[f"support.{line.id}.fatigue"] for s in sets])
        path = level[:, None] * (1.0 - fatigue[:, None]) ** t[None, :]
        for shock in line.shocks:
            path[:, shock.period :] += best(shock.change)
        support[:, k] = np.maximum(path, 0.0)
        received[line.to] += support[:, k]
    a, b = war.sides
    exponent = np.array([s["exponent"] for s in sets])[:, None]
    fighting = 1.0 - truce.paused(t) if truce is not None else np.ones(span + 1)
    strength_a = _own_strength(sets, a, t, truce) + received[a]
    strength_b = _own_strength(sets, b, t, truce) + received[b]
    win = _contest(strength_a, strength_b, exponent)
    advance = np.array([s["advance"] for s in sets])
    control = np.empty((rows, span + 1))
    control[:, 0] = [s["control"] for s in sets]
    for step in range(span):
        moved = control[:, step] + fighting[step] * advance * (2.0 * win[:, step] - 1.0)
        control[:, step + 1] = np.clip(moved, 0.0, 1.0)
    kept = 1.0 - truce.relief * (t >= truce.start) if truce is not None else np.ones(span + 1)
    cost = np.zeros((rows, len(parties), span + 1))
    stake = np.zeros((rows, len(parties)))
    for j, party in enumerate(parties):
        if party not in war.parties:
            continue
        stake[:, j] = [s[f"parties.{party}.stake"] for s in sets]
        fight = np.array([s[f"parties.{party}.cost"] for s in sets])
        cost[:, j] = fight[:, None] * fighting[None, :]
        for item in war.sanction_list:
            if item.target == party:
                level = np.array([s[f"sanctions.{party}.cost"] for s in sets])
                growth = np.array([s[f"sanctions.{party}.growth"] for s in sets])
                bite = np.maximum(level[:, None] + growth[:, None] * t[None, :], 0.0)
                cost[:, j] += bite * kept[None, :]
    moved_control = control - control[:, :1]
    flow = stake[:, :, None] * moved_control[:, None, :] - cost
    value = _discounted_average(flow, discount)
    territorial = stake[:, :, None] * control[:, None, :]
    gain = _discounted_average(territorial, discount) - territorial
    return Paths(
        control=control,
        win_probability=win,
        support=support,
        cost=cost,
        flow=flow,
        value=value,
        gain=gain,
    )


def _own_strength(
    sets: Sequence[Mapping[str, float]], side: str, t: FloatArray, truce: Truce | None
) -> FloatArray:
    """(B, T + 1) a side's own fighting capacity, grown by its regrouping during a truce."""
    own = np.array([s[f"strength.{side}"] for s in sets])[:, None]
    if truce is None:
        return np.repeat(own, t.size, axis=1)
    rate = np.array([s.get(f"regroup.{side}", 0.0) for s in sets])[:, None]
    out: FloatArray = own * (1.0 + rate) ** truce.elapsed(t)[None, :]
    return out


def _contest(a: FloatArray, b: FloatArray, exponent: FloatArray) -> FloatArray:
    """Tullock's contest success function; an even contest when both strengths are zero."""
    a_m, b_m = np.power(a, exponent), np.power(b, exponent)
    total = a_m + b_m
    return np.where(total > 0, a_m / np.where(total > 0, total, 1.0), 0.5)


def _discounted_average(flow: FloatArray, discount: FloatArray) -> FloatArray:
    """(1 - d) sum_{s >= t} d^(s - t) flow(s), holding the last flow forever after."""
    out = np.empty_like(flow)
    out[..., -1] = flow[..., -1]
    d = discount.reshape((-1,) + (1,) * (flow.ndim - 2))
    for step in range(flow.shape[-1] - 2, -1, -1):
        out[..., step] = (1.0 - d) * flow[..., step] + d * out[..., step + 1]
    return out
