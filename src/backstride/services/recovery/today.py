"""What to do today: the plan's exercises with their dose, the walk or run session
from the programme, or a rest day, and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from backstride.content.library import load_exercises
from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.adjust import HOLD_RUNNING_DETAIL, running_held
from backstride.domain.plan.builder import day_note
from backstride.domain.plan.model import Phase, Plan, PlanItem, RunningToday
from backstride.domain.plan.run_schedule import (
    NONE_LABEL,
    REST_LABEL,
    RunDay,
    RunProgress,
    run_day,
)
from backstride.domain.recovery.checkin import (
    CheckIn,
    SessionKind,
)
from backstride.domain.recovery.escalation import (
    Escalation,
)
from backstride.domain.recovery.return_to_run import (
    HEURISTIC_NOTE,
    DecisionKind,
    ProgrammeState,
    SessionPrescription,
    StageId,
    rest_prescription,
    stage_of,
    todays_session,
)
from backstride.services.care import CareDecision
from backstride.services.ports import (
    Retriage,
    SavedDecision,
    SavedProgramme,
    UnitOfWork,
)
from backstride.services.recovery.documents import plain
from backstride.services.recovery.programme import (
    ASSUMED_USUAL,
    FIRST_STAGE_REST_DAYS,
    PROGRAMME_THRESHOLDS,
    TODAY_SCHEMA_ID,
    Context,
    load_context,
    programme_from,
    running_advice,
    start_state,
    unjudged,
    until_seen,
    usual_volume,
)
from backstride.services.recovery.retriage import retriage
from backstride.services.recovery.window import state_through, unjudged_rows

# --- today ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ExerciseToday:
    slug: str
    name: str
    dose: str
    why: str
    done: bool
    # The numbers the guided session's timer needs (None when the dose does not say).
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    rest_seconds: int | None = None
    per_side: bool = False
    skipped: str | None = None  # why it was skipped today, when it was


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
    care: CareDecision

    def to_document(self) -> dict[str, Any]:
        document = {"schema": TODAY_SCHEMA_ID, **plain(self)}
        document["care"] = self.care.to_document()
        return document


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
    plan: Plan, day: dt.date, done: set[str], skipped: dict[str, str] | None = None
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
        numbers = item.dose if item is not None else None
        rest = known.dosage.rest_seconds if known is not None else None
        exercises.append(
            ExerciseToday(
                slug=slug,
                name=known.name if known else (item.title if item else slug),
                dose=dose,
                why=item.why if item else "",
                done=slug in done,
                sets=numbers.sets if numbers else None,
                reps=numbers.reps if numbers else None,
                hold_seconds=numbers.hold_seconds if numbers else None,
                rest_seconds=rest[0] if rest else None,
                per_side=numbers.per_side if numbers else False,
                skipped=(skipped or {}).get(slug),
            )
        )
    return tuple(exercises), rest_day, phase.title if phase else None, note


def _stop_note(care: CareDecision) -> str | None:
    """Why there is no running today (a warning sign, a flare), if there is a reason."""
    if care.flare is not None:
        return (
            f"No running today: a flare on {care.flare.day.isoformat()} ({care.flare.describe()})."
            " An easy walk as comfortable is fine; check in again when it settles, and repeat "
            "the assessment."
        )
    if care.open_warnings:
        return "Pause the running programme until you have been seen; an easy walk is fine."
    return None


def _last_run(history: Sequence[CheckIn], day: dt.date) -> tuple[dt.date | None, int]:
    runs = [c.day for c in history if c.session and c.session.is_running and c.day <= day]
    week = [d for d in runs if day - dt.timedelta(days=6) <= d < day]
    return (runs[-1] if runs else None), len(week)


def _exercise_part(
    plan: Plan | None,
    day: dt.date,
    history: Sequence[CheckIn],
    care: CareDecision,
    skipped: dict[str, str] | None = None,
) -> tuple[tuple[ExerciseToday, ...], bool, str | None, str, list[str]]:
    """Exercises, exercise rest day, phase title, a note, and the reasons."""
    if plan is None or not care.exercises_allowed:
        note = " ".join(care.reasons) or (
            "No plan yet: build one from your assessment (`backstride plan --save`)."
        )
        return (), False, None, note, []
    done = next((set(c.exercises_done) for c in history if c.day == day), set())
    exercises, rest_day, phase, note = _exercises_today(plan, day, done, skipped)
    why = [f"Exercises: the {phase} phase of your plan."] if phase else []
    return exercises, rest_day, phase, note, why


@dataclasses.dataclass(frozen=True, slots=True)
class ProgrammeLog:
    """What today reads of the programme's decisions: its state on the day, the last
    walk or run judged before it (rest days decide nothing worth showing), and the
    sessions before the day still waiting for a decision."""

    state: ProgrammeState
    last_judged: SavedDecision | None
    waiting: tuple[CheckIn, ...]


def programme_log(uow: UnitOfWork, programme: SavedProgramme, day: dt.date) -> ProgrammeLog:
    """Read inside an open unit of work: three bounded queries, not the whole log."""
    rows = [s.document.to_checkin() for s in unjudged_rows(uow, programme) if s.day <= day]
    sessions = [c.day for c in rows if c.session is not None]
    judged = uow.programmes.decisions_on(programme.id, sessions)
    last = uow.programmes.last_decision(
        programme.id, through=day - dt.timedelta(days=1), sessions_only=True
    )
    waiting = [c for c in unjudged(programme, judged, rows) if c.day < day]
    return ProgrammeLog(state_through(uow, programme, day), last, tuple(waiting))


def _rest_after_first_stage(
    state: ProgrammeState, last: SavedDecision | None, day: dt.date
) -> SessionPrescription | None:
    """A rest day when walking, the first stage, hurt too much to step back from.

    The decision then says "rest for a day or two"; the prescription follows it
    for :data:`FIRST_STAGE_REST_DAYS` days after that session.
    """
    if last is None:
        return None
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
    context: Context,
    programme: SavedProgramme | None,
    log: ProgrammeLog | None,
    day: dt.date,
    stop: str | None,
) -> tuple[SessionPrescription | None, ProgrammeState | None, str, list[str]]:
    """Today's walk or run (or why there is none), the programme state, and the reasons."""
    state = log.state if log is not None else None
    begins = programme_from(context)
    if stop is not None:
        return None, state, stop, []
    if running_advice(context) == "stop":
        return None, state, "No running: your assessment says to be seen by a clinician first.", []
    if context.plan is not None and running_held(context.plan):
        return None, state, HOLD_RUNNING_DETAIL, []
    if until_seen(context):
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
        state = start_state(context)
        why.append("The return-to-run programme starts with your first check-in.")
    if state is None:
        return None, None, "", why
    history = context.history
    last_run, runs_this_week = _last_run(history, day)
    last_judged = log.last_judged if log is not None else None
    session = (
        _rest_after_first_stage(state, last_judged, day)
        or _off_day(context, programme, state, day)
        or todays_session(
            state,
            day,
            last_run,
            runs_in_previous_6_days=runs_this_week,
            thresholds=PROGRAMME_THRESHOLDS,
        )
    )
    why.extend(_programme_why(state, last_judged, context))
    waiting = log.waiting if log is not None else ()
    if waiting:
        why.append(
            f"Record your back pain on the morning after your {waiting[0].day.isoformat()} "
            "session (`backstride checkin`): it decides whether you move on."
        )
    return session, state, "", why


