"""The built-in case library: YAML scenarios shipped inside the package."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from peacetalks.results import Result

_FOLDER = "builtin"


def builtin_ids() -> tuple[str, ...]:
    """Ids of the built-in scenarios, flagship first, then alphabetical."""
    folder = resources.files(__name__) / _FOLDER
    names = sorted(
        entry.name.removesuffix(".yaml")
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    )
    return tuple(sorted(names, key=lambda name: name != FLAGSHIP))


def builtin_text(scenario_id: str) -> str:
    """The YAML text of a built-in scenario."""
    return (resources.files(__name__) / _FOLDER / f"{scenario_id}.yaml").read_text("utf-8")


FLAGSHIP = "russia-ukraine-2025"
"""The scenario used when a command names none."""


def library() -> tuple[LibraryEntry, ...]:
    """A summary of every built-in scenario (each one is loaded and validated)."""
    from peacetalks.io import parse

    entries = []
    for scenario_id in builtin_ids():
        scenario = parse(builtin_text(scenario_id), file=f"<built-in {scenario_id}>")
        entries.append(
            LibraryEntry(
                id=scenario.id,
                title=scenario.title,
                as_of=scenario.as_of.isoformat(),
                parties=tuple(party.id for party in scenario.parties),
                issues=len(scenario.issues),
                packages=scenario.compiled.space_size,
                red_lines=len(scenario.red_lines),
                proposals=tuple(proposal.id for proposal in scenario.proposals),
                flagship=scenario_id == FLAGSHIP,
            )
        )
    return tuple(entries)


@dataclass(frozen=True)
class LibraryEntry(Result):
    """One built-in scenario in the case library."""

    id: str
    title: str
    as_of: str
    parties: tuple[str, ...]
    issues: int
    packages: int
    red_lines: int
    proposals: tuple[str, ...]
    flagship: bool
