"""Nonlinear ANAC 2014 profiles (``NonlinearUtilitySpace``): summed hyper-rectangles.

Each ``hyperRectangle`` whose ``INCLUDES`` bounds can hold becomes one interaction of the party,
worth ``utility * weight / maxutility`` (see :mod:`peacetalks.io.genius`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence

from peacetalks.io.genius.issues import Issue
from peacetalks.io.genius.safe_xml import XmlFile
from peacetalks.io.genius.utility import Utility, When


def nonlinear_utility(xml: XmlFile, element: ET.Element, domain: Sequence[Issue]) -> Utility:
    """The utility of a profile's ``<utility>`` element: one interaction per hyper-rectangle
    that contributes to some package."""
    top = xml.float_attr(element, "maxutility", "<utility>")
    if top <= 0:
        xml.fail(element, f"maxutility must be positive, got {top:g}")
    ufun = _the_ufun(xml, element)
    by_number = {issue.number: issue for issue in domain}
    utility = Utility()
    for count, rectangle in enumerate(ufun.findall("hyperRectangle"), start=1):
        what = f"hyperRectangle #{count}"
        excludes = rectangle.find("EXCLUDES")
        if excludes is not None:
            xml.fail(
                excludes,
                f"{what} has EXCLUDES bounds, which are not supported",
                "only INCLUDES rectangles can be written as interactions",
            )
        value = xml.float_attr(rectangle, "utility", what)
        weight = xml.float_attr(rectangle, "weight", what, default=1.0)
        allowed = _included(xml, rectangle, what, by_number)
        bonus = value * weight / top
        if bonus == 0 or any(not inside for inside in allowed.values()):
            continue  # contributes nothing to any outcome
        description = f"{what}: utility {value:g} of maxutility {top:g}" + (
            f", weight {weight:g}" if weight != 1 else ""
        )
        utility.interact(_when(allowed, by_number, domain), bonus, description)
    if not utility.interactions:
        xml.fail(element, "no hyperRectangle of this profile can contribute any utility")
    return utility


def _the_ufun(xml: XmlFile, element: ET.Element) -> ET.Element:
    """The single, flat, summing ``<ufun>`` of weight 1 in ``<utility>``."""
    functions = element.findall("ufun")
    if len(functions) != 1:
        xml.fail(element, f"expected exactly one <ufun> in <utility>, found {len(functions)}")
    ufun = functions[0]
    aggregation = ufun.get("aggregation", "sum")
    if aggregation != "sum":
        xml.fail(ufun, f"<ufun aggregation={aggregation!r}> is not supported; only 'sum' is")
    if xml.float_attr(ufun, "weight", "<ufun>", default=1.0) != 1.0:
        xml.fail(ufun, "a <ufun> weight other than 1 is not supported")
    nested = ufun.find("ufun")
    if nested is not None:
        xml.fail(nested, "nested <ufun> elements are not supported")
    return ufun


def _included(
    xml: XmlFile, rectangle: ET.Element, what: str, by_number: Mapping[int, Issue]
) -> dict[int, set[int]]:
    """For each bounded issue (by number), the integers that all its INCLUDES bounds admit."""
    allowed: dict[int, set[int]] = {}
    for bound in rectangle.findall("INCLUDES"):
        number = xml.int_attr(bound, "index", f"INCLUDES of {what}")
        low = xml.int_attr(bound, "min", f"INCLUDES of {what}")
        high = xml.int_attr(bound, "max", f"INCLUDES of {what}")
        issue = by_number.get(number)
        if issue is None:
            xml.fail(bound, f"INCLUDES of {what} names no issue (index {number})")
        if issue.kind != "integer":
            xml.fail(
                bound,
                f"INCLUDES of {what} bounds the discrete issue {issue.name!r}; GENIUS only "
                "bounds integer issues",
            )
        inside = {x for x in issue.integers if low <= x <= high}
        allowed[number] = allowed.get(number, inside) & inside
    return allowed


def _when(
    allowed: Mapping[int, set[int]], by_number: Mapping[int, Issue], domain: Sequence[Issue]
) -> When:
    """The interaction condition of a rectangle: the admitted options of each restricted
    issue (all options of the first issue if nothing is restricted)."""
    when: dict[str, str | list[str]] = {}
    for number, inside in allowed.items():
        issue = by_number[number]
        if len(inside) == len(issue.values):
            continue  # no restriction on this issue
        when[issue.id] = [
            option
            for option, x in zip(issue.option_ids, issue.integers, strict=True)
            if x in inside
        ]
    if not when:  # a rectangle that holds everywhere
        first = domain[0]
        when[first.id] = list(first.option_ids)
    return when
