"""Use case: assess an intake, save it, list what was saved."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from backstride.content.loader import load_knowledge_base
from backstride.content.questions import load_questions
from backstride.domain.assessment.assess import assess
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import INTAKE_V1_SCHEMA_ID, Intake
from backstride.domain.assessment.intake_v1 import IntakeV1
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.vocabulary import needs_care_now
from backstride.services.ports import Clock, SavedAssessment, UnitOfWork
from backstride.services.validation import parse_json_text, validate_document


def parse_intake(data: Any) -> Intake:
    """Validate a decoded JSON value as an intake; raises InvalidDocument.

    A version-1 document is checked against the version-1 model first, so a
    version-2 field in it is reported at its own path.
    """
    if isinstance(data, dict) and data.get("schema") == INTAKE_V1_SCHEMA_ID:
        validate_document(IntakeV1, data)
    return validate_document(Intake, data)


def parse_intake_text(text: str) -> Intake:
    return parse_intake(parse_json_text(text))


def default_locale() -> str | None:
    """The country whose emergency numbers reports use (``BACKSTRIDE_LOCALE``, e.g. GB).

    Unset, reports name the numbers of every shipped country (review R12 21b).
    """
    return os.environ.get("BACKSTRIDE_LOCALE") or None


def assess_intake(
    intake: Intake,
    kb: KnowledgeBase | None = None,
    *,
    measured: Mapping[str, str] | None = None,
    locale: str | None = None,
) -> Assessment:
    return assess(
        intake,
        kb or load_knowledge_base(),
        measured=measured,
        locale=locale or default_locale(),
        describe=load_questions().describe,
    )


def assess_and_save(
    uow: UnitOfWork,
    clock: Clock,
    intake: Intake,
    kb: KnowledgeBase | None = None,
    *,
    measured: Mapping[str, str] | None = None,
) -> SavedAssessment:
    knowledge = kb or load_knowledge_base()
    assessment = assess_intake(intake, knowledge, measured=measured)
    created_at = clock.now()
    with uow:
        new_id = uow.assessments.add(created_at, knowledge.version, intake, assessment)
        alert_if_care_now(uow, clock, assessment)
        uow.commit()
    return SavedAssessment(new_id, created_at, knowledge.version, intake, assessment)


def alert_if_care_now(uow: UnitOfWork, clock: Clock, assessment: Assessment) -> None:
    """An emergency or urgent assessment alerts the runner's linked physiotherapists, in
    the transaction that saves it, as a warning sign at check-in does (none are linked
    in the local app)."""
    level = assessment.triage.level
    if needs_care_now(level):
        flags = sorted({flag.id for flag in assessment.red_flags})
        uow.alert_clinicians(clock.today(), "warning_sign", level, flags, clock.now())


def history(uow: UnitOfWork, limit: int = 50) -> Sequence[SavedAssessment]:
    with uow:
        return uow.assessments.list(limit)


def get_assessment(uow: UnitOfWork, assessment_id: int) -> SavedAssessment | None:
    with uow:
        return uow.assessments.get(assessment_id)


def latest_assessment(uow: UnitOfWork) -> SavedAssessment | None:
    with uow:
        return uow.assessments.latest()
