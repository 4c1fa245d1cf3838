"""Import GENIUS negotiation domains (the XML format of the ANAC competitions) as scenarios.

A GENIUS domain folder holds one *domain* file (a ``utility_space`` whose ``objective`` lists the
``issue`` elements) and two or more *profiles* (utility spaces over the same issues, one per
party). Files are told apart by content, not by name: a profile carries weights, evaluations,
evaluators, hyper-rectangles, a reservation value or a discount factor; a domain carries none.

The utility of each profile is reproduced as GENIUS computes it:

* **Additive profiles** (``AdditiveUtilitySpace``): ``U(x) = min(1, sum_i w_i e_i(x_i))`` with the
  weights exactly as written (GENIUS does not normalise them when it reads a file). A discrete
  evaluation is divided by the largest evaluation of its issue (0 for all options if that largest
  value is below 1e-5); an integer issue's linear evaluator gives
  ``offset + slope * (x - lowerbound)`` clipped to [0, 1].
* **Nonlinear ANAC 2014 profiles** (``NonlinearUtilitySpace``): ``U(x) = min(1, sum of the
  utility of every hyperRectangle whose INCLUDES bounds contain x / maxutility)``. Each rectangle
  becomes an interaction of the party; the cap at 1 is assumed not to bind (``maxutility`` is the
  published maximum).

A scenario normalises weights to sum to 1, so a profile whose weights do not sum to 1 is encoded
so that the utility still equals GENIUS's: below 1 the option values are scaled by the weight sum;
above 1 one interaction per option adds back the excess weight, and (for outcome spaces of up to
a million packages) one interaction per package above 1 brings it down to GENIUS's cap.

>>> from peacetalks.io.genius import slugify
>>> slugify("$100 Billion", prefix="o-")
'o-100-billion'
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NoReturn
from xml.parsers import expat

from pydantic import ValidationError

from peacetalks.errors import Problem, ScenarioError, UsageError
from peacetalks.model.scenario import Scenario

__all__ = [
    "MAX_XML_BYTES",
    "genius_data",
    "genius_to_yaml",
    "load_genius",
    "read_published_pareto",
    "slugify",
]

MAX_XML_BYTES = 5_000_000
"""Larger XML files are refused."""

MAX_INTEGER_OPTIONS = 10_000
"""An integer issue may span at most this many values (one option per value)."""

MAX_CLIP_SPACE = 1_000_000
"""Largest outcome space enumerated to encode GENIUS's cap of additive utilities at 1."""

MAX_CLIP_PACKAGES = 5_000
"""Most packages given a cap interaction; above this the cap is left out (and said so)."""

SOURCE_ID = "genius"
DEFAULT_YEAR = 2010
_EPS = 1e-12
_YEAR_FOLDER = re.compile(r"^y(\d{4})$")

IssueKind = Literal["discrete", "integer"]


# --------------------------------------------------------------------------- public API


def load_genius(folder: str | Path) -> Scenario:
    """Load a GENIUS domain folder as a validated scenario.

    Raises :class:`~peacetalks.errors.UsageError` when ``folder`` is not a GENIUS domain folder
    and :class:`~peacetalks.errors.ScenarioError` (each problem naming the XML file and, when
    known, the line) for anything malformed or unsupported.
    """
    data, files = _build(folder)
    return _validate(data, files)


def genius_to_yaml(folder: str | Path) -> str:
    """The scenario of a GENIUS domain folder as YAML text that :func:`peacetalks.parse` loads
    back to an equal scenario."""
    from ruamel.yaml import YAML

    data, files = _build(folder)
    _validate(data, files)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None  # lists and maps of plain values on one line
    yaml.representer.sort_base_mapping_type_on_output = False  # keep the format's field order
    yaml.width = 100
    out = io.StringIO()
    out.write(f"# Imported from the GENIUS domain folder {files.note} by peacetalks.\n")
    yaml.dump(data, out)
    return out.getvalue()


def genius_data(folder: str | Path) -> dict[str, Any]:
    """The scenario of a GENIUS domain folder as plain data (not yet validated)."""
    return _build(folder)[0]


