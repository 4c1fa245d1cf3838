"""Drawing the uncertain numbers of a scenario, reproducibly and fast.

Every estimate with ``low < high`` in a party's preferences (weights, option values,
interaction bonuses, reservation value, relative-gains coefficients) is an uncertain input. Its
``distribution`` says how it is drawn within [low, high]:

* ``uniform`` (the default): every value in the range equally likely;
* ``triangular``: most likely at ``value``, falling linearly to ``low`` and ``high``;
* ``normal``: a normal with mean ``value`` and standard deviation ``sd`` (default a quarter of
  the range), truncated to the range (redrawn until inside);
* ``beta``: a beta scaled to the range with its mode at ``value``; ``concentration`` k (default
  4) sets a = 1 + k m, b = 1 + k (1 - m) with m the position of ``value`` in the range (the PERT
  form).

Inputs of one correlation group are drawn with a common Gaussian factor: each member's draws are
put in the rank order of sqrt(rho) F + sqrt(1 - rho) e_j (the Iman-Conover method), so the
marginals stay exact and every pair of members has a rank correlation near
(6 / pi) asin(rho / 2).

Draws come in blocks. Block k of a run with seed s uses the k-th child of
``numpy.random.SeedSequence(s)``, so the numbers do not depend on where or in which order the
blocks are computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from peacetalks.compiled import FloatArray, IntArray
from peacetalks.errors import UsageError
from peacetalks.model.numbers import Estimate, best
from peacetalks.model.scenario import Scenario

BLOCK = 500
"""Samples per block (the unit of work of every backend)."""
DEFAULT_CONCENTRATION = 4.0
MAX_REDRAWS = 200


@dataclass(frozen=True)
class Input:
    """One uncertain number and where it goes in the compiled arrays."""

    path: str
    """Where it is in the scenario, e.g. ``preferences.russia.weights.crimea``."""
    kind: str
    """weight | value | bonus | reservation | alpha."""
    index: tuple[int, ...]
    """(party, issue) | (party, flat option) | (interaction,) | (party,) | (party, other)."""
    estimate: Estimate

    @property
    def low(self) -> float:
        assert self.estimate.low is not None
        return self.estimate.low

    @property
    def high(self) -> float:
        assert self.estimate.high is not None
        return self.estimate.high


def uncertain_inputs(scenario: Scenario) -> list[Input]:
    """Every uncertain number of the parties' preferences, in file order."""
    parties = [p.id for p in scenario.parties]
    issues = [i.id for i in scenario.issues]
    offsets = scenario.compiled.offsets
    out: list[Input] = []
    interaction = 0
    for party_id in parties:
        prefs = scenario.preferences.get(party_id)
        if prefs is None:
            continue
        p = parties.index(party_id)
        base = f"preferences.{party_id}"
        for issue_id, weight in prefs.weights.items():
            _add(out, f"{base}.weights.{issue_id}", "weight", (p, issues.index(issue_id)), weight)
        for issue_id, table in prefs.values.items():
            i = issues.index(issue_id)
            options = scenario.issue(issue_id).option_ids
            for option_id, value in table.items():
                flat = int(offsets[i]) + options.index(option_id)
                _add(out, f"{base}.values.{issue_id}.{option_id}", "value", (p, flat), value)
        for k, item in enumerate(prefs.interactions):
            _add(out, f"{base}.interactions[{k}].bonus", "bonus", (interaction,), item.bonus)
            interaction += 1
        _add(out, f"{base}.reservation", "reservation", (p,), prefs.reservation)
        for other, coefficient in prefs.relative_gains.items():
            where = (p, parties.index(other))
            _add(out, f"{base}.relative_gains.{other}", "alpha", where, coefficient)
    return out


def _add(out: list[Input], path: str, kind: str, index: tuple[int, ...], number: object) -> None:
    if (
        isinstance(number, Estimate)
        and number.low is not None
        and number.high is not None
        and number.low < number.high
    ):
        out.append(Input(path, kind, index, number))


def block_sizes(count: int, block: int = BLOCK) -> list[int]:
    """The sizes of the blocks of a run of `count` samples."""
    if count < 1:
        raise UsageError(f"the number of samples must be at least 1, got {count}")
    full, rest = divmod(count, block)
    return [block] * full + ([rest] if rest else [])


def block_seeds(seed: int, blocks: int) -> list[np.random.SeedSequence]:
    """One independent seed per block."""
    return list(np.random.SeedSequence(seed).spawn(blocks))


