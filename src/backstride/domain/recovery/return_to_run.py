"""The graded return-to-run programme, as a declared state machine.

The runner climbs through stages: 30 minutes of walking, walk–run intervals,
continuous easy running, then back up to their usual weekly volume. After each
walk or run the engine reads the pain report and decides: advance, hold, step
back, or (on a rest or cross-training day) nothing to decide.

**This whole programme is a product heuristic.** Its pain rules borrow the
pain-monitoring model that was tested in Achilles tendon pain
(``silbernagel2007``), not in back pain, and walk–run return protocols are
consensus-based (``running_clinic_rtr``, ``army_rtr2023``). It is offered only
when the assessment found no warning signs, and every prescription and
decision says so.

One table decides everything: :data:`TRANSITIONS` lists, for every stage and
every event, where the runner goes, the decision, the rule id and the
explanation. :func:`advance` only works out which event a session is, then
looks the move up; the documentation's state diagram is drawn from the same
table (``return_to_run_diagram``). Numbers live in :class:`ProgrammeThresholds`,
read from ``content/thresholds.yaml`` (section ``return_to_run``) and passed in.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, fields, replace
from enum import Enum, StrEnum

from backstride.domain.recovery.checkin import CheckIn, SessionKind

PROGRAMME_SOURCES = ("running_clinic_rtr", "army_rtr2023", "silbernagel2007")
PAIN_MONITORING_SOURCES = ("silbernagel2007", "running_clinic_rtr")

HEURISTIC_NOTE = (
    "This programme is a product heuristic, not a tested treatment for back pain: its pain "
    "rules come from a model tested in Achilles tendon pain, and walk-run return plans are "
    "expert consensus. Follow it only while no warning signs are present."
)


class ProgrammeError(ValueError):
    """The programme was asked something impossible; the message says what."""


@dataclass(frozen=True, slots=True)
class ProgrammeThresholds:
    """Every number the programme compares against. All are product heuristics.

    The values live in one reviewed place, ``content/thresholds.yaml`` (section
    ``return_to_run``), each with its sources; services read them there and pass
    them in. They follow the walk-run protocols (symptoms kept low and not
    lingering to the next day before progressing) and the pain-monitoring model
    (an upper limit of pain accepted during activity), neither of which was tested
    in back pain. Clinical review may tune them; nothing else in the code holds a
    threshold of its own.
    """

    # A session is good when pain during and after stays at or below this.
    comfort_max_pain: int
    # Above comfort up to this: hold. Above this: step back (the model's upper limit).
    hold_max_pain: int
    # Next-morning pain may be this much above the pain before the session and
    # still count as "back to baseline". Zero: no worse than before.
    morning_tolerance: int
    # Pain that lingered to the next morning this many sessions running: step back.
    lingering_sessions_to_step_back: int
    # Sessions running with pain both during and after (above comfort): step back.
    painful_sessions_to_step_back: int
    # A session counts towards passing a stage only if it covered this share of
    # the prescription: skipping the hard part proves nothing.
    min_share_of_prescription: float
    # When rest days are still needed, at most this many runs fit in a week.
    max_runs_per_week_with_rest_days: int
    # A building-stage run is never shorter than the last continuous stage.
    min_build_run_minutes: int
    # The usual week assumed when the intake did not say (sizes the building stages only).
    assumed_runs_per_week: int
    assumed_minutes_per_week: int

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @property
    def assumed_usual(self) -> UsualVolume:
        """The usual week assumed when the intake did not give the runner's running."""
        return UsualVolume(
            runs_per_week=self.assumed_runs_per_week,
            minutes_per_week=self.assumed_minutes_per_week,
        )

    def fill(self, template: str) -> str:
        """A wording with its ``{name}`` placeholders filled from these numbers.

        ``{above_comfort}`` is the first pain above comfort (``comfort_max_pain + 1``).
        """
        values = {name: getattr(self, name) for name in self.names()}
        return template.format(**values, above_comfort=self.comfort_max_pain + 1)


# --- stages ----------------------------------------------------------------------


