"""Progress over a period: pain, function, adherence, programme stage and
escalations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.checkin import (
    RUNNING_KINDS,
    CheckIn,
    SessionKind,
)
from backstride.domain.recovery.escalation import (
    Level,
)
from backstride.domain.recovery.outcomes import Outcomes
from backstride.domain.recovery.progress import (
    ROLLING_WINDOW_DAYS,
    PsfsPoint,
    RollingPain,
    StageSpan,
    WeekAdherence,
    psfs_series,
    stage_timeline,
    weekly_adherence,
)
from backstride.domain.recovery.return_to_run import (
    StageId,
)
from backstride.services import outcomes, training
from backstride.services.care import CareDecision
from backstride.services.limits import day_problem, range_problem
from backstride.services.ports import (
    CheckinDay,
    SavedCheckin,
    UnitOfWork,
)
from backstride.services.recovery.documents import plain
from backstride.services.recovery.programme import (
    PROGRESS_SCHEMA_ID,
    Context,
    RecoveryError,
    load_context,
)
from backstride.services.recovery.window import state_through

# The weeks before the pain began that Progress shows from the run log (the build-up).
BUILD_UP_WEEKS = 6
# The days Progress shows when no first day is asked for: the last 90, the period a
# recovery is judged over (see docs/explanation/performance.md, Check-ins). A longer
# period is one `from` (`--from`) away, up to limits.MAX_REPORT_DAYS.
DEFAULT_PROGRESS_DAYS = 90

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
class WeeklyLoad:
    """The weekly running a progress chart draws beside the pain: one number per week
    (keyed by its Monday), its unit ("km" or "min") and where it comes from, in words.

    The one weekly number of every progress chart (the web page, the terminal and the
    PNG or SVG), so a week shows the same figure on each.
    """

    weeks: dict[dt.date, float]
    unit: str
    what: str


def weekly_load(running: Sequence[WeekRunning]) -> WeeklyLoad:
    """The run log's kilometres a week; minutes when no run in the weeks has a distance."""
    if any(w.km for w in running):
        return WeeklyLoad({w.week_start: w.km for w in running}, "km", "distance from your run log")
    return WeeklyLoad({w.week_start: float(w.minutes) for w in running}, "min", "running minutes")


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
    care: CareDecision
    load: WeeklyLoad = WeeklyLoad({}, "min", "running minutes")
    pain_began: dt.date | None = None
    """When the pain began: the assessment's onset, else the first check-in."""
    build_up: tuple[WeekRunning, ...] = ()
    """The run log's weeks before the pain began (the build-up), oldest first."""
    outcomes: Outcomes = dataclasses.field(default_factory=Outcomes)
    """Pain and the activity score since first measured, with the smallest important
    change (``services/outcomes.py``); nothing compared while care is suspended."""

    def to_document(self) -> dict[str, Any]:
        # The fields in plain()'s order; those with a value a day are written out here
        # (plain() looks up each value's fields, a few µs a day).
        written: dict[str, Any] = {
            "pain": [
                {"day": p.day.isoformat(), "average": p.average, "checkins": p.checkins}
                for p in self.pain
            ],
            "daily_pain": [{"day": d.isoformat(), "pain_now": p} for d, p in self.daily_pain],
            "care": self.care.to_document(),
            "adherence": [{**plain(week), "share": week.share} for week in self.adherence],
        }
        document: dict[str, Any] = {"schema": PROGRESS_SCHEMA_ID}
        for field in dataclasses.fields(self):
            name = field.name
            document[name] = written[name] if name in written else plain(getattr(self, name))
        return document


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekly_running(
    logged: dict[dt.date, training.WeekOfRuns],
    days: Sequence[CheckinDay],
    start: dt.date,
    end: dt.date,
) -> list[WeekRunning]:
    """Each week's running from the run log (``training.weekly_running``: every week
    counted whole), and its walks from the check-ins.

    A check-in's run is in the log (``run_log``); one recorded before that was so, with
    no activity and no logged run that day, still counts from the check-in.
    """
    weeks = {
        monday: WeekRunning(monday, runs.runs, round(runs.minutes), runs.km)
        for monday, runs in logged.items()
    }
    for checkin in days:
        kind = checkin.session_kind
        monday = _monday(checkin.day)
        if kind is None or monday not in weeks:
            continue
        week = weeks[monday]
        minutes = checkin.session_minutes or 0
        if kind is SessionKind.WALK:
            week = dataclasses.replace(week, walk_minutes=week.walk_minutes + minutes)
        elif (
            kind in RUNNING_KINDS
            and not checkin.session_logged
            and checkin.day not in logged[monday].days
        ):
            week = dataclasses.replace(
                week,
                sessions=week.sessions + 1,
                minutes=week.minutes + minutes,
                km=round(week.km + (checkin.session_km or 0.0), 2),
            )
        weeks[monday] = week
    return [weeks[monday] for monday in sorted(weeks) if monday <= end]


@dataclasses.dataclass(frozen=True, slots=True)
class _Span:
    """Consecutive check-ins raising one rule at one level (an episode, before its words)."""

    rule_id: str
    level: str
    first_day: dt.date
    last_day: dt.date


def _spans(days: Sequence[CheckinDay]) -> list[_Span]:
    open_: dict[str, tuple[str, dt.date, dt.date]] = {}  # rule -> level, first and last day
    closed: list[_Span] = []
    for checkin in days:
        firing = dict(checkin.fired)
        for rule_id in [r for r in open_ if r not in firing]:
            closed.append(_Span(rule_id, *open_.pop(rule_id)))
        for rule_id, level in firing.items():
            span = open_.get(rule_id)
            if span is not None and span[0] == level:
                open_[rule_id] = (level, span[1], checkin.day)
                continue
            if span is not None:
                closed.append(_Span(rule_id, *span))
            open_[rule_id] = (level, checkin.day, checkin.day)
    closed.extend(_Span(rule_id, *span) for rule_id, span in open_.items())
    return closed


def _episodes(uow: UnitOfWork, days: Sequence[CheckinDay]) -> list[EscalationEpisode]:
    """The escalation episodes of ``days`` (every check-in from its first day on), each
    shown once: the headline of the check-in it began on, the detail of its last.

    The runs of check-ins come from the escalations each one raised (``fired``); the
    words from the check-ins where each run begins and ends, the only ones decoded. One
    raised already on the first of ``days`` may have begun earlier: the database says
    where that run began (``run_start``), so no older check-in is read.
    """
    spans = _spans(days)
    if not spans:
        return []
    edge = days[0].day
    # Where each span begins: its first day here, or an earlier one for a span already
    # raised on the first day here (at most one such span per rule).
    began: dict[_Span, dt.date] = {span: span.first_day for span in spans}
    for span in spans:
        if span.first_day == edge:
            found = uow.checkins.run_start(edge, span.rule_id, span.level)
            if found is not None and found < edge:
                began[span] = found
    wanted = {span.last_day for span in spans} | set(began.values())
    raised = {
        saved.day: {e.rule_id: e for e in saved.escalations}
        for saved in uow.checkins.on_days(wanted)
        if saved.day in wanted
    }
    found_episodes = []
    for span in spans:
        first = raised[began[span]][span.rule_id]
        found_episodes.append(
            EscalationEpisode(
                rule_id=span.rule_id,
                level=first.level,
                first_day=began[span],
                last_day=span.last_day,
                headline=first.headline,
                detail=raised[span.last_day][span.rule_id].detail,
            )
        )
    return sorted(found_episodes, key=lambda e: (e.first_day, e.rule_id))


def _rolling_pain(days: Sequence[CheckinDay], start: dt.date, end: dt.date) -> list[RollingPain]:
    """``domain.recovery.progress.rolling_pain`` of these days, a running sum over the
    window instead of looking up its 7 days for each day (the same sums of whole numbers,
    so the same averages; tests/unit/services/test_progress_window.py compares them)."""
    pain_by_day = {c.day: c.pain_now for c in days}
    window = dt.timedelta(days=ROLLING_WINDOW_DAYS)
    # The days before the first point that its window holds.
    before = [pain_by_day.get(start - dt.timedelta(days=n)) for n in range(1, ROLLING_WINDOW_DAYS)]
    known = [pain for pain in before if pain is not None]
    total, count = sum(known), len(known)
    series = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        if day in pain_by_day:
            total, count = total + pain_by_day[day], count + 1
        gone = day - window  # the day that has just left the window
        if gone > start - window and gone in pain_by_day:
            total, count = total - pain_by_day[gone], count - 1
        average = total / count if count else None
        series.append(RollingPain(day=day, average=average, checkins=count))
    return series


