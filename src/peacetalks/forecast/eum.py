"""Bueno de Mesquita's expected utility model (EUM), as reconstructed by Scholz, Calbert & Smith.

Sources: B. Bueno de Mesquita (1994) in *European Community Decision Making* (Yale UP), and
(1997) *International Interactions* 23:235-266; J. B. Scholz, G. J. Calbert & G. A. Smith (2011)
"Unravelling Bueno de Mesquita's group decision model", *J. Theoretical Politics* 23(4):510 and
ICAART 2011 (equation and appendix numbers below are theirs). The derivations and the choices
made where the texts are ambiguous are in ``docs/explanation/forecast-models.md``.

The model is one-dimensional; a table with several dimensions is run on each dimension
separately (its own positions and saliences, the shared capabilities). Per round, on one
dimension, with positions ``x``, capabilities ``c``, saliences ``s``, weights ``w = c s``, scale
``R = high - low`` and ``d_ij = |x_i - x_j| / R``:

1. **Votes and median.** ``v^{jk} = sum_i w_i (d_ik - d_ij)``; the median ``mu`` is the
   position with the most votes against all others (the Condorcet winner among the actors'
   positions; ties go to the lowest position).
2. **Probability of success** (eq. 30/31): ``P_ij = sum_{k: d_kj > d_ki} w_k (d_kj - d_ki) /
   sum_k w_k |d_kj - d_ki|`` (so ``P_ij + P_ji = 1``).
3. **Basic utilities** with risk exponent ``r`` (eq. 15, 16, 22, 23, 24):
   ``U_s = 2 - 4 (0.5 - 0.5 d_ij)^r``, ``U_f = 2 - 4 (0.5 + 0.5 d_ij)^r``,
   ``U_b = 2 - 4 (0.5 - 0.25 (d_i,mu + d_ij))^r``, ``U_w = 2 - 4 (0.5 + 0.25 (d_i,mu + d_ij))^r``,
   ``U_sq = 2 - 4 (0.5)^r``.
4. **Expected utility of i challenging j** (eq. 25a):
   ``E^i(U_ij) = s_j (P_ij U_s + (1 - P_ij) U_f) + (1 - s_j) U_s - Q U_sq
   - (1 - Q)(T U_b + (1 - T) U_w)``, with ``T = 1`` when ``|x_i - mu| < |x_i - x_j|``.
5. **Risk** (BDM 1985; eq. 32-34): with ``r = 1``, the security ``S_i = sum_{j != i}
   E^j(U_ji)``; ``R_i = (2 S_i - max S - min S) / (max S - min S)`` and
   ``r_i = (1 - R_i/3) / (1 + R_i/3)`` in ``[0.5, 2]``; then step 4 again with these ``r_i``.
6. **Offers** (fig. 6). For the ordered pair (i challenges j) with ``a = E^i(U_ij)`` and
   ``b = E^j(U_ji)``: ``a > 0, b > 0``: *conflict*, the actor with the lower EU moves fully to
   the other; ``a > 0 > b, |a| > |b|``: *compromise*, j moves to ``x_j + (x_i - x_j)|b/a|``
   (eq. 35); ``a > 0 > b, |b| >= |a|``: *compel* (j *capitulates*), j moves fully to ``x_i``;
   ``a < 0, b < 0``: *status quo*. Mirror cases for j's upper hand.
7. **Moves.** Each actor takes, of the offers made to it, the one that moves it least (BDM 1997
   pp. 251-2); all move at once. The scale ``R`` stays that of the input.

>>> import numpy as np
>>> x, c, s = np.array([4.0, 7.0, 10.0]), np.array([1.0, 1.0, 2.0]), np.array([1.0, 1.0, 1.0])
>>> float(median(x, c * s))
7.0
>>> p = win_probability(x, c * s, 6.0)
>>> bool(np.allclose(p + p.T, 1.0))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from peacetalks.errors import UsageError
from peacetalks.forecast.actors import ActorTable, FloatArray
from peacetalks.forecast.compromise import weighted_mean
from peacetalks.forecast.results import ForecastResult, Interaction, Round, blocs

__all__ = [
    "KINDS",
    "EUMSettings",
    "EUMState",
    "eum_paths",
    "eum_round",
    "expected_utility",
    "median",
    "offers",
    "risk_exponents",
    "simulate_eum",
    "win_probability",
]

IntArray = NDArray[np.int64]

NONE, CONFLICT, COMPROMISE, COMPEL, STATUS_QUO = 0, 1, 2, 3, 4
KINDS = ("none", "conflict", "compromise", "compel", "status quo")
"""Offer kinds by code. An offer's kind is from the proposer's side: "compel" is a capitulation
by the mover; "none" marks pairs at the same position (or on a boundary of fig. 6)."""

PROBABILITIES = ("published", "scholz-code")
PERSPECTIVES = ("own", "mover")
SELECTIONS = ("least-move", "by-kind", "scholz-code")


@dataclass(frozen=True)
class EUMSettings:
    """The model's parameters and the choices where the literature is ambiguous.

    Attributes:
        q: probability the status quo holds if i does not challenge (Scholz chose 1.0 for
            BDM 1994; 0.5 is the other value in use).
        risk: compute risk exponents (step 5); False keeps ``r = 1``.
        probability: ``"published"`` (eq. 30/31, ``P_ij + P_ji = 1``) or ``"scholz-code"``
            (the normaliser of Scholz's program as read by the jmckib port: the sum over all
            voters *and all pairs of actors* of ``w_k |d_kb^r_k - d_ka^r_k|``, with each
            voter's risk exponent; it makes ``P`` small).
        perspective: ``"own"``: ``E^j(U_ji)`` uses j's risk exponent (the appendix);
            ``"mover"``: the actor deciding whether to move evaluates both EUs with its own
            exponent (the jmckib port, after BDM's views "from i's perspective").
        selection: ``"least-move"``: each actor takes the offer that moves it least;
            ``"by-kind"``: conflict before compromise before capitulation (Scholz §6.2's
            list), least move within a kind.
    """

    q: float = 1.0
    risk: bool = True
    probability: str = "published"
    perspective: str = "own"
    selection: str = "least-move"

    @classmethod
    def scholz_code(cls, q: float = 1.0) -> EUMSettings:
        """The choices of Scholz's program as ported by jmckib, which reproduce Table 2."""
        return cls(q=q, probability="scholz-code", perspective="mover", selection="scholz-code")

    def __post_init__(self) -> None:
        if not 0.0 <= self.q <= 1.0:
            raise UsageError(f"Q must lie in [0, 1], not {self.q}")
        for name, allowed in (
            ("probability", PROBABILITIES),
            ("perspective", PERSPECTIVES),
            ("selection", SELECTIONS),
        ):
            if getattr(self, name) not in allowed:
                raise UsageError(f"{name} must be one of {', '.join(allowed)}")


class EUMState(NamedTuple):
    """One round on one dimension (arrays may carry leading batch axes).

    ``eu[i, j]`` is ``E^i(U_ij)`` with the final risk exponents; ``kind[m, p]`` and
    ``target[m, p]`` describe the offer proposer ``p`` makes to mover ``m``; ``chosen[m]`` is
    the proposer whose offer ``m`` took (-1: none).
    """

    median: FloatArray
    risk: FloatArray
    probability: FloatArray
    eu: FloatArray
    kind: IntArray
    target: FloatArray
    chosen: IntArray
    new_position: FloatArray


def _distance(x: FloatArray, span: FloatArray) -> FloatArray:
    """``d_ij = |x_i - x_j| / R``, shape ``(..., n, n)``; `span` has the batch shape."""
    return np.abs(x[..., :, None] - x[..., None, :]) / span[..., None, None]


def median(x: FloatArray, w: FloatArray) -> FloatArray:
    """The Condorcet winner among the positions: the position whose weighted distance to all
    voters is smallest (it gets the most pairwise votes); ties go to the lowest position."""
    loss = (w[..., :, None] * np.abs(x[..., :, None] - x[..., None, :])).sum(axis=-2)
    best = loss.min(axis=-1, keepdims=True)
    ties = loss <= best + 1e-12 * np.maximum(np.abs(best), 1.0)
    result: FloatArray = np.where(ties, x, np.inf).min(axis=-1)
    return result


def votes(x: FloatArray, w: FloatArray, span: FloatArray | float) -> FloatArray:
    """The pairwise votes ``v^{jk} = sum_i w_i (d_ik - d_ij)`` (positive: j beats k)."""
    d = _distance(x, np.asarray(span, dtype=np.float64))
    support = (w[..., :, None] * d).sum(axis=-2)
    result: FloatArray = support[..., None, :] - support[..., :, None]
    return result


def win_probability(
    x: FloatArray,
    w: FloatArray,
    span: FloatArray | float,
    r: FloatArray | None = None,
    rule: str = "published",
) -> FloatArray:
    """``P[i, j]``: the probability that i wins a challenge against j (step 2).

    With ``rule="scholz-code"``, voter k's distances are raised to its risk exponent ``r_k``
    and the normaliser is summed over all pairs (see :class:`EUMSettings`). Pairs at the same
    position get 0.5.
    """
    d = _distance(x, np.asarray(span, dtype=np.float64))
    if rule == "scholz-code" and r is not None:
        d = d ** r[..., :, None]
    # gap[..., k, i, j] = d_kj - d_ki: voter k's preference for i over j
    gap = d[..., :, None, :] - d[..., :, :, None]
    wk = w[..., :, None, None]
    numerator = (wk * np.maximum(gap, 0.0)).sum(axis=-3)
    if rule == "scholz-code":
        denominator = (wk * np.abs(gap)).sum(axis=(-3, -2, -1))[..., None, None]
    else:
        denominator = (wk * np.abs(gap)).sum(axis=-3)
    safe = np.where(denominator > 0, denominator, 1.0)
    result: FloatArray = np.where(denominator > 0, numerator / safe, 0.5)
    return result


def expected_utility(
    x: FloatArray,
    s: FloatArray,
    probability: FloatArray,
    mu: FloatArray,
    span: FloatArray,
    r: FloatArray,
    q: float,
) -> FloatArray:
    """``E[i, j] = E^i(U_ij)`` (eq. 25a) with exponent ``r[i, j]`` (broadcastable to
    ``(..., n, n)``); the diagonal is 0."""
    d = _distance(x, span)
    d_mu = np.abs(x - mu[..., None])[..., :, None] / span[..., None, None]
    success = 2 - 4 * (0.5 - 0.5 * d) ** r
    failure = 2 - 4 * (0.5 + 0.5 * d) ** r
    better = 2 - 4 * np.clip(0.5 - 0.25 * (d_mu + d), 0.0, None) ** r
    worse = 2 - 4 * (0.5 + 0.25 * (d_mu + d)) ** r
    status_quo = 2 - 4 * 0.5**r
    sj = s[..., None, :]
    challenge = sj * (probability * success + (1 - probability) * failure) + (1 - sj) * success
    t = (d_mu < d).astype(np.float64)
    no_challenge = q * status_quo + (1 - q) * (t * better + (1 - t) * worse)
    eu: FloatArray = challenge - no_challenge
    n = x.shape[-1]
    eu[..., np.arange(n), np.arange(n)] = 0.0
    return eu


def risk_exponents(eu_neutral: FloatArray) -> FloatArray:
    """Step 5: ``r_i`` from the security ``S_i = sum_{j != i} E^j(U_ji)`` computed with
    ``r = 1`` (`eu_neutral`, diagonal 0). Equal securities give ``r = 1``."""
    security = eu_neutral.sum(axis=-2)
    high = security.max(axis=-1, keepdims=True)
    low = security.min(axis=-1, keepdims=True)
    spread = high - low
    safe = np.where(spread > 0, spread, 1.0)
    big_r = np.where(spread > 0, (2 * security - high - low) / safe, 0.0)
    result: FloatArray = (1 - big_r / 3) / (1 + big_r / 3)
    return result


def offers(
    x: FloatArray, mine: FloatArray, theirs: FloatArray, same: FloatArray | float = 0.0
) -> tuple[IntArray, FloatArray]:
    """Step 6 from the mover's side: ``kind[m, p]`` and ``target[m, p]``, the offer proposer
    p makes to mover m, given ``mine[m, p] = E^m(U_mp)`` and ``theirs[m, p] = E^p(U_pm)``
    (target NaN where m does not move). Actors no more than `same` apart make no offers to
    each other: they stand at one position (rounding in the last digits must not decide a
    challenge, nor make the result depend on the order of the actors)."""
    a, b = theirs, mine
    xm, xp = x[..., :, None], x[..., None, :]
    distinct = np.abs(xm - xp) > same
    conflict = (a > 0) & (b > 0) & (a > b)
    compromise = (a > 0) & (b < 0) & (a > -b)
    compel = (a > 0) & (b < 0) & (-b >= a)
    quo = (a < 0) & (b < 0)
    kind = np.select(
        [conflict, compromise, compel, quo], [CONFLICT, COMPROMISE, COMPEL, STATUS_QUO], NONE
    )
    kind = np.where(distinct, kind, NONE)
    ratio = np.abs(b) / np.where(a != 0, np.abs(a), 1.0)
    partial = xm + (xp - xm) * ratio
    target = np.where(kind == COMPROMISE, partial, xp)
    moves = (kind == CONFLICT) | (kind == COMPROMISE) | (kind == COMPEL)
    return kind.astype(np.int64), np.where(moves, target, np.nan)


SAME = 1e-9
"""Positions closer than this share of the scale are one position."""

_PRIORITY = np.array([9, 0, 1, 2, 9])  # by-kind ranks, indexed by kind code


def choose(
    x: FloatArray,
    kind: IntArray,
    target: FloatArray,
    selection: str,
    mine: FloatArray | None = None,
    theirs: FloatArray | None = None,
) -> IntArray:
    """Step 7: the proposer whose offer each mover takes (-1: none). Least move first (or
    kind first with ``"by-kind"``), then the lowest target, so the order of actors does not
    matter. ``"scholz-code"`` ranks by kind, compromises by the EU-weighted point
    ``(|E_m| x_m + |E_p| x_p) / (|E_m| + |E_p|)`` (lowest first) and never capitulates, as
    the jmckib port of Scholz's program does (needs `mine` and `theirs`)."""
    move = np.abs(target - x[..., :, None])
    if selection == "scholz-code" and mine is not None and theirs is not None:
        target = np.where(kind == COMPEL, np.nan, target)
        am, ap = np.abs(mine), np.abs(theirs)
        point = (am * x[..., :, None] + ap * x[..., None, :]) / np.where(am + ap > 0, am + ap, 1)
        move = np.where(kind == COMPROMISE, point, move)
    offered = ~np.isnan(target)
    key = np.where(offered, move, np.inf)
    if selection in ("by-kind", "scholz-code"):
        rank = np.where(offered, _PRIORITY[kind], 9).astype(np.float64)
        best_rank = rank.min(axis=-1, keepdims=True)
        key = np.where(rank == best_rank, key, np.inf)
    best = key.min(axis=-1, keepdims=True)
    tied = offered & (key <= best + 1e-12)
    lowest = np.where(tied, target, np.inf)
    chosen = np.argmin(lowest, axis=-1)
    return np.where(np.isfinite(best[..., 0]), chosen, -1).astype(np.int64)


def eum_round(
    x: FloatArray, c: FloatArray, s: FloatArray, span: FloatArray, settings: EUMSettings
) -> EUMState:
    """One round on one dimension; every array may carry the same leading batch axes
    (``x, c, s``: ``(..., n)``; `span`: ``(...)``)."""
    w = c * s
    mu = median(x, w)
    ones = np.ones_like(x)
    p = win_probability(x, w, span, ones, settings.probability)
    eu = expected_utility(x, s, p, mu, span, ones[..., :, None], settings.q)
    r = ones
    if settings.risk:
        r = risk_exponents(eu)
        p = win_probability(x, w, span, r, settings.probability)
        eu = expected_utility(x, s, p, mu, span, r[..., :, None], settings.q)
    theirs = np.swapaxes(eu, -1, -2)
    if settings.perspective == "mover":
        theirs = np.swapaxes(
            expected_utility(x, s, p, mu, span, r[..., None, :], settings.q), -1, -2
        )
    kind, target = offers(x, eu, theirs, SAME * span[..., None, None])
    chosen = choose(x, kind, target, settings.selection, eu, theirs)
    picked = np.take_along_axis(target, np.maximum(chosen, 0)[..., None], axis=-1)[..., 0]
    new_x = np.where(chosen >= 0, picked, x)
    return EUMState(mu, r, p, eu, kind, target, chosen, new_x)


def eum_paths(
    position: FloatArray,
    capability: FloatArray,
    salience: FloatArray,
    span: FloatArray,
    rounds: int,
    settings: EUMSettings,
) -> tuple[FloatArray, FloatArray]:
    """Positions and medians by round, without the per-round details: the fast path.

    `position` and `salience` are ``(..., n, d)``, `capability` ``(..., n)``, `span`
    ``(..., d)``. Returns positions ``(rounds + 1, ..., n, d)`` and medians
    ``(rounds + 1, ..., d)``.
    """
    x = np.swapaxes(position, -1, -2)  # (..., d, n): dimensions become a batch axis
    s = np.swapaxes(salience, -1, -2)
    c = np.broadcast_to(capability[..., None, :], x.shape)
    path, medians = [x], [median(x, c * s)]
    for _ in range(rounds):
        x = eum_round(x, c, s, span, settings).new_position
        path.append(x)
        medians.append(median(x, c * s))
    return np.swapaxes(np.stack(path), -1, -2), np.stack(medians)


def simulate_eum(
    table: ActorTable,
    rounds: int = 10,
    q: float = 1.0,
    settings: EUMSettings | None = None,
) -> ForecastResult:
    """Run the EUM for `rounds` rounds (or until nobody moves) on every dimension of `table`.

    The forecast is the last round's median; each round's ``extras`` hold the weighted mean,
    the risk exponents and, per dimension, the EU matrix; its interactions are the offers
    taken. `q` is ignored when `settings` is given.

    >>> from peacetalks.forecast.tables import load_dataset
    >>> result = simulate_eum(load_dataset("bdm1994_eu_car_emissions"), rounds=3)
    >>> [round(float(r.outcome[0]), 2) for r in result.rounds]
    [7.0, 7.0, 7.0, 7.0]
    """
    if rounds < 0:
        raise UsageError(f"rounds must be at least 0, not {rounds}")
    settings = settings or EUMSettings(q=q)
    span = table.high - table.low
    x = table.position.T.copy()  # (d, n)
    s, c = table.salience.T, np.broadcast_to(table.capability, (len(table.dimensions), table.size))
    history = [_round(table, 0, x, None)]
    stop = f"stopped after {rounds} rounds (the model has no convergence rule)"
    converged = False
    for index in range(1, rounds + 1):
        state = eum_round(x, c, s, span, settings)
        history.append(_round(table, index, state.new_position, state))
        if np.array_equal(state.new_position, x):
            converged, stop = True, f"no actor moved in round {index}"
            x = state.new_position
            break
        x = state.new_position
    return ForecastResult(
        model="eum",
        actors=table.actors,
        dimensions=table.dimensions,
        low=table.low,
        high=table.high,
        rounds=tuple(history),
        outcome_rule="Condorcet median (most pairwise votes)",
        converged=converged,
        stop_reason=stop,
        parameters={"rounds": rounds, **settings.__dict__},
        notes=_notes(table),
    )


def _notes(table: ActorTable) -> tuple[str, ...]:
    notes = ["one-dimensional model: each dimension is run separately"]
    if len(table.dimensions) == 1:
        notes = []
    return (*notes, "positions may keep moving: results depend on the number of rounds and Q")


def _round(table: ActorTable, index: int, x: FloatArray, state: EUMState | None) -> Round:
    c = np.broadcast_to(table.capability, x.shape)
    s = table.salience.T
    outcome = median(x, c * s)
    mean = weighted_mean(x.T, (c * s).T)
    extras: dict[str, object] = {"mean": mean, "median": outcome}
    interactions: tuple[Interaction, ...] = ()
    if state is not None:
        extras["risk"] = state.risk.T
        extras["eu"] = {dim: state.eu[k] for k, dim in enumerate(table.dimensions)}
        interactions = _taken(table, state)
    together = blocs(table.actors, x.T, table.low, table.high)
    return Round(index, x.T, outcome, interactions, together, extras)


def _taken(table: ActorTable, state: EUMState) -> tuple[Interaction, ...]:
    """The offers the actors took, as interactions from the proposer to the mover."""
    out: list[Interaction] = []
    for k, dim in enumerate(table.dimensions):
        for m in np.flatnonzero(state.chosen[k] >= 0):
            p = int(state.chosen[k, m])
            out.append(
                Interaction(
                    actor=table.actors[p],
                    other=table.actors[int(m)],
                    kind=KINDS[int(state.kind[k, m, p])],
                    dimension=dim,
                    target=(float(state.target[k, m, p]),),
                    values={
                        "eu_actor": float(state.eu[k, p, m]),
                        "eu_other": float(state.eu[k, m, p]),
                    },
                )
            )
    return tuple(out)
