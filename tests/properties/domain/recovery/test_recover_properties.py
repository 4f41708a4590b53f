"""Properties of the programme engine that must hold for any session and any state."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from backstride.content.loader import load_programme_thresholds
from backstride.domain.recovery.checkin import SessionKind
from backstride.domain.recovery.return_to_run import (
    STAGES,
    DecisionKind,
    ProgrammeState,
    SessionLogEntry,
    StageId,
    UsualVolume,
    advance,
    stage_index,
    start_programme,
    todays_session,
)

RTR = load_programme_thresholds()
pain = st.integers(min_value=0, max_value=10)
maybe_pain = st.none() | pain
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))

usual_volumes = st.builds(
    UsualVolume,
    runs_per_week=st.integers(min_value=1, max_value=14),
    km_per_week=st.none() | st.floats(min_value=1, max_value=200),
    minutes_per_week=st.integers(min_value=30, max_value=1500),
)

states = st.builds(
    ProgrammeState,
    stage=st.sampled_from(StageId),
    usual=usual_volumes,
    good_sessions=st.integers(min_value=0, max_value=3),
    lingering_in_a_row=st.integers(min_value=0, max_value=3),
    painful_in_a_row=st.integers(min_value=0, max_value=4),
)

entries = st.builds(
    SessionLogEntry,
    day=days,
    kind=st.sampled_from(SessionKind),
    minutes=st.integers(min_value=0, max_value=180),
    resting_pain_before_0_10=pain,
    pain_during_0_10=maybe_pain,
    pain_after_0_10=maybe_pain,
    next_morning_pain_0_10=maybe_pain,
    distance_km=st.none() | st.floats(min_value=0, max_value=40),
)


@st.composite
def comfortable_entries(draw: st.DrawFn) -> SessionLogEntry:
    """Pain at most 3/10 during and after, and the next morning back to where it was."""
    before = draw(pain)
    return SessionLogEntry(
        day=draw(days),
        kind=draw(st.sampled_from([SessionKind.WALK, SessionKind.WALK_RUN, SessionKind.RUN])),
        minutes=draw(st.integers(min_value=0, max_value=180)),
        resting_pain_before_0_10=before,
        pain_during_0_10=draw(st.integers(min_value=0, max_value=3)),
        pain_after_0_10=draw(st.integers(min_value=0, max_value=3)),
        next_morning_pain_0_10=draw(st.integers(min_value=0, max_value=before)),
    )


@st.composite
def painful_entries(draw: st.DrawFn) -> SessionLogEntry:
    """Pain above 5/10 during or after the session."""
    entry = draw(entries)
    above_5 = draw(st.integers(min_value=6, max_value=10))
    if draw(st.booleans()):
        return SessionLogEntry(**{**_fields(entry), "pain_during_0_10": above_5})
    return SessionLogEntry(**{**_fields(entry), "pain_after_0_10": above_5})


def _fields(entry: SessionLogEntry) -> dict[str, object]:
    return {name: getattr(entry, name) for name in SessionLogEntry.__slots__}


@given(usual=usual_volumes, sessions=st.lists(entries, max_size=60))
def test_the_stage_always_stays_on_the_ladder(
    usual: UsualVolume, sessions: list[SessionLogEntry]
) -> None:
    state = start_programme(usual)
    for entry in sessions:
        state, decision = advance(state, entry, RTR)
        assert 0 <= state.stage_index < len(STAGES)
        assert decision.to_stage is state.stage


@given(state=states, entry=entries)
def test_a_session_moves_at_most_one_stage_in_the_direction_of_its_decision(
    state: ProgrammeState, entry: SessionLogEntry
) -> None:
    new_state, decision = advance(state, entry, RTR)
    move = new_state.stage_index - state.stage_index
    expected = {
        DecisionKind.ADVANCE: 1,
        DecisionKind.HOLD: 0,
        DecisionKind.REST: 0,
        DecisionKind.STEP_BACK: -1,
    }
    assert move == expected[decision.kind]


@given(state=states, entry=comfortable_entries())
def test_comfortable_pain_that_settles_by_morning_never_steps_back(
    state: ProgrammeState, entry: SessionLogEntry
) -> None:
    new_state, decision = advance(state, entry, RTR)
    assert decision.kind is not DecisionKind.STEP_BACK
    assert decision.kind is not DecisionKind.REST
    assert new_state.stage_index >= state.stage_index


@given(state=states, entry=painful_entries())
def test_pain_above_5_never_advances(state: ProgrammeState, entry: SessionLogEntry) -> None:
    new_state, decision = advance(state, entry, RTR)
    assert decision.kind is not DecisionKind.ADVANCE
    assert new_state.stage_index <= state.stage_index


@given(usual=usual_volumes, sessions=st.lists(entries, max_size=30))
def test_the_same_sessions_always_give_the_same_decisions(
    usual: UsualVolume, sessions: list[SessionLogEntry]
) -> None:
    def replay() -> list[object]:
        state = start_programme(usual)
        trace: list[object] = []
        for entry in sessions:
            state, decision = advance(state, entry, RTR)
            trace.append((state, decision))
        return trace

    assert replay() == replay()


@given(
    state=states,
    today=days,
    days_since_run=st.none() | st.integers(min_value=0, max_value=30),
    runs=st.none() | st.integers(min_value=0, max_value=6),
)
def test_todays_session_is_always_the_stage_session_or_rest(
    state: ProgrammeState, today: dt.date, days_since_run: int | None, runs: int | None
) -> None:
    last_run = None if days_since_run is None else today - dt.timedelta(days=days_since_run)
    session = todays_session(state, today, last_run, runs_in_previous_6_days=runs, thresholds=RTR)
    assert session.stage is state.stage
    assert session.kind in (SessionKind.REST, STAGES[stage_index(state.stage)].kind)
    if days_since_run == 0 and state.stage is not StageId.WALK:
        assert session.kind is SessionKind.REST
    if session.kind is not SessionKind.REST:
        assert session.minutes is not None or session.distance_km is not None
    assert session == todays_session(
        state, today, last_run, runs_in_previous_6_days=runs, thresholds=RTR
    )