class StageId(StrEnum):
    WALK = "walk"
    RUN1_WALK4 = "run1_walk4"
    RUN2_WALK3 = "run2_walk3"
    RUN3_WALK2 = "run3_walk2"
    RUN4_WALK1 = "run4_walk1"
    RUN_20 = "run_20"
    RUN_30 = "run_30"
    BUILD_50 = "build_50"
    BUILD_75 = "build_75"
    USUAL_VOLUME = "usual_volume"

    @property
    def number(self) -> int:
        """The stage's place on the ladder as people read it: 1 for the first stage."""
        return list(StageId).index(self) + 1


class Surface(StrEnum):
    FLAT = "flat"
    MOSTLY_FLAT = "mostly_flat"
    USUAL = "usual"


SURFACE_ADVICE = {
    Surface.FLAT: "flat, even ground: a track, a flat path or a treadmill",
    Surface.MOSTLY_FLAT: "your usual routes, still avoiding long downhills",
    Surface.USUAL: "your usual routes, hills included",
}


@dataclass(frozen=True, slots=True)
class Intervals:
    run_min: int
    walk_min: int
    repeats: int

    @property
    def total_minutes(self) -> int:
        return (self.run_min + self.walk_min) * self.repeats


@dataclass(frozen=True, slots=True)
class Stage:
    """One rung of the programme and what a session on it looks like.

    ``minutes`` is set for walking and continuous running, ``intervals`` for
    walk-run stages, ``volume_share`` (of the usual weekly volume) for the
    building stages. ``sessions_to_pass`` is ``None`` only on the last stage.
    """

    id: StageId
    title: str
    kind: SessionKind
    surface: Surface
    rest_day_between_runs: bool
    sessions_to_pass: int | None
    minutes: int | None = None
    intervals: Intervals | None = None
    volume_share: float | None = None


def _walk_run(stage_id: StageId, run_min: int, walk_min: int) -> Stage:
    return Stage(
        id=stage_id,
        title=f"Run {run_min} min / walk {walk_min} min, 6 times",
        kind=SessionKind.WALK_RUN,
        surface=Surface.FLAT,
        rest_day_between_runs=True,
        sessions_to_pass=2,
        intervals=Intervals(run_min=run_min, walk_min=walk_min, repeats=6),
    )


STAGES: tuple[Stage, ...] = (
    Stage(
        StageId.WALK,
        "Brisk walk, 30 min",
        SessionKind.WALK,
        Surface.FLAT,
        rest_day_between_runs=False,
        sessions_to_pass=2,
        minutes=30,
    ),
    _walk_run(StageId.RUN1_WALK4, 1, 4),
    _walk_run(StageId.RUN2_WALK3, 2, 3),
    _walk_run(StageId.RUN3_WALK2, 3, 2),
    _walk_run(StageId.RUN4_WALK1, 4, 1),
    Stage(
        StageId.RUN_20,
        "Easy continuous run, 20 min",
        SessionKind.RUN,
        Surface.FLAT,
        rest_day_between_runs=True,
        sessions_to_pass=2,
        minutes=20,
    ),
    Stage(
        StageId.RUN_30,
        "Easy continuous run, 30 min",
        SessionKind.RUN,
        Surface.FLAT,
        rest_day_between_runs=True,
        sessions_to_pass=2,
        minutes=30,
    ),
    Stage(
        StageId.BUILD_50,
        "Half your usual weekly running",
        SessionKind.RUN,
        Surface.MOSTLY_FLAT,
        rest_day_between_runs=True,
        sessions_to_pass=3,
        volume_share=0.5,
    ),
    Stage(
        StageId.BUILD_75,
        "Three quarters of your usual weekly running",
        SessionKind.RUN,
        Surface.MOSTLY_FLAT,
        rest_day_between_runs=False,
        sessions_to_pass=3,
        volume_share=0.75,
    ),
    Stage(
        StageId.USUAL_VOLUME,
        "Your usual weekly running",
        SessionKind.RUN,
        Surface.USUAL,
        rest_day_between_runs=False,
        sessions_to_pass=None,
        volume_share=1.0,
    ),
)

_STAGE_INDEX = {stage.id: index for index, stage in enumerate(STAGES)}
FIRST_STAGE = STAGES[0].id
LAST_STAGE = STAGES[-1].id


def stage_of(stage_id: StageId) -> Stage:
    return STAGES[_STAGE_INDEX[stage_id]]


