"""The intake document: what a runner reports about one episode of back pain.

Version 2 (``backstride.intake/2``) is version 1 plus the additions of the clinical
requirements version 2 and its safety review (``docs/reference/triage-policy.md``
names them): "not sure" as a real answer on the four cauda equina questions, the
split bladder questions, pregnancy and periods, aortic and bleeding risks, bone
stress, and the new regions, aggravators and warning signs. Every addition is
optional and, as in version 1, an absent field means "not asked / unknown", never
"no".

One model reads both versions. A document that declares ``backstride.intake/1``
must also be a valid version-1 document (:class:`~backstride.domain.assessment.intake_v1.IntakeV1`),
so a version-2 field in it is an error; the published JSON Schema says the same
with an ``if``/``then`` on the ``schema`` field. The tests hold the model and the
schema to the same verdict on any document.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import ConfigDict, Field, ValidationError, model_validator

from backstride.domain.assessment import intake_v1 as v1
from backstride.domain.assessment.intake_v1 import (
    Bothersome,
    CrossTraining,
    Document,
    Easer,
    FunctionItem,
    Night,
    Onset,
    RecentChange,
    Sex,
    Surface,
    Trauma,
    Trend,
    UniqueList,
    Whole,
    intake_v1_json_schema,
    standard_keywords,
)

__all__ = [
    "INTAKE_SCHEMA_ID",
    "INTAKE_SCHEMA_IDS",
    "Aggravator",
    "Bothersome",
    "Character",
    "CrossTraining",
    "Easer",
    "FunctionItem",
    "General",
    "History",
    "Intake",
    "Neuro",
    "Night",
    "Onset",
    "Pain",
    "Person",
    "RecentChange",
    "Region",
    "Running",
    "Sex",
    "Surface",
    "Trauma",
    "Trend",
    "YesNoUnsure",
    "intake_json_schema",
]

INTAKE_SCHEMA_ID = "backstride.intake/2"
INTAKE_V1_SCHEMA_ID = v1.INTAKE_SCHEMA_ID
INTAKE_SCHEMA_IDS = (INTAKE_V1_SCHEMA_ID, INTAKE_SCHEMA_ID)

Region = Literal[
    "low_back_center",
    "low_back_left",
    "low_back_right",
    "upper_back",
    "buttock_left",
    "buttock_right",
    "sit_bone_left",
    "sit_bone_right",
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
    # version 2
    "blood_thinners",
    "antiplatelet",
    "diabetes",
    "smoker",
    "high_blood_pressure",
    "aortic_aneurysm_or_dissection",
    "aortic_risk",
    "vascular_disease",
    "previous_bone_stress_injury",
    "sickle_cell_disease",
]
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
    "pulled_or_strained",
]
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
    # version 2
    "lying_on_side",
    "climbing_stairs",
    "running_uphill",
    "putting_on_shoes_and_socks",
]
CouldBePregnant = Literal["yes", "no", "not_sure"]
PregnancyTest = Literal["positive", "negative", "not_done"]
Periods = Literal[
    "regular",
    "irregular",
    "stopped_3_months",
    "not_applicable",
    "hormonal_contraception",
    "breastfeeding",
    "menopause",
]
# The four cauda equina questions: yes, no, or an honest "not sure".
YesNoUnsure = bool | Literal["not_sure"]
Regions = UniqueList[Region]


class Person(Document):
    age: Annotated[Whole, Field(ge=10, le=110)]
    sex: Sex | None = None
    height_cm: Annotated[float, Field(ge=90, le=250)] | None = None
    weight_kg: Annotated[float, Field(ge=25, le=300)] | None = None
    history: UniqueList[History] | None = None
    could_be_pregnant: CouldBePregnant | None = None
    pregnancy_test: PregnancyTest | None = None
    pregnancy_weeks: Annotated[Whole, Field(ge=1, le=45)] | None = None
    weeks_since_birth: Annotated[Whole, Field(ge=0, le=104)] | None = None
    periods: Periods | None = None


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
    hurts_to_hop: bool | None = None
    limp: bool | None = None
    fall_or_blow: bool | None = None


class Neuro(Document):
    numbness: Regions | None = None
    tingling: Regions | None = None
    weakness: Regions | None = None
    leg_symptoms_started_days_ago: Annotated[Whole, Field(ge=0, le=36500)] | None = None
    leg_drags_or_trips: bool | None = None
    saddle_numbness: YesNoUnsure | None = None
    bladder_change: YesNoUnsure | None = None
    bowel_change: YesNoUnsure | None = None
    sexual_change: YesNoUnsure | None = None
    getting_worse: bool | None = None
    walking_limited_by_leg_symptoms: bool | None = None
    new_bladder_urgency: bool | None = None


class General(v1.General):
    painful_or_bloody_urine: bool | None = None
    lightheaded_or_sweaty: bool | None = None
    vaginal_bleeding: bool | None = None
    pregnancy_warning_signs: bool | None = None
    very_unwell_signs: bool | None = None
    vomiting: bool | None = None
    shoulder_tip_pain: bool | None = None
    dark_urine: bool | None = None
    testicle_pain: bool | None = None
    pain_on_breathing_in: bool | None = None


class Running(v1.Running):
    pelvic_floor_symptoms: bool | None = None


class Review(Document):
    """Answers that only a re-assessment asks."""

    seen_clinician_since_warning: bool | None = None


class Intake(Document):
    """One intake document, ``backstride.intake/2`` (or a valid ``/1`` document)."""

    model_config = ConfigDict(
        title="Self-assessment intake for a runner with lower back pain",
        json_schema_extra=v1._drop_null_branches,
    )

    schema_: Literal["backstride.intake/1", "backstride.intake/2"] = Field(alias="schema")
    person: Person
    pain: Pain
    neuro: Neuro | None = None
    general: General | None = None
    running: Running | None = None
    outlook: v1.Outlook | None = None
    function: Annotated[list[FunctionItem], Field(max_length=5)] | None = None
    review: Review | None = None

    @model_validator(mode="before")
    @classmethod
    def _version_1_documents_stay_version_1(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("schema") == INTAKE_V1_SCHEMA_ID:
            try:
                v1.IntakeV1.model_validate(data)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "$"
                raise ValueError(
                    f"not a valid {INTAKE_V1_SCHEMA_ID} document ({where}: {first['msg']}); "
                    f'version-2 answers need "schema": "{INTAKE_SCHEMA_ID}"'
                ) from None
        return data

    @property
    def version(self) -> int:
        return 1 if self.schema_ == INTAKE_V1_SCHEMA_ID else 2

    def to_document(self) -> dict[str, Any]:
        """The intake as the JSON-ready contract document (absent fields left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _prefixed_refs(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", f"#/$defs/{prefix}")
                if key == "$ref" and isinstance(value, str)
                else _prefixed_refs(value, prefix)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_prefixed_refs(item, prefix) for item in node]
    return node


def intake_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the intake, generated from the models.

    A ``/1`` document must also satisfy the version-1 schema, embedded under
    ``$defs`` with a ``v1_`` prefix and applied with ``if``/``then``.
    """
    schema = cast(dict[str, Any], standard_keywords(Intake.model_json_schema(by_alias=True)))
    version_1 = _prefixed_refs(intake_v1_json_schema(), "v1_")
    definitions = dict(schema.pop("$defs", {}))
    for name, definition in version_1.pop("$defs", {}).items():
        definitions[f"v1_{name}"] = definition
    version_1.pop("$schema", None)
    version_1.pop("$id", None)
    version_1.pop("title", None)
    definitions["v1_IntakeV1"] = version_1
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": INTAKE_SCHEMA_ID,
        **schema,
        "$defs": definitions,
        "if": {"properties": {"schema": {"const": INTAKE_V1_SCHEMA_ID}}, "required": ["schema"]},
        "then": {"$ref": "#/$defs/v1_IntakeV1"},
    }
