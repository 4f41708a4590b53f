"""Small use cases the web app needs that the other services do not offer (yet).

Each is a thin composition of the existing services and repositories: a plan
from one chosen saved assessment, a saved plan by id, the triage gate as a
decision with its reason, several uploads as one import, and weekly running
distance from the run log for the progress chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from backstride.domain.plan.model import Plan, Preferences
from backstride.services import importing, planning, training
from backstride.services.ports import Clock, SavedAssessment, SavedPlan, UnitOfWork


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


def plan_decision(saved: SavedAssessment, start: dt.date) -> PlanDecision:
    trial = planning.plan_for(saved.assessment, saved.intake, Preferences(start_date=start))
    if trial.phases:
        return PlanDecision(True, "", None)
    reason = (
        "Your answers need a doctor first, so backstride gives no exercise plan: "
        "follow what to do now, and assess again once you have been seen."
    )
    return PlanDecision(False, reason, trial)


class NoSuchAssessmentError(LookupError):
    def __init__(self, assessment_id: int) -> None:
        super().__init__(f"there is no saved assessment {assessment_id}")
        self.assessment_id = assessment_id


def plan_from_assessment(
    uow: UnitOfWork, assessment_id: int, preferences: Preferences
) -> planning.PlannedFrom:
    """Build a plan from one saved assessment (not only the latest); nothing saved."""
    with uow:
        saved = uow.assessments.get(assessment_id)
    if saved is None:
        raise NoSuchAssessmentError(assessment_id)
    plan = planning.plan_for(saved.assessment, saved.intake, preferences)
    return planning.PlannedFrom(plan, saved.assessment, saved.intake, saved.id)


def get_plan(uow: UnitOfWork, plan_id: int) -> SavedPlan | None:
    with uow:
        return uow.plans.get(plan_id)


def import_uploads(
    new_uow: Callable[[], UnitOfWork],
    clock: Clock,
    files: Iterable[tuple[str, bytes]],
) -> importing.ImportSummary:
    """Import several uploaded files, one after another, as one summary.

    Each file is its own import (so one bad file never undoes another); the
    summaries are joined in upload order.
    """
    summaries = [importing.import_bytes(new_uow(), clock, name, data) for name, data in files]
    return importing.ImportSummary(
        files=sum(s.files for s in summaries),
        stored=tuple(item for s in summaries for item in s.stored),
        duplicates=tuple(item for s in summaries for item in s.duplicates),
        skipped=tuple(item for s in summaries for item in s.skipped),
        samples=sum(s.samples for s in summaries),
    )


def weekly_running_km(
    uow: UnitOfWork, start: dt.date, end: dt.date, tz: dt.tzinfo | None = None
) -> dict[dt.date, float]:
    """Running kilometres from the run log per week (keyed by its Monday), start to end."""
    monday = start - dt.timedelta(days=start.weekday())
    weeks: dict[dt.date, float] = {}
    while monday <= end:
        weeks[monday] = 0.0
        monday += dt.timedelta(days=7)
    # Only the weeks shown: a day either side covers any UTC offset of a local day.
    first = dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), dt.UTC)
    last = dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), dt.UTC)
    with uow:
        activities = uow.activities.between(first, last)
    for activity in activities:
        session = training.to_session(activity, tz)
        if not session.is_run or not start <= session.day <= end:
            continue
        week = session.day - dt.timedelta(days=session.day.weekday())
        weeks[week] = round(weeks[week] + session.distance_km, 2)
    return weeks
