"""Load scenarios from YAML files or the built-in library, with located, helpful errors."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ValidationError

from peacetalks.errors import Path, Problem, ScenarioError, UsageError, did_you_mean
from peacetalks.io.safe_yaml import Document, read_yaml
from peacetalks.model.scenario import Scenario


def load(scenario: str | FilePath) -> Scenario:
    """Load a scenario by built-in id (e.g. ``"russia-ukraine-2025"``) or from a YAML file path.

    >>> import peacetalks
    >>> peacetalks.load("russia-ukraine-2025").as_of.isoformat()
    '2025-02-03'
    """
    from peacetalks.scenarios import builtin_ids, builtin_text

    name = str(scenario)
    if name in builtin_ids():
        return parse(builtin_text(name), file=f"<built-in {name}>")
    path = FilePath(name)
    if path.is_file():
        return load_file(path)
    if path.suffix in {".yaml", ".yml"} or "/" in name or path.exists():
        raise UsageError(f"no scenario file at {name!r}")
    hint = did_you_mean(name, builtin_ids())
    raise UsageError(f"{name!r} is neither a built-in scenario nor a file; {hint}")


def load_any(scenario: str | FilePath) -> Scenario:
    """Like :func:`load`, and also accepts a GENIUS domain folder."""
    path = FilePath(str(scenario))
    if path.is_dir():
        from peacetalks.io.genius import load_genius

        return load_genius(path)
    return load(scenario)


def load_file(path: str | FilePath) -> Scenario:
    """Load a scenario from a YAML file."""
    path = FilePath(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {str(path)!r}: {error.strerror}") from None
    return parse(raw, file=str(path))


def parse(text: str | bytes, file: str | None = None) -> Scenario:
    """Build a scenario from YAML text; every problem is reported with its position."""
    from peacetalks.io import cache

    raw = text.encode("utf-8") if isinstance(text, str) else text
    cached = cache.get(raw)
    if cached is not None:
        return cached
    scenario = _parse(raw, file)
    cache.put(raw, scenario)
    return scenario


def _parse(text: bytes, file: str | None) -> Scenario:
    document = read_yaml(text, file)
    if not isinstance(document.data, dict):
        raise ScenarioError(
            [Problem((), "a scenario must be a YAML mapping (id: ..., title: ...)", file=file)]
        )
    try:
        return Scenario.model_validate(document.data)
    except ValidationError as error:
        problems = _from_validation(error, document)
    except ScenarioError as error:
        problems = list(error.problems)
    located = [_locate(problem, document, file) for problem in problems]
    located.sort(key=lambda problem: (problem.line or 0, problem.column or 0))
    raise ScenarioError(located) from None


def _locate(problem: Problem, document: Document, file: str | None) -> Problem:
    line, column = document.position(problem.path)
    return problem.located(file, line, column)


def _from_validation(error: ValidationError, document: Document) -> list[Problem]:
    merged: dict[Path, Problem] = {}
    for item in error.errors(include_url=False):
        names_field = item["type"] in {"missing", "extra_forbidden"}
        path = _data_path(item["loc"], document.data, names_field)
        problem = _explain(item, path)
        if path in merged and merged[path].message != problem.message:
            earlier = merged[path]
            problem = Problem(path, f"{earlier.message}; or {problem.message}", earlier.hint)
        merged[path] = problem
    return [problem for path, problem in merged.items() if not _echo(path, problem, merged)]


def _echo(path: Path, problem: Problem, merged: dict[Path, Problem]) -> bool:
    """Whether a problem only repeats another: a list too short because an item failed, or a
    missing field that a misspelt sibling was meant to be."""
    if problem.message.startswith("Tuple should have at least"):
        return any(other[: len(path)] == path and other != path for other in merged)
    if problem.message.startswith("missing required field"):
        meant = f"did you mean {path[-1]!r}?"
        return any(
            other[:-1] == path[:-1] and sibling.hint == meant for other, sibling in merged.items()
        )
    return False


def _data_path(loc: tuple[int | str, ...], data: Any, names_field: bool) -> Path:
    """The error location as a path in the data (dropping pydantic's union-member tags)."""
    path: list[int | str] = []
    node = data
    for index, part in enumerate(loc):
        if _has(node, part):
            node = node[part]
        elif names_field and index == len(loc) - 1 and isinstance(node, dict):
            path.append(part)  # a missing or unknown field: name it
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _has(node: Any, part: int | str) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _explain(item: Any, path: Path) -> Problem:
    kind, message = item["type"], item["msg"]
    name = path[-1] if path else ""
    if kind == "extra_forbidden":
        fields = _fields_at(item["loc"][:-1])
        return Problem(path, f"unknown field {name!r}", did_you_mean(str(name), fields))
    if kind == "missing":
        return Problem(path, f"missing required field {name!r}")
    if kind == "string_pattern_mismatch":
        return Problem(
            path,
            f"{item['input']!r} is not a valid id",
            "use lower-case letters, digits, '-' and '_', starting with a letter",
        )
    if kind == "literal_error":
        expected = item.get("ctx", {}).get("expected", "")
        choices = [part.strip(" '") for part in expected.replace(" or ", ",").split(",")]
        return Problem(
            path,
            f"{item['input']!r} is not allowed; expected {expected}",
            did_you_mean(str(item["input"]), choices),
        )
    return Problem(path, message.removeprefix("Value error, "))


def _fields_at(loc: tuple[int | str, ...]) -> list[str]:
    """Field names (and aliases) of the model(s) found at a location."""
    models: list[type[BaseModel]] = [Scenario]
    for part in loc:
        for model in models:
            field = _field(model, part)
            if field is not None:
                models = list(_models_in(field.annotation))
                break
    names: list[str] = []
    for model in models:
        for field_name, info in model.model_fields.items():
            names.append(info.alias or field_name)
    return names


def _field(model: type[BaseModel], name: int | str) -> Any:
    for field_name, info in model.model_fields.items():
        if name in (field_name, info.alias):
            return info
    return None


def _models_in(annotation: Any) -> Iterable[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _models_in(typing.get_args(annotation)[0])
        return
    if origin is not None or isinstance(annotation, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _models_in(arg)
