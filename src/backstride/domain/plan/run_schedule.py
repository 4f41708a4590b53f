"""One running prescription: which days are run days, and how long each run is.

Every surface (the plan page and its calendar, Today, the ICS file, the PDF and
the HTML export) asks :func:`run_day`; nothing else decides a run day. The
walk or run on a run day is the walk-run stage's session, sized from the
runner's usual week (``running.runs_per_week`` at intake); the other days are
rest days from running. A product heuristic for clinical review: run days sit
evenly spread in each 7-day block from the plan's start, as many as the
stage allows (``max_runs_per_week_with_rest_days`` while the stage wants a rest
day between runs). The numbers are the programme's (:class:`ProgrammeThresholds`,
from content), passed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from backstride.domain.assessment.intake import Intake
from backstride.domain.plan.model import Plan, RunningToday
from backstride.domain.recovery.checkin import SessionKind
from backstride.domain.recovery.return_to_run import (
    ProgrammeThresholds,
    StageId,
    UsualVolume,
    runs_per_week,
    session_size,
    stage_of,
)

RunKind = Literal["walk", "walk_run", "run", "rest", "none"]

# Where the walk-run programme stands on a plan day, by what the day allows:
# the same starting stages as the running advice (pause, reduce, continue).
STAGE_BY_RUNNING: dict[RunningToday, StageId] = {
    "return_to_run": StageId.WALK,
    "easy_running": StageId.RUN_20,
    "usual": StageId.USUAL_VOLUME,
}
REST_LABEL = "Rest day from running"
WALK_LABEL = "Easy walk as comfortable"
NONE_LABEL = "No running"


@dataclass(frozen=True, slots=True)
class RunDay:
    """What running a day holds: a session on a run day, else rest (or walking only)."""

    day: dt.date
    kind: RunKind
    label: str
    minutes: int | None = None
    distance_km: float | None = None
    stage: StageId | None = None

    @property
    def is_session(self) -> bool:
        return self.kind in ("walk_run", "run") or (self.kind == "walk" and self.stage is not None)


def usual_from_intake(
    intake: Intake | None, thresholds: ProgrammeThresholds
) -> tuple[UsualVolume, bool]:
    """The runner's usual week from the intake, and whether it had to be assumed.

    What the intake does not say is the assumed week's (``thresholds.assumed_usual``).
    """
    running = intake.running if intake else None
    if running is None or not running.runs_per_week:
        return thresholds.assumed_usual, True
    runs = min(14, max(1, round(running.runs_per_week)))
    km = running.km_per_week_before or running.km_last_week
    if not km:
        minutes = thresholds.assumed_minutes_per_week
        return UsualVolume(runs_per_week=runs, minutes_per_week=minutes), True
    return UsualVolume(runs_per_week=runs, km_per_week=min(400.0, km)), False


def run_weekdays(runs: int) -> frozenset[int]:
    """Which days of each 7-day block (0 = the start's weekday) are run days.

    Centred in equal shares of the week: 3 runs fall on days 1, 3 and 5, so
    there is always a rest day between them, also across weeks.
    """
    n = max(1, min(7, runs))
    return frozenset((2 * i + 1) * 7 // (2 * n) for i in range(n))


def stage_run_weekdays(
    stage: StageId, usual: UsualVolume, thresholds: ProgrammeThresholds
) -> frozenset[int]:
    """The run days of a stage; the brisk-walk stage needs no rest day, so walks are daily."""
    found = stage_of(stage)
    if found.kind is SessionKind.WALK:
        return frozenset(range(7))
    return run_weekdays(runs_per_week(found, usual, thresholds))


def is_run_day(
    day: dt.date,
    start: dt.date,
    stage: StageId,
    usual: UsualVolume,
    thresholds: ProgrammeThresholds,
) -> bool:
    return (day - start).days % 7 in stage_run_weekdays(stage, usual, thresholds)


def _label(stage: StageId, minutes: int | None, km: float | None) -> str:
    found = stage_of(stage)
    if found.volume_share is None:
        return found.title
    size = [f"{minutes} min" if minutes else "", f"{km:g} km" if km else ""]
    said = " or ".join(s for s in size if s)
    return f"Easy run, {said}" if said else "Easy run"


def run_day(
    day: dt.date,
    start: dt.date,
    running: RunningToday,
    usual: UsualVolume,
    stage: StageId | None = None,
    *,
    thresholds: ProgrammeThresholds,
) -> RunDay:
    """The running on ``day`` of a plan that starts on ``start``.

    ``running`` is what the day allows (the plan's running track); ``stage`` the
    walk-run stage reached, when known (Today), else the one the day starts at.
    """
    if running == "none":
        return RunDay(day, "none", NONE_LABEL)
    if running == "walk":
        return RunDay(day, "walk", WALK_LABEL)
    current = stage or STAGE_BY_RUNNING[running]
    if not is_run_day(day, start, current, usual, thresholds):
        return RunDay(day, "rest", REST_LABEL, stage=current)
    found = stage_of(current)
    minutes, km = session_size(found, usual, thresholds)
    kind: RunKind = "run"
    if found.kind is SessionKind.WALK:
        kind = "walk"
    elif found.kind is SessionKind.WALK_RUN:
        kind = "walk_run"
    return RunDay(day, kind, _label(current, minutes, km), minutes, km, current)


def plan_usual(plan: Plan, thresholds: ProgrammeThresholds) -> UsualVolume:
    """The usual week the plan was built with (assumed for plans saved before it was kept)."""
    running = plan.running
    if running.runs_per_week is None:
        return thresholds.assumed_usual
    if running.km_per_week is None and running.minutes_per_week is None:
        minutes = thresholds.assumed_minutes_per_week
        return UsualVolume(running.runs_per_week, minutes_per_week=minutes)
    return UsualVolume(running.runs_per_week, running.km_per_week, running.minutes_per_week)


@dataclass(frozen=True)
class RunProgress:
    """The return-to-run programme so far: the stage reached and the usual week, from
    ``since`` (today) onward; the days before keep what the plan prescribed."""

    since: dt.date
    stage: StageId
    usual: UsualVolume


def plan_run_day(
    plan: Plan,
    day: dt.date,
    thresholds: ProgrammeThresholds,
    progress: RunProgress | None = None,
) -> RunDay:
    """The running on one of the plan's days (outside the dated weeks: the last day's track).

    With ``progress``, days from ``progress.since`` on are worded from the stage reached,
    as Today words them (issue 13 item 2); without it, from the plan's starting stage.
    """
    planned = plan.day(day)
    if planned is None:
        running: RunningToday = plan.days[-1].running if plan.days else "none"
    else:
        running = planned.running
    start = plan.preferences.start_date
    if progress is not None and day >= progress.since and running not in ("none", "walk"):
        reached: RunningToday = (
            "usual" if progress.stage is StageId.USUAL_VOLUME else "return_to_run"
        )
        return run_day(day, start, reached, progress.usual, progress.stage, thresholds=thresholds)
    usual = plan_usual(plan, thresholds)
    return run_day(day, start, running, usual, thresholds=thresholds)


def run_text(run: RunDay) -> str:
    """One line for a calendar or a day grid."""
    if run.kind in ("rest", "none", "walk") and not run.is_session:
        return run.label
    if run.minutes and run.label.endswith("min"):
        return run.label
    if run.minutes and stage_of(run.stage or StageId.WALK).volume_share is None:
        return f"{run.label} ({run.minutes} min)"
    return run.label
