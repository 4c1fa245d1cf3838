"""Where an actor table comes from: a ``.csv`` or ``.yaml`` file, a shipped dataset, or what a
user typed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path as FilePath

from peacetalks.errors import Problem, ScenarioError, UsageError
from peacetalks.forecast.actors import ActorTable
from peacetalks.forecast.tables.csv import parse_csv
from peacetalks.forecast.tables.yaml import parse_yaml


def load_table(
    path: str | FilePath,
    salience_scale: str = "auto",
    scale: tuple[float, float] | None = None,
) -> ActorTable:
    """Load an actor table from a ``.csv`` or ``.yaml``/``.yml`` file."""
    path = FilePath(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".yaml", ".yml"):
        raise UsageError(f"cannot read an actor table from {path.name!r}; expected .csv or .yaml")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {str(path)!r}: {error.strerror}") from None
    if suffix in (".yaml", ".yml"):
        return parse_yaml(raw, file=str(path), salience_scale=salience_scale)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = Problem((), f"file is not UTF-8 text ({error.reason})", file=str(path))
        raise ScenarioError([problem]) from None
    return parse_csv(text, file=str(path), salience_scale=salience_scale, scale=scale)


def dataset_names() -> tuple[str, ...]:
    """The shipped datasets (see ``forecast/data/README.md``), without their suffix."""
    folder = resources.files("peacetalks.forecast") / "data"
    names = (entry.name for entry in folder.iterdir())
    return tuple(sorted(n.rsplit(".", 1)[0] for n in names if n.endswith((".csv", ".yaml"))))


def load_dataset(name: str, salience_scale: str = "auto") -> ActorTable:
    """A shipped dataset by name, e.g. ``"bdm1994_eu_car_emissions"``.

    >>> load_dataset("bdm1994_eu_car_emissions").actors[:3]
    ('Netherlands', 'Belgium', 'Luxembourg')
    """
    from peacetalks.errors import did_you_mean

    folder = resources.files("peacetalks.forecast") / "data"
    for suffix in (".csv", ".yaml"):
        entry = folder / f"{name}{suffix}"
        if entry.is_file():
            text = entry.read_text(encoding="utf-8")
            file = f"<dataset {name}>"
            if suffix == ".csv":
                return parse_csv(text, file=file, salience_scale=salience_scale)
            return parse_yaml(text, file=file, salience_scale=salience_scale)
    raise UsageError(f"no dataset {name!r}; {did_you_mean(name, dataset_names())}")


def resolve_table(source: str | None) -> ActorTable:
    """An actor table from what a user typed: nothing (the flagship's stakeholders), a built-in
    scenario id or a scenario ``.yaml`` file (its ``stakeholders`` block), an actor table
    (``.csv`` or ``.yaml``), or a shipped dataset name."""
    from peacetalks.forecast.actors import from_scenario
    from peacetalks.scenarios import FLAGSHIP, builtin_ids

    if source is None or source in builtin_ids():
        import peacetalks

        return from_scenario(peacetalks.load(source or FLAGSHIP))
    path = FilePath(source)
    if path.suffix.lower() in (".csv", ".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise UsageError(f"no actor table at {source!r}")
        if path.suffix.lower() in (".yaml", ".yml"):
            return _from_yaml(path)
        return load_table(path)
    return load_dataset(source)


def _from_yaml(path: FilePath) -> ActorTable:
    """A YAML file read once: a scenario (it has parties) gives its stakeholders, anything
    else is read as an actor table."""
    import peacetalks
    from peacetalks.forecast.actors import from_scenario
    from peacetalks.io.safe_yaml import read_yaml

    raw = path.read_bytes()
    data = read_yaml(raw, str(path)).data
    if isinstance(data, dict) and "parties" in data:
        return from_scenario(peacetalks.parse(raw, file=str(path)))
    return parse_yaml(raw, file=str(path))
