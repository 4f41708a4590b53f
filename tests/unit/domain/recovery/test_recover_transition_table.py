"""The transition table is total, consistent and has no dead ends."""

from __future__ import annotations

from collections import Counter

from backstride.domain.recovery.return_to_run import (
    FIRST_STAGE,
    LAST_STAGE,
    STAGES,
    TRANSITIONS,
    DecisionKind,
    Event,
    StageId,
    stage_index,
)

STEP_BACK_EVENTS = {
    Event.PAIN_ABOVE_LIMIT,
    Event.PAIN_LINGERED_AGAIN,
    Event.PAIN_DURING_AND_AFTER_REPEATEDLY,
}


def test_every_stage_has_exactly_one_transition_for_every_event() -> None:
    pairs = Counter((t.source, t.event) for t in TRANSITIONS)
    assert set(pairs) == {(s.id, e) for s in STAGES for e in Event}
    assert set(pairs.values()) == {1}


def test_every_stage_can_advance_hold_and_step_back_or_rest() -> None:
    for stage in STAGES:
        decisions = {t.decision for t in TRANSITIONS if t.source is stage.id}
        assert DecisionKind.HOLD in decisions
        assert DecisionKind.REST in decisions
        if stage.id is not LAST_STAGE:
            assert DecisionKind.ADVANCE in decisions, stage.id
        if stage.id is not FIRST_STAGE:
            assert DecisionKind.STEP_BACK in decisions, stage.id


def test_decisions_match_the_direction_of_the_move() -> None:
    expected_move = {
        DecisionKind.ADVANCE: 1,
        DecisionKind.HOLD: 0,
        DecisionKind.REST: 0,
        DecisionKind.STEP_BACK: -1,
    }
    for t in TRANSITIONS:
        move = stage_index(t.target) - stage_index(t.source)
        assert move == expected_move[t.decision], t


def test_no_dead_ends_the_last_stage_is_reachable_from_every_stage() -> None:
    reachable = {LAST_STAGE}
    changed = True
    while changed:
        changed = False
        for t in TRANSITIONS:
            if t.target in reachable and t.source not in reachable:
                reachable.add(t.source)
                changed = True
    assert reachable == {s.id for s in STAGES}


def test_the_first_stage_cannot_step_back_below_walking() -> None:
    assert FIRST_STAGE is StageId.WALK
    for t in TRANSITIONS:
        if t.source is StageId.WALK and t.event in STEP_BACK_EVENTS:
            assert t.target is StageId.WALK
            assert t.decision is DecisionKind.REST
            assert "see a doctor or physiotherapist" in t.explanation


def test_step_back_events_step_back_exactly_one_stage_above_walking() -> None:
    for t in TRANSITIONS:
        if t.event in STEP_BACK_EVENTS and t.source is not FIRST_STAGE:
            assert stage_index(t.target) == stage_index(t.source) - 1


def test_each_event_keeps_one_rule_id_and_every_rule_names_sources() -> None:
    ids_by_event: dict[Event, set[str]] = {}
    for t in TRANSITIONS:
        ids_by_event.setdefault(t.event, set()).add(t.rule_id)
        assert t.sources
        assert t.explanation
    assert all(len(ids) == 1 for ids in ids_by_event.values())
    assert len({next(iter(ids)) for ids in ids_by_event.values()}) == len(Event)


def test_stages_climb_from_walking_through_walk_run_to_continuous_running() -> None:
    kinds = [s.kind.value for s in STAGES]
    assert kinds[0] == "walk"
    assert kinds.index("walk_run") < kinds.index("run")
    assert all(s.sessions_to_pass for s in STAGES[:-1])
    assert STAGES[-1].sessions_to_pass is None
    assert all(s.rest_day_between_runs for s in STAGES if s.kind.value == "walk_run")
    assert all(s.surface.value == "flat" for s in STAGES if s.kind.value == "walk_run")
    run_shares = [s.intervals.run_min for s in STAGES if s.intervals is not None]
    assert run_shares == sorted(run_shares)