def read_published_pareto(folder: str | Path) -> list[tuple[float, ...]]:
    """The Pareto frontier published with an ANAC 2014 domain (its ``pareto.xml``).

    Despite its name the file is plain text: one outcome per line, the utilities of the profiles
    separated by commas (``0.67824775, 1.0``). Blank lines are skipped.
    """
    directory = _folder(folder)
    path = directory / "pareto.xml"
    if not path.is_file():
        _fail(path, "no published Pareto frontier (pareto.xml) in this folder")
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _fail(path, f"not UTF-8 text ({error.reason} at byte {error.start})")
    points: list[tuple[float, ...]] = []
    width: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("<"):
            _fail(path, "an XML Pareto file is not supported; expected 'u1, u2' lines", number)
        try:
            point = tuple(float(part) for part in stripped.split(","))
        except ValueError:
            _fail(path, f"expected comma-separated utilities, got {stripped[:60]!r}", number)
        if not all(math.isfinite(u) for u in point):
            _fail(path, f"utilities must be finite numbers, got {stripped[:60]!r}", number)
        if width is None:
            width = len(point)
        elif len(point) != width:
            _fail(path, f"expected {width} utilities per line, got {len(point)}", number)
        points.append(point)
    if not points:
        _fail(path, "the published Pareto frontier is empty")
    return points


