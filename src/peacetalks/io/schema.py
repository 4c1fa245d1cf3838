"""The JSON Schema of the scenario format, generated from the model the loader uses."""

from __future__ import annotations

from typing import Any

from peacetalks.model.scenario import Scenario

SCHEMA_ID = "https://peacetalks.invalid/schema/scenario.json"


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file."""
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }
