"""Use case: the care state, the one answer every page, command, export and API
document asks before it shows an exercise, a run or a walk-run stage.

It loads what the policy needs (the saved assessments, the check-ins the rules
read for the day, the latest plan), hands it to :func:`backstride.domain.care.decide`,
and words the instruction for an open warning sign by re-running the runner's own
intake triage with it (``services.recovery.retriage``).

The check-ins are read in bounded time whatever the length of the diary
(:func:`recovery_history`): the rules look back a fixed number of days, and the few
rows they need from any time (the first check-in, the PSFS scores, the last runs,
the warning signs that hold) are found by indexed columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from backstride.content.escalation import load_escalation_thresholds
from backstride.content.loader import load_knowledge_base, load_programme_thresholds
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.care import (
    AssessmentRecord,
    CareDecision,
    CheckinRecord,
    HoldInstruction,
    Instruction,
    PlanRecord,
    decide,
    rules_instruction,
    suspend_plan,
)
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.checkin import CheckIn, one_per_day
from backstride.domain.recovery.escalation import (
    Baseline,
    EscalationThresholds,
    ReportedSign,
    flare_of,
)
from backstride.services.assessing import default_locale
from backstride.services.ports import SavedAssessment, SavedCheckin, SavedPlan, UnitOfWork

# How many saved assessments the policy reads: the latest decides, and an earlier
# one (made after a warning, recording that the runner was seen) may have cleared it.
ASSESSMENTS_READ = 50

__all__ = [
    "CareDecision",
    "CareInputs",
    "care_state",
    "decide_care",
    "draft_is_flare",
    "load_care_inputs",
    "recovery_history",
    "shown_plan",
]


@dataclasses.dataclass(frozen=True, slots=True)
class CareInputs:
    """What the care policy reads, as stored."""

    assessments: tuple[SavedAssessment, ...]
    checkins: tuple[SavedCheckin, ...]
    plan: SavedPlan | None

    @property
    def latest_assessment(self) -> SavedAssessment | None:
        return self.assessments[0] if self.assessments else None


def window_days(t: EscalationThresholds) -> int:
    """How many days before the day asked about the rules look back, at most.

    X2 compares two weeks; X3 reads ``trend_weeks`` weeks; a "soon" warning sign
    lasts ``warning_answer_valid_days``; a flare compares with the
    ``flare_window_days`` before it; X4, the PSFS and warning-screen prompts, the
    re-triage and today's runs read the last 7 days.
    """
    return max(14, 7 * t.trend_weeks, t.warning_answer_valid_days, t.flare_window_days + 1, 7)


def recovery_history(uow: UnitOfWork, last_day: dt.date) -> tuple[SavedCheckin, ...]:
    """The check-ins the care and recovery rules read on ``last_day``, in date order.

    Every rule gives the same answer on these as on every check-in up to the day
    (tests/integration/test_bounded_checkins.py): the days of the window
    (:func:`window_days`); the latest two check-ins (the previous one for the
    warning screen) and the flare window before the latest; the first check-in (X4's
    baseline); the first and latest PSFS scores; the last runs X5 reads; and every
    check-in reporting an emergency or urgent sign (it holds until cleared).
    """
    t = load_escalation_thresholds()
    found: dict[dt.date, SavedCheckin] = {}

    def add(items: Sequence[SavedCheckin | None]) -> None:
        for saved in items:
            if saved is not None:
                found[saved.day] = saved

    checkins = uow.checkins
    window_start = last_day - dt.timedelta(days=window_days(t))
    add(checkins.between(window_start, last_day))
    latest = checkins.latest(last_day, limit=2)
    add(latest)
    if latest:
        newest = max(saved.day for saved in latest)
        flare_start = newest - dt.timedelta(days=t.flare_window_days)
        if flare_start < window_start:
            add(checkins.between(flare_start, newest))
    add([checkins.first(last_day), checkins.first(last_day, with_psfs=True)])
    add(checkins.latest(last_day, with_psfs=True))
    runs = max(1, load_programme_thresholds().painful_sessions_to_step_back)
    add(checkins.latest(last_day, limit=runs, running=True))
    add(checkins.holding(last_day))
    return tuple(found[day] for day in sorted(found))


def load_care_inputs(uow: UnitOfWork, last_day: dt.date) -> CareInputs:
    """Read the inputs inside an open unit of work (the check-ins the rules read on
    ``last_day``: :func:`recovery_history`)."""
    return CareInputs(
        assessments=tuple(uow.assessments.list(ASSESSMENTS_READ)),
        checkins=recovery_history(uow, last_day),
        plan=uow.plans.latest(),
    )


def _assessment_record(saved: SavedAssessment) -> AssessmentRecord:
    created = saved.created_at
    on = created.astimezone().date() if created.tzinfo else created.date()
    return AssessmentRecord(saved.id, created, on, saved.assessment, saved.intake)


def _hold_instruction(
    kb: KnowledgeBase, latest: SavedAssessment | None, history: Sequence[CheckIn], day: dt.date
) -> HoldInstruction:
    # Imported here: the recovery package imports this module as it loads.
    from backstride.services.recovery.retriage import retriage_signs

    place = kb.locale(default_locale())

    def instruction(signs: Sequence[ReportedSign]) -> Instruction:
        found = retriage_signs([s.sign for s in signs], latest, history, day, kb)
        if found is None:  # pragma: no cover - the policy never asks without a sign
            return rules_instruction(signs)
        tel = place.tel if found.level == "emergency" else None
        return Instruction(found.level, found.headline, found.actions, tel)

    return instruction


def decide_care(inputs: CareInputs, day: dt.date, kb: KnowledgeBase | None = None) -> CareDecision:
    """The care state on ``day`` from inputs already loaded."""
    knowledge = kb or load_knowledge_base()
    records = [
        CheckinRecord(saved.document.to_checkin(), saved.recorded_at)
        for saved in inputs.checkins
        if saved.day <= day
    ]
    history = one_per_day(r.checkin for r in records)
    plan = inputs.plan
    return decide(
        day,
        [_assessment_record(a) for a in inputs.assessments],
        records,
        PlanRecord(plan.id, plan.assessment_id, plan.plan) if plan else None,
        load_escalation_thresholds(),
        programme=load_programme_thresholds(),
        hold_instruction=_hold_instruction(knowledge, inputs.latest_assessment, history, day),
    )


def care_state(uow: UnitOfWork, day: dt.date, kb: KnowledgeBase | None = None) -> CareDecision:
    """The care state on ``day``: what the runner should do now, and why."""
    with uow:
        inputs = load_care_inputs(uow, day)
    return decide_care(inputs, day, kb)


def draft_is_flare(inputs: CareInputs, draft: CheckIn) -> bool:
    """Whether a check-in being entered is a flare day (the safety questions are then due)."""
    earlier = [s.document.to_checkin() for s in inputs.checkins if s.day < draft.day]
    latest = inputs.latest_assessment
    pain = latest.intake.pain if latest else None
    baseline = Baseline(
        day=draft.day,
        pain_0_10=0,
        assessed_now=pain.now_0_10 if pain else None,
        assessed_worst=pain.worst_0_10 if pain else None,
    )
    return flare_of(draft, earlier, load_escalation_thresholds(), baseline) is not None


def shown_plan(plan: Plan, decision: CareDecision) -> Plan:
    """The plan as every surface may show it: suspended while care is needed or on hold."""
    return suspend_plan(plan, decision)
