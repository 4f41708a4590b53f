"""What the recovery rules need: the latest assessment and plan, the return-to-run
programme's state, the sessions it has judged, and the escalation baseline.

Where the return-to-run programme starts, and how many rest days follow a walk
that hurt at the first stage, are the domain's start rules
(``domain/recovery/start.py``, numbers in ``content/thresholds.yaml``); the
programme's numbers (:data:`PROGRAMME_THRESHOLDS`), and with them the usual week
assumed when the intake did not say (:data:`ASSUMED_USUAL`), are in the same file,
section ``return_to_run``. One product heuristic lives here: when a session is
judged without its next-morning pain (:func:`_ready`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

from backstride.content.loader import load_programme_thresholds, load_start_rules
from backstride.content.questions import load_questions
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.model import Plan
from backstride.domain.plan.run_schedule import usual_from_intake
from backstride.domain.recovery.checkin import (
    RUNNING_KINDS,
    CheckIn,
    SessionKind,
    WarningSign,
)
from backstride.domain.recovery.return_to_run import (
    ProgrammeState,
    SessionLogEntry,
    UsualVolume,
    advance,
    start_programme,
)
from backstride.domain.recovery.start import START_STAGE_BY_ADVICE as START_STAGE_BY_ADVICE
from backstride.domain.recovery.start import strictest_advice
from backstride.domain.vocabulary import needs_care_now
from backstride.services.care import CareDecision, CareInputs, decide_care, load_care_inputs
from backstride.services.ports import (
    SavedAssessment,
    SavedCheckin,
    SavedDecision,
    SavedProgramme,
    UnitOfWork,
)

CHECKIN_RESULT_SCHEMA_ID = "backstride.checkin-result/1"
TODAY_SCHEMA_ID = "backstride.today/1"
PROGRESS_SCHEMA_ID = "backstride.progress/1"

# The walk-run programme's numbers (content/thresholds.yaml, return_to_run), passed
# to the domain by every recovery use case.
PROGRAMME_THRESHOLDS = load_programme_thresholds()
# A modest week, used only to size the building stages when the intake did not
# give the runner's usual running (the run schedule's product heuristic).
ASSUMED_USUAL = PROGRAMME_THRESHOLDS.assumed_usual
# After walking hurt too much at the first stage, Today prescribes rest for this
# many days (content/thresholds.yaml, recovery_start).
FIRST_STAGE_REST_DAYS = load_start_rules().first_stage_rest_days
# How many days a PSFS score stays current before it is asked again (weekly).
PSFS_INTERVAL_DAYS = 7

# The three warning-sign questions a check-in asks that the intake has no field
# for: they ask about change since the assessment.
_CHECKIN_ONLY_QUESTIONS: Mapping[WarningSign, str] = {
    WarningSign.SYMPTOMS_BOTH_LEGS: (
        "Is leg pain, numbness, tingling or weakness now in BOTH legs, when it was not before?"
    ),
    WarningSign.NEW_WEAKNESS: "Any NEW weakness in a leg or foot since your last check-in?",
    WarningSign.NEW_NUMBNESS: (
        "Any NEW numbness or pins and needles in a leg or foot since your last check-in?"
    ),
}


class RecoveryError(ValueError):
    """A recovery request cannot be answered as asked; the message says why."""


def warning_questions() -> list[tuple[WarningSign, str]]:
    """Every warning-sign question in asking order, worded as at intake where it exists there."""
    questions = load_questions()
    asked = []
    for sign in WarningSign:
        text = _CHECKIN_ONLY_QUESTIONS.get(sign)
        if text is None:
            text = questions.field(sign.value).question
        asked.append((sign, text))
    return asked


# --- loading what the rules need ------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Context:
    """What the recovery rules read: the care policy's inputs, as stored."""

    inputs: CareInputs

    @property
    def plan(self) -> Plan | None:
        return self.inputs.plan.plan if self.inputs.plan else None

    @property
    def assessment(self) -> SavedAssessment | None:
        return self.inputs.latest_assessment

    @property
    def saved(self) -> tuple[SavedCheckin, ...]:
        return self.inputs.checkins

    @property
    def history(self) -> list[CheckIn]:
        return [saved.document.to_checkin() for saved in self.saved]

    def care(self, day: dt.date, kb: KnowledgeBase | None = None) -> CareDecision:
        """The care state on ``day`` (check-ins after it are not read)."""
        return decide_care(self.inputs, day, kb)


def load_context(uow: UnitOfWork, last_day: dt.date) -> Context:
    return Context(load_care_inputs(uow, last_day))


def running_advice(context: Context) -> str | None:
    """The strictest running advice of the latest plan and the latest assessment."""
    found = []
    if context.plan is not None:
        found.append(context.plan.running.advice)
        if needs_care_now(context.plan.triage_level):
            found.append("stop")
    if context.assessment is not None:
        found.append(context.assessment.assessment.running.advice)
    return strictest_advice(found)


