"""Safe XML reading for the GENIUS importer: size limit, no DTDs or entities, element lines.

Every problem is a :class:`~peacetalks.errors.ScenarioError` naming the file and, when known, the
line of the offending element.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from peacetalks.errors import Problem, ScenarioError

MAX_XML_BYTES = 5_000_000
"""Larger XML files are refused."""

_DECLARATIONS = (b"<!doctype", b"<!entity")


def fail(
    path: Path,
    message: str,
    line: int | None = None,
    hint: str | None = None,
    where: tuple[str, ...] = (),
) -> NoReturn:
    """Raise a :class:`~peacetalks.errors.ScenarioError` with one problem located in ``path``."""
    raise ScenarioError([Problem(where, message, hint, file=str(path), line=line)])


@dataclass
class XmlFile:
    """One parsed XML file, with the line of every element."""

    path: Path
    root: ET.Element
    lines: dict[int, int]

    def line(self, element: ET.Element | None) -> int | None:
        """The line of ``element``'s start tag, if known."""
        return None if element is None else self.lines.get(id(element))

    def fail(self, element: ET.Element | None, message: str, hint: str | None = None) -> NoReturn:
        """Raise a problem located at ``element`` (its tag and line) in this file."""
        where: tuple[str, ...] = () if element is None else (element.tag,)
        fail(self.path, message, self.line(element), hint, where)

    def int_attr(self, element: ET.Element, name: str, what: str) -> int:
        """The required integer attribute ``name`` of ``element`` (``what`` names it in errors)."""
        text = self._attr(element, name, what)
        try:
            return int(text.strip())
        except ValueError:
            self.fail(element, f"{what}: {name}={text!r} is not an integer")

    def float_attr(
        self, element: ET.Element, name: str, what: str, default: float | None = None
    ) -> float:
        """The finite number attribute ``name`` of ``element``; required unless a ``default``
        is given."""
        if element.get(name) is None and default is not None:
            return default
        text = self._attr(element, name, what)
        try:
            value = float(text.strip())
        except ValueError:
            self.fail(element, f"{what}: {name}={text!r} is not a number")
        if not math.isfinite(value):
            self.fail(element, f"{what}: {name}={text!r} is not a finite number")
        return value

    def _attr(self, element: ET.Element, name: str, what: str) -> str:
        text = element.get(name)
        if text is None:
            self.fail(element, f"{what} has no {name!r} attribute")
        return text


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, refusing files above :data:`MAX_XML_BYTES`."""
    try:
        size = path.stat().st_size
        if size > MAX_XML_BYTES:
            fail(path, f"file is {size:,} bytes; the limit is {MAX_XML_BYTES:,}")
        return path.read_bytes()
    except OSError as error:
        fail(path, f"cannot read the file: {error.strerror}")


def parse_xml(path: Path, raw: bytes) -> XmlFile:
    """Parse with ElementTree, refusing DTDs and entity declarations (no XML bombs)."""
    _refuse_declarations(path, raw)
    starts = _start_lines(path, raw)
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:  # pragma: no cover - expat accepted it in _start_lines
        fail(path, f"not well-formed XML: {error}", error.position[0])
    lines = {id(e): n for e, n in zip(root.iter(), starts, strict=False)}
    return XmlFile(path, root, lines)


def _refuse_declarations(path: Path, raw: bytes) -> None:
    """A quick byte check for DTDs and entity declarations, with the line they are on."""
    lowered = raw.lower()
    for marker in _DECLARATIONS:
        if marker in lowered:
            line = raw[: lowered.index(marker)].count(b"\n") + 1
            fail(
                path,
                f"XML with a {marker[2:].decode().upper()} declaration is refused",
                line,
                "GENIUS files need no DTD; remove it",
            )


def _start_lines(path: Path, raw: bytes) -> list[int]:
    """The line of every start tag, in document order (an expat pass).

    Any DTD or entity declaration that slipped past the byte check (e.g. in UTF-16) is refused
    here, and so is XML that is not well-formed.
    """
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
        fail(path, "XML with a DTD or entity declaration is refused", refused.line)
    except expat.ExpatError as error:
        message = expat.errors.messages.get(error.code, str(error)) if error.code else str(error)
        fail(path, f"not well-formed XML: {message}", error.lineno)
    return starts


class _Refused(Exception):
    """Raised from expat's handlers on a DTD or entity declaration."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line
