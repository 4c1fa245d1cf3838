"""Reading a GENIUS profile: its utility (additive or nonlinear), reservation and discount."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from peacetalks.io.genius.additive import additive_utility
from peacetalks.io.genius.folder import utility_space
from peacetalks.io.genius.issues import Issue, objective, read_issues
from peacetalks.io.genius.nonlinear import nonlinear_utility
from peacetalks.io.genius.safe_xml import XmlFile
from peacetalks.io.genius.utility import Utility


@dataclass
class Profile:
    """One party's preferences as read from its GENIUS profile."""

    utility: Utility
    reservation: float = 0.0
    discount: float | None = None

    @property
    def kind(self) -> str:
        """How GENIUS computes the utility, for descriptions."""
        return "nonlinear: hyper-rectangles" if self.utility.nonlinear else "additive"

    def preferences(self) -> dict[str, Any]:
        """The party's ``preferences`` entry of the scenario."""
        prefs: dict[str, Any] = {}
        if self.utility.weights:
            prefs["weights"] = self.utility.weights
            prefs["values"] = self.utility.values
        if self.utility.interactions:
            prefs["interactions"] = self.utility.interactions
        prefs["reservation"] = self.reservation
        if self.discount is not None:
            prefs["discount"] = self.discount
        return prefs


def read_profile(xml: XmlFile, domain: Sequence[Issue]) -> Profile:
    """The profile in ``xml``, over the issues of the ``domain``."""
    space = utility_space(xml)
    reservation = _reservation(xml, space)
    discount = _discount(xml, space)
    elements = _profile_issues(xml, space, domain)
    found = objective(xml, space)
    utility = found.find("utility")
    if utility is not None or space.get("type") == "nonlinear":
        if utility is None:
            xml.fail(space, "a nonlinear utility space has no <utility> element")
        weight = found.find("weight")
        if weight is not None:
            xml.fail(weight, "a nonlinear profile cannot also have weights")
        return Profile(nonlinear_utility(xml, utility, domain), reservation, discount)
    return Profile(additive_utility(xml, found, elements, domain), reservation, discount)


def _reservation(xml: XmlFile, space: ET.Element) -> float:
    """The reservation value (0 if none is given)."""
    element = space.find("reservation")
    return 0.0 if element is None else xml.float_attr(element, "value", "<reservation>")


def _discount(xml: XmlFile, space: ET.Element) -> float | None:
    """The discount factor, or None for none."""
    element = space.find("discount_factor")
    if element is None:
        return None
    factor = xml.float_attr(element, "value", "<discount_factor>")
    # GENIUS treats a factor <= 0 or >= 1 as "no discount" (it becomes 1).
    return factor if 0 < factor < 1 else None


def _profile_issues(
    xml: XmlFile, space: ET.Element, domain: Sequence[Issue]
) -> dict[int, ET.Element]:
    """The profile's issue elements by number, checked against the domain's issues."""
    read = read_issues(xml, space)
    expected = {issue.number: issue for issue in domain}
    for issue, element in read:
        if issue.number not in expected:
            xml.fail(element, f"issue {issue.name!r} (index {issue.number}) is not in the domain")
        _check_same_issue(xml, element, issue, expected[issue.number])
    numbers = {issue.number for issue, _ in read}
    missing = [issue.name for issue in domain if issue.number not in numbers]
    if missing:
        xml.fail(
            objective(xml, space),
            f"the profile lacks the domain issue(s) {', '.join(map(repr, missing))}; it is "
            "over different issues",
        )
    return {issue.number: element for issue, element in read}


def _check_same_issue(xml: XmlFile, element: ET.Element, issue: Issue, want: Issue) -> None:
    """Fail unless a profile's ``issue`` is the domain's issue ``want``: same name, kind and
    range or values."""
    if issue.name != want.name or issue.kind != want.kind:
        xml.fail(
            element,
            f"issue index {issue.number} is the {issue.kind} issue {issue.name!r} here but the "
            f"{want.kind} issue {want.name!r} in the domain; the profile is over different issues",
        )
    if issue.kind == "integer" and (issue.lower, issue.upper) != (want.lower, want.upper):
        xml.fail(
            element,
            f"integer issue {issue.name!r} spans [{issue.lower}, {issue.upper}] here but "
            f"[{want.lower}, {want.upper}] in the domain",
        )
    if issue.kind == "discrete" and set(issue.values) != set(want.values):
        detail = _value_difference(issue.values, want.values)
        xml.fail(element, f"issue {issue.name!r} has different values than the domain ({detail})")


def _value_difference(values: Sequence[str], domain_values: Sequence[str]) -> str:
    """Which values a profile's discrete issue has extra, and which it lacks."""
    extra = sorted(set(values) - set(domain_values))
    missing = sorted(set(domain_values) - set(values))
    parts = (
        f"values not in the domain: {', '.join(map(repr, extra))}" if extra else "",
        f"domain values missing: {', '.join(map(repr, missing))}" if missing else "",
    )
    return "; ".join(part for part in parts if part)