def programme_from(context: Context) -> dt.date | None:
    return context.plan.running.return_to_run_from if context.plan else None


def usual_volume(assessment: SavedAssessment | None) -> tuple[UsualVolume, bool]:
    """The runner's usual week from the intake, and whether it had to be assumed."""
    return usual_from_intake(assessment.intake if assessment else None, PROGRAMME_THRESHOLDS)


def until_seen(context: Context) -> bool:
    """Whether running waits until a clinician has seen the runner (walking is fine).

    A plan says so by pausing running with no date to return; without a plan,
    an assessment that pauses running at the "soon" level says so (its advice
    is "no running until you have been seen").
    """
    if context.plan is not None:
        running = context.plan.running
        return running.advice == "pause" and running.return_to_run_from is None
    assessment = context.assessment
    return (
        assessment is not None
        and assessment.assessment.running.advice == "pause"
        and assessment.assessment.triage.level == "soon"
    )


def start_state(context: Context) -> ProgrammeState | None:
    """Where the programme starts, or None when running must wait (stop, or until seen)."""
    advice = running_advice(context) or "pause"
    if advice == "stop" or until_seen(context):
        return None
    usual, _ = usual_volume(context.assessment)
    return start_programme(usual, START_STAGE_BY_ADVICE[advice])


def may_start(care: CareDecision) -> bool:
    """Whether the programme may start: something assessed, and no care needed first."""
    return not care.suspended and care.state != "no_assessment"


def ensure_programme(
    uow: UnitOfWork, context: Context, day: dt.date, now: dt.datetime
) -> SavedProgramme | None:
    """The running programme, started on ``day`` if it may start and has not yet."""
    current = uow.programmes.current()
    if current is not None:
        return current
    start = start_state(context)
    begins = programme_from(context)
    if start is None or (begins is not None and day < begins):
        return None
    new_id = uow.programmes.start(day, now, start)
    return SavedProgramme(id=new_id, started_on=day, created_at=now, start=start)


def state_on(
    programme: SavedProgramme, log: Sequence[SavedDecision], day: dt.date
) -> ProgrammeState:
    """The programme's state for ``day``: after every session judged up to that day."""
    state = programme.start
    for decision in log:
        if decision.session_day <= day:
            state = decision.state_after
    return state


def _peak_pain(checkin: CheckIn) -> int | None:
    session = checkin.session
    if session is None:
        return None
    reported = [p for p in (session.pain_during_0_10, session.pain_after_0_10) if p is not None]
    return max(reported, default=None)


def _ready(checkin: CheckIn, as_of: dt.date) -> bool:
    """Whether a session can be judged now.

    A walk or run waits for its next-morning pain, because that decides
    whether the runner moves on. Pain above the programme's limit is judged at
    once (it steps back whatever the morning brings), and once a later day's
    check-in arrives without the morning pain, the runner has skipped it and
    the session is judged on what is known (it then holds, never advances).
    """
    session = checkin.session
    if session is None:
        return False
    if session.kind not in (SessionKind.WALK, *RUNNING_KINDS):
        return True
    if checkin.next_morning_pain_0_10 is not None:
        return True
    peak = _peak_pain(checkin)
    if peak is not None and peak > PROGRAMME_THRESHOLDS.hold_max_pain:
        return True
    return as_of >= checkin.day + dt.timedelta(days=2)


def unjudged(
    programme: SavedProgramme, log: Sequence[SavedDecision], history: Sequence[CheckIn]
) -> list[CheckIn]:
    """The programme's sessions with no decision yet, in date order."""
    judged = {d.session_day for d in log}
    return [
        c
        for c in history
        if c.session is not None and c.day >= programme.started_on and c.day not in judged
    ]


def judge_sessions(
    uow: UnitOfWork,
    programme: SavedProgramme,
    history: Sequence[CheckIn],
    as_of: dt.date,
    now: dt.datetime,
) -> tuple[list[SavedDecision], list[dt.date]]:
    """Judge every session that can be, in date order, once each; store the decisions.

    Returns the decisions made and the days of the sessions still waiting for
    their next-morning pain: a later session waits behind an earlier one, so
    the state always changes in session order.
    """
    last = uow.programmes.last_decision(programme.id)
    state = last.state_after if last else programme.start
    by_day = {c.day: c for c in history}
    sessions = [c.day for c in history if c.session is not None]
    waiting = unjudged(programme, uow.programmes.decisions_on(programme.id, sessions), history)
    made = []
    while waiting and _ready(waiting[0], as_of):
        checkin = waiting.pop(0)
        entry = SessionLogEntry.from_checkins(
            checkin, by_day.get(checkin.day - dt.timedelta(days=1))
        )
        if entry is None:
            continue
        state, decision = advance(state, entry, PROGRAMME_THRESHOLDS)
        saved = SavedDecision(
            session_day=checkin.day, decided_at=now, decision=decision, state_after=state
        )
        uow.programmes.add_decision(programme.id, saved)
        made.append(saved)
    return made, [c.day for c in waiting]
