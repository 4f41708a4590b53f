"""Use case: build a plan from an assessment, save it, load the latest.

A plan is always built from an assessment (triage is the single gate): either
the latest saved one, or one made on the spot from an intake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base, load_programme_thresholds
from backstride.domain.assessment.assess import assess
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.builder import build_plan
from backstride.domain.plan.model import Plan, Preferences
from backstride.services.assessing import alert_if_care_now
from backstride.services.ports import Clock, SavedAssessment, SavedPlan, UnitOfWork
from backstride.services.transactions import PLANS, retrying


class NoAssessmentError(LookupError):
    """There is no saved assessment to build a plan from (or none with the id asked for)."""

    def __init__(self, assessment_id: int | None = None) -> None:
        super().__init__()
        self.assessment_id = assessment_id

    def __str__(self) -> str:
        if self.assessment_id is not None:
            return f"there is no saved assessment {self.assessment_id}"
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
        programme=load_programme_thresholds(),
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
    return _planned_from(saved, preferences, kb)


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
            alert_if_care_now(uow, clock, planned.assessment)
            plan_id = uow.plans.add(created_at, assessment_id, planned.plan)
            uow.commit()
        return assessment_id, plan_id

    assessment_id, plan_id = retrying(save)
    return SavedPlan(plan_id, created_at, assessment_id, planned.plan), assessment_id


def latest_plan(uow: UnitOfWork) -> SavedPlan | None:
    with uow:
        return uow.plans.latest()


def get_plan(uow: UnitOfWork, plan_id: int) -> SavedPlan | None:
    with uow:
        return uow.plans.get(plan_id)


def plan_from_assessment(
    uow: UnitOfWork, assessment_id: int, preferences: Preferences, kb: KnowledgeBase | None = None
) -> PlannedFrom:
    """Build a plan from one saved assessment (not only the latest); nothing saved.

    Raises NoAssessmentError when there is no saved assessment with that id.
    """
    with uow:
        saved = uow.assessments.get(assessment_id)
    if saved is None:
        raise NoAssessmentError(assessment_id)
    return _planned_from(saved, preferences, kb)


def _planned_from(
    saved: SavedAssessment, preferences: Preferences, kb: KnowledgeBase | None
) -> PlannedFrom:
    plan = plan_for(saved.assessment, saved.intake, preferences, kb)
    return PlannedFrom(plan, saved.assessment, saved.intake, saved.id)


@dataclass(frozen=True, slots=True)
class PlanDecision:
    """Whether an exercise plan may be built, and, when not, the plan that says what to do.

    One function decides; the page that would show the preferences form and the
    route that receives a submitted one both ask it. The decision is the plan
    builder's own (triage is the gate): an emergency or urgent triage, a red flag
    or a probable organ cause give a plan with no phases, only what to do now.
    """

    allowed: bool
    reason: str
    care_plan: Plan | None  # the what-to-do-now plan when not allowed


def plan_decision(saved: SavedAssessment, start: date) -> PlanDecision:
    trial = plan_for(saved.assessment, saved.intake, Preferences(start_date=start))
    if trial.phases:
        return PlanDecision(True, "", None)
    reason = (
        "Your answers need a doctor first, so backstride gives no exercise plan: "
        "follow what to do now, and assess again once you have been seen."
    )
    return PlanDecision(False, reason, trial)
