"""Finding the files of a GENIUS domain folder: one domain, two or more profiles.

Files are told apart by content, not by name: a profile carries weights, evaluations,
evaluators, hyper-rectangles, a reservation value or a discount factor; a domain carries none.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from peacetalks.errors import UsageError
from peacetalks.io.genius.safe_xml import XmlFile, fail, parse_xml, read_bytes

_YEAR_FOLDER = re.compile(r"^y(\d{4})$")
_PROFILE_CHILDREN = {"reservation", "discount_factor"}
_PROFILE_ELEMENTS = {"weight", "evaluator", "utility", "ufun", "hyperRectangle"}


@dataclass
class DomainFolder:
    """The XML files of a GENIUS domain folder."""

    folder: Path
    domain: XmlFile
    profiles: list[XmlFile]
    note: str
    """How the folder is named in descriptions: ``y2012/Holiday`` in a year folder, else its
    name."""
    year: int | None
    """The ANAC year, when the folder sits in a ``yNNNN`` folder."""
    party_ids: list[str] = field(default_factory=list)
    """The party id of each profile, in order (filled in while building the scenario)."""


def open_folder(folder: str | Path) -> Path:
    """``folder`` as a path, or :class:`~peacetalks.errors.UsageError` if it is not a folder."""
    path = Path(folder)
    if not path.exists():
        raise UsageError(f"no GENIUS domain folder at {str(path)!r}")
    if not path.is_dir():
        raise UsageError(
            f"{str(path)!r} is not a folder; give the folder that holds the domain and profile XML"
        )
    return path


def discover(folder: str | Path) -> DomainFolder:
    """Read and classify the XML files of a GENIUS domain folder."""
    directory = open_folder(folder)
    domains: list[XmlFile] = []
    profiles: list[XmlFile] = []
    for xml in _utility_space_files(directory):
        (profiles if is_profile(utility_space(xml)) else domains).append(xml)
    domain = _the_domain(directory, domains)
    if len(profiles) < 2:
        found = ", ".join(p.path.name for p in profiles) or "none"
        fail(
            domain.path,
            f"a GENIUS domain needs at least two profiles; found {len(profiles)} ({found})",
            hint="each profile is a utility_space with weights, evaluations or hyperRectangles",
        )
    parent = directory.resolve().parent.name
    match = _YEAR_FOLDER.match(parent)
    year = int(match.group(1)) if match else None
    note = f"{parent}/{directory.name}" if match else directory.name
    return DomainFolder(directory, domain, profiles, note, year)


def _utility_space_files(directory: Path) -> list[XmlFile]:
    """The XML files of ``directory`` (by name) that hold a utility space."""
    found: list[XmlFile] = []
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        if not path.is_file() or path.suffix.lower() != ".xml":
            continue
        raw = read_bytes(path)
        head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head:
            fail(path, "the file is empty")
        if not head.startswith(b"<"):
            continue  # not XML at all (e.g. the published pareto.xml of ANAC 2014)
        xml = parse_xml(path, raw)
        if _find_utility_space(xml) is not None:  # else some other GENIUS file (a set-up)
            found.append(xml)
    return found


def _the_domain(directory: Path, domains: list[XmlFile]) -> XmlFile:
    """The one domain file among ``domains``."""
    if not domains:
        raise UsageError(
            f"{str(directory)!r} is not a GENIUS domain folder: no domain XML (a utility_space "
            "whose objective lists issues, without weights or evaluations) in it"
        )
    if len(domains) > 1:
        names = ", ".join(d.path.name for d in domains)
        fail(domains[1].path, f"more than one domain file in the folder ({names})")
    return domains[0]


def utility_space(xml: XmlFile) -> ET.Element:
    """The ``utility_space`` element of a file that :func:`discover` accepted."""
    space = _find_utility_space(xml)
    assert space is not None, "discover() keeps only files with a utility space"
    return space


def _find_utility_space(xml: XmlFile) -> ET.Element | None:
    """The root ``utility_space``, or the one in a ``negotiation_template``."""
    root = xml.root
    if root.tag == "utility_space":
        return root
    if root.tag == "negotiation_template":
        return root.find("utility_space")
    return None


def is_profile(space: ET.Element) -> bool:
    """Whether a utility space is a profile (has anything to evaluate) rather than a domain."""
    if space.get("type") == "nonlinear":
        return True
    if any(child.tag in _PROFILE_CHILDREN for child in space):
        return True
    return any(
        element.tag in _PROFILE_ELEMENTS
        or (element.tag == "item" and "evaluation" in element.attrib)
        for element in space.iter()
    )
