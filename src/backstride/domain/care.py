"""The care state: one answer to "what should this runner do now?".

A pure policy over the latest assessment (and the ones before it), the
check-ins since, and the plan, decided once for a day and read by every page,
command, export and API document (clinical-v2.md §16-18 as amended by review
R13). Nothing else compares triage levels to decide whether a runner may
exercise or run: it asks :func:`decide` (through ``services.care``).

- ``care_now``: the latest assessment is emergency or urgent
  (``vocabulary.needs_care_now``). No exercise, no running.
- ``on_hold``: a check-in reported an emergency or urgent warning sign (yes or
  not sure) that no reassessment after being seen has cleared. No exercise, no
  running.
- ``no_assessment``: nothing assessed yet. No exercise, no running: assess first.
- ``no_plan``: assessed, no plan to follow (none yet, or one made when care was
  needed first). Running by the assessment's advice.
- ``plan_active``: a plan to follow: its exercises, running by the programme.
- ``plan_finished``: past the plan's dated weeks: its open last phase.

A *flare* (escalation rule X6) is a flag beside the state: that day and until
the next check-in that is not one, running pauses, the safety questions are
asked again, and the runner is prompted to repeat the assessment. It raises
self-care to "soon", never higher: only warning-sign answers do that.

A hold clears only when an assessment made after the warning (a later day, or
later the same day) no longer reports the sign *and* records
``review.seen_clinician_since_warning = true``. A later "no" in a check-in never
clears it, nor does a reassessment that does not say the runner was seen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Literal

from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.checkin import (
    NOT_SURE,
    CheckIn,
    PsfsScore,
    WarningSign,
    one_per_day,
)
from backstride.domain.recovery.escalation import (
    LEVEL_HEADLINES,
    WARNING_SIGN_RULES,
    Baseline,
    Escalation,
    EscalationThresholds,
    Flare,
    Level,
    ReportedSign,
    current_flare,
    evaluate,
    holds,
    reported_signs,
)
from backstride.domain.recovery.return_to_run import ProgrammeThresholds
from backstride.domain.vocabulary import LEVELS, most_urgent, needs_care_now

CareState = Literal[
    "no_assessment", "care_now", "on_hold", "no_plan", "plan_active", "plan_finished"
]
CARE_STATES: tuple[CareState, ...] = (
    "no_assessment",
    "care_now",
    "on_hold",
    "no_plan",
    "plan_active",
    "plan_finished",
)
LEVEL_NAMES: frozenset[str] = frozenset(LEVELS)
# The states in which no exercise, run or walk-run stage is shown anywhere.
SUSPENDED: frozenset[CareState] = frozenset({"care_now", "on_hold"})
# What to do next, for people and for programs reading the API.
NextStep = Literal[
    "get_care", "get_seen_then_reassess", "assess", "plan", "follow_plan", "reassess"
]


# --- inputs -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """A saved assessment: when it was made (instant and local day), what it said."""

    id: int
    recorded_at: dt.datetime
    on: dt.date
    assessment: Assessment
    intake: Intake

    @property
    def level(self) -> str:
        return self.assessment.triage.level

    @property
    def seen_clinician(self) -> bool:
        review = self.intake.review
        return review is not None and review.seen_clinician_since_warning is True

    def reports(self, sign: WarningSign) -> bool:
        """Whether this assessment's intake reports the sign (yes or not sure)."""
        section, _, name = sign.value.partition(".")
        part = getattr(self.intake, section, None)
        value = getattr(part, name, None) if part is not None else None
        return value is True or value == NOT_SURE

    def is_after(self, record: CheckinRecord) -> bool:
        """Whether this assessment was made after the check-in: a later day, or later
        the same day. A check-in re-sent after the assessment for an earlier day (to add
        the next morning's pain) stays before it."""
        return record.checkin.day < self.on or record.recorded_at < self.recorded_at


@dataclasses.dataclass(frozen=True, slots=True)
class CheckinRecord:
    checkin: CheckIn
    recorded_at: dt.datetime


@dataclasses.dataclass(frozen=True, slots=True)
class PlanRecord:
    id: int
    assessment_id: int | None
    plan: Plan