def _exercise_checkins(
    days: Sequence[CheckinDay], planned: Mapping[dt.date, Sequence[str]]
) -> list[CheckIn]:
    """The days with planned exercises as check-ins carrying what the adherence reads:
    the day and the exercises done (and the pain, which it does not read)."""
    return [
        CheckIn(
            day=c.day,
            pain_now_0_10=c.pain_now,
            worst_24h_0_10=c.pain_now,
            exercises_done=c.exercises_done,
        )
        for c in days
        if c.day in planned
    ]


def _planned_exercises(plan: Plan | None, start: dt.date, end: dt.date) -> dict[dt.date, list[str]]:
    # A what-to-do-now plan has no dated days, so it plans no exercise.
    if plan is None:
        return {}
    return {
        d.date: list(d.exercises)
        for d in plan.days
        if start <= d.date <= end and not d.rest_day and d.exercises
    }


def _pain_began(context: Context, first: SavedCheckin | None) -> dt.date | None:
    """The assessment's onset (its day less how long the pain had lasted), else the
    first check-in's day."""
    saved = context.assessment
    if saved is not None:
        return saved.created_at.date() - dt.timedelta(days=saved.intake.pain.started_days_ago)
    return first.day if first is not None else None


def progress(
    uow: UnitOfWork, end: dt.date, start: dt.date | None = None, kb: KnowledgeBase | None = None
) -> ProgressReport:
    """Pain trend, function, adherence, running, stage over time and escalations.

    Without ``start``, the report begins at the first check-in, at most
    :data:`DEFAULT_PROGRESS_DAYS` days back (the last 90 days, ``end`` included).
    """
    knowledge = kb or load_knowledge_base()
    for given in (end, start):
        problem = None if given is None else day_problem(given)
        if problem is not None:
            raise RecoveryError(f"the date {problem}")
    with uow:
        context = load_context(uow, end)
        if start is None:
            first = uow.checkins.first(end)
            start = max(
                first.day if first else end, end - dt.timedelta(days=DEFAULT_PROGRESS_DAYS - 1)
            )
        too_long = range_problem(start, end)
        if too_long is not None:
            raise RecoveryError(too_long)
        # The days shown, and the 6 before them that the first rolling averages read,
        # from the columns kept beside each check-in; the documents only of the days
        # with a PSFS score and where an escalation's run begins and ends.
        days = uow.checkins.days(start - dt.timedelta(days=ROLLING_WINDOW_DAYS - 1), end)
        episodes = _episodes(uow, days)
        scored = [c.document.to_checkin() for c in uow.checkins.between(start, end, with_psfs=True)]
        programme = uow.programmes.current()
        observations: list[tuple[dt.date, StageId]] = []
        current = None
        if programme is not None and programme.started_on <= end:
            observations.append((programme.started_on, programme.start.stage))
            # A decision takes effect from the day after the session it judged.
            observations.extend(
                (day + dt.timedelta(days=1), stage)
                for day, stage in uow.programmes.stages(programme.id, end)
            )
            current = state_through(uow, programme, end).stage
        began = _pain_began(context, uow.checkins.first(end))
        measured = outcomes.measured(uow, context.inputs.assessments, end)
    planned = _planned_exercises(context.plan, start, end)
    in_range = [c for c in days if start <= c.day <= end]
    running = _weekly_running(training.weekly_running(uow, start, end), days, start, end)
    build_up: list[WeekRunning] = []
    if began is not None:
        before = _monday(began) - dt.timedelta(days=7 * BUILD_UP_WEEKS)
        build_up = _weekly_running(
            training.weekly_running(uow, before, _monday(began) - dt.timedelta(days=1)),
            (),
            before,
            _monday(began) - dt.timedelta(days=1),
        )
    care = context.care(end, knowledge)
    if care.suspended:
        current = None  # no walk-run stage is shown while care is needed first
    return ProgressReport(
        start=start,
        end=end,
        checkins=len(in_range),
        pain=tuple(_rolling_pain(days, start, end)),
        daily_pain=tuple((c.day, c.pain_now) for c in in_range),
        psfs=tuple(p for p in psfs_series(scored) if start <= p.day <= end),
        adherence=tuple(weekly_adherence(_exercise_checkins(days, planned), planned)),
        running=tuple(running),
        stages=tuple(stage_timeline(observations)),
        current_stage=current,
        escalations=tuple(e for e in episodes if e.last_day >= start and e.first_day <= end),
        not_a_diagnosis=knowledge.texts.disclaimer,
        care=care,
        load=weekly_load(running),
        pain_began=began,
        build_up=tuple(build_up),
        outcomes=outcomes.compare(measured, care),
    )
