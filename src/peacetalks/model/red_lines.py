"""Hard constraints: what a party will never accept."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from peacetalks.model.base import Cited, Slug
from peacetalks.model.preferences import Condition

RedLineKind = Literal["option", "combination", "linkage"]


class RedLine(Cited):
    """A red line of one party.

    Either ``never`` (a condition the party never accepts: options on one issue, or a combination
    across issues) or a linkage ``if`` ... ``then`` (when ``if`` holds, ``then`` must hold).
    """

    id: Slug
    party: Slug
    description: str | None = None
    never: Condition | None = Field(default=None, min_length=1)
    if_: Condition | None = Field(default=None, alias="if", min_length=1)
    then: Condition | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_form(self) -> RedLine:
        linkage = self.if_ is not None or self.then is not None
        if self.never is not None and linkage:
            raise ValueError("a red line has either 'never' or 'if'/'then', not both")
        if self.never is None and not linkage:
            raise ValueError("a red line needs 'never', or 'if' and 'then'")
        if linkage and (self.if_ is None or self.then is None):
            raise ValueError("a linkage needs both 'if' and 'then'")
        if self.if_ is not None and self.then is not None:
            shared = sorted(set(self.if_) & set(self.then))
            if shared:
                raise ValueError(
                    f"'if' and 'then' must name different issues; both name {', '.join(shared)}"
                )
        return self

    @property
    def kind(self) -> RedLineKind:
        """'option' (one issue), 'combination' (several issues) or 'linkage'."""
        if self.never is None:
            return "linkage"
        return "option" if len(self.never) == 1 else "combination"
