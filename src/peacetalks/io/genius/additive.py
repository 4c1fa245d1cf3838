"""Additive GENIUS profiles (``AdditiveUtilitySpace``): ``U(x) = min(1, sum_i w_i e_i(x_i))``.

How weights that do not sum to 1 are encoded is described in :mod:`peacetalks.io.genius`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from peacetalks.io.genius.issues import Issue
from peacetalks.io.genius.safe_xml import XmlFile
from peacetalks.io.genius.utility import EPS, Utility

MAX_CLIP_SPACE = 1_000_000
"""Largest outcome space enumerated to encode GENIUS's cap of additive utilities at 1."""

MAX_CLIP_PACKAGES = 5_000
"""Most packages given a cap interaction; above this the cap is left out (and said so)."""

_ZERO_EVALUATION = 0.00001
"""GENIUS evaluates every option of a discrete issue to 0 if its largest evaluation is below."""


def additive_utility(
    xml: XmlFile, objective: ET.Element, elements: Mapping[int, ET.Element], domain: Sequence[Issue]
) -> Utility:
    """The utility of an additive profile, from its weights and its issues' evaluations."""
    weights = _weights(xml, objective, elements)
    evaluations = _evaluations(xml, elements, domain, weights)
    total = sum(weights.values())
    if total <= 0:
        xml.fail(objective, "all issue weights are zero")
    utility = Utility()
    scale = 1.0
    if total < 1 - EPS:
        scale = total
        utility.notes.append(
            f"its GENIUS weights sum to {total:.10g}, so the option values are scaled by that sum "
            "(the scenario normalises weights) to keep GENIUS's utilities"
        )
    for issue in domain:
        utility.weights[issue.id] = weights[issue.number]
        utility.values[issue.id] = {
            option: e * scale
            for option, e in zip(issue.option_ids, evaluations[issue.id], strict=True)
        }
    if total > 1 + EPS:
        _add_excess(utility, domain, weights, evaluations, total)
    return utility


def _weights(
    xml: XmlFile, objective: ET.Element, elements: Mapping[int, ET.Element]
) -> dict[int, float]:
    """The non-negative ``<weight>`` of each issue, by issue number."""
    weights: dict[int, float] = {}
    for element in objective.findall("weight"):
        number = xml.int_attr(element, "index", "<weight>")
        if number not in elements:
            xml.fail(element, f"<weight index={number}> names no issue of the profile")
        if number in weights:
            xml.fail(element, f"issue index {number} has two weights")
        weight = xml.float_attr(element, "value", f"<weight index={number}>")
        if weight < 0:
            xml.fail(element, f"the weight of issue index {number} is negative ({weight:g})")
        weights[number] = weight
    return weights


def _evaluations(
    xml: XmlFile,
    elements: Mapping[int, ET.Element],
    domain: Sequence[Issue],
    weights: Mapping[int, float],
) -> dict[str, list[float]]:
    """The evaluation ``e_i`` of every option of every issue (by issue id), in option order."""
    evaluations: dict[str, list[float]] = {}
    for issue in domain:
        element = elements[issue.number]
        if issue.number not in weights:
            xml.fail(
                element,
                f"issue {issue.name!r} has no <weight>; GENIUS cannot evaluate this profile",
            )
        if issue.kind == "discrete":
            evaluations[issue.id] = _discrete_evaluations(xml, element, issue)
        else:
            evaluations[issue.id] = _integer_evaluations(xml, element, issue)
    return evaluations


def _discrete_evaluations(xml: XmlFile, element: ET.Element, issue: Issue) -> list[float]:
    """Each value's evaluation divided by the largest of the issue (as GENIUS does)."""
    table: dict[str, float] = {}
    for item in element.findall("item"):
        value = item.get("value", "")
        what = f"value {value!r} of issue {issue.name!r}"
        if item.get("evaluation") in (None, "null"):
            xml.fail(item, f"{what} has no evaluation")
        evaluation = xml.float_attr(item, "evaluation", what)
        if evaluation < 0:
            xml.fail(item, f"{what} has a negative evaluation ({evaluation:g})")
        table[value] = evaluation
    top = max(table.values(), default=0.0)
    if top < _ZERO_EVALUATION:
        return [0.0 for _ in issue.values]
    return [table[value] / top for value in issue.values]


def _integer_evaluations(xml: XmlFile, element: ET.Element, issue: Issue) -> list[float]:
    """GENIUS's ``EvaluatorInteger``: ``offset + slope * (x - lowerbound)``, clipped to
    [0, 1] (0 everywhere without an evaluator)."""
    evaluators = element.findall("evaluator")
    if not evaluators:  # GENIUS: slope = offset = 0
        return [0.0 for _ in issue.integers]
    evaluator = evaluators[0]
    kind = evaluator.get("ftype", "linear")
    if kind != "linear":
        xml.fail(
            evaluator,
            f"integer issue {issue.name!r} has an evaluator of unknown ftype {kind!r}",
            "only linear evaluators (slope, offset) are supported",
        )
    what = f"the evaluator of integer issue {issue.name!r}"
    slope = xml.float_attr(evaluator, "slope", what)
    offset = xml.float_attr(evaluator, "offset", what)
    return [min(1.0, max(0.0, offset + slope * (x - issue.lower))) for x in issue.integers]


def _add_excess(
    utility: Utility,
    domain: Sequence[Issue],
    weights: Mapping[int, float],
    evaluations: Mapping[str, list[float]],
    total: float,
) -> None:
    """Weights summing to more than 1: restore GENIUS's un-normalised sum, then its cap at 1."""
    utility.notes.append(
        f"its GENIUS weights sum to {total:.10g}; GENIUS does not normalise them, so one "
        "interaction per option adds back the excess and packages above 1 are capped at 1"
    )
    contributions: list[list[float]] = []
    for issue in domain:
        weight = weights[issue.number]
        excess = weight * (1 - 1 / total)
        contributions.append([weight * e for e in evaluations[issue.id]])
        for option, e in zip(issue.option_ids, evaluations[issue.id], strict=True):
            if excess * e != 0:
                utility.interact(
                    {issue.id: option},
                    excess * e,
                    "excess of GENIUS weights over 1 (not normalised)",
                )
    _add_cap(utility, domain, contributions)


def _add_cap(
    utility: Utility, domain: Sequence[Issue], contributions: Sequence[Sequence[float]]
) -> None:
    """GENIUS's cap at 1: one interaction per package whose summed ``contributions`` (weight
    times evaluation, per issue and option) exceed 1, if the outcome space is small enough."""
    if sum(max(c) for c in contributions) <= 1 + EPS:
        return
    size = math.prod(len(c) for c in contributions)
    if size > MAX_CLIP_SPACE:
        utility.notes.append(
            f"GENIUS caps utilities at 1, which is not encoded (outcome space {size:,} too large)"
        )
        return
    import numpy as np

    grid = np.zeros(())
    for column in contributions:
        grid = np.add.outer(grid, np.array(column))
    over = np.argwhere(grid > 1 + EPS)
    if len(over) > MAX_CLIP_PACKAGES:
        utility.notes.append(
            f"GENIUS caps utilities at 1, which is not encoded ({len(over):,} packages above 1)"
        )
        return
    for index in over:
        package = {
            issue.id: issue.option_ids[int(o)] for issue, o in zip(domain, index, strict=True)
        }
        utility.interact(package, 1 - float(grid[tuple(index)]), "GENIUS caps utility at 1")
