"""One running prescription (issue 13, item 2): the plan, Today and the ICS agree.

The run days and minutes come from ``domain/plan/run_schedule.run_day`` (the walk-run
stage and the runner's usual runs per week); every surface asks it.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from backstride.adapters.export.plan_ics import render_plan_ics
from backstride.adapters.export.plan_view import plan_view
from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base, load_programme_thresholds
from backstride.domain.plan.builder import progressed_note
from backstride.domain.plan.model import Preferences
from backstride.domain.plan.run_schedule import RunProgress, plan_run_day, run_day, run_weekdays
from backstride.domain.recovery.checkin import SessionKind
from backstride.domain.recovery.return_to_run import StageId, UsualVolume
from backstride.services import assessing, planning, recovery
from backstride.services.clock import FixedClock
from tests.care_support import self_care_intake
from tests.fakes import FakeUnitOfWork

RTR = load_programme_thresholds()
START = dt.date(2026, 3, 2)
STAMP = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize("runs", range(1, 8))
def test_run_days_are_spread_and_never_back_to_back_up_to_three(runs: int) -> None:
    days = run_weekdays(runs)
    assert len(days) == runs
    if runs <= 3:
        # Across the week's end too: the next block starts again at day 7.
        for a in days:
            assert (a + 1) % 7 not in days or runs > 3


def test_a_stage_with_rest_days_runs_at_most_three_times_a_week() -> None:
    usual = UsualVolume(runs_per_week=5, km_per_week=40)
    week = [
        run_day(START + dt.timedelta(days=n), START, "easy_running", usual, thresholds=RTR)
        for n in range(7)
    ]
    assert sum(r.is_session for r in week) == 3
    assert {r.minutes for r in week if r.is_session} == {20}
    usual_week = [
        run_day(
            START + dt.timedelta(days=n),
            START,
            "usual",
            usual,
            StageId.USUAL_VOLUME,
            thresholds=RTR,
        )
        for n in range(7)
    ]
    assert sum(r.is_session for r in usual_week) == 5
    assert {r.distance_km for r in usual_week if r.is_session} == {8.0}


@pytest.mark.parametrize("runs_per_week", [3, 4, 2])
def test_plan_today_and_calendar_show_the_same_run_days_and_minutes(runs_per_week: int) -> None:
    document = self_care_intake()
    document["running"]["runs_per_week"] = runs_per_week
    intake = assessing.parse_intake(document)
    uow = FakeUnitOfWork()
    clock = FixedClock(dt.datetime.combine(START, dt.time(8), dt.UTC))
    saved, _ = planning.plan_and_save_from_intake(
        uow, clock, intake, planning_preferences := _preferences()
    )
    plan = saved.plan
    assert plan.preferences == planning_preferences
    assert plan.running.runs_per_week == runs_per_week
    week = [START + dt.timedelta(days=n) for n in range(7)]
    runs = {d: plan_run_day(plan, d, RTR) for d in week}
    run_days = [d for d in week if runs[d].is_session]
    assert 1 <= len(run_days) <= min(3, runs_per_week), "never a run on all 7 days"
    assert len(run_days) == min(3, runs_per_week)

    # the plan document: each day's note and the shared day view say the same
    view = plan_view(
        plan,
        library=load_exercises(),
        sources=load_knowledge_base().sources,
        topics=load_topics(),
    )
    for day in view.weeks[0].days:
        run = runs[day.date]
        if run.is_session:
            assert f"{run.minutes} min" in day.running
        else:
            assert day.running == "Rest day from running"
        planned = plan.day(day.date)
        assert planned is not None
        assert ("Rest day from running" in planned.note) is (not run.is_session)

    # Today, for each day of the week
    for d in week:
        advice = recovery.today(uow, d)
        assert advice.session is not None
        if runs[d].is_session:
            assert advice.session.kind is not SessionKind.REST, d
            assert advice.session.minutes == runs[d].minutes
        else:
            assert advice.session.kind is SessionKind.REST, d

    # the calendar file
    calendar = icalendar.Calendar.from_ical(render_plan_ics(plan, stamp=STAMP))
    run_events = [e for e in calendar.walk("VEVENT") if "-run@" in str(e["UID"])]
    first_week = [e for e in run_events if e.decoded("DTSTART") in week]
    assert [e.decoded("DTSTART") for e in first_week] == run_days
    for event in first_week:
        assert f"{runs[event.decoded('DTSTART')].minutes} min" in str(event["SUMMARY"])


def _preferences() -> Preferences:
    return Preferences(start_date=START)


def test_progress_words_the_days_from_today_and_keeps_the_days_before() -> None:
    """The stage reached applies from ``since`` on; earlier days keep the plan's own run."""
    uow = FakeUnitOfWork()
    clock = FixedClock(dt.datetime.combine(START, dt.time(8), dt.UTC))
    parsed = assessing.parse_intake(self_care_intake())
    saved, _ = planning.plan_and_save_from_intake(uow, clock, parsed, _preferences())
    plan = saved.plan
    since = START + dt.timedelta(days=7)
    usual = UsualVolume(3, minutes_per_week=90)
    progress = RunProgress(since, StageId.RUN_30, usual)
    for n in range(14):
        day = START + dt.timedelta(days=n)
        planned = plan.day(day)
        assert planned is not None
        moved = plan_run_day(plan, day, RTR, progress)
        if day < since:
            assert moved == plan_run_day(plan, day, RTR)
            assert progressed_note(plan, planned, RTR, progress) == planned.note
        else:
            reached = run_day(day, START, "return_to_run", usual, StageId.RUN_30, thresholds=RTR)
            assert moved == reached
            if moved.is_session:
                assert f"{moved.minutes} min" in progressed_note(plan, planned, RTR, progress)
        assert progressed_note(plan, planned, RTR, None) == planned.note
