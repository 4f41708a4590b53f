"""A synthetic runner for scenario tests: weeks of check-ins in a fraction of a second.

It plays the part the check-in service will play: each day it asks for today's
session, makes up a check-in from a scripted pain response, feeds the session
to the programme and evaluates the escalation rules, recording everything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from backstride.content.escalation import load_escalation_thresholds
from backstride.content.loader import load_programme_thresholds
from backstride.domain.recovery.checkin import (
    CheckIn,
    PsfsScore,
    SessionDone,
    SessionKind,
    WarningSign,
    warning_screen_due,
)
from backstride.domain.recovery.escalation import Baseline, Escalation, evaluate
from backstride.domain.recovery.return_to_run import (
    Decision,
    ProgrammeState,
    SessionLogEntry,
    SessionPrescription,
    UsualVolume,
    advance,
    start_programme,
    todays_session,
)

RTR = load_programme_thresholds()
T = load_escalation_thresholds()
START = dt.date(2024, 3, 4)  # a Monday
USUAL = UsualVolume(runs_per_week=4, km_per_week=32.0, minutes_per_week=200)
ALL_CLEAR: Mapping[WarningSign, bool] = dict.fromkeys(WarningSign, False)


@dataclass(frozen=True)
class SessionPain:
    during: int
    after: int


@dataclass(frozen=True)
class Script:
    """How the synthetic runner's back behaves. Day 0 is the baseline check-in."""

    resting_pain: Callable[[int], int]
    session_pain: Callable[[int, SessionPrescription], SessionPain]
    warning_signs: Callable[[int], Mapping[WarningSign, bool]] = lambda day: ALL_CLEAR
    psfs: Callable[[int], tuple[PsfsScore, ...] | None] = lambda day: None


@dataclass
class DayRecord:
    day_number: int
    today: dt.date
    prescription: SessionPrescription
    checkin: CheckIn
    decision: Decision | None
    state_after: ProgrammeState
    escalations: list[Escalation]


@dataclass
class Run:
    days: list[DayRecord] = field(default_factory=list)

    @property
    def final_state(self) -> ProgrammeState:
        return self.days[-1].state_after

    def decisions(self) -> list[tuple[int, Decision]]:
        return [(d.day_number, d.decision) for d in self.days if d.decision is not None]

    def first_day_with(self, rule_id: str) -> int | None:
        for record in self.days:
            if any(e.rule_id == rule_id for e in record.escalations):
                return record.day_number
        return None


def simulate(script: Script, days: int, usual: UsualVolume = USUAL) -> Run:
    state = start_programme(usual)
    history: list[CheckIn] = []
    baseline: Baseline | None = None
    last_run: dt.date | None = None
    run = Run()
    for n in range(days):
        today = START + dt.timedelta(days=n)
        week_start = today - dt.timedelta(days=6)
        runs_this_week = sum(
            1 for c in history if c.day >= week_start and c.session and c.session.is_running
        )
        prescription = todays_session(
            state, today, last_run, runs_in_previous_6_days=runs_this_week, thresholds=RTR
        )
        pain_now = script.resting_pain(n)
        session = None
        if prescription.kind is not SessionKind.REST:
            pain = script.session_pain(n, prescription)
            session = SessionDone(
                kind=prescription.kind,
                minutes=prescription.minutes or 40,
                distance_km=prescription.distance_km,
                pain_during_0_10=pain.during,
                pain_after_0_10=pain.after,
            )
        answers = script.warning_signs(n)
        # Asked when the screen is due; a runner may also report a sign unprompted.
        asked = warning_screen_due(history, today, pain_now) or any(answers.values())
        checkin = CheckIn(
            day=today,
            pain_now_0_10=pain_now,
            worst_24h_0_10=max(pain_now, session.pain_after_0_10 or 0) if session else pain_now,
            session=session,
            # Recorded the next morning; the simulation already knows it.
            next_morning_pain_0_10=script.resting_pain(n + 1) if session else None,
            warning_signs=answers if asked else None,
            psfs=script.psfs(n),
        )
        previous = history[-1] if history else None
        history.append(checkin)
        if baseline is None:
            baseline = Baseline.from_checkin(checkin)

        decision = None
        entry = SessionLogEntry.from_checkins(checkin, previous)
        if entry is not None:
            state, decision = advance(state, entry, RTR)
            if session is not None and session.is_running:
                last_run = today
        run.days.append(
            DayRecord(
                day_number=n,
                today=today,
                prescription=prescription,
                checkin=checkin,
                decision=decision,
                state_after=state,
                escalations=evaluate(history, baseline, today, T, programme_thresholds=RTR),
            )
        )
    return run
