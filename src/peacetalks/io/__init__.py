"""Reading and writing scenarios: YAML files, the built-in library, the JSON Schema."""

from peacetalks.io.loader import load, load_any, load_file, parse

__all__ = ["load", "load_any", "load_file", "parse"]
