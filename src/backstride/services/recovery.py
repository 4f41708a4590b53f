"""Use cases for the days after the plan: check in, what to do today, and progress.

The pure rules live in the domain (``checkin``, ``return_to_run``,
``escalation``, ``progress``); this module loads what they need through the
unit of work, applies them, and stores what they decided. Every date comes
from the caller (a check-in's own date, or ``--date``); the clock only stamps
when something was recorded.

Three product heuristics live here, for clinical review alongside the
programme's thresholds:

* where the return-to-run programme starts, from the assessment's running
  advice (:data:`START_STAGE_BY_ADVICE`);
* the usual week assumed when the intake did not say (:data:`ASSUMED_USUAL`);
* when a session is judged without its next-morning pain (:func:`_ready`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from backstride.content.library import load_exercises
from backstride.content.loader import load_knowledge_base
from backstride.content.questions import load_questions
from backstride.domain.assess import assess
from backstride.domain.checkin import (
    RUNNING_KINDS,
    CheckIn,
    CheckinDocument,
    PsfsScore,
    SessionKind,
    WarningSign,
    one_per_day,
    warning_screen_due,
)
from backstride.domain.escalation import (
    LEVEL_HEADLINES,
    Baseline,
    Escalation,
    Level,
    evaluate,
    most_urgent,
)
from backstride.domain.intake import General, Intake, Neuro
from backstride.domain.knowledge import KnowledgeBase
from backstride.domain.plan import Phase, Plan, PlanItem
from backstride.domain.progress import (
    PsfsPoint,
    RollingPain,
    StageSpan,
    WeekAdherence,
    psfs_series,
    rolling_pain,
    stage_timeline,
    weekly_adherence,
)
from backstride.domain.return_to_run import (
    DEFAULT_THRESHOLDS,
    HEURISTIC_NOTE,
    DecisionKind,
    Event,
    ProgrammeState,
    SessionLogEntry,
    SessionPrescription,
    StageId,
    UsualVolume,
    advance,
    rest_prescription,
    stage_of,
    start_programme,
    todays_session,
)
from backstride.services.ports import (
    Clock,
    Retriage,
    SavedAssessment,
    SavedCheckin,
    SavedDecision,
    SavedProgramme,
    UnitOfWork,
)
from backstride.services.validation import validate_document

CHECKIN_RESULT_SCHEMA_ID = "backstride.checkin-result/1"
TODAY_SCHEMA_ID = "backstride.today/1"
PROGRESS_SCHEMA_ID = "backstride.progress/1"

# Product heuristic: the programme starts where the assessment's running
# advice points. "pause" means a few days' walking then the graded return, so
# the first stage; "reduce" means shorter and easier running, so short easy
# runs; "continue" means usual running under the same pain rules. "stop"
# starts no programme at all: the runner needs to be seen first.
START_STAGE_BY_ADVICE: Mapping[str, StageId] = {
    "pause": StageId.WALK,
    "reduce": StageId.RUN_20,
    "continue": StageId.USUAL_VOLUME,
}
# Strictest first, as in the assessment contract.
RUNNING_ADVICE_ORDER = ("stop", "pause", "reduce", "continue")
# Product heuristic: a modest week, used only to size the building stages when
# the intake did not give the runner's usual running.
ASSUMED_USUAL = UsualVolume(runs_per_week=3, minutes_per_week=90)
# Product heuristic: after walking hurt too much at the first stage, the rule
# says "rest for a day or two"; today prescribes rest for this many days.
FIRST_STAGE_REST_DAYS = 2
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


# --- reading documents ------------------------------------------------------------


def parse_checkin(data: Any) -> CheckinDocument:
    """Validate a decoded JSON value as a check-in document; raises InvalidDocument."""
    return validate_document(CheckinDocument, data)


def _fields_given(document: BaseModel) -> set[str]:
    return {name for name in document.model_fields_set if name != "schema_"}


def merge_checkin(stored: CheckinDocument | None, new: CheckinDocument) -> CheckinDocument:
    """The day's check-in after ``new`` is re-sent over ``stored``.

    Fields ``new`` gives replace the stored ones, fields it leaves out are kept,
    so the next morning can add its pain without repeating the day. A session
    of the same kind is updated field by field. Warning-sign answers are merged
    question by question and a yes is never undone on the same day: a screen
    already answered is not lost, and a sign once reported stays reported
    (a mistaken yes is answered no on the next day's check-in).
    """
    if stored is None:
        return new
    merged = stored.to_document()
    given = new.to_document()
    for name in _fields_given(new):
        key = "schema" if name == "schema_" else name
        if name == "warning_signs":
            answers = dict(merged.get("warning_signs", {}))
            for sign, answer in given.get("warning_signs", {}).items():
                answers[sign] = answer or answers.get(sign, False)
            merged["warning_signs"] = answers
        elif name == "session" and new.session is not None and stored.session is not None:
            if new.session.kind is stored.session.kind:
                session = dict(merged["session"])
                changed = _fields_given(new.session) & set(given["session"])
                session.update({k: given["session"][k] for k in changed})
                merged["session"] = session
            else:
                merged["session"] = given["session"]
        elif key in given:
            merged[key] = given[key]
        else:
            merged.pop(key, None)
    return validate_document(CheckinDocument, merged)


# --- loading what the rules need ------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _Context:
    plan: Plan | None
    assessment: SavedAssessment | None
    saved: tuple[SavedCheckin, ...]

    @property
    def history(self) -> list[CheckIn]:
        return [saved.document.to_checkin() for saved in self.saved]


def _load(uow: UnitOfWork, last_day: dt.date) -> _Context:
    plan = uow.plans.latest()
    return _Context(
        plan=plan.plan if plan else None,
        assessment=uow.assessments.latest(),
        saved=tuple(uow.checkins.up_to(last_day)),
    )


def _running_advice(context: _Context) -> str | None:
    """The strictest running advice of the latest plan and the latest assessment."""
    found = []
    if context.plan is not None:
        found.append(context.plan.running.advice)
        if context.plan.triage_level in ("emergency", "urgent"):
            found.append("stop")
    if context.assessment is not None:
        found.append(context.assessment.assessment.running.advice)
    return min(found, key=RUNNING_ADVICE_ORDER.index) if found else None


def _programme_from(context: _Context) -> dt.date | None:
    return context.plan.running.return_to_run_from if context.plan else None


def usual_volume(assessment: SavedAssessment | None) -> tuple[UsualVolume, bool]:
    """The runner's usual week from the intake, and whether it had to be assumed."""
    running = assessment.intake.running if assessment else None
    if running is None or not running.runs_per_week:
        return ASSUMED_USUAL, True
    runs = min(14, max(1, round(running.runs_per_week)))
    km = running.km_per_week_before or running.km_last_week
    if not km:
        return UsualVolume(
            runs_per_week=runs, minutes_per_week=ASSUMED_USUAL.minutes_per_week
        ), True
    return UsualVolume(runs_per_week=runs, km_per_week=min(400.0, km)), False


def _until_seen(context: _Context) -> bool:
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


def _start_state(context: _Context) -> ProgrammeState | None:
    """Where the programme starts, or None when running must wait (stop, or until seen)."""
    advice = _running_advice(context) or "pause"
    if advice == "stop" or _until_seen(context):
        return None
    usual, _ = usual_volume(context.assessment)
    return start_programme(usual, START_STAGE_BY_ADVICE[advice])


def _ensure_programme(
    uow: UnitOfWork, context: _Context, day: dt.date, now: dt.datetime
) -> SavedProgramme | None:
    """The running programme, started on ``day`` if it may start and has not yet."""
    current = uow.programmes.current()
    if current is not None:
        return current
    start = _start_state(context)
    begins = _programme_from(context)
    if start is None or (begins is not None and day < begins):
        return None
    new_id = uow.programmes.start(day, now, start)
    return SavedProgramme(id=new_id, started_on=day, created_at=now, start=start)


def _state_on(
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
    if peak is not None and peak > DEFAULT_THRESHOLDS.hold_max_pain:
        return True
    return as_of >= checkin.day + dt.timedelta(days=2)


def _unjudged(
    programme: SavedProgramme, log: Sequence[SavedDecision], history: Sequence[CheckIn]
) -> list[CheckIn]:
    """The programme's sessions with no decision yet, in date order."""
    judged = {d.session_day for d in log}
    return [
        c
        for c in history
        if c.session is not None and c.day >= programme.started_on and c.day not in judged
    ]


def _judge_sessions(
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
    log = uow.programmes.decisions(programme.id)
    state = log[-1].state_after if log else programme.start
    by_day = {c.day: c for c in history}
    waiting = _unjudged(programme, log, history)
    made = []
    while waiting and _ready(waiting[0], as_of):
        checkin = waiting.pop(0)
        entry = SessionLogEntry.from_checkins(
            checkin, by_day.get(checkin.day - dt.timedelta(days=1))
        )
        if entry is None:
            continue
        state, decision = advance(state, entry)
        saved = SavedDecision(
            session_day=checkin.day, decided_at=now, decision=decision, state_after=state
        )
        uow.programmes.add_decision(programme.id, saved)
        made.append(saved)
    return made, [c.day for c in waiting]


def _psfs_baseline(
    history: Sequence[CheckIn], assessment: SavedAssessment | None
) -> tuple[PsfsScore, ...]:
    """The intake's activity scores when it has them (taken first), else the first PSFS."""
    if assessment is not None and assessment.intake.function:
        return tuple(PsfsScore(f.activity, f.score_0_10) for f in assessment.intake.function)
    return next((c.psfs for c in history if c.psfs), ())


def _baseline(history: Sequence[CheckIn], assessment: SavedAssessment | None) -> Baseline | None:
    if not history:
        return None
    first = history[0]
    return Baseline(
        day=first.day, pain_0_10=first.pain_now_0_10, psfs=_psfs_baseline(history, assessment)
    )


def _escalations(
    history: Sequence[CheckIn], assessment: SavedAssessment | None, day: dt.date
) -> tuple[Escalation, ...]:
    baseline = _baseline([c for c in history if c.day <= day], assessment)
    if baseline is None:
        return ()
    return tuple(evaluate(history, baseline, day))


# --- re-triage ------------------------------------------------------------------------

_INTAKE_SECTIONS: Mapping[str, type[Neuro] | type[General]] = {"neuro": Neuro, "general": General}


def _intake_field(sign: WarningSign) -> tuple[str, str] | None:
    """The intake section and field a warning sign is, or None for check-in-only signs."""
    section, _, name = sign.value.partition(".")
    model = _INTAKE_SECTIONS.get(section)
    return (section, name) if model is not None and name in model.model_fields else None


def _urgency(level: str) -> int:
    return list(Level).index(Level(level))


def _updated_intake(
    assessment: SavedAssessment,
    signs: Sequence[WarningSign],
    history: Sequence[CheckIn],
    day: dt.date,
) -> Intake | None:
    """The saved intake with today's pain and warning-sign answers written in."""
    document = assessment.intake.to_document()
    for sign in signs:
        field = _intake_field(sign)
        if field is not None:
            document.setdefault(field[0], {})[field[1]] = True
    week = [c for c in history if day - dt.timedelta(days=6) <= c.day <= day]
    if week:
        pain = document["pain"]
        pain["now_0_10"] = week[-1].pain_now_0_10
        pain["worst_0_10"] = max(c.worst_24h_0_10 for c in week)
        elapsed = max(0, (day - assessment.created_at.date()).days)
        pain["started_days_ago"] = min(36500, pain["started_days_ago"] + elapsed)
    try:
        return Intake.model_validate(document)
    except ValidationError:
        return None


def retriage(
    escalations: Sequence[Escalation],
    assessment: SavedAssessment | None,
    history: Sequence[CheckIn],
    day: dt.date,
    kb: KnowledgeBase,
) -> Retriage | None:
    """Re-triage when a warning sign is current: the intake's own triage where it can.

    The saved intake is re-assessed with today's answers, so a sign weighs the
    same as it did at intake and combines with what the runner told us then
    (a cancer history, their age). A sign the intake cannot express, or one the
    check-in rules rank more urgent, decides by the check-in rules instead: the
    more urgent answer always wins.
    """
    warning = [e for e in escalations if e.rule_id == "X1"]
    if not warning:
        return None
    signs = [WarningSign(f) for e in warning for f in e.findings]
    rules_level = most_urgent(warning)
    if rules_level is None:
        return None
    intake = _updated_intake(assessment, signs, history, day) if assessment else None
    if intake is not None:
        result = assess(intake, kb)
        if _urgency(result.triage.level) <= _urgency(rules_level):
            return Retriage(
                level=result.triage.level,
                headline=result.triage.headline,
                actions=tuple(result.triage.actions),
                findings=tuple(s.value for s in signs),
                red_flags=tuple(flag.id for flag in result.red_flags),
                by="intake",
            )
    texts = kb.texts.levels[rules_level.value]
    details = [e.detail for e in warning if e.level is rules_level]
    return Retriage(
        level=rules_level.value,
        headline=LEVEL_HEADLINES[rules_level],
        actions=tuple(dict.fromkeys([*details, *texts.actions])),
        findings=tuple(s.value for s in signs),
        red_flags=(),
        by="check-in",
    )


# --- JSON output ----------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A result as JSON-ready values: dataclasses to objects, enums to values, dates to ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


# --- check in -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CheckinResult:
    """What recording a check-in did, and what the runner must be told."""

    day: dt.date
    document: CheckinDocument
    warning_screen_due: bool
    warning_screen_answered: bool
    decisions: tuple[SavedDecision, ...]
    waiting_for_morning: tuple[dt.date, ...]
    programme_started_on: dt.date | None
    stage: StageId | None
    escalations: tuple[Escalation, ...]
    retriage: Retriage | None
    not_a_diagnosis: str

    @property
    def warning_screen_missing(self) -> bool:
        return self.warning_screen_due and not self.warning_screen_answered

    def to_document(self) -> dict[str, Any]:
        return {
            "schema": CHECKIN_RESULT_SCHEMA_ID,
            "date": self.day.isoformat(),
            "checkin": self.document.to_document(),
            "warning_screen": {
                "due": self.warning_screen_due,
                "answered": self.warning_screen_answered,
            },
            "programme": {
                "started_on": plain(self.programme_started_on),
                "stage": plain(self.stage),
                "decisions": [
                    {"session_day": d.session_day.isoformat(), **plain(d.decision)}
                    for d in self.decisions
                ],
                "waiting_for_morning": plain(self.waiting_for_morning),
            },
            "escalations": plain(self.escalations),
            "retriage": plain(self.retriage),
            "not_a_diagnosis": self.not_a_diagnosis,
        }


def record_checkin(
    uow: UnitOfWork, clock: Clock, document: CheckinDocument, kb: KnowledgeBase | None = None
) -> CheckinResult:
    """Store a check-in (merged into the day's earlier one), judge sessions, escalate.

    Raises InvalidDocument when the merged day is not a valid check-in; then
    nothing is stored.
    """
    knowledge = kb or load_knowledge_base()
    now = clock.now()
    day = document.date
    with uow:
        context = _load(uow, dt.date.max)
        stored = uow.checkins.get(day)
        merged = merge_checkin(stored.document if stored else None, document)
        before = context.history
        due = warning_screen_due(before, day, merged.pain_now_0_10)
        checkin = merged.to_checkin()
        history = one_per_day([*before, checkin])

        programme = _ensure_programme(uow, context, day, now)
        decisions: list[SavedDecision] = []
        waiting: list[dt.date] = []
        stage = None
        if programme is not None:
            as_of = max(c.day for c in history)
            decisions, waiting = _judge_sessions(uow, programme, history, as_of, now)
            stage = _state_on(programme, uow.programmes.decisions(programme.id), day).stage
        escalations = _escalations(history, context.assessment, day)
        found = retriage(escalations, context.assessment, history, day, knowledge)
        uow.checkins.put(
            SavedCheckin(
                day=day, recorded_at=now, document=merged, escalations=escalations, retriage=found
            )
        )
        uow.commit()
    return CheckinResult(
        day=day,
        document=merged,
        warning_screen_due=due,
        warning_screen_answered=checkin.full_warning_screen,
        decisions=tuple(decisions),
        waiting_for_morning=tuple(waiting),
        programme_started_on=programme.started_on if programme else None,
        stage=stage,
        escalations=escalations,
        retriage=found,
        not_a_diagnosis=knowledge.texts.disclaimer,
    )


def stored_checkin(uow: UnitOfWork, day: dt.date) -> CheckinDocument | None:
    with uow:
        saved = uow.checkins.get(day)
        return saved.document if saved else None


@dataclasses.dataclass(frozen=True, slots=True)
class CheckinPrompts:
    """What an interactive check-in on ``day`` should ask, besides the daily questions."""

    day: dt.date
    history: tuple[CheckIn, ...]  # every check-in up to and including ``day``
    morning_after: CheckIn | None  # yesterday's walk or run still without its morning pain
    psfs_due: bool
    psfs_activities: tuple[str, ...]
    planned_exercises: tuple[str, ...]
    prescribed: SessionPrescription | None

    def screen_due(self, pain_now: int) -> bool:
        """Whether the warning-sign questions must be asked, given today's pain now."""
        return warning_screen_due(self.history, self.day, pain_now)


def checkin_prompts(uow: UnitOfWork, day: dt.date) -> CheckinPrompts:
    """What to ask on ``day``: the morning after yesterday's session, PSFS, exercises."""
    with uow:
        context = _load(uow, day)
    history = context.history
    yesterday = next((c for c in history if c.day == day - dt.timedelta(days=1)), None)
    morning_after = None
    if (
        yesterday is not None
        and yesterday.session is not None
        and yesterday.session.kind in (SessionKind.WALK, *RUNNING_KINDS)
        and yesterday.next_morning_pain_0_10 is None
    ):
        morning_after = yesterday
    window_start = day - dt.timedelta(days=PSFS_INTERVAL_DAYS - 1)
    recent_psfs = [c for c in history if c.psfs and window_start <= c.day <= day]
    last_scored = next((c.psfs for c in reversed(history) if c.psfs), None)
    names = tuple(p.activity for p in (last_scored or _psfs_baseline(history, context.assessment)))
    advice = today(uow, day)
    return CheckinPrompts(
        day=day,
        history=tuple(history),
        morning_after=morning_after,
        psfs_due=not recent_psfs,
        psfs_activities=names,
        planned_exercises=tuple(e.slug for e in advice.exercises),
        prescribed=advice.session,
    )


# --- today ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ExerciseToday:
    slug: str
    name: str
    dose: str
    why: str
    done: bool


@dataclasses.dataclass(frozen=True, slots=True)
class TodayAdvice:
    """What to do on ``day``: exercises with dose, the walk or run (or rest), and why."""

    day: dt.date
    has_plan: bool
    plan_note: str
    phase: str | None
    exercises: tuple[ExerciseToday, ...]
    exercise_rest_day: bool
    session: SessionPrescription | None
    running_note: str
    stage: StageId | None
    stage_title: str | None
    programme_started_on: dt.date | None
    why: tuple[str, ...]
    escalations: tuple[Escalation, ...]
    retriage: Retriage | None
    heuristic_note: str
    not_a_diagnosis: str

    def to_document(self) -> dict[str, Any]:
        return {"schema": TODAY_SCHEMA_ID, **plain(self)}


def _phase(plan: Plan, phase_id: str) -> Phase | None:
    return next((p for p in plan.phases if p.id == phase_id), None)


def _exercise_items(plan: Plan, phase: Phase | None) -> dict[str, PlanItem]:
    """Plan items by exercise slug, the phase's own first (its dose is the one that applies)."""
    found: dict[str, PlanItem] = {}
    for source in ([phase] if phase else []) + list(plan.phases):
        for item in source.items:
            if item.kind == "exercise" and item.exercise and item.exercise not in found:
                found[item.exercise] = item
    return found


def _exercises_today(
    plan: Plan, day: dt.date, done: set[str]
) -> tuple[tuple[ExerciseToday, ...], bool, str | None, str]:
    """The day's exercises with dose and reason, whether it is a rest day, phase, note."""
    planned = plan.day(day)
    if planned is not None:
        phase = _phase(plan, planned.phase)
        slugs = list(planned.exercises)
        rest_day = planned.rest_day
        note = planned.note
    else:
        phase = plan.phase_on(day)
        if phase is None:
            first = min((d.date for d in plan.days), default=plan.preferences.start_date)
            if day < first:
                return (), False, None, f"Your plan starts on {first.isoformat()}."
            return (), False, None, "Your plan has no exercises for this date."
        slugs = [i.exercise for i in phase.items if i.kind == "exercise" and i.exercise]
        rest_day = False
        note = (
            f"Past the plan's dated weeks: these are the {phase.title} exercises; do them on "
            f"{plan.preferences.days_per_week} days a week."
        )
    items = _exercise_items(plan, phase)
    library = load_exercises()
    exercises = []
    for slug in slugs:
        item = items.get(slug)
        known = library.get(slug)
        if item is not None and item.dose is not None:
            dose = item.dose.text
        elif known is not None:
            dose = known.dosage.describe()
        else:
            dose = "as shown in your plan"
        exercises.append(
            ExerciseToday(
                slug=slug,
                name=known.name if known else (item.title if item else slug),
                dose=dose,
                why=item.why if item else "",
                done=slug in done,
            )
        )
    return tuple(exercises), rest_day, phase.title if phase else None, note


def _stop_note(escalations: Sequence[Escalation], found: Retriage | None) -> str | None:
    """Why there is no running today because of a warning sign, if there is one."""
    stopping = [e for e in escalations if e.rule_id == "X1"]
    if not stopping:
        return None
    if found is not None and found.level in ("emergency", "urgent"):
        return f"No running or exercise today: {found.headline}"
    if any(e.running.value == "stop" for e in stopping):
        return "No running until you have been seen."
    return "Pause the running programme until you have been seen; an easy walk is fine."


def _last_run(history: Sequence[CheckIn], day: dt.date) -> tuple[dt.date | None, int]:
    runs = [c.day for c in history if c.session and c.session.is_running and c.day <= day]
    week = [d for d in runs if day - dt.timedelta(days=6) <= d < day]
    return (runs[-1] if runs else None), len(week)


def _exercise_part(
    plan: Plan | None, day: dt.date, history: Sequence[CheckIn], halted: bool
) -> tuple[tuple[ExerciseToday, ...], bool, str | None, str, list[str]]:
    """Exercises, exercise rest day, phase title, a note, and the reasons."""
    if halted:
        return (), False, None, "No exercises until you have been seen.", []
    if plan is None:
        note = (
            "No plan yet: run `backstride assess --save`, then build a plan. Until then, the "
            "walk or run below follows the return-to-run programme."
        )
        return (), False, None, note, []
    if plan.triage_level in ("emergency", "urgent"):
        return (), False, None, f"{plan.headline} " + " ".join(plan.do_now), []
    done = next((set(c.exercises_done) for c in history if c.day == day), set())
    exercises, rest_day, phase, note = _exercises_today(plan, day, done)
    why = [f"Exercises: the {phase} phase of your plan."] if phase else []
    return exercises, rest_day, phase, note, why


def _judged_sessions(log: Sequence[SavedDecision], day: dt.date) -> list[SavedDecision]:
    """Decisions on walks and runs before ``day`` (rest days decide nothing worth showing)."""
    return [
        d for d in log if d.session_day < day and d.decision.event is not Event.NO_PROGRAMME_SESSION
    ]


def _rest_after_first_stage(
    state: ProgrammeState, log: Sequence[SavedDecision], day: dt.date
) -> SessionPrescription | None:
    """A rest day when walking, the first stage, hurt too much to step back from.

    The decision then says "rest for a day or two"; the prescription follows it
    for :data:`FIRST_STAGE_REST_DAYS` days after that session.
    """
    judged = _judged_sessions(log, day)
    if not judged:
        return None
    last = judged[-1]
    if last.decision.kind is not DecisionKind.REST:
        return None
    if day > last.session_day + dt.timedelta(days=FIRST_STAGE_REST_DAYS):
        return None
    return rest_prescription(
        state,
        day,
        f"Rest day: your walk on {last.session_day.isoformat()} hurt too much. Rest for a "
        "day or two, then walk again.",
        "Gentle movement and your exercises are fine if they do not raise the pain.",
    )


def _running_part(
    context: _Context,
    programme: SavedProgramme | None,
    log: Sequence[SavedDecision],
    day: dt.date,
    stop: str | None,
) -> tuple[SessionPrescription | None, ProgrammeState | None, str, list[str]]:
    """Today's walk or run (or why there is none), the programme state, and the reasons."""
    state = _state_on(programme, log, day) if programme is not None else None
    begins = _programme_from(context)
    if stop is not None:
        return None, state, stop, []
    if _running_advice(context) == "stop":
        return None, state, "No running: your assessment says to be seen by a clinician first.", []
    if _until_seen(context):
        note = "No running until a clinician has seen you; an easy walk as comfortable is fine."
        return None, state, note, []
    if programme is None and begins is not None and day < begins:
        note = (
            "An easy walk as comfortable. The return-to-run programme starts on "
            f"{begins.isoformat()}."
        )
        return None, None, note, []
    why = []
    if state is None:
        state = _start_state(context)
        why.append("The return-to-run programme starts with your first check-in.")
    if state is None:
        return None, None, "", why
    history = context.history
    last_run, runs_this_week = _last_run(history, day)
    session = _rest_after_first_stage(state, log, day) or todays_session(
        state, day, last_run, runs_in_previous_6_days=runs_this_week
    )
    why.extend(_programme_why(state, log, day, context))
    waiting = [c for c in _unjudged(programme, log, history) if c.day < day] if programme else []
    if waiting:
        why.append(
            f"Record your back pain on the morning after your {waiting[0].day.isoformat()} "
            "session (`backstride checkin`): it decides whether you move on."
        )
    return session, state, "", why


def today(uow: UnitOfWork, day: dt.date, kb: KnowledgeBase | None = None) -> TodayAdvice:
    """What to do on ``day``, from the latest plan, the check-ins and the programme."""
    knowledge = kb or load_knowledge_base()
    with uow:
        context = _load(uow, day)
        programme = uow.programmes.current()
        log = uow.programmes.decisions(programme.id) if programme else ()
    history = context.history
    escalations = _escalations(history, context.assessment, day)
    found = retriage(escalations, context.assessment, history, day, knowledge)
    stop = _stop_note(escalations, found)
    halted = found is not None and found.level in ("emergency", "urgent")
    exercises, rest_day, phase, plan_note, why = _exercise_part(context.plan, day, history, halted)
    session, state, running_note, running_why = _running_part(context, programme, log, day, stop)
    return TodayAdvice(
        day=day,
        has_plan=context.plan is not None,
        plan_note=plan_note,
        phase=phase,
        exercises=exercises,
        exercise_rest_day=rest_day,
        session=session,
        running_note=running_note,
        stage=state.stage if state else None,
        stage_title=stage_of(state.stage).title if state else None,
        programme_started_on=programme.started_on if programme else None,
        why=(*why, *running_why),
        escalations=escalations,
        retriage=found,
        heuristic_note=HEURISTIC_NOTE,
        not_a_diagnosis=knowledge.texts.disclaimer,
    )


def _programme_why(
    state: ProgrammeState, log: Sequence[SavedDecision], day: dt.date, context: _Context
) -> list[str]:
    judged = _judged_sessions(log, day)
    reasons = []
    if judged:
        reasons.append(f"Last session: {judged[-1].decision.reason}")
    elif context.assessment or context.plan:
        advice = _running_advice(context) or "pause"
        reasons.append(
            f"Starting stage: {stage_of(state.stage).title}, chosen from your assessment's "
            f"running advice ({advice})."
        )
    _, assumed = usual_volume(context.assessment)
    if assumed and stage_of(state.stage).volume_share is not None:
        usual = ASSUMED_USUAL
        reasons.append(
            "Your usual weekly running is not known, so a modest week "
            f"({usual.runs_per_week} runs, {usual.minutes_per_week} min) is assumed."
        )
    return reasons


# --- progress -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class WeekRunning:
    """The week starting ``week_start`` (a Monday): runs (walk-run and run sessions) and walks.

    Walks are kept apart because they load the back differently, and on the
    first stage they are the whole programme.
    """

    week_start: dt.date
    sessions: int
    minutes: int
    km: float
    walk_minutes: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class EscalationEpisode:
    """A rule firing on consecutive check-ins, shown once rather than every day."""

    rule_id: str
    level: Level
    first_day: dt.date
    last_day: dt.date
    headline: str
    detail: str


@dataclasses.dataclass(frozen=True, slots=True)
class ProgressReport:
    start: dt.date
    end: dt.date
    checkins: int
    pain: tuple[RollingPain, ...]
    daily_pain: tuple[tuple[dt.date, int], ...]
    psfs: tuple[PsfsPoint, ...]
    adherence: tuple[WeekAdherence, ...]
    running: tuple[WeekRunning, ...]
    stages: tuple[StageSpan, ...]
    current_stage: StageId | None
    escalations: tuple[EscalationEpisode, ...]
    not_a_diagnosis: str

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"schema": PROGRESS_SCHEMA_ID, **plain(self)}
        document["daily_pain"] = [{"day": d.isoformat(), "pain_now": p} for d, p in self.daily_pain]
        document["adherence"] = [{**plain(week), "share": week.share} for week in self.adherence]
        return document


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekly_running(history: Sequence[CheckIn], start: dt.date, end: dt.date) -> list[WeekRunning]:
    weeks: dict[dt.date, WeekRunning] = {}
    monday = _monday(start)
    while monday <= end:
        weeks[monday] = WeekRunning(monday, 0, 0, 0.0)
        monday += dt.timedelta(days=7)
    for checkin in history:
        session = checkin.session
        if session is None or not start <= checkin.day <= end:
            continue
        week = weeks[_monday(checkin.day)]
        if session.kind is SessionKind.WALK:
            week = dataclasses.replace(week, walk_minutes=week.walk_minutes + session.minutes)
        elif session.is_running:
            week = dataclasses.replace(
                week,
                sessions=week.sessions + 1,
                minutes=week.minutes + session.minutes,
                km=round(week.km + (session.distance_km or 0.0), 2),
            )
        weeks[week.week_start] = week
    return list(weeks.values())


def _episodes(saved: Sequence[SavedCheckin]) -> list[EscalationEpisode]:
    open_: dict[str, EscalationEpisode] = {}
    closed: list[EscalationEpisode] = []
    for checkin in saved:
        firing = {e.rule_id: e for e in checkin.escalations}
        for rule_id in list(open_):
            if rule_id not in firing:
                closed.append(open_.pop(rule_id))
        for rule_id, escalation in firing.items():
            episode = open_.get(rule_id)
            if episode is not None and episode.level is escalation.level:
                open_[rule_id] = dataclasses.replace(
                    episode, last_day=checkin.day, detail=escalation.detail
                )
                continue
            if episode is not None:
                closed.append(episode)
            open_[rule_id] = EscalationEpisode(
                rule_id=rule_id,
                level=escalation.level,
                first_day=checkin.day,
                last_day=checkin.day,
                headline=escalation.headline,
                detail=escalation.detail,
            )
    closed.extend(open_.values())
    return sorted(closed, key=lambda e: (e.first_day, e.rule_id))


def _planned_exercises(plan: Plan | None, start: dt.date, end: dt.date) -> dict[dt.date, list[str]]:
    if plan is None or plan.triage_level in ("emergency", "urgent"):
        return {}
    return {
        d.date: list(d.exercises)
        for d in plan.days
        if start <= d.date <= end and not d.rest_day and d.exercises
    }


def progress(
    uow: UnitOfWork, end: dt.date, start: dt.date | None = None, kb: KnowledgeBase | None = None
) -> ProgressReport:
    """Pain trend, function, adherence, running, stage over time and escalations.

    Without ``start``, the report begins at the first check-in (at most a year back).
    """
    knowledge = kb or load_knowledge_base()
    with uow:
        context = _load(uow, end)
        programme = uow.programmes.current()
        log = uow.programmes.decisions(programme.id) if programme else ()
    history = context.history
    if start is None:
        first = history[0].day if history else end
        start = max(first, end - dt.timedelta(days=365))
    if end < start:
        raise RecoveryError(f"the report cannot start ({start}) after it ends ({end})")
    in_range = [c for c in history if start <= c.day <= end]
    observations: list[tuple[dt.date, StageId]] = []
    current = None
    if programme is not None and programme.started_on <= end:
        observations.append((programme.started_on, programme.start.stage))
        # A decision takes effect from the day after the session it judged.
        observations.extend(
            (d.session_day + dt.timedelta(days=1), d.state_after.stage)
            for d in log
            if d.session_day < end
        )
        current = _state_on(programme, log, end).stage
    return ProgressReport(
        start=start,
        end=end,
        checkins=len(in_range),
        pain=tuple(rolling_pain(history, start, end)),
        daily_pain=tuple((c.day, c.pain_now_0_10) for c in in_range),
        psfs=tuple(p for p in psfs_series(history) if start <= p.day <= end),
        adherence=tuple(weekly_adherence(history, _planned_exercises(context.plan, start, end))),
        running=tuple(_weekly_running(history, start, end)),
        stages=tuple(stage_timeline(observations)),
        current_stage=current,
        escalations=tuple(
            e for e in _episodes(context.saved) if e.last_day >= start and e.first_day <= end
        ),
        not_a_diagnosis=knowledge.texts.disclaimer,
    )
