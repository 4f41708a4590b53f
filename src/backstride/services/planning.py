"""Use case: build a plan from an assessment, save it, load the latest.

A plan is always built from an assessment (triage is the single gate): either
the latest saved one, or one made on the spot from an intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.assess import assess
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.builder import build_plan
from backstride.domain.plan.model import Plan, Preferences
from backstride.services.ports import Clock, SavedPlan, UnitOfWork
from backstride.services.transactions import PLANS, retrying


class NoAssessmentError(LookupError):
    """There is no saved assessment to build a plan from."""

    def __str__(self) -> str:
        return (
            "no saved assessment to build a plan from: run backstride assess --save first, "
            "or give an intake with --input FILE"
        )


@dataclass(frozen=True, slots=True)
class PlannedFrom:
    """A plan and what it was built from; ``assessment_id`` is None when not saved."""

    plan: Plan
    assessment: Assessment
    intake: Intake
    assessment_id: int | None


def plan_for(
    assessment: Assessment,
    intake: Intake,
    preferences: Preferences,
    kb: KnowledgeBase | None = None,
) -> Plan:
    """The plan for an assessment and the intake it came from (nothing saved)."""
    return build_plan(
        assessment,
        intake,
        preferences,
        library=load_exercises(),
        kb=kb or load_knowledge_base(),
        topics=frozenset(load_topics()),
    )


def plan_from_intake(
    intake: Intake, preferences: Preferences, kb: KnowledgeBase | None = None
) -> PlannedFrom:
    """Assess the intake on the spot and build its plan (nothing saved)."""
    knowledge = kb or load_knowledge_base()
    assessment = assess(intake, knowledge)
    plan = plan_for(assessment, intake, preferences, knowledge)
    return PlannedFrom(plan, assessment, intake, None)


def plan_from_latest(
    uow: UnitOfWork, preferences: Preferences, kb: KnowledgeBase | None = None
) -> PlannedFrom:
    """Build a plan from the latest saved assessment; raises NoAssessmentError."""
    with uow:
        saved = uow.assessments.latest()
    if saved is None:
        raise NoAssessmentError
    plan = plan_for(saved.assessment, saved.intake, preferences, kb)
    return PlannedFrom(plan, saved.assessment, saved.intake, saved.id)


def save_plan(uow: UnitOfWork, clock: Clock, planned: PlannedFrom) -> SavedPlan:
    """Store a plan built from a saved assessment (or from none)."""
    created_at = clock.now()

    def save() -> int:
        with uow:
            uow.lock(PLANS)
            plan_id = uow.plans.add(created_at, planned.assessment_id, planned.plan)
            uow.commit()
        return plan_id

    return SavedPlan(retrying(save), created_at, planned.assessment_id, planned.plan)


def plan_and_save_from_intake(
    uow: UnitOfWork,
    clock: Clock,
    intake: Intake,
    preferences: Preferences,
    kb: KnowledgeBase | None = None,
) -> tuple[SavedPlan, int]:
    """Assess an intake, build its plan and save both in one transaction.

    Returns the saved plan and the new assessment's id: both are kept, or neither.
    """
    knowledge = kb or load_knowledge_base()
    planned = plan_from_intake(intake, preferences, knowledge)
    created_at: datetime = clock.now()

    def save() -> tuple[int, int]:
        with uow:
            uow.lock(PLANS)
            assessment_id = uow.assessments.add(
                created_at, knowledge.version, intake, planned.assessment
            )
            plan_id = uow.plans.add(created_at, assessment_id, planned.plan)
            uow.commit()
        return assessment_id, plan_id

    assessment_id, plan_id = retrying(save)
    return SavedPlan(plan_id, created_at, assessment_id, planned.plan), assessment_id


def latest_plan(uow: UnitOfWork) -> SavedPlan | None:
    with uow:
        return uow.plans.latest()