def run_progress(uow: UnitOfWork, day: dt.date) -> RunProgress | None:
    """The programme so far, for the plan's surfaces (``run_schedule.plan_run_day``): the
    stage reached and the usual week on ``day``, from ``day`` on; None without a programme."""
    with uow:
        programme = uow.programmes.current()
        if programme is None:
            return None
        state = state_through(uow, programme, day)
    return RunProgress(day, state.stage, state.usual)


def schedule_start(context: Context, programme: SavedProgramme | None, day: dt.date) -> dt.date:
    """The day run days are counted from: the plan's start, else the programme's."""
    if context.plan is not None:
        return context.plan.preferences.start_date
    return programme.started_on if programme is not None else day


def _off_day(
    context: Context, programme: SavedProgramme | None, state: ProgrammeState, day: dt.date
) -> SessionPrescription | None:
    """A rest day from running when ``day`` is not a run day (domain/plan/run_schedule.run_day).

    Only with a plan: its calendar, its files and Today then show the same run days.
    Without a plan there is no calendar to agree with; the programme's own rest-day
    rules apply.
    """
    if context.plan is None:
        return None
    start = schedule_start(context, programme, day)
    running: RunningToday = "usual" if state.stage is StageId.USUAL_VOLUME else "return_to_run"
    t = PROGRAMME_THRESHOLDS
    run = run_day(day, start, running, state.usual, state.stage, thresholds=t)
    if run.kind != "rest":
        return None
    week = [start + dt.timedelta(days=n) for n in range(7)]
    names = [
        d.strftime("%a")
        for d in week
        if run_day(d, start, running, state.usual, state.stage, thresholds=t).kind != "rest"
    ]
    return rest_prescription(
        state,
        day,
        f"Rest day from running: your run days are {', '.join(names)}.",
        "Your exercises, an easy walk or gentle cross-training are fine today.",
    )