@dataclasses.dataclass(frozen=True, slots=True)
class Instruction:
    """What to do now, in the level's words: the headline first, then the actions."""

    level: str
    headline: str
    actions: tuple[str, ...]
    tel: str | None = None


HoldInstruction = Callable[[Sequence[ReportedSign]], Instruction]


def rules_instruction(signs: Sequence[ReportedSign]) -> Instruction:
    """The check-in rules' own instruction for open warning signs (no knowledge base)."""
    level = most_urgent(s.level.value for s in signs)
    plain = "; ".join(s.plain for s in signs if s.level.value == level)
    return Instruction(
        level=level,
        headline=LEVEL_HEADLINES[Level(level)],
        actions=(f"You reported {plain}.",),
    )


# --- the decision -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CareDecision:
    """The care state on ``day``, with its reasons."""

    day: dt.date
    state: CareState
    level: str  # the colour: the most urgent level that applies (self_care when none)
    instruction: Instruction | None  # set whenever the state suspends the plan
    reasons: tuple[str, ...]
    open_warnings: tuple[ReportedSign, ...]
    flare: Flare | None
    escalations: tuple[Escalation, ...]
    next_step: NextStep
    assessment_id: int | None = None
    plan_id: int | None = None

    @property
    def suspended(self) -> bool:
        """Care now or on hold: no exercise, no run, no walk-run stage, the instruction first."""
        return self.state in SUSPENDED

    @property
    def exercises_allowed(self) -> bool:
        return self.state in ("plan_active", "plan_finished")

    @property
    def running_allowed(self) -> bool:
        """Whether the return-to-run programme may prescribe a walk or run today."""
        return (
            not self.suspended
            and self.state != "no_assessment"
            and self.flare is None
            and not any(holds(w.level) for w in self.open_warnings)
        )

    @property
    def holds_open(self) -> tuple[ReportedSign, ...]:
        return tuple(w for w in self.open_warnings if holds(w.level))

    def to_document(self) -> dict[str, Any]:
        """The ``care`` object of the today, plan and progress documents."""
        instruction = self.instruction
        return {
            "state": self.state,
            "level": self.level,
            "suspended": self.suspended,
            "exercises_allowed": self.exercises_allowed,
            "running_allowed": self.running_allowed,
            "instruction": None
            if instruction is None
            else {
                "level": instruction.level,
                "headline": instruction.headline,
                "actions": list(instruction.actions),
                "tel": instruction.tel,
            },
            "reasons": list(self.reasons),
            "open_warnings": [
                {
                    "sign": w.sign.value,
                    "level": w.level.value,
                    "answer": "not_sure" if w.not_sure else "yes",
                    "first_reported": w.first_day.isoformat(),
                    "last_reported": w.last_day.isoformat(),
                    "text": w.plain,
                }
                for w in self.open_warnings
            ],
            "flare": None
            if self.flare is None
            else {
                "day": self.flare.day.isoformat(),
                "measures": [
                    {
                        "measure": m.measure.value,
                        "value": m.value,
                        "recent_level": m.recent,
                    }
                    for m in self.flare.measures
                ],
                "text": self.flare.describe(),
            },
            "next_step": self.next_step,
            "assessment_id": self.assessment_id,
            "plan_id": self.plan_id,
        }


def psfs_baseline(history: Sequence[CheckIn], intake: Intake | None) -> tuple[PsfsScore, ...]:
    """The intake's activity scores when it has them (taken first), else the first PSFS."""
    if intake is not None and intake.function:
        return tuple(PsfsScore(f.activity, f.score_0_10) for f in intake.function)
    return next((c.psfs for c in history if c.psfs), ())


def _baseline(
    history: Sequence[CheckIn], latest: AssessmentRecord | None, day: dt.date
) -> Baseline:
    first = history[0] if history else None
    pain = latest.intake.pain if latest else None
    return Baseline(
        day=first.day if first else day,
        pain_0_10=first.pain_now_0_10 if first else 0,
        psfs=psfs_baseline(history, latest.intake if latest else None),
        assessed_now=pain.now_0_10 if pain else None,
        assessed_worst=pain.worst_0_10 if pain else None,
    )