def draw(
    inputs: list[Input],
    groups: Mapping[str, float],
    count: int,
    seed: np.random.SeedSequence,
) -> FloatArray:
    """(count, inputs) draws of every uncertain input, correlated within groups."""
    rng = np.random.default_rng(seed)
    out = np.empty((count, len(inputs)))
    for j, item in enumerate(inputs):
        out[:, j] = _marginal(rng, item, count)
    for name in sorted(groups):
        members = [j for j, item in enumerate(inputs) if item.estimate.group == name]
        rho = groups[name]
        if len(members) < 2 or rho <= 0:
            continue
        common = rng.standard_normal(count)
        for j in members:
            score = np.sqrt(rho) * common + np.sqrt(1 - rho) * rng.standard_normal(count)
            ranks = np.argsort(np.argsort(score))
            out[:, j] = np.sort(out[:, j])[ranks]
    return out


def _marginal(rng: np.random.Generator, item: Input, count: int) -> FloatArray:
    estimate = item.estimate
    low, high, value = item.low, item.high, estimate.value
    kind = estimate.distribution or "uniform"
    if kind == "uniform":
        return rng.uniform(low, high, count)
    if kind == "triangular":
        return rng.triangular(low, value, high, count)
    if kind == "beta":
        k = estimate.concentration or DEFAULT_CONCENTRATION
        m = (value - low) / (high - low)
        return low + (high - low) * rng.beta(1 + k * m, 1 + k * (1 - m), count)
    sd = estimate.sd or (high - low) / 4
    out = rng.normal(value, sd, count)
    for _ in range(MAX_REDRAWS):
        outside = (out < low) | (out > high)
        if not outside.any():
            return out
        out[outside] = rng.normal(value, sd, int(outside.sum()))
    raise UsageError(
        f"{item.path}: a normal with sd {sd:g} falls inside [{low:g}, {high:g}] too rarely to "
        "draw from; give a smaller sd or another distribution"
    )


@dataclass(frozen=True)
class Arrays:
    """The point-estimate arrays of a scenario, ready to take draws."""

    weights: FloatArray  # (P, I) raw weights (not normalised)
    values: FloatArray  # (P, T) option values (not weighted)
    issue_of: IntArray  # (T,) issue of each flat option
    bonus: FloatArray  # (P, K)
    bonus_owner: IntArray  # (K,) the party of each interaction
    reservation: FloatArray  # (P,)
    alpha: FloatArray  # (P, P)

    @staticmethod
    def of(scenario: Scenario) -> Arrays:
        compiled = scenario.compiled
        parties = list(compiled.party_ids)
        issues = list(compiled.issue_ids)
        weights = np.zeros((len(parties), len(issues)))
        values = np.zeros_like(compiled.values)
        for party_id, prefs in scenario.preferences.items():
            p = parties.index(party_id)
            for issue_id, weight in prefs.weights.items():
                weights[p, issues.index(issue_id)] = best(weight)
            for issue_id, table in prefs.values.items():
                i = issues.index(issue_id)
                options = compiled.option_ids[i]
                for option_id, value in table.items():
                    values[p, int(compiled.offsets[i]) + options.index(option_id)] = best(value)
        issue_of = np.repeat(np.arange(len(issues)), np.diff(compiled.offsets))
        return Arrays(
            weights=weights,
            values=values,
            issue_of=issue_of,
            bonus=compiled.interaction_bonus.copy(),
            bonus_owner=compiled.interaction_party.copy(),
            reservation=compiled.reservation.copy(),
            alpha=compiled.alpha.copy(),
        )

    def batch(self, inputs: list[Input], draws: FloatArray) -> Batch:
        """The arrays of every sample (rows of `draws`)."""
        count = draws.shape[0]
        weights = np.repeat(self.weights[None], count, axis=0)
        values = np.repeat(self.values[None], count, axis=0)
        bonus = np.repeat(self.bonus[None], count, axis=0)
        reservation = np.repeat(self.reservation[None], count, axis=0)
        alpha = np.repeat(self.alpha[None], count, axis=0)
        for j, item in enumerate(inputs):
            column = draws[:, j]
            if item.kind == "weight":
                weights[:, item.index[0], item.index[1]] = column
            elif item.kind == "value":
                values[:, item.index[0], item.index[1]] = column
            elif item.kind == "bonus":
                k = item.index[0]
                bonus[:, int(self.bonus_owner[k]), k] = column
            elif item.kind == "reservation":
                reservation[:, item.index[0]] = column
            else:
                alpha[:, item.index[0], item.index[1]] = column
        total = weights.sum(axis=2, keepdims=True)
        normalised = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
        weighted = normalised[:, :, self.issue_of] * values
        return Batch(weighted, bonus, reservation, alpha)


@dataclass(frozen=True)
class Batch:
    """Compiled arrays for a batch of samples (leading axis: sample)."""

    values: FloatArray  # (S, P, T) weight x value, weights normalised per sample
    bonus: FloatArray  # (S, P, K)
    reservation: FloatArray  # (S, P)
    alpha: FloatArray  # (S, P, P)
