"""Errors that reach the user: every problem located by file, line, column and field path."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, located by field path (and, once known, file position)."""

    path: Path
    message: str
    hint: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def field(self) -> str:
        """The field path in dotted form, e.g. ``preferences.russia.values.crimea``."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or "(top level)"

    def to_dict(self) -> dict[str, str | int | None]:
        """The problem as plain data (what `peacetalks validate --json` prints)."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
        }

    def located(self, file: str | None, line: int | None, column: int | None) -> Problem:
        """This problem with a file position."""
        return replace(self, file=file, line=line, column=column)

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.field}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class PeacetalksError(Exception):
    """Base class of errors caused by the user's input, not by a bug."""


class ScenarioError(PeacetalksError):
    """A scenario is invalid; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in scenario"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


class UsageError(PeacetalksError):
    """A request names something that does not exist or cannot be done."""


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest valid choice, or listing the choices when none is close."""
    options = sorted(set(choices))
    if not options:
        return None
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"expected one of: {shown}"
