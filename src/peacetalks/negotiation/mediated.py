"""A mediated single negotiating text (Fisher's and Raiffa's method; Carter's at Camp David).

The mediator drafts one text. Each round every negotiator accepts it (it beats the negotiator's
outside option and its strategy's answer is yes) or criticises it: it names the one change of
one issue that would raise its own utility most. The mediator then revises the text: of the
changes asked for (or, when none helps, of every change of one issue), it adopts the one that
brings the text closest to its target — the Nash bargaining solution (largest product of gains
over the outside options) or Kalai-Smorodinsky (largest smallest share of each party's possible
gain) — measured on the gains' shortfalls while they are negative. When no single change helps
and the text is still short of acceptable, the mediator tables its target package itself. An
acceptable text stands until the negotiators accept it. Talks end with agreement, at the
deadline, or in deadlock when no package is acceptable to every negotiator.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from peacetalks.compiled import FloatArray, IntArray
from peacetalks.errors import UsageError
from peacetalks.model.scenario import Scenario
from peacetalks.negotiation.space import OfferSpace
from peacetalks.negotiation.strategies import Strategy, View

TARGETS = ("nash", "kalai-smorodinsky")


def score(target: str, gains: FloatArray, spans: FloatArray) -> FloatArray:
    """The mediator's criterion for packages (rows of `gains`, negotiators' gains over their
    outside options); larger is better. While some gain is negative, the criterion is the sum
    of the negative gains (how far the text is from acceptable to all)."""
    shortfall = np.minimum(gains, 0.0).sum(axis=1)
    if target == "nash":
        good = np.log(np.maximum(gains, 1e-12)).sum(axis=1)
    else:
        good = (gains / np.maximum(spans, 1e-12)).min(axis=1)
    out: FloatArray = np.where(shortfall < 0, shortfall - 1e6, good)
    return out


def neighbours(packages: IntArray, text: int) -> IntArray:
    """Indices of the packages that differ from package `text` on exactly one issue."""
    differ = (packages != packages[text]).sum(axis=1)
    return np.asarray(np.flatnonzero(differ == 1))


def first_text(space: OfferSpace, columns: list[int]) -> int:
    """The opening text: on every issue, the option nearest the middle of its list (the
    conventional compromise), or the package nearest to it in the offer space."""
    sizes = space.compiled.sizes
    middle = (sizes - 1) / 2.0
    distance = np.abs(space.packages - middle[None, :]).sum(axis=1)
    return int(np.argmin(distance))


def mediate(
    scenario: Scenario,
    space: OfferSpace,
    players: Mapping[str, Strategy],
    negotiators: list[str],
    deadline: int,
    outside: FloatArray,
    target: str,
    rng: np.random.Generator,
) -> tuple[bool, int, int, str, list[tuple[int, int, dict[str, bool]]]]:
    """Run the mediated text: (agreement, round, final text, reason, per-round (round, text,
    answers))."""
    if target not in TARGETS:
        raise UsageError(
            f"unknown mediator target {target!r}; expected one of: {', '.join(TARGETS)}"
        )
    ids = list(scenario.compiled.party_ids)
    columns = [ids.index(party) for party in negotiators]
    utilities = space.utilities[:, columns]
    text = first_text(space, columns)
    history: list[tuple[int, int, dict[str, bool]]] = []
    offers: list[tuple[int, int]] = []
    for period in range(deadline):
        floor = outside[min(period, outside.shape[0] - 1), columns]
        answers = {}
        wanted: list[int] = []
        for k, party in enumerate(negotiators):
            others = tuple(c for c in columns if c != columns[k])
            seat = View.seat(
                space.utilities, outside, columns[k], others, period, deadline, tuple(offers)
            )
            yes = bool(utilities[text, k] >= floor[k] - 1e-9) and players[party].respond(
                seat, text, rng
            )
            answers[party] = yes
            if not yes:
                near = neighbours(space.packages, text)
                if near.size:
                    wanted.append(int(near[np.argmax(utilities[near, k])]))
        history.append((period, text, answers))
        offers.append((-1, text))
        if all(answers.values()):
            return True, period, text, "every negotiator accepted the mediator's text", history
        spans = utilities.max(axis=0) - floor
        current = score(target, (utilities[text] - floor)[None, :], spans)[0]
        moved = False
        for pool in (np.array(wanted, dtype=np.int64), neighbours(space.packages, text)):
            if pool.size == 0:
                continue
            values = score(target, utilities[pool] - floor[None, :], spans)
            best = int(np.argmax(values))
            if values[best] > current + 1e-12:
                text, moved = int(pool[best]), True
                break
        if moved or (utilities[text] >= floor - 1e-9).all():
            continue  # an acceptable text stands while the negotiators make up their minds
        # stuck short of acceptable by single changes: the mediator tables its target text
        everywhere = score(target, utilities - floor[None, :], spans)
        jump = int(np.argmax(everywhere))
        if everywhere[jump] > current + 1e-12:
            text = jump
            continue
        return (
            False,
            period,
            text,
            "deadlock: no package is acceptable to every negotiator now",
            history,
        )
    return False, deadline, text, "deadline reached without agreement", history
