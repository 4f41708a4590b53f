"""Use case: assess an intake, save it, list what was saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from backstride.content.loader import load_knowledge_base
from backstride.domain.assess import assess
from backstride.domain.assessment import Assessment
from backstride.domain.intake import Intake
from backstride.domain.knowledge import KnowledgeBase
from backstride.services.ports import Clock, SavedAssessment, UnitOfWork
from backstride.services.validation import parse_json_text, validate_document


def parse_intake(data: Any) -> Intake:
    """Validate a decoded JSON value as an intake; raises InvalidDocument."""
    return validate_document(Intake, data)


def parse_intake_text(text: str) -> Intake:
    return parse_intake(parse_json_text(text))


def assess_intake(
    intake: Intake,
    kb: KnowledgeBase | None = None,
    *,
    measured: Mapping[str, str] | None = None,
) -> Assessment:
    return assess(intake, kb or load_knowledge_base(), measured=measured)


def assess_and_save(
    uow: UnitOfWork,
    clock: Clock,
    intake: Intake,
    kb: KnowledgeBase | None = None,
    *,
    measured: Mapping[str, str] | None = None,
) -> SavedAssessment:
    knowledge = kb or load_knowledge_base()
    assessment = assess(intake, knowledge, measured=measured)
    created_at = clock.now()
    with uow:
        new_id = uow.assessments.add(created_at, knowledge.version, intake, assessment)
        uow.commit()
    return SavedAssessment(new_id, created_at, knowledge.version, intake, assessment)


def history(uow: UnitOfWork, limit: int = 50) -> Sequence[SavedAssessment]:
    with uow:
        return uow.assessments.list(limit)


def get_assessment(uow: UnitOfWork, assessment_id: int) -> SavedAssessment | None:
    with uow:
        return uow.assessments.get(assessment_id)


def latest_assessment(uow: UnitOfWork) -> SavedAssessment | None:
    with uow:
        return uow.assessments.latest()
