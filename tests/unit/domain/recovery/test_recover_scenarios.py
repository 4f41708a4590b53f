"""Six to eight weeks of synthetic check-ins through the programme and the escalation rules."""

from __future__ import annotations

import itertools

from backstride.domain.recovery.checkin import PsfsScore, SessionKind, WarningSign
from backstride.domain.recovery.escalation import Level, RunningAdvice
from backstride.domain.recovery.return_to_run import (
    DecisionKind,
    SessionPrescription,
    StageId,
    stage_index,
)

from .synthetic import ALL_CLEAR, Script, SessionPain, simulate

WEEKS_6 = 42
WEEKS_8 = 56


def falling_from_4(day: int) -> int:
    """Resting pain 4/10 at the start, one point less each week, down to 0."""
    return max(0, 4 - day // 7)


def comfortable(day: int, prescription: SessionPrescription) -> SessionPain:
    return SessionPain(during=2, after=1)


def test_steady_recovery_reaches_continuous_running_without_escalation() -> None:
    run = simulate(Script(resting_pain=falling_from_4, session_pain=comfortable), WEEKS_8)

    assert run.final_state.stage_index >= stage_index(StageId.RUN_30)
    kinds = {decision.kind for _, decision in run.decisions()}
    assert DecisionKind.STEP_BACK not in kinds
    assert all(not record.escalations for record in run.days)


def test_steady_recovery_climbs_one_stage_at_a_time_and_keeps_rest_days() -> None:
    run = simulate(Script(resting_pain=falling_from_4, session_pain=comfortable), WEEKS_8)

    stages = [stage_index(record.state_after.stage) for record in run.days]
    assert all(0 <= later - earlier <= 1 for earlier, later in itertools.pairwise(stages))
    run_days = [
        record.day_number
        for record in run.days
        if record.checkin.session is not None
        and record.checkin.session.is_running
        and record.prescription.rest_day_after
    ]
    assert all(later - earlier >= 2 for earlier, later in itertools.pairwise(run_days))


def test_a_flare_up_steps_back_then_the_runner_recovers_past_it() -> None:
    flare_stage = StageId.RUN3_WALK2
    flared: list[int] = []

    def flare_once(day: int, prescription: SessionPrescription) -> SessionPain:
        if prescription.stage is flare_stage and not flared:
            flared.append(day)
            return SessionPain(during=6, after=6)
        return SessionPain(during=2, after=1)

    run = simulate(Script(resting_pain=falling_from_4, session_pain=flare_once), WEEKS_8)

    flare_day = flared[0]
    decision = next(d for day, d in run.decisions() if day == flare_day)
    assert decision.kind is DecisionKind.STEP_BACK
    assert decision.rule_id == "RTR8"
    assert decision.to_stage is StageId.RUN2_WALK3
    assert run.final_state.stage_index > stage_index(flare_stage)
    assert run.final_state.stage_index >= stage_index(StageId.RUN_20)


def test_pain_lingering_two_mornings_in_a_row_steps_back() -> None:
    def resting(day: int) -> int:
        # Mornings after the sessions on days 14 and 16 are worse than before them.
        return {15: 2, 16: 2, 17: 3}.get(day, 1)

    run = simulate(Script(resting_pain=resting, session_pain=comfortable), 30)

    rules = [(day, d.rule_id) for day, d in run.decisions()]
    assert (14, "RTR7") in rules
    assert (16, "RTR9") in rules


def test_a_plateau_triggers_the_four_week_review() -> None:
    def stuck(day: int) -> int:
        return 5 if day < 7 else 4

    activities = (PsfsScore("running 5 km", 3), PsfsScore("sitting at work", 5))
    run = simulate(
        Script(
            resting_pain=stuck,
            session_pain=lambda day, p: SessionPain(during=4, after=4),
            psfs=lambda day: activities if day % 14 == 0 else None,
        ),
        WEEKS_6,
    )

    assert run.first_day_with("X4") == 28
    review = next(e for e in run.days[28].escalations if e.rule_id == "X4")
    assert review.level is Level.SOON
    assert "pain_7d_avg=4.0" in review.findings
    assert "psfs_avg=4.0" in review.findings
    assert run.first_day_with("X2") is None
    # Stuck at walking: nothing to step back to, so the programme rests instead.
    assert run.final_state.stage is StageId.WALK


def test_a_warning_sign_mid_way_escalates_the_same_day() -> None:
    def saddle_numbness_on_day_20(day: int) -> dict[WarningSign, bool]:
        answers = dict(ALL_CLEAR)
        answers[WarningSign.SADDLE_NUMBNESS] = day == 20
        return answers

    run = simulate(
        Script(
            resting_pain=falling_from_4,
            session_pain=comfortable,
            warning_signs=saddle_numbness_on_day_20,
        ),
        WEEKS_6,
    )

    assert run.first_day_with("X1") == 20
    first = run.days[20].escalations[0]
    assert first.level is Level.EMERGENCY
    assert first.running is RunningAdvice.STOP
    assert first.findings == ("neuro.saddle_numbness",)


def test_rest_and_cross_training_days_leave_the_stage_alone() -> None:
    run = simulate(Script(resting_pain=falling_from_4, session_pain=comfortable), 21)

    for record in run.days:
        if record.prescription.kind is SessionKind.REST:
            assert record.decision is None
            previous = run.days[record.day_number - 1].state_after
            assert record.state_after == previous
