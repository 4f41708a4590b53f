"""The assessment document, ``backstride.assessment/2`` (docs/reference/assessment.md).

The one machine-readable result of the clinical core. The CLI, the API and the
web app all return exactly this shape; its ids are stable. Version 2 adds the
safety screen, the audience of each cause, factor and the outlook (at urgent and
emergency they are for the clinician only), a clinician's explanation on each red
flag, the warning signs for this result and its safety-net texts. Stored version-1
documents still load: every addition has a default.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.vocabulary import RunningAdviceId, TriageLevel

ASSESSMENT_SCHEMA_ID = "backstride.assessment/2"

FlagLevel = Literal["emergency", "urgent", "soon"]
Likelihood = Literal["high", "moderate", "low"]
OutlookRisk = Literal["low", "medium", "high"]
Audience = Literal["runner", "clinician"]

SeriousId = Literal[
    "cauda_equina_syndrome",
    "abdominal_aortic_aneurysm",
    "cardiopulmonary_emergency",
    "spinal_fracture",
    "spinal_infection",
    "malignancy",
    "progressive_neurological_deficit",
    "pregnancy_complication",
    # version 2
    "bleeding_on_blood_thinners",
    "bone_stress_injury",
    "acute_abdomen",
    "sepsis",
    "rhabdomyolysis",
    "testicular_torsion",
    "sickle_cell_crisis",
]
CauseId = Literal[
    "nonspecific_mechanical",
    "deep_gluteal_piriformis",
    "radicular_sciatica",
    "lumbar_spinal_stenosis",
    "facet_joint",
    "sacroiliac_joint",
    "spondylolysis",
    "inflammatory_back_pain",
    "menstrual_related",
    "visceral_referred",
    # version 2
    "hip_joint",
    "proximal_hamstring_tendinopathy",
    "gluteal_tendinopathy",
]
FactorId = Literal[
    "load_spike",
    "return_too_fast",
    "new_runner",
    "hard_surfaces",
    "worn_shoes",
    "low_cadence_overstriding",
    "prolonged_sitting",
    "tight_hip_flexors",
    "weak_core_glutes",
    "no_warm_up",
    "excess_weight",
    "no_cross_training",
    # version 2
    "low_energy_availability",
    "pelvic_floor_symptoms",
]


# The id vocabularies of the contract, once: the Literals above are the source.
SERIOUS_CONDITIONS: tuple[str, ...] = get_args(SeriousId)
CAUSE_CONDITIONS: tuple[str, ...] = get_args(CauseId)
FACTOR_IDS: tuple[str, ...] = get_args(FactorId)


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Triage(_Part):
    level: TriageLevel
    headline: str
    actions: list[str]
    # The number a phone link dials for the emergency instruction, where the locale has one.
    tel: str | None = None
    # What the runner reported, in plain words, to tell the people who see them.
    tell_them: list[str] = []


class SafetyScreen(_Part):
    complete: bool
    unanswered: list[str]
    not_sure: list[str]
    questions: list[str]


# One sign to watch for with this result (the "get help at once if" list), with the
# level of care it calls for. Not a finding: the answers did not report it, or the
# result is already at its level. The check-in's question about a sign is
# domain.recovery.checkin.WarningSign. (A comment, not a docstring: a docstring would
# become the API schema's description.)
class WarningSignToWatch(_Part):
    text: str
    level: FlagLevel


class RedFlag(_Part):
    id: SeriousId
    level: FlagLevel
    findings: list[str]
    explanation: str
    sources: list[str]
    clinician_explanation: str = ""


class LikelyCause(_Part):
    id: CauseId
    likelihood: Likelihood
    score: float = Field(ge=0.0, le=1.0)
    supporting: list[str]
    against: list[str]
    explanation: str
    audience: Audience = "runner"


class ContributingFactor(_Part):
    id: FactorId
    detail: str
    sources: list[str]
    audience: Audience = "runner"


class Running(_Part):
    advice: RunningAdviceId
    detail: str


class Outlook(_Part):
    risk: OutlookRisk
    detail: str
    audience: Audience = "runner"


class Assessment(_Part):
    """One assessment document, ``backstride.assessment/2`` (or a stored ``/1``)."""

    schema_: Literal["backstride.assessment/1", "backstride.assessment/2"] = Field(
        default="backstride.assessment/2", alias="schema"
    )
    triage: Triage
    # None only on documents stored by version 1, which had no screen.
    safety_screen: SafetyScreen | None = None
    red_flags: list[RedFlag]
    likely_causes: list[LikelyCause] = Field(max_length=5)
    contributing_factors: list[ContributingFactor]
    running: Running
    outlook: Outlook
    warning_signs: list[WarningSignToWatch] = []
    safety_nets: list[str] = []
    disclaimer: str

    model_config = ConfigDict(populate_by_name=True)

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)

    def to_json(self) -> bytes:
        """`to_document` as compact UTF-8 JSON, written by pydantic's serializer (the
        API's answer: the same bytes as ``json.dumps`` of the document, in a third of
        the time)."""
        return self.model_dump_json(by_alias=True).encode()

    @property
    def screen_complete(self) -> bool:
        return self.safety_screen is None or self.safety_screen.complete