def stage_index(stage_id: StageId) -> int:
    return _STAGE_INDEX[stage_id]


# --- events, decisions and the transition table ---------------------------------


class Event(StrEnum):
    """What one session turned out to be, as far as the programme is concerned."""

    STAGE_PASSED = "stage_passed"
    GOOD_SESSION = "good_session"
    NOT_AS_PRESCRIBED = "not_as_prescribed"
    INCOMPLETE_REPORT = "incomplete_report"
    NO_PROGRAMME_SESSION = "no_programme_session"
    PAIN_ABOVE_COMFORT = "pain_above_comfort"
    PAIN_LINGERED = "pain_lingered"
    PAIN_ABOVE_LIMIT = "pain_above_limit"
    PAIN_LINGERED_AGAIN = "pain_lingered_again"
    PAIN_DURING_AND_AFTER_REPEATEDLY = "pain_during_and_after_repeatedly"


class DecisionKind(StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    STEP_BACK = "step_back"
    REST = "rest"


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table. ``explanation`` is a template: :meth:`explained` fills it."""

    source: StageId
    event: Event
    target: StageId
    decision: DecisionKind
    rule_id: str
    explanation: str
    sources: tuple[str, ...]

    def explained(self, thresholds: ProgrammeThresholds) -> str:
        """The explanation as the runner reads it, quoting ``thresholds``."""
        return thresholds.fill(self.explanation)


class _Move(Enum):
    NEXT = 1
    STAY = 0
    PREVIOUS = -1


@dataclass(frozen=True, slots=True)
class _Rule:
    event: Event
    rule_id: str
    move: _Move
    decision: DecisionKind
    explanation: str
    sources: tuple[str, ...]


# One rule per event. Which event a session is gets decided in `_classify`, worst
# pain signal first; the wording is what the runner reads after the session. It is
# a template (:meth:`ProgrammeThresholds.fill`): it quotes the thresholds the
# decision used, so the two cannot drift apart.
_RULES: tuple[_Rule, ...] = (
    _Rule(
        Event.STAGE_PASSED,
        "RTR1",
        _Move.NEXT,
        DecisionKind.ADVANCE,
        "Enough good sessions on this stage: pain stayed at {comfort_max_pain}/10 or less "
        "and was back to its usual level by the next morning. Move on to the next stage.",
        PROGRAMME_SOURCES,
    ),
    _Rule(
        Event.GOOD_SESSION,
        "RTR2",
        _Move.STAY,
        DecisionKind.HOLD,
        "A good session. Repeat this stage until it has enough good sessions.",
        PROGRAMME_SOURCES,
    ),
    _Rule(
        Event.NOT_AS_PRESCRIBED,
        "RTR3",
        _Move.STAY,
        DecisionKind.HOLD,
        "The session was a different kind or much shorter than prescribed, so it does not "
        "count towards moving on. Repeat this stage as prescribed.",
        PROGRAMME_SOURCES,
    ),
    _Rule(
        Event.INCOMPLETE_REPORT,
        "RTR4",
        _Move.STAY,
        DecisionKind.HOLD,
        "Moving on needs the pain during the session and the next morning. Stay on this stage "
        "until both are recorded.",
        PAIN_MONITORING_SOURCES,
    ),
    _Rule(
        Event.NO_PROGRAMME_SESSION,
        "RTR5",
        _Move.STAY,
        DecisionKind.REST,
        "A rest or cross-training day: the programme stays where it is.",
        PROGRAMME_SOURCES,
    ),
    _Rule(
        Event.PAIN_ABOVE_COMFORT,
        "RTR6",
        _Move.STAY,
        DecisionKind.HOLD,
        "Pain reached {above_comfort}-{hold_max_pain}/10: acceptable, but not yet "
        "a reason to move on. Repeat this stage.",
        PAIN_MONITORING_SOURCES,
    ),
    _Rule(
        Event.PAIN_LINGERED,
        "RTR7",
        _Move.STAY,
        DecisionKind.HOLD,
        "Pain was still raised the next morning. Repeat this stage; if it lingers again, "
        "the programme steps back.",
        PAIN_MONITORING_SOURCES,
    ),
    _Rule(
        Event.PAIN_ABOVE_LIMIT,
        "RTR8",
        _Move.PREVIOUS,
        DecisionKind.STEP_BACK,
        "Pain went above {hold_max_pain}/10. Step back to the previous stage.",
        PAIN_MONITORING_SOURCES,
    ),
    _Rule(
        Event.PAIN_LINGERED_AGAIN,
        "RTR9",
        _Move.PREVIOUS,
        DecisionKind.STEP_BACK,
        "Pain was raised the next morning after "
        "{lingering_sessions_to_step_back} sessions in a row. Step back to the previous stage.",
        PAIN_MONITORING_SOURCES,
    ),
    _Rule(
        Event.PAIN_DURING_AND_AFTER_REPEATEDLY,
        "RTR10",
        _Move.PREVIOUS,
        DecisionKind.STEP_BACK,
        "Pain during and after the last {painful_sessions_to_step_back} sessions, above "
        "{comfort_max_pain}/10. Back off to the previous stage.",
        PROGRAMME_SOURCES,
    ),
)

_FINISHED = (
    "You are back to your usual running. Keep going, and keep the same pain rules: "
    "ease off if pain goes above {comfort_max_pain}/10 or lingers to the next morning."
)
_NOWHERE_TO_STEP_BACK = (
    "Already at walking, the first stage: rest for a day or two, then walk again. "
    "If walking keeps causing pain like this, see a doctor or physiotherapist."
)


def _declare(stages: tuple[Stage, ...], rules: tuple[_Rule, ...]) -> tuple[Transition, ...]:
    """Spell out every (stage, event) pair; the ends of the ladder get their own wording."""
    table: list[Transition] = []
    last = len(stages) - 1
    for index, stage in enumerate(stages):
        for rule in rules:
            target_index = index + rule.move.value
            decision, explanation = rule.decision, rule.explanation
            if target_index > last:
                target_index, decision, explanation = last, DecisionKind.HOLD, _FINISHED
            elif target_index < 0:
                target_index, decision, explanation = 0, DecisionKind.REST, _NOWHERE_TO_STEP_BACK
            table.append(
                Transition(
                    source=stage.id,
                    event=rule.event,
                    target=stages[target_index].id,
                    decision=decision,
                    rule_id=rule.rule_id,
                    explanation=explanation,
                    sources=rule.sources,
                )
            )
    return tuple(table)


TRANSITIONS: tuple[Transition, ...] = _declare(STAGES, _RULES)
_TRANSITION_BY_KEY = {(t.source, t.event): t for t in TRANSITIONS}


def transition_for(stage_id: StageId, event: Event) -> Transition:
    return _TRANSITION_BY_KEY[(stage_id, event)]


# --- state and session log --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UsualVolume:
    """The runner's usual training before the pain: what the last stages build back to."""

    runs_per_week: int
    km_per_week: float | None = None
    minutes_per_week: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.runs_per_week <= 14:
            raise ProgrammeError("usual runs per week must be 1-14")
        if self.km_per_week is None and self.minutes_per_week is None:
            raise ProgrammeError("give the usual weekly volume in km, in minutes, or both")
        if self.km_per_week is not None and not 0 < self.km_per_week <= 400:
            raise ProgrammeError("usual km per week must be above 0 and at most 400")
        if self.minutes_per_week is not None and not 0 < self.minutes_per_week <= 3000:
            raise ProgrammeError("usual minutes per week must be above 0 and at most 3000")


@dataclass(frozen=True, slots=True)
class ProgrammeState:
    """Where the runner is, plus the counts the rules need from earlier sessions."""

    stage: StageId
    usual: UsualVolume
    good_sessions: int = 0
    lingering_in_a_row: int = 0
    painful_in_a_row: int = 0

    @property
    def stage_index(self) -> int:
        return stage_index(self.stage)


def start_programme(usual: UsualVolume, stage: StageId = FIRST_STAGE) -> ProgrammeState:
    return ProgrammeState(stage=stage, usual=usual)


@dataclass(frozen=True, slots=True)
class SessionLogEntry:
    """One session as the pain rules see it.

    ``resting_pain_before_0_10`` is the pain before the session (that
    morning): "back to baseline" means the next morning is no worse than this.
    """

    day: dt.date
    kind: SessionKind
    minutes: int
    resting_pain_before_0_10: int
    pain_during_0_10: int | None = None
    pain_after_0_10: int | None = None
    next_morning_pain_0_10: int | None = None
    distance_km: float | None = None

    @classmethod
    def from_checkins(
        cls, checkin: CheckIn, previous: CheckIn | None = None
    ) -> SessionLogEntry | None:
        """The session of ``checkin``, or ``None`` on a day without one.

        The pain before the session is the previous day's next-morning pain
        when the runner recorded one, else the day's own pain now.
        """
        session = checkin.session
        if session is None:
            return None
        before = checkin.pain_now_0_10
        if (
            previous is not None
            and previous.day == checkin.day - dt.timedelta(days=1)
            and previous.next_morning_pain_0_10 is not None
        ):
            before = previous.next_morning_pain_0_10
        return cls(
            day=checkin.day,
            kind=session.kind,
            minutes=session.minutes,
            resting_pain_before_0_10=before,
            pain_during_0_10=session.pain_during_0_10,
            pain_after_0_10=session.pain_after_0_10,
            next_morning_pain_0_10=checkin.next_morning_pain_0_10,
            distance_km=session.distance_km,
        )


@dataclass(frozen=True, slots=True)
class Decision:
    kind: DecisionKind
    reason: str
    rule_id: str
    event: Event
    from_stage: StageId
    to_stage: StageId
    sources: tuple[str, ...]
    heuristic_note: str = HEURISTIC_NOTE


def hurts_during_and_after(
    pain_during: int | None,
    pain_after: int | None,
    thresholds: ProgrammeThresholds,
) -> bool | None:
    """Pain both during and after a session, with at least one above comfort.

    ``None`` when either is unknown. Low pain during and after that settles is
    what the pain-monitoring model allows, so it never counts here.
    """
    if pain_during is None or pain_after is None:
        return None
    both_present = pain_during > 0 and pain_after > 0
    return both_present and max(pain_during, pain_after) > thresholds.comfort_max_pain


# --- prescriptions ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionPrescription:
    """What to do today. ``kind`` is ``rest`` on a rest day."""

    day: dt.date
    stage: StageId
    stage_title: str
    kind: SessionKind
    minutes: int | None
    distance_km: float | None
    intervals: Intervals | None
    surface: Surface | None
    rest_day_after: bool
    good_sessions: int
    sessions_to_pass: int | None
    notes: tuple[str, ...]
    sources: tuple[str, ...] = PROGRAMME_SOURCES
    heuristic_note: str = HEURISTIC_NOTE


def _runs_per_week(stage: Stage, usual: UsualVolume, t: ProgrammeThresholds) -> int:
    if stage.rest_day_between_runs:
        return min(usual.runs_per_week, t.max_runs_per_week_with_rest_days)
    return usual.runs_per_week


def _session_size(
    stage: Stage, usual: UsualVolume, t: ProgrammeThresholds
) -> tuple[int | None, float | None]:
    """Minutes and distance of one session on ``stage`` (either may be unknown)."""
    if stage.intervals is not None:
        return stage.intervals.total_minutes, None
    if stage.volume_share is None:
        return stage.minutes, None
    runs = _runs_per_week(stage, usual, t)
    minutes = None
    if usual.minutes_per_week is not None:
        share = usual.minutes_per_week * stage.volume_share / runs
        minutes = max(t.min_build_run_minutes, math.ceil(share))
    km = None
    if usual.km_per_week is not None:
        km = round(usual.km_per_week * stage.volume_share / runs, 1)
    return minutes, km


def runs_per_week(stage: Stage, usual: UsualVolume, t: ProgrammeThresholds) -> int:
    """Runs a week on ``stage`` for a runner with ``usual`` runs (the run days' count)."""
    return _runs_per_week(stage, usual, t)


def session_size(
    stage: Stage, usual: UsualVolume, t: ProgrammeThresholds
) -> tuple[int | None, float | None]:
    """Minutes and distance of one session on ``stage`` (either may be unknown)."""
    return _session_size(stage, usual, t)


def _stage_notes(stage: Stage, usual: UsualVolume, t: ProgrammeThresholds) -> tuple[str, ...]:
    notes = [f"Surface: {SURFACE_ADVICE[stage.surface]}."]
    if stage.kind is SessionKind.WALK:
        notes.append(f"Walk at a brisk pace; stop if back pain goes above {t.comfort_max_pain}/10.")
    else:
        notes.append(
            f"Easy pace. If back pain goes above {t.comfort_max_pain}/10, walk the rest of the way."
        )
    if stage.volume_share is not None and stage.sessions_to_pass is not None:
        notes.append(f"Aim for about {_runs_per_week(stage, usual, t)} runs this week.")
    if stage.rest_day_between_runs:
        notes.append("Take a rest day after this session; an easy walk is fine.")
    notes.append("Tomorrow morning, record how your back feels: it decides the next step.")
    return tuple(notes)


def _stage_prescription(
    state: ProgrammeState, today: dt.date, t: ProgrammeThresholds
) -> SessionPrescription:
    stage = stage_of(state.stage)
    minutes, km = _session_size(stage, state.usual, t)
    return SessionPrescription(
        day=today,
        stage=stage.id,
        stage_title=stage.title,
        kind=stage.kind,
        minutes=minutes,
        distance_km=km,
        intervals=stage.intervals,
        surface=stage.surface,
        rest_day_after=stage.rest_day_between_runs,
        good_sessions=state.good_sessions,
        sessions_to_pass=stage.sessions_to_pass,
        notes=_stage_notes(stage, state.usual, t),
    )


def rest_prescription(
    state: ProgrammeState,
    today: dt.date,
    why: str,
    meanwhile: str = "Your exercises, an easy walk or gentle cross-training are fine today.",
) -> SessionPrescription:
    """A rest day at the current stage, saying why and what is fine meanwhile."""
    stage = stage_of(state.stage)
    return SessionPrescription(
        day=today,
        stage=stage.id,
        stage_title=stage.title,
        kind=SessionKind.REST,
        minutes=None,
        distance_km=None,
        intervals=None,
        surface=None,
        rest_day_after=False,
        good_sessions=state.good_sessions,
        sessions_to_pass=stage.sessions_to_pass,
        notes=(why, meanwhile),
    )


def todays_session(
    state: ProgrammeState,
    today: dt.date,
    last_run_date: dt.date | None,
    *,
    runs_in_previous_6_days: int | None = None,
    thresholds: ProgrammeThresholds,
) -> SessionPrescription:
    """Today's session for the runner's stage, or a rest day.

    ``last_run_date`` is the day of the last walk-run or run session. Early
    stages need a rest day between run sessions; walking needs none; no stage
    asks for two runs on one day. On the building stages, pass
    ``runs_in_previous_6_days`` (runs on the six days before today) so the
    week holds no more runs than the stage allows.
    """
    if last_run_date is not None and last_run_date > today:
        raise ProgrammeError(f"the last run ({last_run_date}) cannot be after today ({today})")
    stage = stage_of(state.stage)
    if stage.kind is not SessionKind.WALK and last_run_date is not None:
        days_since = (today - last_run_date).days
        if days_since == 0:
            return rest_prescription(state, today, "You have already run today.")
        if stage.rest_day_between_runs and days_since == 1:
            return rest_prescription(
                state, today, "Rest day: at this stage, leave a day between run sessions."
            )
    if stage.volume_share is not None and runs_in_previous_6_days is not None:
        allowed = _runs_per_week(stage, state.usual, thresholds)
        if runs_in_previous_6_days >= allowed:
            return rest_prescription(
                state,
                today,
                f"Rest day: {allowed} runs in a week is this stage's most, and you have had them.",
            )
    return _stage_prescription(state, today, thresholds)


# --- the engine ----------------------------------------------------------------


def _as_prescribed(state: ProgrammeState, entry: SessionLogEntry, t: ProgrammeThresholds) -> bool:
    stage = stage_of(state.stage)
    if entry.kind is not stage.kind:
        return False
    minutes, km = _session_size(stage, state.usual, t)
    if minutes is not None and entry.minutes < minutes * t.min_share_of_prescription:
        return False
    return not (
        km is not None
        and entry.distance_km is not None
        and entry.distance_km < km * t.min_share_of_prescription
    )


def _streak(previous: int, happened: bool | None) -> int:
    """Count in a row: up when it happened, back to 0 when it did not, kept when unknown."""
    if happened is None:
        return previous
    return previous + 1 if happened else 0


def _classify(
    state: ProgrammeState, entry: SessionLogEntry, t: ProgrammeThresholds
) -> tuple[Event, ProgrammeState]:
    """Which event the session is, and the counts updated by it (stage unchanged)."""
    if entry.kind in (SessionKind.REST, SessionKind.CROSS_TRAINING):
        return Event.NO_PROGRAMME_SESSION, state

    reported = [p for p in (entry.pain_during_0_10, entry.pain_after_0_10) if p is not None]
    peak = max(reported, default=None)
    lingered = None
    if entry.next_morning_pain_0_10 is not None:
        baseline = entry.resting_pain_before_0_10 + t.morning_tolerance
        lingered = entry.next_morning_pain_0_10 > baseline
    counted = replace(
        state,
        lingering_in_a_row=_streak(state.lingering_in_a_row, lingered),
        painful_in_a_row=_streak(
            state.painful_in_a_row,
            hurts_during_and_after(entry.pain_during_0_10, entry.pain_after_0_10, t),
        ),
    )

    if peak is not None and peak > t.hold_max_pain:
        return Event.PAIN_ABOVE_LIMIT, counted
    if counted.lingering_in_a_row >= t.lingering_sessions_to_step_back:
        return Event.PAIN_LINGERED_AGAIN, counted
    if counted.painful_in_a_row >= t.painful_sessions_to_step_back:
        return Event.PAIN_DURING_AND_AFTER_REPEATEDLY, counted
    if peak is not None and peak > t.comfort_max_pain:
        return Event.PAIN_ABOVE_COMFORT, replace(counted, good_sessions=0)
    if lingered:
        return Event.PAIN_LINGERED, replace(counted, good_sessions=0)
    if entry.pain_during_0_10 is None or lingered is None:
        return Event.INCOMPLETE_REPORT, counted
    if not _as_prescribed(state, entry, t):
        return Event.NOT_AS_PRESCRIBED, counted

    good = replace(counted, good_sessions=counted.good_sessions + 1)
    needed = stage_of(state.stage).sessions_to_pass
    if needed is not None and good.good_sessions >= needed:
        return Event.STAGE_PASSED, good
    return Event.GOOD_SESSION, good


def _describe(entry: SessionLogEntry) -> str:
    parts = []
    if entry.pain_during_0_10 is not None:
        parts.append(f"pain during {entry.pain_during_0_10}/10")
    if entry.pain_after_0_10 is not None:
        parts.append(f"after {entry.pain_after_0_10}/10")
    if entry.next_morning_pain_0_10 is not None:
        parts.append(
            f"next morning {entry.next_morning_pain_0_10}/10 "
            f"(before the session {entry.resting_pain_before_0_10}/10)"
        )
    if not parts:
        return ""
    text = ", ".join(parts)
    return f"{entry.day.isoformat()}: {text[0].upper()}{text[1:]}. "


def advance(
    state: ProgrammeState,
    entry: SessionLogEntry,
    thresholds: ProgrammeThresholds,
) -> tuple[ProgrammeState, Decision]:
    """Apply one session to the programme: the new state and the decision, with its rule.

    Call it once per session, when the next-morning pain is known (or when the
    runner has clearly skipped recording it): without it a session cannot move
    the runner on, though severe pain still steps back at once.
    """
    event, counted = _classify(state, entry, thresholds)
    transition = transition_for(state.stage, event)
    if transition.target == state.stage:
        new_state = replace(counted, stage=transition.target)
    else:
        # A new stage starts its counts afresh, so an old streak cannot push
        # the runner straight back down.
        new_state = ProgrammeState(stage=transition.target, usual=state.usual)
    decision = Decision(
        kind=transition.decision,
        reason=_describe(entry) + transition.explained(thresholds),
        rule_id=transition.rule_id,
        event=event,
        from_stage=state.stage,
        to_stage=transition.target,
        sources=transition.sources,
    )
    return new_state, decision
