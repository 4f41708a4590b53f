"""The dates of a plan: phase windows, session days, and what running each day allows.

All lengths are product heuristics for clinical review, in
``content/thresholds.yaml`` (``plan``, :class:`PlanThresholds`). Settle lasts a
few days (longer when the pain is worse), restore two weeks, strengthen four
(progressing halfway), return two, and prevent takes the rest of the ten
dated weeks and then stays open. Running is a separate track that follows the
assessment's running advice: it never goes beyond what the advice allows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backstride.domain.assessment.thresholds import PlanThresholds
from backstride.domain.plan.model import PHASE_ORDER, PhaseId, RunningToday


@dataclass(frozen=True, slots=True)
class Window:
    phase: PhaseId
    starts_on: dt.date
    ends_on: dt.date | None  # None: open-ended

    def holds(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def dated_days(start: dt.date, t: PlanThresholds) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range(7 * t.dated_weeks)]


def phase_days(phase: PhaseId, t: PlanThresholds) -> int:
    """The length of a dated phase other than settle (whose length depends on the pain)."""
    lengths: dict[PhaseId, int] = {
        "restore": t.restore_days,
        "strengthen": t.strengthen_days,
        "return": t.return_days,
    }
    return lengths[phase]


def settle_days(severe: bool, pause_level: bool, t: PlanThresholds) -> int:
    """Settle lasts longer when the pain is severe, or at the running-pause level."""
    if severe:
        return t.settle_days_severe
    return t.settle_days_moderate if pause_level else t.settle_days_mild


def windows(start: dt.date, settle_days: int, with_return: bool, t: PlanThresholds) -> list[Window]:
    """Consecutive phase windows from the start date; prevent is open-ended."""
    found: list[Window] = []
    day = start
    for phase in PHASE_ORDER:
        if phase == "return" and not with_return:
            continue
        if phase == "prevent":
            found.append(Window(phase, day, None))
            break
        length = settle_days if phase == "settle" else phase_days(phase, t)
        end = day + dt.timedelta(days=length - 1)
        found.append(Window(phase, day, end))
        day = end + dt.timedelta(days=1)
    return found


def window_on(found: list[Window], day: dt.date) -> Window:
    return next(w for w in found if w.holds(day))


def session_weekdays(sessions_per_week: int) -> frozenset[int]:
    """Which days of each 7-day block (0 = the start's weekday) hold a session, spread out."""
    n = max(1, min(7, sessions_per_week))
    return frozenset(i * 7 // n for i in range(n))


def spread(sessions: int, times: int) -> frozenset[int]:
    """Which of a week's sessions (by index) an exercise done `times` a week goes in.

    Centred in equal shares of the week, so a strength exercise done 3 times in 5
    sessions lands on sessions 1, 3 and 5 rather than on three days in a row.
    """
    k = max(1, min(times, sessions))
    return frozenset((2 * i + 1) * sessions // (2 * k) for i in range(k))


@dataclass(frozen=True, slots=True)
class RunningTrack:
    """What running each day allows, from the assessment's running advice.

    stop: none at all. pause: walking until ``return_to_run_from``, then the
    walk-run programme (which itself decides each session). reduce: easy
    running, back to usual only from ``usual_from``. continue: usual running.
    """

    advice: str
    return_to_run_from: dt.date | None = None
    usual_from: dt.date | None = None

    def on(self, day: dt.date) -> RunningToday:
        if self.advice == "stop":
            return "none"
        if self.advice == "pause":
            started = self.return_to_run_from is not None and day >= self.return_to_run_from
            return "return_to_run" if started else "walk"
        if self.advice == "reduce":
            back = self.usual_from is not None and day >= self.usual_from
            return "usual" if back else "easy_running"
        return "usual"
