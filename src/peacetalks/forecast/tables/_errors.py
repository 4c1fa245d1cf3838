"""Numbers read from a file with where they came from, and the located problems found in it."""

from __future__ import annotations

from dataclasses import dataclass

from peacetalks.errors import Path, Problem, ScenarioError


@dataclass
class _Cell:
    """A number read from a file, with where it came from."""

    value: float
    path: Path
    line: int | None
    column: int | None = None


class _Problems:
    """Collects located problems for one file."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, path: Path, message: str, line: int | None, column: int | None = None) -> None:
        self.items.append(Problem(path, message, file=self.file, line=line, column=column))

    def raise_any(self) -> None:
        if self.items:
            raise ScenarioError(sorted(self.items, key=lambda p: (p.line or 0, p.column or 0)))
