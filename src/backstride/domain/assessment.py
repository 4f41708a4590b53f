"""The assessment document, ``backstride.assessment/1`` (contracts/assessment.md).

The one machine-readable result of the clinical core. The CLI, the API and the
web app all return exactly this shape; its ids are stable.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

ASSESSMENT_SCHEMA_ID = "backstride.assessment/1"

TriageLevel = Literal["emergency", "urgent", "soon", "self_care"]
FlagLevel = Literal["emergency", "urgent", "soon"]
Likelihood = Literal["high", "moderate", "low"]
RunningAdvice = Literal["stop", "pause", "reduce", "continue"]
OutlookRisk = Literal["low", "medium", "high"]

SeriousId = Literal[
    "cauda_equina_syndrome",
    "abdominal_aortic_aneurysm",
    "cardiopulmonary_emergency",
    "spinal_fracture",
    "spinal_infection",
    "malignancy",
    "progressive_neurological_deficit",
    "pregnancy_complication",
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


class RedFlag(_Part):
    id: SeriousId
    level: FlagLevel
    findings: list[str]
    explanation: str
    sources: list[str]


class LikelyCause(_Part):
    id: CauseId
    likelihood: Likelihood
    score: float = Field(ge=0.0, le=1.0)
    supporting: list[str]
    against: list[str]
    explanation: str


class ContributingFactor(_Part):
    id: FactorId
    detail: str
    sources: list[str]


class Running(_Part):
    advice: RunningAdvice
    detail: str


class Outlook(_Part):
    risk: OutlookRisk
    detail: str


class Assessment(_Part):
    """One assessment document, ``backstride.assessment/1``."""

    schema_: Literal["backstride.assessment/1"] = Field(
        default="backstride.assessment/1", alias="schema"
    )
    triage: Triage
    red_flags: list[RedFlag]
    likely_causes: list[LikelyCause] = Field(max_length=5)
    contributing_factors: list[ContributingFactor]
    running: Running
    outlook: Outlook
    disclaimer: str

    model_config = ConfigDict(populate_by_name=True)

    def to_document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
