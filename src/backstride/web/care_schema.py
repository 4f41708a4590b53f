"""The ``care`` object of the today, plan and progress documents, for the OpenAPI document.

The object itself is built by ``CareDecision.to_document`` (``domain/care.py``);
these models only describe it, and a test validates real decisions against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.care import CareState, NextStep
from backstride.domain.vocabulary import TriageLevel


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CareInstruction(_Part):
    level: TriageLevel
    headline: str = Field(description="What to do now, first.")
    actions: list[str]
    tel: str | None = Field(description="A number to call, when the locale has one.")


class OpenWarning(_Part):
    sign: str = Field(description="The check-in question's path, e.g. neuro.saddle_numbness.")
    level: TriageLevel
    answer: Literal["yes", "not_sure"]
    first_reported: str = Field(json_schema_extra={"format": "date"})
    last_reported: str = Field(json_schema_extra={"format": "date"})
    text: str


class FlareMeasure(_Part):
    measure: Literal["pain_now", "worst_24h", "after_run"]
    value: int = Field(ge=0, le=10)
    recent_level: float | None = Field(
        description="The median of the previous 14 days' check-ins, or the assessment's pain."
    )


class Flare(_Part):
    day: str = Field(json_schema_extra={"format": "date"})
    measures: list[FlareMeasure]
    text: str


class CareDocument(_Part):
    """What the runner should do now (issue 10, review R13): decided once, everywhere.

    While ``suspended`` (care needed now, or on hold after a warning sign in a check-in)
    the document lists no exercise, no walk or run and no walk-run stage.
    """

    state: CareState
    level: TriageLevel = Field(description="The most urgent level that applies: the page's colour.")
    suspended: bool
    exercises_allowed: bool
    running_allowed: bool
    instruction: CareInstruction | None = Field(
        description="Set while suspended: the instruction to show first."
    )
    reasons: list[str]
    open_warnings: list[OpenWarning]
    flare: Flare | None
    next_step: NextStep
    assessment_id: int | None
    plan_id: int | None


def with_care(description: str) -> dict[int | str, dict[str, Any]]:
    """An OpenAPI ``responses`` entry: a document that carries the ``care`` object."""
    schema = CareDocument.model_json_schema(ref_template="#/$defs/{model}")
    definitions = schema.pop("$defs", {})
    return {
        200: {
            "description": description,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["care"],
                        "properties": {"care": _resolved(schema, definitions)},
                        "additionalProperties": True,
                    }
                }
            },
        }
    }


def _resolved(node: Any, definitions: dict[str, Any]) -> Any:
    """The schema with its local ``$ref``s written in place, so it stands alone."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {**_resolved(target, definitions), **rest}
        return {k: _resolved(v, definitions) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolved(item, definitions) for item in node]
    return node