def _cleared(
    records: Sequence[CheckinRecord], assessments: Sequence[AssessmentRecord]
) -> frozenset[tuple[dt.date, WarningSign]]:
    """The emergency and urgent answers a reassessment after being seen has cleared."""
    seen = [a for a in assessments if a.seen_clinician]
    found = set()
    for record in records:
        for sign in record.checkin.warning_signs_present:
            if not holds(WARNING_SIGN_RULES[sign].level):
                continue
            if any(a.is_after(record) and not a.reports(sign) for a in seen):
                found.add((record.checkin.day, sign))
    return frozenset(found)


def _plan_state(plan: PlanRecord | None, day: dt.date) -> tuple[CareState, list[str]]:
    if plan is None:
        return "no_plan", ["No plan yet: build one from your assessment."]
    if needs_care_now(plan.plan.triage_level):
        return "no_plan", [
            "Your plan was made when you needed care first, so it has no exercises: "
            "build a new plan from your latest assessment."
        ]
    dated = [d.date for d in plan.plan.days]
    if dated and day > max(dated):
        return "plan_finished", [
            f"Your plan's dated weeks ended on {max(dated).isoformat()}: keep up its last "
            "phase, and repeat the assessment to check where you are."
        ]
    return "plan_active", []


def _hold_reasons(
    holding: Sequence[ReportedSign], latest: AssessmentRecord | None, reassessed: bool
) -> list[str]:
    """Why care is on hold; ``reassessed``: the latest assessment came after the warning."""
    reasons = []
    for warning in holding:
        answered = "were not sure about" if warning.not_sure else "reported"
        reasons.append(
            f"On {warning.last_day.isoformat()} you {answered} {warning.plain} in a check-in."
        )
    reasons.append(
        "Your plan is suspended until a doctor, nurse or physiotherapist has checked you and "
        "you have repeated the assessment, answering that you have been seen. A later "
        '"no" in a check-in does not clear it.'
    )
    if latest is not None and reassessed:
        if any(latest.reports(w.sign) for w in holding):
            reasons.append(f"Your assessment of {latest.on.isoformat()} still reports it.")
        elif not latest.seen_clinician:
            reasons.append(
                f"Your assessment of {latest.on.isoformat()} does not record that you have "
                "been seen since the warning, so the hold stays."
            )
    return reasons


