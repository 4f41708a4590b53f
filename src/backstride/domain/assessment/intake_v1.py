"""The version-1 intake document (``backstride.intake/1``), kept so old intakes stay valid.

Mirrors ``contracts/intake.schema.json`` (``backstride.intake/1``) exactly. Version 2
(:mod:`backstride.domain.assessment.intake`) extends these parts; a ``/1`` document must still
pass this model, so the new fields are errors in it. Absent
optional fields mean "not asked / unknown", never "no": every optional field is
``None`` when absent, and an explicit JSON ``null`` is rejected, as the contract
does. ``tests/spec/test_intake_contract.py`` proves the model and the contract
file accept and reject the same documents.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

INTAKE_SCHEMA_ID = "backstride.intake/1"

Region = Literal[
    "low_back_center",
    "low_back_left",
    "low_back_right",
    "upper_back",
    "buttock_left",
    "buttock_right",
    "groin_left",
    "groin_right",
    "hip_side_left",
    "hip_side_right",
    "thigh_front_left",
    "thigh_front_right",
    "thigh_back_left",
    "thigh_back_right",
    "below_knee_left",
    "below_knee_right",
    "foot_left",
    "foot_right",
    "flank_left",
    "flank_right",
    "abdomen",
]
Sex = Literal["female", "male", "other", "unspecified"]
History = Literal[
    "cancer",
    "osteoporosis",
    "long_term_steroids",
    "immunosuppressed",
    "iv_drug_use",
    "recent_spinal_surgery_or_injection",
    "inflammatory_condition",
    "family_spondyloarthritis",
    "previous_disc_herniation",
    "diagnosed_spinal_stenosis",
    "diagnosed_arthritis",
    "pregnant",
    "postpartum",
]
Onset = Literal["sudden", "gradual"]
Trauma = Literal["none", "minor", "major"]
Character = Literal[
    "ache",
    "tight",
    "sharp",
    "stabbing",
    "burning",
    "shooting",
    "cramping",
    "throbbing",
    "tearing",
]
Night = Literal["none", "wakes_me", "constant"]
Aggravator = Literal[
    "sitting",
    "standing",
    "walking",
    "running",
    "running_downhill",
    "bending_forward",
    "bending_backward",
    "twisting",
    "lifting",
    "coughing_sneezing",
    "lying_flat",
    "rest",
]
Easer = Literal[
    "sitting",
    "bending_forward",
    "lying_down",
    "walking",
    "movement",
    "rest",
    "heat",
    "nothing",
]
Trend = Literal["improving", "same", "worsening"]
Surface = Literal["asphalt", "concrete", "track", "trail", "grass", "treadmill", "sand", "gravel"]
CrossTraining = Literal[
    "cycling",
    "indoor_cycling",
    "swimming",
    "rowing",
    "yoga",
    "pilates",
    "walking",
    "elliptical",
    "none",
]
RecentChange = Literal[
    "new_shoes",
    "more_hills",
    "speed_work",
    "longer_long_run",
    "new_surface",
    "new_training_plan",
]
Bothersome = Literal["not_at_all", "slightly", "moderately", "very", "extremely"]

T = TypeVar("T")


def _integral_number_to_int(value: Any) -> Any:
    # JSON Schema counts 4.0 as an integer; strict pydantic would not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _unique(items: list[T]) -> list[T]:
    if len(set(items)) != len(items):
        raise ValueError("items must be unique")
    return items


Whole = Annotated[int, BeforeValidator(_integral_number_to_int)]
UniqueList = Annotated[
    list[T], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})
]
Regions = UniqueList[Region]


def _drop_null_branches(schema: dict[str, Any]) -> None:
    """Present optional fields as the contract does: a value, never null."""
    for prop in schema.get("properties", {}).values():
        any_of = prop.get("anyOf")
        if any_of and {"type": "null"} in any_of:
            kept = [branch for branch in any_of if branch != {"type": "null"}]
            del prop["anyOf"]
            if len(kept) == 1:
                prop.update(kept[0])
            else:
                prop["anyOf"] = kept
        prop.pop("default", None)
        prop.pop("title", None)
    schema.pop("title", None)


class Document(BaseModel):
    """Base for the contract documents: strict types, no unknown fields, no nulls."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        json_schema_extra=_drop_null_branches,
    )

    @model_validator(mode="before")
    @classmethod
    def _reject_explicit_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = [
                key for key, value in data.items() if value is None and key in cls.model_fields
            ]
            if nulls:
                names = ", ".join(sorted(nulls))
                raise ValueError(f"null is not allowed for {names}: leave the field out instead")
        return data


