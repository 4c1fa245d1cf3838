"""The issues of a GENIUS utility space: discrete (a list of values) or integer (a range)."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Literal

from peacetalks.io.genius.folder import DomainFolder, utility_space
from peacetalks.io.genius.ids import slugify, unique
from peacetalks.io.genius.safe_xml import XmlFile

MAX_INTEGER_OPTIONS = 10_000
"""An integer issue may span at most this many values (one option per value)."""

IssueKind = Literal["discrete", "integer"]


@dataclass(frozen=True)
class Issue:
    """A GENIUS issue; ``id`` and ``option_ids`` are set only for the domain's issues."""

    number: int  # GENIUS's issue index
    name: str
    kind: IssueKind
    values: tuple[str, ...]  # discrete: the value texts; integer: the integers as text
    lower: int = 0
    upper: int = 0
    id: str = ""
    option_ids: tuple[str, ...] = ()

    @property
    def integers(self) -> range:
        """The values of an integer issue."""
        return range(self.lower, self.upper + 1)


def domain_issues(files: DomainFolder) -> list[Issue]:
    """The issues of the domain file, with scenario ids for them and their options."""
    xml = files.domain
    space = utility_space(xml)
    read = read_issues(xml, space)
    if not read:
        xml.fail(space, "the domain has no issues")
    used: set[str] = set()
    issues: list[Issue] = []
    for issue, element in read:
        if len(issue.values) < 2:
            xml.fail(
                element,
                f"issue {issue.name!r} has {len(issue.values)} option(s); a scenario issue needs "
                "at least two",
            )
        issue_id = unique(slugify(issue.name, prefix="i-", fallback="issue"), used)
        issues.append(dataclasses.replace(issue, id=issue_id, option_ids=_option_ids(issue)))
    return issues


def _option_ids(issue: Issue) -> tuple[str, ...]:
    """Option ids: slugs of the values of a discrete issue, ``v3``/``n-3`` for integers."""
    used: set[str] = set()
    if issue.kind == "discrete":
        slugs = [slugify(v, prefix="o-", fallback="option") for v in issue.values]
    else:
        slugs = [f"v{n}" if n >= 0 else f"n-{-n}" for n in issue.integers]
    return tuple(unique(slug, used) for slug in slugs)


def objective(xml: XmlFile, space: ET.Element) -> ET.Element:
    """The (single, flat) ``objective`` of a utility space."""
    found = space.find("objective")
    if found is None:
        xml.fail(space, "utility_space has no <objective> element")
    nested = found.find("objective")
    if nested is not None:
        xml.fail(nested, "nested objectives are not supported; the issues must sit under the root")
    return found


def read_issues(xml: XmlFile, space: ET.Element) -> list[tuple[Issue, ET.Element]]:
    """The issues of a utility space, as GENIUS defines them (no ids yet), with their
    elements."""
    out: list[tuple[Issue, ET.Element]] = []
    seen: dict[int, str] = {}
    for element in objective(xml, space).findall("issue"):
        name = element.get("name")
        if name is None or not name.strip():
            xml.fail(element, "an issue has no name")
        number = xml.int_attr(element, "index", f"issue {name!r}")
        if number in seen:
            xml.fail(element, f"issue {name!r} repeats index {number} (of issue {seen[number]!r})")
        seen[number] = name
        if _issue_kind(xml, element, name) == "discrete":
            issue = Issue(number, name, "discrete", _discrete_values(xml, element, name))
        else:
            issue = _integer_issue(xml, element, number, name)
        out.append((issue, element))
    return out


def _issue_kind(xml: XmlFile, element: ET.Element, name: str) -> IssueKind:
    """The kind of an issue from its ``type``/``vtype``/``etype`` (discrete by default)."""
    kinds = {element.get(a) for a in ("type", "vtype", "etype")} - {None}
    if len(kinds) > 1:
        xml.fail(
            element, f"issue {name!r} has conflicting types: {', '.join(sorted(map(str, kinds)))}"
        )
    kind = kinds.pop() if kinds else "discrete"
    if kind == "real":
        xml.fail(
            element,
            f"issue {name!r} is a real (continuous) issue, which is not supported",
            "a scenario needs a finite list of options; discretise the issue in GENIUS first",
        )
    if kind not in ("discrete", "integer"):
        xml.fail(element, f"issue {name!r} has unknown type {kind!r}; expected discrete or integer")
    return "discrete" if kind == "discrete" else "integer"


def _discrete_values(xml: XmlFile, element: ET.Element, name: str) -> tuple[str, ...]:
    """The values (``item`` elements) of a discrete issue, each listed once."""
    values: list[str] = []
    for item in element.findall("item"):
        value = item.get("value")
        if value is None:
            xml.fail(item, f"an item of issue {name!r} has no 'value' attribute")
        if value in values:
            xml.fail(item, f"issue {name!r} lists the value {value!r} twice")
        values.append(value)
    return tuple(values)


def _integer_issue(xml: XmlFile, element: ET.Element, number: int, name: str) -> Issue:
    """An integer issue, from its ``lowerbound`` and ``upperbound``."""
    lower = xml.int_attr(element, "lowerbound", f"integer issue {name!r}")
    upper = xml.int_attr(element, "upperbound", f"integer issue {name!r}")
    if upper < lower:
        xml.fail(element, f"integer issue {name!r} has upperbound {upper} < lowerbound {lower}")
    if upper - lower + 1 > MAX_INTEGER_OPTIONS:
        xml.fail(
            element,
            f"integer issue {name!r} spans {upper - lower + 1:,} values; the limit is "
            f"{MAX_INTEGER_OPTIONS:,}",
        )
    values = tuple(str(v) for v in range(lower, upper + 1))
    return Issue(number, name, "integer", values, lower, upper)
