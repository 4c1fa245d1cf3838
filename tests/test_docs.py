"""The format reference documents every field of the model it describes."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from peacetalks import model

DOC = Path(__file__).resolve().parents[1] / "docs" / "reference" / "scenario-format.md"


def test_every_field_of_the_format_is_documented():
    text = DOC.read_text()
    models: list[type[BaseModel]] = [
        model.Scenario,
        model.Source,
        model.Party,
        model.Issue,
        model.Option,
        model.Preferences,
        model.Interaction,
        model.RedLine,
        model.Proposal,
        model.Estimate,
        model.War,
        model.Uncertainty,
        model.CorrelationGroup,
        model.Support,
        model.Shock,
        model.Sanctions,
        model.WarStakes,
        model.Belief,
        model.Lever,
        model.Stakeholders,
        model.Dimension,
        model.Stakeholder,
    ]
    for cls in models:
        for name, info in cls.model_fields.items():
            assert f"`{info.alias or name}`" in text, f"{cls.__name__}.{name} is not documented"