class Person(Document):
    age: Annotated[Whole, Field(ge=10, le=110)]
    sex: Sex | None = None
    height_cm: Annotated[float, Field(ge=90, le=250)] | None = None
    weight_kg: Annotated[float, Field(ge=25, le=300)] | None = None
    history: UniqueList[History] | None = None


class Pain(Document):
    started_days_ago: Annotated[Whole, Field(ge=0, le=36500)]
    onset: Onset | None = None
    trauma: Trauma | None = None
    regions: Annotated[Regions, Field(min_length=1)]
    worst_0_10: Annotated[Whole, Field(ge=0, le=10)]
    now_0_10: Annotated[Whole, Field(ge=0, le=10)] | None = None
    character: UniqueList[Character] | None = None
    during_run_starts_after_min: Annotated[Whole, Field(ge=0, le=600)] | None = None
    after_run: bool | None = None
    morning_stiffness_min: Annotated[Whole, Field(ge=0, le=1440)] | None = None
    night: Night | None = None
    aggravated_by: UniqueList[Aggravator] | None = None
    eased_by: UniqueList[Easer] | None = None
    changes_with_movement: bool | None = None
    with_menstrual_cycle: bool | None = None
    previous_episodes: Annotated[Whole, Field(ge=0, le=1000)] | None = None
    trend: Trend | None = None


class Neuro(Document):
    numbness: Regions | None = None
    tingling: Regions | None = None
    weakness: Regions | None = None
    leg_symptoms_started_days_ago: Annotated[Whole, Field(ge=0, le=36500)] | None = None
    leg_drags_or_trips: bool | None = None
    saddle_numbness: bool | None = None
    bladder_change: bool | None = None
    bowel_change: bool | None = None
    sexual_change: bool | None = None
    getting_worse: bool | None = None
    walking_limited_by_leg_symptoms: bool | None = None


class General(Document):
    fever_or_chills: bool | None = None
    unexplained_weight_loss: bool | None = None
    feels_unwell: bool | None = None
    pulsating_abdomen: bool | None = None
    faint_or_collapse: bool | None = None
    urinary_symptoms: bool | None = None
    recent_infection: bool | None = None
    chest_pain_or_breathless: bool | None = None


class Running(Document):
    years_running: Annotated[float, Field(ge=0, le=90)] | None = None
    runs_per_week: Annotated[float, Field(ge=0, le=21)] | None = None
    km_last_week: Annotated[float, Field(ge=0, le=500)] | None = None
    km_per_week_before: Annotated[float, Field(ge=0, le=500)] | None = None
    returned_after_break_weeks: Annotated[Whole, Field(ge=0, le=2000)] | None = None
    surfaces: UniqueList[Surface] | None = None
    shoe_km: Annotated[float, Field(ge=0, le=20000)] | None = None
    cadence_spm: Annotated[float, Field(ge=60, le=260)] | None = None
    warms_up: bool | None = None
    strength_sessions_per_week: Annotated[float, Field(ge=0, le=21)] | None = None
    cross_training: UniqueList[CrossTraining] | None = None
    sitting_hours_per_day: Annotated[float, Field(ge=0, le=24)] | None = None
    recent_changes: UniqueList[RecentChange] | None = None


class Outlook(Document):
    bothersome: Bothersome | None = None
    fears_running_harms_back: bool | None = None
    worries_a_lot: bool | None = None
    expects_it_never_gets_better: bool | None = None
    low_mood: bool | None = None


class FunctionItem(Document):
    activity: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    score_0_10: Annotated[Whole, Field(ge=0, le=10)]


class IntakeV1(Document):
    """One intake document, ``backstride.intake/1``."""

    model_config = ConfigDict(
        title="Self-assessment intake for a runner with lower back pain",
        json_schema_extra=_drop_null_branches,
    )

    schema_: Literal["backstride.intake/1"] = Field(alias="schema")
    person: Person
    pain: Pain
    neuro: Neuro | None = None
    general: General | None = None
    running: Running | None = None
    outlook: Outlook | None = None
    function: Annotated[list[FunctionItem], Field(max_length=5)] | None = None

    def to_document(self) -> dict[str, Any]:
        """The intake as the JSON-ready contract document (absent fields left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


_KEYWORDS = {"ge": "minimum", "le": "maximum"}


def _standard_keywords(node: Any) -> Any:
    # Bounds on validator-wrapped ints come out as pydantic's own "ge"/"le".
    if isinstance(node, dict):
        return {_KEYWORDS.get(key, key): _standard_keywords(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_standard_keywords(item) for item in node]
    return node


def standard_keywords(node: Any) -> Any:
    return _standard_keywords(node)


def intake_v1_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the version-1 intake, generated from the model."""
    schema = _standard_keywords(IntakeV1.model_json_schema(by_alias=True))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": INTAKE_SCHEMA_ID,
        **schema,
    }
