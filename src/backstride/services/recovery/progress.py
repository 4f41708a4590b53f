"""Progress over a period: pain, function, adherence, programme stage and
escalations.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.model import Plan
from backstride.domain.recovery.checkin import (
    CheckIn,
    SessionKind,
)
from backstride.domain.recovery.escalation import (
    Level,
)
from backstride.domain.recovery.progress import (
    ROLLING_WINDOW_DAYS,
    PsfsPoint,
    RollingPain,
    StageSpan,
    WeekAdherence,
    psfs_series,
    rolling_pain,
    stage_timeline,
    weekly_adherence,
)
from backstride.domain.recovery.return_to_run import (
    StageId,
)
from backstride.services import training
from backstride.services.care import CareDecision
from backstride.services.limits import day_problem, range_problem
from backstride.services.ports import (
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
from backstride.services.recovery.window import one_per_day, state_through

# The weeks before the pain began that Progress shows from the run log (the build-up).
BUILD_UP_WEEKS = 6

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

    def to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"schema": PROGRESS_SCHEMA_ID, **plain(self)}
        document["care"] = self.care.to_document()
        document["daily_pain"] = [{"day": d.isoformat(), "pain_now": p} for d, p in self.daily_pain]
        document["adherence"] = [{**plain(week), "share": week.share} for week in self.adherence]
        return document


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekly_running(
    logged: dict[dt.date, training.WeekOfRuns],
    history: Sequence[CheckIn],
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
    for checkin in history:
        session = checkin.session
        monday = _monday(checkin.day)
        if session is None or monday not in weeks:
            continue
        week = weeks[monday]
        if session.kind is SessionKind.WALK:
            week = dataclasses.replace(week, walk_minutes=week.walk_minutes + session.minutes)
        elif (
            session.is_running
            and session.activity_id is None
            and checkin.day not in logged[monday].days
        ):
            week = dataclasses.replace(
                week,
                sessions=week.sessions + 1,
                minutes=week.minutes + session.minutes,
                km=round(week.km + (session.distance_km or 0.0), 2),
            )
        weeks[monday] = week
    return [weeks[monday] for monday in sorted(weeks) if monday <= end]


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


def _episodes_from(uow: UnitOfWork, loaded: Sequence[SavedCheckin]) -> list[EscalationEpisode]:
    """The escalation episodes of ``loaded`` (every check-in from its first day on).

    One raised already on the first of them may have begun earlier: the database says
    where that run of check-ins began (``run_start``), and its first check-in gives the
    headline, so no older check-in is read.
    """
    episodes = _episodes(loaded)
    if not loaded:
        return episodes
    edge = loaded[0].day
    found = []
    for episode in episodes:
        if episode.first_day == edge:
            began = uow.checkins.run_start(edge, episode.rule_id, episode.level.value)
            first = uow.checkins.on_days([began]) if began is not None and began < edge else ()
            if first:
                firing = {e.rule_id: e for e in first[0].escalations}
                episode = dataclasses.replace(
                    episode, first_day=first[0].day, headline=firing[episode.rule_id].headline
                )
        found.append(episode)
    return sorted(found, key=lambda e: (e.first_day, e.rule_id))


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

    Without ``start``, the report begins at the first check-in (at most a year back).
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
            start = max(first.day if first else end, end - dt.timedelta(days=365))
        too_long = range_problem(start, end)
        if too_long is not None:
            raise RecoveryError(too_long)
        # The days shown, and the 6 before them that the first rolling averages read.
        shown = uow.checkins.between(start - dt.timedelta(days=ROLLING_WINDOW_DAYS - 1), end)
        episodes = _episodes_from(uow, shown)
        saved = one_per_day(context.saved, shown)
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
    history = [c.document.to_checkin() for c in saved]
    in_range = [c for c in history if start <= c.day <= end]
    running = _weekly_running(training.weekly_running(uow, start, end), history, start, end)
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
        pain=tuple(rolling_pain(history, start, end)),
        daily_pain=tuple((c.day, c.pain_now_0_10) for c in in_range),
        psfs=tuple(p for p in psfs_series(history) if start <= p.day <= end),
        adherence=tuple(weekly_adherence(history, _planned_exercises(context.plan, start, end))),
        running=tuple(running),
        stages=tuple(stage_timeline(observations)),
        current_stage=current,
        escalations=tuple(e for e in episodes if e.last_day >= start and e.first_day <= end),
        not_a_diagnosis=knowledge.texts.disclaimer,
        care=care,
        load=weekly_load(running),
        pain_began=began,
        build_up=tuple(build_up),
    )
