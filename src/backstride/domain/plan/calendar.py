"""The dates of a plan: phase windows, session days, and what running each day allows.

All lengths here are product heuristics for clinical review. Settle lasts a
few days (longer when the pain is worse), restore two weeks, strengthen four
(progressing halfway), return two, and prevent takes the rest of the ten
dated weeks and then stays open. Running is a separate track that follows the
assessment's running advice: it never goes beyond what the advice allows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backstride.domain.plan.model import PHASE_ORDER, PhaseId, RunningToday

DATED_WEEKS = 10
SETTLE_DAYS_SEVERE = 7
SETTLE_DAYS_MODERATE = 5
SETTLE_DAYS_MILD = 3
PHASE_DAYS: dict[PhaseId, int] = {"restore": 14, "strengthen": 28, "return": 14}
# Maintenance: strength twice a week (fewer if the runner has fewer days).
PREVENT_SESSIONS_PER_WEEK = 2
# With an appointment due within 1-2 weeks, the walk-run programme waits for it.
SEEN_BY_DAYS = 14


@dataclass(frozen=True, slots=True)
class Window:
    phase: PhaseId
    starts_on: dt.date
    ends_on: dt.date | None  # None: open-ended

    def holds(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


def dated_days(start: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range(7 * DATED_WEEKS)]


def windows(start: dt.date, settle_days: int, with_return: bool) -> list[Window]:
    """Consecutive phase windows from the start date; prevent is open-ended."""
    found: list[Window] = []
    day = start
    for phase in PHASE_ORDER:
        if phase == "return" and not with_return:
            continue
        if phase == "prevent":
            found.append(Window(phase, day, None))
            break
        length = settle_days if phase == "settle" else PHASE_DAYS[phase]
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
