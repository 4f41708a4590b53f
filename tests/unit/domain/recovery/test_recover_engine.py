"""The engine applies each rule of the table, and prescribes today's session."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.content.loader import load_programme_thresholds
from backstride.domain.recovery.checkin import CheckIn, SessionDone, SessionKind
from backstride.domain.recovery.return_to_run import (
    DecisionKind,
    ProgrammeError,
    ProgrammeState,
    SessionLogEntry,
    StageId,
    Surface,
    UsualVolume,
    advance,
    start_programme,
    todays_session,
)

RTR = load_programme_thresholds()
DAY = dt.date(2024, 4, 1)
USUAL = UsualVolume(runs_per_week=4, km_per_week=40.0, minutes_per_week=240)


def at(stage: StageId, **counts: int) -> ProgrammeState:
    return ProgrammeState(stage=stage, usual=USUAL, **counts)


def walk_run(
    during: int | None = 2,
    after: int | None = 1,
    morning: int | None = 1,
    before: int = 1,
    minutes: int = 30,
    kind: SessionKind = SessionKind.WALK_RUN,
) -> SessionLogEntry:
    return SessionLogEntry(
        day=DAY,
        kind=kind,
        minutes=minutes,
        resting_pain_before_0_10=before,
        pain_during_0_10=during,
        pain_after_0_10=after,
        next_morning_pain_0_10=morning,
    )


def test_a_good_session_counts_and_enough_of_them_advance() -> None:
    state, first = advance(at(StageId.RUN1_WALK4), walk_run(), RTR)
    assert (first.kind, first.rule_id, state.good_sessions) == (DecisionKind.HOLD, "RTR2", 1)

    state, second = advance(state, walk_run(), RTR)
    assert (second.kind, second.rule_id) == (DecisionKind.ADVANCE, "RTR1")
    assert state == start_programme(USUAL, StageId.RUN2_WALK3)
    assert second.from_stage is StageId.RUN1_WALK4
    assert second.to_stage is StageId.RUN2_WALK3


@pytest.mark.parametrize("pain", [4, 5])
def test_pain_of_4_or_5_holds_and_restarts_the_count(pain: int) -> None:
    state, decision = advance(at(StageId.RUN2_WALK3, good_sessions=1), walk_run(during=pain), RTR)
    assert (decision.kind, decision.rule_id) == (DecisionKind.HOLD, "RTR6")
    assert state.stage is StageId.RUN2_WALK3
    assert state.good_sessions == 0


@pytest.mark.parametrize(("during", "after"), [(6, 2), (2, 7), (10, None)])
def test_pain_above_5_steps_back(during: int, after: int | None) -> None:
    state, decision = advance(at(StageId.RUN_20, good_sessions=1), walk_run(during, after), RTR)
    assert (decision.kind, decision.rule_id) == (DecisionKind.STEP_BACK, "RTR8")
    assert state == start_programme(USUAL, StageId.RUN4_WALK1)
    assert f"{max(during, after or 0)}/10" in decision.reason


def test_pain_lingering_once_holds_and_twice_in_a_row_steps_back() -> None:
    lingering = walk_run(morning=3, before=1)
    state, first = advance(at(StageId.RUN3_WALK2, good_sessions=1), lingering, RTR)
    assert (first.kind, first.rule_id) == (DecisionKind.HOLD, "RTR7")
    assert state.good_sessions == 0

    state, second = advance(state, lingering, RTR)
    assert (second.kind, second.rule_id) == (DecisionKind.STEP_BACK, "RTR9")
    assert state.stage is StageId.RUN2_WALK3


def test_a_settled_morning_in_between_breaks_the_lingering_streak() -> None:
    state, _ = advance(at(StageId.RUN3_WALK2), walk_run(morning=3, before=1), RTR)
    state, _ = advance(state, walk_run(), RTR)
    state, decision = advance(state, walk_run(morning=3, before=1), RTR)
    assert decision.rule_id == "RTR7"


def test_rest_days_do_not_break_a_streak() -> None:
    state, _ = advance(at(StageId.RUN3_WALK2), walk_run(morning=3, before=1), RTR)
    state, rest = advance(state, walk_run(None, None, None, kind=SessionKind.REST, minutes=0), RTR)
    assert rest.kind is DecisionKind.REST
    state, decision = advance(state, walk_run(morning=3, before=1), RTR)
    assert decision.rule_id == "RTR9"


def test_pain_during_and_after_three_sessions_running_backs_off() -> None:
    state = at(StageId.RUN_30)
    rules = []
    for _ in range(3):
        state, decision = advance(state, walk_run(during=2, after=4, kind=SessionKind.RUN), RTR)
        rules.append(decision.rule_id)
    assert rules == ["RTR6", "RTR6", "RTR10"]
    assert state.stage is StageId.RUN_20


def test_low_pain_during_and_after_that_settles_is_a_good_session() -> None:
    state = at(StageId.RUN_30)
    for _ in range(2):
        state, decision = advance(state, walk_run(during=3, after=3, kind=SessionKind.RUN), RTR)
    assert decision.kind is DecisionKind.ADVANCE


def test_a_session_without_next_morning_pain_cannot_advance() -> None:
    state, decision = advance(at(StageId.RUN1_WALK4, good_sessions=1), walk_run(morning=None), RTR)
    assert (decision.kind, decision.rule_id) == (DecisionKind.HOLD, "RTR4")
    assert state.good_sessions == 1


@pytest.mark.parametrize(
    "entry",
    [walk_run(kind=SessionKind.RUN), walk_run(kind=SessionKind.WALK), walk_run(minutes=20)],
    ids=["ran instead", "walked instead", "too short"],
)
def test_a_session_off_prescription_does_not_count(entry: SessionLogEntry) -> None:
    state, decision = advance(at(StageId.RUN1_WALK4, good_sessions=1), entry, RTR)
    assert (decision.kind, decision.rule_id) == (DecisionKind.HOLD, "RTR3")
    assert state.good_sessions == 1


def test_walking_cannot_step_back_it_rests() -> None:
    state, decision = advance(
        start_programme(USUAL), walk_run(during=7, kind=SessionKind.WALK, minutes=30), RTR
    )
    assert (decision.kind, decision.rule_id) == (DecisionKind.REST, "RTR8")
    assert state.stage is StageId.WALK


def test_the_last_stage_holds_with_a_good_session() -> None:
    state = at(StageId.USUAL_VOLUME)
    for _ in range(5):
        state, decision = advance(state, walk_run(kind=SessionKind.RUN, minutes=60), RTR)
    assert decision.kind is DecisionKind.HOLD
    assert state.stage is StageId.USUAL_VOLUME


def test_every_decision_is_labelled_a_heuristic_with_sources() -> None:
    _, decision = advance(at(StageId.RUN1_WALK4), walk_run(), RTR)
    assert "heuristic" in decision.heuristic_note
    assert "silbernagel2007" in decision.sources


def test_the_session_entry_takes_the_morning_pain_from_the_day_before() -> None:
    yesterday = CheckIn(
        day=DAY - dt.timedelta(days=1), pain_now_0_10=3, worst_24h_0_10=3, next_morning_pain_0_10=2
    )
    today = CheckIn(
        day=DAY,
        pain_now_0_10=4,
        worst_24h_0_10=4,
        session=SessionDone(SessionKind.WALK_RUN, 30, pain_during_0_10=3, pain_after_0_10=4),
        next_morning_pain_0_10=2,
    )
    entry = SessionLogEntry.from_checkins(today, yesterday)
    assert entry is not None
    assert entry.resting_pain_before_0_10 == 2
    assert entry.pain_after_0_10 == 4

    no_yesterday = SessionLogEntry.from_checkins(today, None)
    assert no_yesterday is not None
    assert no_yesterday.resting_pain_before_0_10 == 4
    assert SessionLogEntry.from_checkins(yesterday) is None


# --- today's session ------------------------------------------------------------


def test_walking_needs_no_rest_day() -> None:
    session = todays_session(
        start_programme(USUAL), DAY, DAY - dt.timedelta(days=1), thresholds=RTR
    )
    assert session.kind is SessionKind.WALK
    assert session.minutes == 30


def test_walk_run_stages_leave_a_rest_day_between_runs() -> None:
    state = at(StageId.RUN2_WALK3)
    assert (
        todays_session(state, DAY, DAY - dt.timedelta(days=1), thresholds=RTR).kind
        is SessionKind.REST
    )
    session = todays_session(state, DAY, DAY - dt.timedelta(days=2), thresholds=RTR)
    assert session.kind is SessionKind.WALK_RUN
    assert session.intervals is not None
    assert (session.intervals.run_min, session.intervals.walk_min) == (2, 3)
    assert session.minutes == 30
    assert session.surface is Surface.FLAT
    assert session.rest_day_after


def test_no_stage_runs_twice_a_day() -> None:
    assert (
        todays_session(at(StageId.USUAL_VOLUME), DAY, DAY, thresholds=RTR).kind is SessionKind.REST
    )


def test_a_first_run_needs_no_rest_day() -> None:
    assert (
        todays_session(at(StageId.RUN1_WALK4), DAY, None, thresholds=RTR).kind
        is SessionKind.WALK_RUN
    )


def test_a_last_run_in_the_future_is_an_error() -> None:
    with pytest.raises(ProgrammeError, match="cannot be after today"):
        todays_session(at(StageId.RUN_20), DAY, DAY + dt.timedelta(days=1), thresholds=RTR)


def test_building_stages_are_sized_from_the_usual_week() -> None:
    half = todays_session(at(StageId.BUILD_50), DAY, None, thresholds=RTR)
    # 50% of 240 min over at most 3 runs (rest days still needed) = 40 min; 40 km -> 6.7 km.
    assert (half.minutes, half.distance_km) == (40, 6.7)
    full = todays_session(at(StageId.USUAL_VOLUME), DAY, None, thresholds=RTR)
    assert (full.minutes, full.distance_km) == (60, 10.0)


def test_building_runs_are_never_shorter_than_30_minutes() -> None:
    small = ProgrammeState(StageId.BUILD_50, UsualVolume(runs_per_week=3, minutes_per_week=90))
    assert todays_session(small, DAY, None, thresholds=RTR).minutes == 30


def test_building_stages_keep_to_the_weekly_number_of_runs() -> None:
    state = at(StageId.BUILD_75)
    assert (
        todays_session(state, DAY, None, runs_in_previous_6_days=3, thresholds=RTR).kind
        is SessionKind.RUN
    )
    assert (
        todays_session(state, DAY, None, runs_in_previous_6_days=4, thresholds=RTR).kind
        is SessionKind.REST
    )


def test_usual_volume_needs_km_or_minutes() -> None:
    with pytest.raises(ProgrammeError, match="km, in minutes"):
        UsualVolume(runs_per_week=3)