def decide(
    day: dt.date,
    assessments: Iterable[AssessmentRecord],
    checkins: Iterable[CheckinRecord],
    plan: PlanRecord | None,
    thresholds: EscalationThresholds,
    *,
    programme: ProgrammeThresholds,
    hold_instruction: HoldInstruction = rules_instruction,
) -> CareDecision:
    """The care state on ``day``.

    ``assessments`` are the saved assessments (any order; the latest decides,
    an earlier one may have cleared a hold);
    ``checkins`` the saved check-ins (those after ``day`` are ignored);
    ``plan`` the latest plan; ``thresholds`` and ``programme`` the escalation and
    return-to-run numbers (from content). ``hold_instruction`` words the instruction
    for open warning signs (the service re-runs the intake's triage with them).
    """
    made = sorted(assessments, key=lambda a: (a.recorded_at, a.id))
    latest = made[-1] if made else None
    by_day = {r.checkin.day: r for r in checkins if r.checkin.day <= day}
    records = [by_day[d] for d in sorted(by_day)]
    history = one_per_day(r.checkin for r in records)
    covered = frozenset(r.checkin.day for r in records if latest is not None and latest.is_after(r))
    cleared = _cleared(records, made)
    baseline = _baseline(history, latest, day)
    escalations = tuple(
        evaluate(
            history,
            baseline,
            day,
            thresholds,
            programme_thresholds=programme,
            covered_days=covered,
            cleared=cleared,
        )
    )
    open_warnings = tuple(
        reported_signs(history, day, thresholds, covered_days=covered, cleared=cleared)
    )
    holding = [w for w in open_warnings if holds(w.level)]
    last_warning = max((w.last_day for w in holding), default=None)
    reassessed = latest is not None and any(
        latest.is_after(r) for r in records if r.checkin.day == last_warning
    )
    flare = current_flare(history, day, thresholds, baseline, covered_days=covered)
    levels = [e.level.value for e in escalations]
    ids = {
        "assessment_id": latest.id if latest else None,
        "plan_id": plan.id if plan else None,
    }

    if latest is not None and needs_care_now(latest.level):
        triage = latest.assessment.triage
        level = most_urgent([latest.level, *(w.level.value for w in holding)])
        reasons = [
            f"Your assessment of {latest.on.isoformat()} needs care now: no exercise and no "
            "running until you have been seen, and then repeat the assessment."
        ]
        if holding:
            reasons += _hold_reasons(holding, latest, reassessed)[:-1]
        instruction = Instruction(latest.level, triage.headline, tuple(triage.actions), triage.tel)
        if level != latest.level:
            instruction = hold_instruction(holding)
        return CareDecision(
            day, "care_now", level, instruction, tuple(reasons), open_warnings, flare,
            escalations, "get_care", **ids,
        )  # fmt: skip
    if holding:
        instruction = hold_instruction(holding)
        level = most_urgent([instruction.level, *(w.level.value for w in holding)])
        return CareDecision(
            day, "on_hold", level, instruction, tuple(_hold_reasons(holding, latest, reassessed)),
            open_warnings, flare, escalations, "get_seen_then_reassess", **ids,
        )  # fmt: skip

    # A plan saved without its assessment (older data, tests): the plan's triage stands.
    if latest is None and plan is not None and needs_care_now(plan.plan.triage_level):
        level = plan.plan.triage_level
        instruction = Instruction(level, plan.plan.headline, tuple(plan.plan.do_now))
        reasons = ["Your plan says you need care now: no exercise and no running."]
        return CareDecision(
            day, "care_now", level, instruction, tuple(reasons), open_warnings, flare,
            escalations, "get_care", **ids,
        )  # fmt: skip
    if latest is None and plan is None:
        level = most_urgent(levels)
        reasons = [
            "No assessment yet: it checks for warning signs first, then backstride can "
            "say whether exercises and running are safe for you."
        ]
        return CareDecision(
            day, "no_assessment", level, None, tuple(reasons), open_warnings, flare,
            escalations, "assess", **ids,
        )  # fmt: skip

    state, reasons = _plan_state(plan, day)
    assessed = (
        latest.level if latest is not None else plan.plan.triage_level if plan else "self_care"
    )
    level = most_urgent([assessed, *levels])
    step: NextStep = {"no_plan": "plan", "plan_finished": "reassess"}.get(  # type: ignore[assignment]
        state, "follow_plan"
    )
    if flare is not None:
        reasons.insert(
            0,
            f"A flare on {flare.day.isoformat()}: your {flare.describe()}. No running until it "
            "settles; answer the safety questions and repeat the assessment.",
        )
        step = "reassess"
    return CareDecision(
        day, state, level, None, tuple(reasons), open_warnings, flare, escalations, step, **ids
    )


SUSPENDED_NOTE = (
    "This plan is suspended: it lists no exercise and no run until you have been seen. "
    "Follow what to do now, then repeat the assessment."
)


def suspend_plan(plan: Plan, decision: CareDecision) -> Plan:
    """The plan as it may be shown or downloaded while care is needed now or on hold.

    An old plan opened, printed or exported then says it is suspended, leads with
    the instruction, and holds no phase, no dated session and no running: the
    exports draw it the way they draw a what-to-do-now plan. Any other state gives
    the plan back unchanged.
    """
    if not decision.suspended or decision.instruction is None:
        return plan
    instruction = decision.instruction
    level = instruction.level if instruction.level in LEVEL_NAMES else decision.level
    return plan.model_copy(
        update={
            "triage_level": level,
            "headline": f"{SUSPENDED_NOTE} {instruction.headline}",
            "do_now": [*instruction.actions, *decision.reasons],
            "phases": [],
            "days": [],
            "running": plan.running.model_copy(
                update={
                    "advice": "stop",
                    "detail": "No running until you have been seen.",
                    "return_to_run_from": None,
                }
            ),
            "education": [],
        }
    )