def slugify(text: str, prefix: str = "x-", fallback: str = "item") -> str:
    """An id for ``text``: lower case, ``[a-z0-9_-]``, starting with a letter (``prefix`` is put
    in front otherwise), at most 80 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-_")
    if not slug:
        slug = fallback
    if not slug[0].isalpha():
        slug = prefix + slug
    return slug[:80].rstrip("-_")


# --------------------------------------------------------------------------- XML reading


@dataclass
class _Xml:
    """One parsed XML file, with the line of every element."""

    path: Path
    root: ET.Element
    lines: dict[int, int]

    def line(self, element: ET.Element | None) -> int | None:
        return None if element is None else self.lines.get(id(element))

    def fail(self, element: ET.Element | None, message: str, hint: str | None = None) -> NoReturn:
        where: tuple[str, ...] = () if element is None else (element.tag,)
        _fail(self.path, message, self.line(element), hint, where)


def _fail(
    path: Path,
    message: str,
    line: int | None = None,
    hint: str | None = None,
    where: tuple[str, ...] = (),
) -> NoReturn:
    raise ScenarioError([Problem(where, message, hint, file=str(path), line=line)])


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_XML_BYTES:
            _fail(path, f"file is {size:,} bytes; the limit is {MAX_XML_BYTES:,}")
        return path.read_bytes()
    except OSError as error:
        _fail(path, f"cannot read the file: {error.strerror}")


def _parse_xml(path: Path, raw: bytes) -> _Xml:
    """Parse with ElementTree, refusing DTDs and entity declarations (no XML bombs)."""
    lowered = raw.lower()
    for marker in (b"<!doctype", b"<!entity"):
        if marker in lowered:
            line = raw[: lowered.index(marker)].count(b"\n") + 1
            _fail(
                path,
                f"XML with a {marker[2:].decode().upper()} declaration is refused",
                line,
                "GENIUS files need no DTD; remove it",
            )
    # First pass (expat): the line of every start tag, in document order; any DTD or entity
    # declaration that slipped past the byte check (e.g. in UTF-16) is refused here.
    starts: list[int] = []
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise _Refused(parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = lambda *_: starts.append(parser.CurrentLineNumber)
    try:
        parser.Parse(raw, True)
    except _Refused as refused:
        _fail(path, "XML with a DTD or entity declaration is refused", refused.line)
    except expat.ExpatError as error:
        message = expat.errors.messages.get(error.code, str(error)) if error.code else str(error)
        _fail(path, f"not well-formed XML: {message}", error.lineno)
    # Second pass (ElementTree): the tree itself.
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:  # pragma: no cover - expat accepted it above
        _fail(path, f"not well-formed XML: {error}", error.position[0])
    elements = list(root.iter())
    lines = {id(e): n for e, n in zip(elements, starts, strict=False)}
    return _Xml(path, root, lines)


class _Refused(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _utility_space(xml: _Xml) -> ET.Element | None:
    root = xml.root
    if root.tag == "utility_space":
        return root
    if root.tag == "negotiation_template":
        return root.find("utility_space")
    return None


def _is_profile(space: ET.Element) -> bool:
    if space.get("type") == "nonlinear":
        return True
    for child in space:
        if child.tag in {"reservation", "discount_factor"}:
            return True
    for element in space.iter():
        if element.tag in {"weight", "evaluator", "utility", "ufun", "hyperRectangle"}:
            return True
        if element.tag == "item" and "evaluation" in element.attrib:
            return True
    return False


# --------------------------------------------------------------------------- the domain


@dataclass(frozen=True)
class _Issue:
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
        return range(self.lower, self.upper + 1)


@dataclass
class _Files:
    folder: Path
    domain: _Xml
    profiles: list[_Xml]
    note: str
    year: int | None
    party_ids: list[str] = field(default_factory=list)


def _folder(folder: str | Path) -> Path:
    path = Path(folder)
    if not path.exists():
        raise UsageError(f"no GENIUS domain folder at {str(path)!r}")
    if not path.is_dir():
        raise UsageError(
            f"{str(path)!r} is not a folder; give the folder that holds the domain and profile XML"
        )
    return path


def _discover(folder: str | Path) -> _Files:
    directory = _folder(folder)
    domains: list[_Xml] = []
    profiles: list[_Xml] = []
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        if not path.is_file() or path.suffix.lower() != ".xml":
            continue
        raw = _read_bytes(path)
        head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head:
            _fail(path, "the file is empty")
        if not head.startswith(b"<"):
            continue  # not XML at all (e.g. the published pareto.xml of ANAC 2014)
        xml = _parse_xml(path, raw)
        space = _utility_space(xml)
        if space is None:
            continue  # some other GENIUS file (e.g. a tournament set-up)
        (profiles if _is_profile(space) else domains).append(xml)
    if not domains:
        raise UsageError(
            f"{str(directory)!r} is not a GENIUS domain folder: no domain XML (a utility_space "
            "whose objective lists issues, without weights or evaluations) in it"
        )
    if len(domains) > 1:
        names = ", ".join(d.path.name for d in domains)
        _fail(domains[1].path, f"more than one domain file in the folder ({names})")
    domain = domains[0]
    if len(profiles) < 2:
        found = ", ".join(p.path.name for p in profiles) or "none"
        _fail(
            domain.path,
            f"a GENIUS domain needs at least two profiles; found {len(profiles)} ({found})",
            hint="each profile is a utility_space with weights, evaluations or hyperRectangles",
        )
    match = _YEAR_FOLDER.match(directory.resolve().parent.name)
    year = int(match.group(1)) if match else None
    note = f"{directory.resolve().parent.name}/{directory.name}" if match else directory.name
    return _Files(directory, domain, profiles, note, year)


def _issue_kind(xml: _Xml, element: ET.Element, name: str) -> IssueKind:
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


def _int_attr(xml: _Xml, element: ET.Element, name: str, what: str) -> int:
    text = element.get(name)
    if text is None:
        xml.fail(element, f"{what} has no {name!r} attribute")
    try:
        return int(text.strip())
    except ValueError:
        xml.fail(element, f"{what}: {name}={text!r} is not an integer")


def _float_attr(
    xml: _Xml, element: ET.Element, name: str, what: str, default: float | None = None
) -> float:
    text = element.get(name)
    if text is None:
        if default is not None:
            return default
        xml.fail(element, f"{what} has no {name!r} attribute")
    try:
        value = float(text.strip())
    except ValueError:
        xml.fail(element, f"{what}: {name}={text!r} is not a number")
    if not math.isfinite(value):
        xml.fail(element, f"{what}: {name}={text!r} is not a finite number")
    return value


def _objective(xml: _Xml, space: ET.Element) -> ET.Element:
    objective = space.find("objective")
    if objective is None:
        xml.fail(space, "utility_space has no <objective> element")
    nested = objective.find("objective")
    if nested is not None:
        xml.fail(nested, "nested objectives are not supported; the issues must sit under the root")
    return objective


def _read_issues(xml: _Xml, space: ET.Element) -> list[tuple[_Issue, ET.Element]]:
    """The issues of a utility space, as GENIUS defines them (no ids yet)."""
    objective = _objective(xml, space)
    out: list[tuple[_Issue, ET.Element]] = []
    seen: dict[int, str] = {}
    for element in objective.findall("issue"):
        name = element.get("name")
        if name is None or not name.strip():
            xml.fail(element, "an issue has no name")
        number = _int_attr(xml, element, "index", f"issue {name!r}")
        if number in seen:
            xml.fail(element, f"issue {name!r} repeats index {number} (of issue {seen[number]!r})")
        seen[number] = name
        kind = _issue_kind(xml, element, name)
        if kind == "discrete":
            values: list[str] = []
            for item in element.findall("item"):
                value = item.get("value")
                if value is None:
                    xml.fail(item, f"an item of issue {name!r} has no 'value' attribute")
                if value in values:
                    xml.fail(item, f"issue {name!r} lists the value {value!r} twice")
                values.append(value)
            out.append((_Issue(number, name, kind, tuple(values)), element))
        else:
            lower = _int_attr(xml, element, "lowerbound", f"integer issue {name!r}")
            upper = _int_attr(xml, element, "upperbound", f"integer issue {name!r}")
            if upper < lower:
                xml.fail(
                    element, f"integer issue {name!r} has upperbound {upper} < lowerbound {lower}"
                )
            if upper - lower + 1 > MAX_INTEGER_OPTIONS:
                xml.fail(
                    element,
                    f"integer issue {name!r} spans {upper - lower + 1:,} values; the limit is "
                    f"{MAX_INTEGER_OPTIONS:,}",
                )
            values_int = tuple(str(v) for v in range(lower, upper + 1))
            out.append((_Issue(number, name, kind, values_int, lower, upper), element))
    return out


def _domain_issues(files: _Files) -> list[_Issue]:
    xml = files.domain
    space = _utility_space(xml)
    assert space is not None
    read = _read_issues(xml, space)
    if not read:
        xml.fail(space, "the domain has no issues")
    used_issue_ids: set[str] = set()
    issues: list[_Issue] = []
    for issue, element in read:
        if len(issue.values) < 2:
            xml.fail(
                element,
                f"issue {issue.name!r} has {len(issue.values)} option(s); a scenario issue needs "
                "at least two",
            )
        issue_id = _unique(slugify(issue.name, prefix="i-", fallback="issue"), used_issue_ids)
        used: set[str] = set()
        if issue.kind == "discrete":
            ids = [_unique(slugify(v, prefix="o-", fallback="option"), used) for v in issue.values]
        else:
            ids = [_unique(f"v{n}" if n >= 0 else f"n-{-n}", used) for n in issue.integers]
        issues.append(
            _Issue(
                issue.number,
                issue.name,
                issue.kind,
                issue.values,
                issue.lower,
                issue.upper,
                issue_id,
                tuple(ids),
            )
        )
    return issues


def _unique(slug: str, used: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in used:
        n += 1
        suffix = f"-{n}"
        candidate = slug[: 80 - len(suffix)] + suffix
    used.add(candidate)
    return candidate


# --------------------------------------------------------------------------- the profiles


@dataclass
class _Profile:
    weights: dict[str, float] = field(default_factory=dict)
    values: dict[str, dict[str, float]] = field(default_factory=dict)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    reservation: float = 0.0
    discount: float | None = None
    notes: list[str] = field(default_factory=list)


def _profile_issues(
    xml: _Xml, space: ET.Element, domain: Sequence[_Issue]
) -> dict[int, ET.Element]:
    """The profile's issue elements by number, checked against the domain's issues."""
    read = _read_issues(xml, space)
    by_number = {issue.number: (issue, element) for issue, element in read}
    expected = {issue.number: issue for issue in domain}
    for number, (issue, element) in by_number.items():
        if number not in expected:
            xml.fail(element, f"issue {issue.name!r} (index {number}) is not in the domain")
        want = expected[number]
        if issue.name != want.name or issue.kind != want.kind:
            xml.fail(
                element,
                f"issue index {number} is the {issue.kind} issue {issue.name!r} here but the "
                f"{want.kind} issue {want.name!r} in the domain; the profile is over different "
                "issues",
            )
        if issue.kind == "integer" and (issue.lower, issue.upper) != (want.lower, want.upper):
            xml.fail(
                element,
                f"integer issue {issue.name!r} spans [{issue.lower}, {issue.upper}] here but "
                f"[{want.lower}, {want.upper}] in the domain",
            )
        if issue.kind == "discrete" and set(issue.values) != set(want.values):
            extra = sorted(set(issue.values) - set(want.values))
            missing = sorted(set(want.values) - set(issue.values))
            detail = "; ".join(
                part
                for part in (
                    f"values not in the domain: {', '.join(map(repr, extra))}" if extra else "",
                    f"domain values missing: {', '.join(map(repr, missing))}" if missing else "",
                )
                if part
            )
            xml.fail(
                element, f"issue {issue.name!r} has different values than the domain ({detail})"
            )
    missing_issues = [issue.name for issue in domain if issue.number not in by_number]
    if missing_issues:
        xml.fail(
            _objective(xml, space),
            f"the profile lacks the domain issue(s) {', '.join(map(repr, missing_issues))}; it is "
            "over different issues",
        )
    return {number: element for number, (_, element) in by_number.items()}


def _read_profile(xml: _Xml, domain: Sequence[_Issue]) -> _Profile:
    space = _utility_space(xml)
    assert space is not None
    profile = _Profile()
    reservation = space.find("reservation")
    if reservation is not None:
        profile.reservation = _float_attr(xml, reservation, "value", "<reservation>")
    discount = space.find("discount_factor")
    if discount is not None:
        factor = _float_attr(xml, discount, "value", "<discount_factor>")
        # GENIUS treats a factor <= 0 or >= 1 as "no discount" (it becomes 1).
        if 0 < factor < 1:
            profile.discount = factor
    elements = _profile_issues(xml, space, domain)
    objective = _objective(xml, space)
    utility = objective.find("utility")
    if utility is not None or space.get("type") == "nonlinear":
        if utility is None:
            xml.fail(space, "a nonlinear utility space has no <utility> element")
        if objective.find("weight") is not None:
            xml.fail(objective.find("weight"), "a nonlinear profile cannot also have weights")
        _read_nonlinear(xml, utility, domain, profile)
    else:
        _read_additive(xml, objective, elements, domain, profile)
    return profile


def _read_additive(
    xml: _Xml,
    objective: ET.Element,
    elements: Mapping[int, ET.Element],
    domain: Sequence[_Issue],
    profile: _Profile,
) -> None:
    weights: dict[int, float] = {}
    for element in objective.findall("weight"):
        number = _int_attr(xml, element, "index", "<weight>")
        if number not in elements:
            xml.fail(element, f"<weight index={number}> names no issue of the profile")
        if number in weights:
            xml.fail(element, f"issue index {number} has two weights")
        weight = _float_attr(xml, element, "value", f"<weight index={number}>")
        if weight < 0:
            xml.fail(element, f"the weight of issue index {number} is negative ({weight:g})")
        weights[number] = weight
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
    total = sum(weights.values())
    if total <= 0:
        xml.fail(objective, "all issue weights are zero")
    scale = 1.0
    if total < 1 - _EPS:
        scale = total
        profile.notes.append(
            f"its GENIUS weights sum to {total:.10g}, so the option values are scaled by that sum "
            "(the scenario normalises weights) to keep GENIUS's utilities"
        )
    for issue in domain:
        profile.weights[issue.id] = weights[issue.number]
        profile.values[issue.id] = {
            option: e * scale
            for option, e in zip(issue.option_ids, evaluations[issue.id], strict=True)
        }
    if total > 1 + _EPS:
        _add_excess(profile, domain, weights, evaluations, total)


def _discrete_evaluations(xml: _Xml, element: ET.Element, issue: _Issue) -> list[float]:
    table: dict[str, float] = {}
    for item in element.findall("item"):
        value = item.get("value", "")
        text = item.get("evaluation")
        if text is None or text == "null":
            xml.fail(item, f"value {value!r} of issue {issue.name!r} has no evaluation")
        evaluation = _float_attr(
            xml, item, "evaluation", f"value {value!r} of issue {issue.name!r}"
        )
        if evaluation < 0:
            xml.fail(
                item,
                f"value {value!r} of issue {issue.name!r} has a negative evaluation "
                f"({evaluation:g})",
            )
        table[value] = evaluation
    top = max(table.values(), default=0.0)
    if top < 0.00001:  # GENIUS: every option evaluates to 0
        return [0.0 for _ in issue.values]
    return [table[value] / top for value in issue.values]


def _integer_evaluations(xml: _Xml, element: ET.Element, issue: _Issue) -> list[float]:
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
    slope = _float_attr(xml, evaluator, "slope", what)
    offset = _float_attr(xml, evaluator, "offset", what)
    # GENIUS (EvaluatorInteger): offset + slope * (x - lowerbound), clipped to [0, 1].
    return [min(1.0, max(0.0, offset + slope * (x - issue.lower))) for x in issue.integers]


def _add_excess(
    profile: _Profile,
    domain: Sequence[_Issue],
    weights: Mapping[int, float],
    evaluations: Mapping[str, list[float]],
    total: float,
) -> None:
    """Weights summing to more than 1: restore GENIUS's un-normalised sum, then its cap at 1."""
    profile.notes.append(
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
                profile.interactions.append(
                    {
                        "when": {issue.id: option},
                        "bonus": excess * e,
                        "description": "excess of GENIUS weights over 1 (not normalised)",
                        "source": SOURCE_ID,
                    }
                )
    if sum(max(c) for c in contributions) <= 1 + _EPS:
        return
    size = math.prod(len(c) for c in contributions)
    if size > MAX_CLIP_SPACE:
        profile.notes.append(
            f"GENIUS caps utilities at 1, which is not encoded (outcome space {size:,} too large)"
        )
        return
    import numpy as np

    grid = np.zeros(())
    for column in contributions:
        grid = np.add.outer(grid, np.array(column))
    over = np.argwhere(grid > 1 + _EPS)
    if len(over) > MAX_CLIP_PACKAGES:
        profile.notes.append(
            f"GENIUS caps utilities at 1, which is not encoded ({len(over):,} packages above 1)"
        )
        return
    for index in over:
        utility = float(grid[tuple(index)])
        profile.interactions.append(
            {
                "when": {
                    issue.id: issue.option_ids[int(o)]
                    for issue, o in zip(domain, index, strict=True)
                },
                "bonus": 1 - utility,
                "description": "GENIUS caps utility at 1",
                "source": SOURCE_ID,
            }
        )


def _read_nonlinear(
    xml: _Xml, utility: ET.Element, domain: Sequence[_Issue], profile: _Profile
) -> None:
    top = _float_attr(xml, utility, "maxutility", "<utility>")
    if top <= 0:
        xml.fail(utility, f"maxutility must be positive, got {top:g}")
    functions = utility.findall("ufun")
    if len(functions) != 1:
        xml.fail(utility, f"expected exactly one <ufun> in <utility>, found {len(functions)}")
    ufun = functions[0]
    aggregation = ufun.get("aggregation", "sum")
    if aggregation != "sum":
        xml.fail(ufun, f"<ufun aggregation={aggregation!r}> is not supported; only 'sum' is")
    if _float_attr(xml, ufun, "weight", "<ufun>", default=1.0) != 1.0:
        xml.fail(ufun, "a <ufun> weight other than 1 is not supported")
    if ufun.find("ufun") is not None:
        xml.fail(ufun.find("ufun"), "nested <ufun> elements are not supported")
    by_number = {issue.number: issue for issue in domain}
    for count, rectangle in enumerate(ufun.findall("hyperRectangle"), start=1):
        excludes = rectangle.find("EXCLUDES")
        if excludes is not None:
            xml.fail(
                excludes,
                f"hyperRectangle #{count} has EXCLUDES bounds, which are not supported",
                "only INCLUDES rectangles can be written as interactions",
            )
        value = _float_attr(xml, rectangle, "utility", f"hyperRectangle #{count}")
        weight = _float_attr(xml, rectangle, "weight", f"hyperRectangle #{count}", default=1.0)
        allowed: dict[int, set[int]] = {}
        for bound in rectangle.findall("INCLUDES"):
            number = _int_attr(xml, bound, "index", f"INCLUDES of hyperRectangle #{count}")
            low = _int_attr(xml, bound, "min", f"INCLUDES of hyperRectangle #{count}")
            high = _int_attr(xml, bound, "max", f"INCLUDES of hyperRectangle #{count}")
            issue = by_number.get(number)
            if issue is None:
                xml.fail(
                    bound, f"INCLUDES of hyperRectangle #{count} names no issue (index {number})"
                )
            if issue.kind != "integer":
                xml.fail(
                    bound,
                    f"INCLUDES of hyperRectangle #{count} bounds the discrete issue "
                    f"{issue.name!r}; GENIUS only bounds integer issues",
                )
            inside = {x for x in issue.integers if low <= x <= high}
            allowed[number] = allowed.get(number, inside) & inside
        bonus = value * weight / top
        if bonus == 0 or any(not inside for inside in allowed.values()):
            continue  # contributes nothing to any outcome
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
        profile.interactions.append(
            {
                "when": when,
                "bonus": bonus,
                "description": f"hyperRectangle #{count}: utility {value:g} of maxutility {top:g}"
                + (f", weight {weight:g}" if weight != 1 else ""),
                "source": SOURCE_ID,
            }
        )
    if not profile.interactions:
        xml.fail(utility, "no hyperRectangle of this profile can contribute any utility")


# --------------------------------------------------------------------------- assembling


def _build(folder: str | Path) -> tuple[dict[str, Any], _Files]:
    files = _discover(folder)
    domain = _domain_issues(files)
    name = files.folder.resolve().name
    used: set[str] = set()
    parties: list[dict[str, Any]] = []
    preferences: dict[str, dict[str, Any]] = {}
    for xml in files.profiles:
        profile = _read_profile(xml, domain)
        stem = xml.path.stem
        party_id = _unique(slugify(stem, prefix="p-", fallback="party"), used)
        files.party_ids.append(party_id)
        kind = (
            "nonlinear: hyper-rectangles"
            if profile.interactions and not profile.weights
            else "additive"
        )
        description = f"GENIUS profile {xml.path.name} ({kind})"
        if profile.notes:
            description += "; " + "; ".join(profile.notes)
        parties.append(
            {
                "id": party_id,
                "name": stem,
                "kind": "other",
                "signatory": True,
                "description": description,
            }
        )
        prefs: dict[str, Any] = {}
        if profile.weights:
            prefs["weights"] = profile.weights
            prefs["values"] = profile.values
        if profile.interactions:
            prefs["interactions"] = profile.interactions
        prefs["reservation"] = profile.reservation
        if profile.discount is not None:
            prefs["discount"] = profile.discount
        preferences[party_id] = prefs
    year = files.year or DEFAULT_YEAR
    scenario_id = slugify(
        f"genius-{files.note.replace('/', '-')}", prefix="genius-", fallback="genius"
    )
    when = (
        f"the ANAC {year} competition year (from the folder name)"
        if files.year
        else f"{DEFAULT_YEAR}, as the folder does not show the competition year"
    )
    nonlinear = any("interactions" in p and "weights" not in p for p in preferences.values())
    semantics = (
        "hyper-rectangle utilities summed and divided by maxutility (ANAC 2014)"
        if nonlinear
        else "weights as written, discrete evaluations divided by the largest of their issue, "
        "linear integer evaluators clipped to [0, 1], the sum capped at 1"
    )
    description = (
        f"Imported from the GENIUS negotiation domain {files.note} (domain file "
        f"{files.domain.path.name}; {len(files.profiles)} profiles, one party each). Utilities "
        f"follow GENIUS: {semantics}. as_of is 1 January of {when}, not a date the files state."
    )
    data: dict[str, Any] = {
        "id": scenario_id,
        "title": f"GENIUS domain: {name}",
        "as_of": dt.date(year, 1, 1),
        "description": description,
        "sources": [
            {
                "id": SOURCE_ID,
                "title": f"GENIUS domain {name}",
                "publisher": "ANAC / GENIUS",
                "note": f"domain folder {files.note} of the GENIUS domain collection",
            }
        ],
        "parties": parties,
        "issues": [_issue_data(issue) for issue in domain],
        "preferences": preferences,
    }
    return data, files


def _issue_data(issue: _Issue) -> dict[str, Any]:
    options: list[dict[str, Any]] = []
    if issue.kind == "discrete":
        for option_id, value in zip(issue.option_ids, issue.values, strict=True):
            options.append({"id": option_id, "label": value})
        return {"id": issue.id, "name": issue.name, "options": options}
    for option_id, x in zip(issue.option_ids, issue.integers, strict=True):
        options.append({"id": option_id, "label": str(x), "amount": x})
    return {
        "id": issue.id,
        "name": issue.name,
        "description": f"GENIUS integer issue, {issue.lower} to {issue.upper}",
        "options": options,
    }


def _validate(data: dict[str, Any], files: _Files) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(tuple(item["loc"]), str(item["msg"]).removeprefix("Value error, "))
            for item in error.errors(include_url=False)
        ]
    except ScenarioError as error:
        problems = list(error.problems)
    raise ScenarioError([_locate(problem, files) for problem in problems]) from None


def _locate(problem: Problem, files: _Files) -> Problem:
    """Point a problem of the built scenario at the XML file it came from."""
    path = files.domain.path
    if len(problem.path) >= 2 and problem.path[0] in {"preferences", "parties"}:
        key = problem.path[1]
        if isinstance(key, int) and 0 <= key < len(files.profiles):
            path = files.profiles[key].path
        elif isinstance(key, str) and key in files.party_ids:
            path = files.profiles[files.party_ids.index(key)].path
    return problem.located(str(path), None, None)
