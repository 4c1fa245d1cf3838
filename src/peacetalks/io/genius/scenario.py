"""Building the scenario of a GENIUS domain folder: plain data, a validated scenario, YAML."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from peacetalks.errors import Problem, ScenarioError
from peacetalks.io.genius.folder import DomainFolder, discover
from peacetalks.io.genius.ids import slugify, unique
from peacetalks.io.genius.issues import Issue, domain_issues
from peacetalks.io.genius.profile import Profile, read_profile
from peacetalks.io.genius.safe_xml import XmlFile
from peacetalks.io.genius.utility import SOURCE_ID
from peacetalks.model.scenario import Scenario

DEFAULT_YEAR = 2010
"""The ``as_of`` year of a domain whose folder does not show its ANAC year."""


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


def _build(folder: str | Path) -> tuple[dict[str, Any], DomainFolder]:
    """The scenario data of a domain folder, and its files (to locate problems in)."""
    files = discover(folder)
    domain = domain_issues(files)
    name = files.folder.resolve().name
    profiles = [read_profile(xml, domain) for xml in files.profiles]
    used: set[str] = set()
    parties: list[dict[str, Any]] = []
    preferences: dict[str, dict[str, Any]] = {}
    for xml, profile in zip(files.profiles, profiles, strict=True):
        party_id = unique(slugify(xml.path.stem, prefix="p-", fallback="party"), used)
        files.party_ids.append(party_id)
        parties.append(_party(party_id, xml, profile))
        preferences[party_id] = profile.preferences()
    year = files.year or DEFAULT_YEAR
    nonlinear = any(profile.utility.nonlinear for profile in profiles)
    data: dict[str, Any] = {
        "id": slugify(
            f"genius-{files.note.replace('/', '-')}", prefix="genius-", fallback="genius"
        ),
        "title": f"GENIUS domain: {name}",
        "as_of": dt.date(year, 1, 1),
        "description": _description(files, nonlinear),
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


def _party(party_id: str, xml: XmlFile, profile: Profile) -> dict[str, Any]:
    """The scenario party of one profile (named after its file)."""
    description = f"GENIUS profile {xml.path.name} ({profile.kind})"
    if profile.utility.notes:
        description += "; " + "; ".join(profile.utility.notes)
    return {
        "id": party_id,
        "name": xml.path.stem,
        "kind": "other",
        "signatory": True,
        "description": description,
    }


def _description(files: DomainFolder, nonlinear: bool) -> str:
    """The scenario description: where it came from, GENIUS's semantics, the as_of date."""
    when = (
        f"the ANAC {files.year} competition year (from the folder name)"
        if files.year
        else f"{DEFAULT_YEAR}, as the folder does not show the competition year"
    )
    semantics = (
        "hyper-rectangle utilities summed and divided by maxutility (ANAC 2014)"
        if nonlinear
        else "weights as written, discrete evaluations divided by the largest of their issue, "
        "linear integer evaluators clipped to [0, 1], the sum capped at 1"
    )
    return (
        f"Imported from the GENIUS negotiation domain {files.note} (domain file "
        f"{files.domain.path.name}; {len(files.profiles)} profiles, one party each). Utilities "
        f"follow GENIUS: {semantics}. as_of is 1 January of {when}, not a date the files state."
    )


def _issue_data(issue: Issue) -> dict[str, Any]:
    """The scenario issue of a domain issue; integer options carry their ``amount``."""
    if issue.kind == "discrete":
        options = [
            {"id": option_id, "label": value}
            for option_id, value in zip(issue.option_ids, issue.values, strict=True)
        ]
        return {"id": issue.id, "name": issue.name, "options": options}
    return {
        "id": issue.id,
        "name": issue.name,
        "description": f"GENIUS integer issue, {issue.lower} to {issue.upper}",
        "options": [
            {"id": option_id, "label": str(x), "amount": x}
            for option_id, x in zip(issue.option_ids, issue.integers, strict=True)
        ],
    }


def _validate(data: dict[str, Any], files: DomainFolder) -> Scenario:
    """Validate the scenario data; problems are pointed at the XML files they came from."""
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


def _locate(problem: Problem, files: DomainFolder) -> Problem:
    """Point a problem of the built scenario at the XML file it came from."""
    path = files.domain.path
    if len(problem.path) >= 2 and problem.path[0] in {"preferences", "parties"}:
        key = problem.path[1]
        if isinstance(key, int) and 0 <= key < len(files.profiles):
            path = files.profiles[key].path
        elif isinstance(key, str) and key in files.party_ids:
            path = files.profiles[files.party_ids.index(key)].path
    return problem.located(str(path), None, None)