def _note_for_today(
    context: Context,
    programme: SavedProgramme | None,
    state: ProgrammeState | None,
    session: SessionPrescription | None,
    day: dt.date,
    note: str,
) -> str:
    """The plan day's note worded again from today's prescription (issue 13 item 2).

    The saved note was worded when the plan was built, from the stage its running
    track starts at; once the runner has moved on it names a stale run. Today words
    it from the stage reached (``run_schedule.run_day``), as the walk-run box does.
    """
    planned = context.plan.day(day) if context.plan is not None else None
    if planned is None or note != planned.note or planned.running in ("none", "walk"):
        return note
    if session is None:
        run = RunDay(day, "none", NONE_LABEL)
    elif session.kind is SessionKind.REST:
        run = RunDay(day, "rest", REST_LABEL, stage=session.stage)
    elif state is None:
        return note
    else:
        start = schedule_start(context, programme, day)
        running: RunningToday = "usual" if state.stage is StageId.USUAL_VOLUME else "return_to_run"
        run = run_day(
            day, start, running, state.usual, state.stage, thresholds=PROGRAMME_THRESHOLDS
        )
    return day_note(planned.phase, planned.running, run)


def _suspended(
    day: dt.date, care: CareDecision, found: Retriage | None, has_plan: bool, kb: KnowledgeBase
) -> TodayAdvice:
    """Care needed now, on hold, or nothing assessed: no exercise, no run, no stage."""
    if care.suspended:
        headline = care.instruction.headline if care.instruction else ""
        plan_note = f"Your plan is suspended. {headline}".strip()
        running_note = "No running and no exercises until you have been seen."
    else:
        plan_note = (
            "Start with the assessment: it checks for warning signs first, then backstride "
            "can say which exercises and how much walking or running are safe for you."
        )
        running_note = "No walk or run is prescribed before the assessment."
    return TodayAdvice(
        day=day,
        has_plan=has_plan,
        plan_note=plan_note,
        phase=None,
        exercises=(),
        exercise_rest_day=False,
        session=None,
        running_note=running_note,
        stage=None,
        stage_title=None,
        programme_started_on=None,
        why=(),  # the reasons are the care state's, shown with its instruction
        escalations=care.escalations,
        retriage=found,
        heuristic_note=HEURISTIC_NOTE,
        not_a_diagnosis=kb.texts.disclaimer,
        care=care,
    )


def today(uow: UnitOfWork, day: dt.date, kb: KnowledgeBase | None = None) -> TodayAdvice:
    """What to do on ``day``: first what the care state allows, then the plan's exercises
    and the programme's walk or run."""
    knowledge = kb or load_knowledge_base()
    with uow:
        context = load_context(uow, day)
        programme = uow.programmes.current()
        log = programme_log(uow, programme, day) if programme else None
    history = context.history
    care = context.care(day, knowledge)
    found = retriage(care.escalations, context.assessment, history, day, knowledge)
    if care.suspended or care.state == "no_assessment":
        return _suspended(day, care, found, context.plan is not None, knowledge)
    stored = next((c.document for c in context.saved if c.day == day), None)
    skipped = dict(stored.exercises_skipped or {}) if stored is not None else {}
    exercises, rest_day, phase, plan_note, why = _exercise_part(
        context.plan, day, history, care, skipped
    )
    session, state, running_note, running_why = _running_part(
        context, programme, log, day, _stop_note(care)
    )
    plan_note = _note_for_today(context, programme, state, session, day, plan_note)
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
        escalations=care.escalations,
        retriage=found,
        heuristic_note=HEURISTIC_NOTE,
        not_a_diagnosis=knowledge.texts.disclaimer,
        care=care,
    )


def _programme_why(
    state: ProgrammeState, last_judged: SavedDecision | None, context: Context
) -> list[str]:
    reasons = []
    if last_judged is not None:
        reasons.append(f"Last session: {last_judged.decision.reason}")
    elif context.assessment or context.plan:
        advice = running_advice(context) or "pause"
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
