"""Escalation rules X1-X5 over the check-in history."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import get_args

import pytest
import yaml

from backstride.content.escalation import load_escalation_thresholds
from backstride.content.loader import load_programme_thresholds
from backstride.domain.assessment.document import SERIOUS_CONDITIONS
from backstride.domain.recovery.checkin import (
    SCREEN_SOURCES,
    CheckIn,
    PsfsScore,
    SessionDone,
    SessionKind,
    WarningSign,
)
from backstride.domain.recovery.escalation import (
    WARNING_SIGN_LEVELS,
    WARNING_SIGN_RULES,
    Baseline,
    Escalation,
    Level,
    RunningAdvice,
    most_urgent,
)
from backstride.domain.recovery.escalation import evaluate as evaluate_with
from backstride.domain.recovery.return_to_run import PROGRAMME_SOURCES, TRANSITIONS
from backstride.domain.vocabulary import RunningAdviceId as ContractAdvice
from backstride.domain.vocabulary import TriageLevel

T = load_escalation_thresholds()
# The rules with the walk-run programme's numbers (X5) from content, as the care state runs them.
evaluate = partial(evaluate_with, programme_thresholds=load_programme_thresholds())
START = dt.date(2024, 1, 1)
SOURCES_FILE = Path(__file__).parents[4] / "src/backstride/content/sources.yaml"


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def daily(pains: list[int], first_day: int = 0) -> list[CheckIn]:
    return [
        CheckIn(day=day(first_day + i), pain_now_0_10=p, worst_24h_0_10=p)
        for i, p in enumerate(pains)
    ]


def with_signs(n: int, **answers: bool) -> CheckIn:
    signs = {WarningSign(f"{path.replace('__', '.')}"): value for path, value in answers.items()}
    return CheckIn(day=day(n), pain_now_0_10=3, worst_24h_0_10=3, warning_signs=signs)


def run_checkin(n: int, during: int, after: int, kind: SessionKind = SessionKind.RUN) -> CheckIn:
    session = SessionDone(kind, 30, pain_during_0_10=during, pain_after_0_10=after)
    return CheckIn(day=day(n), pain_now_0_10=2, worst_24h_0_10=max(2, after), session=session)


BASELINE = Baseline(day=START, pain_0_10=5)


def rule_ids(found: list[Escalation]) -> list[str]:
    return [e.rule_id for e in found]


# --- X1: warning signs ---------------------------------------------------------------


def test_every_warning_sign_has_a_level_the_assessment_knows() -> None:
    assert set(WARNING_SIGN_RULES) == set(WarningSign)
    assert {level.value for level in Level} == set(get_args(TriageLevel))
    assert {advice.value for advice in RunningAdvice} == set(get_args(ContractAdvice))
    for rule in WARNING_SIGN_RULES.values():
        assert rule.condition is None or rule.condition in SERIOUS_CONDITIONS
        assert rule.sources
    assert WARNING_SIGN_LEVELS["neuro.bladder_change"] is Level.EMERGENCY


@pytest.mark.parametrize(
    ("sign", "level"),
    [
        (WarningSign.SADDLE_NUMBNESS, Level.EMERGENCY),
        (WarningSign.BLADDER_CHANGE, Level.EMERGENCY),
        (WarningSign.BOWEL_CHANGE, Level.EMERGENCY),
        (WarningSign.SEXUAL_CHANGE, Level.EMERGENCY),
        (WarningSign.SYMPTOMS_BOTH_LEGS, Level.EMERGENCY),
        (WarningSign.CHEST_PAIN_OR_BREATHLESS, Level.EMERGENCY),
        (WarningSign.FAINT_OR_COLLAPSE, Level.EMERGENCY),
        (WarningSign.PULSATING_ABDOMEN, Level.EMERGENCY),
        (WarningSign.GETTING_WORSE, Level.URGENT),
        (WarningSign.LEG_DRAGS_OR_TRIPS, Level.URGENT),
        (WarningSign.NEW_WEAKNESS, Level.URGENT),
        (WarningSign.FEVER_OR_CHILLS, Level.URGENT),
        (WarningSign.NEW_NUMBNESS, Level.SOON),
    ],
)
def test_a_yes_escalates_at_once_at_its_level(sign: WarningSign, level: Level) -> None:
    history = [*daily([3, 3, 3]), CheckIn(day(3), 3, 3, warning_signs={sign: True})]
    found = evaluate(history, BASELINE, day(3), T)
    assert rule_ids(found) == ["X1"]
    assert found[0].level is level
    assert found[0].findings == (sign.value,)
    stops = level in (Level.EMERGENCY, Level.URGENT)
    assert found[0].running is (RunningAdvice.STOP if stops else RunningAdvice.PAUSE)


def test_signs_at_different_levels_are_reported_most_urgent_first() -> None:
    history = [
        with_signs(
            0, neuro__new_numbness=True, general__fever_or_chills=True, neuro__bowel_change=True
        )
    ]
    found = evaluate(history, BASELINE, day(0), T)
    assert [e.level for e in found] == [Level.EMERGENCY, Level.URGENT, Level.SOON]
    assert most_urgent(found) is Level.EMERGENCY
    assert most_urgent([]) is None


def test_a_later_no_never_clears_an_emergency_or_urgent_sign() -> None:
    """R13: a yes (or a not sure) holds until a reassessment after being seen clears it."""
    history = [
        with_signs(0, general__fever_or_chills=True),
        with_signs(2, general__fever_or_chills=False),
    ]
    assert evaluate(history, BASELINE, day(1), T)[0].level is Level.URGENT
    assert evaluate(history, BASELINE, day(2), T)[0].level is Level.URGENT
    assert rule_ids(evaluate(history, BASELINE, day(40), T)) == ["X1"]
    cleared = frozenset({(day(0), WarningSign.FEVER_OR_CHILLS)})
    assert evaluate(history, BASELINE, day(2), T, cleared=cleared) == []


def test_not_sure_counts_like_a_yes() -> None:
    history = [CheckIn(day(0), 3, 3, warning_signs={WarningSign.SADDLE_NUMBNESS: "not_sure"})]
    found = evaluate(history, BASELINE, day(0), T)
    assert found[0].level is Level.EMERGENCY
    assert "not sure" in found[0].detail


def test_a_soon_sign_stays_current_for_a_week_and_a_newer_assessment_answers_it() -> None:
    history = [with_signs(0, neuro__new_numbness=True)]
    assert rule_ids(evaluate(history, BASELINE, day(6), T)) == ["X1"]
    assert evaluate(history, BASELINE, day(7), T) == []
    assert evaluate(history, BASELINE, day(3), T, covered_days=frozenset({day(0)})) == []


def test_an_urgent_sign_does_not_expire_after_a_week() -> None:
    history = [with_signs(0, neuro__leg_drags_or_trips=True)]
    assert rule_ids(evaluate(history, BASELINE, day(6), T)) == ["X1"]
    assert rule_ids(evaluate(history, BASELINE, day(7), T)) == ["X1"]


def test_answers_after_today_do_not_count() -> None:
    assert evaluate([with_signs(5, neuro__saddle_numbness=True)], BASELINE, day(4), T) == []


# --- X2, X3: pain getting worse -------------------------------------------------------


def test_average_pain_2_points_up_on_the_week_before_needs_a_clinician_soon() -> None:
    found = evaluate(daily([2] * 7 + [4] * 7), BASELINE, day(13), T)
    assert rule_ids(found) == ["X2"]
    assert found[0].level is Level.SOON
    assert found[0].running is RunningAdvice.REDUCE
    assert found[0].findings[:2] == ("pain_7d_avg=4.0", "pain_previous_7d_avg=2.0")
    assert "worst_24h_7d_avg=4.0" in found[0].findings


def test_a_rise_below_2_points_or_too_few_checkins_does_not_escalate() -> None:
    assert evaluate(daily([2] * 7 + [3] * 7), BASELINE, day(13), T) == []
    one_the_week_before = daily([2]) + daily([4, 4, 4, 4, 4, 4, 4], first_day=7)
    assert "X2" not in rule_ids(evaluate(one_the_week_before, BASELINE, day(13), T))


def test_two_checkins_a_week_are_enough_for_the_weekly_rise() -> None:
    """R13: the pain rules work with two or three check-ins a week."""
    sparse = [*daily([2], 1), *daily([2], 4), *daily([4], 8), *daily([5], 11)]
    found = evaluate(sparse, BASELINE, day(13), T)
    assert "X2" in rule_ids(found)


def test_worst_in_24_hours_and_pain_after_running_count_as_well_as_pain_now() -> None:
    steady_now = [CheckIn(day(i), 2, 2 if i < 7 else 5) for i in range(14)]
    found = [e for e in evaluate(steady_now, BASELINE, day(13), T) if e.rule_id == "X2"]
    assert found
    assert found[0].findings == ("worst_24h_7d_avg=5.0", "worst_24h_previous_7d_avg=2.0")
    runs = [run_checkin(i, during=2, after=1 if i < 7 else 3) for i in (1, 3, 5, 8, 10, 12)]
    found = [e for e in evaluate(runs, BASELINE, day(13), T) if e.rule_id == "X2"]
    assert found
    assert "after_run_7d_avg=3.0" in found[0].findings


def test_pain_creeping_up_three_weeks_running_escalates() -> None:
    found = evaluate(daily([2] * 7 + [2, 3, 2, 3, 2, 3, 3] + [3] * 7), BASELINE, day(20), T)
    assert rule_ids(found) == ["X3"]
    assert found[0].level is Level.SOON


def test_pain_that_rises_then_settles_is_not_a_trend() -> None:
    assert evaluate(daily([2] * 7 + [3] * 7 + [3] * 7), BASELINE, day(20), T) == []


# --- X4: not better after 4-6 weeks ---------------------------------------------------


def test_no_meaningful_improvement_by_4_weeks_needs_a_clinician() -> None:
    history = daily([5] * 7 + [4] * 22)
    assert "X4" not in rule_ids(evaluate(history, BASELINE, day(27), T))
    found = [e for e in evaluate(history, BASELINE, day(28), T) if e.rule_id == "X4"]
    assert found
    assert found[0].level is Level.SOON
    assert "4 weeks" in found[0].detail


@pytest.mark.parametrize(
    ("baseline_pain", "now", "fires"),
    [
        (5, 3, False),
        (5, 4, True),
        (3, 2, False),
        (8, 6, False),
        (8, 7, True),
        (1, 1, True),
        (1, 0, False),
    ],
    ids=["2 points", "1 point", "33 percent", "2 of 8", "1 of 8", "no change", "recovered"],
)
def test_meaningful_means_2_points_or_30_percent(baseline_pain: int, now: int, fires: bool) -> None:
    history = daily([now] * 7, first_day=24)
    found = evaluate(history, Baseline(START, baseline_pain), day(30), T)
    assert ("X4" in rule_ids(found)) is fires


def test_psfs_without_meaningful_change_needs_a_clinician_even_when_pain_improved() -> None:
    baseline = Baseline(START, 6, psfs=(PsfsScore("Running 10 km", 2), PsfsScore("sitting", 6)))
    later = CheckIn(day(30), 1, 1, psfs=(PsfsScore("running 10 km ", 3), PsfsScore("gardening", 1)))
    found = evaluate([*daily([1] * 6, first_day=24), later], baseline, day(30), T)
    assert rule_ids(found) == ["X4"]
    assert found[0].findings == ("psfs_avg=3.0", "psfs_baseline_avg=2.0")


def test_psfs_with_meaningful_change_or_near_full_function_does_not_escalate() -> None:
    baseline = Baseline(START, 6, psfs=(PsfsScore("running", 2), PsfsScore("lifting", 5)))
    better = CheckIn(day(30), 1, 1, psfs=(PsfsScore("running", 5), PsfsScore("lifting", 7)))
    assert evaluate([*daily([1] * 6, first_day=24), better], baseline, day(30), T) == []
    near_full = Baseline(START, 6, psfs=(PsfsScore("lifting", 9),))
    same = CheckIn(day(30), 1, 1, psfs=(PsfsScore("lifting", 9),))
    assert evaluate([*daily([1] * 6, first_day=24), same], near_full, day(30), T) == []


# --- X5: pain during and after every run ------------------------------------------------


def test_pain_during_and_after_three_runs_in_a_row_backs_off_a_stage() -> None:
    history = [run_checkin(1, 2, 4), run_checkin(3, 4, 2), run_checkin(5, 5, 5)]
    found = evaluate(history, BASELINE, day(5), T)
    assert rule_ids(found) == ["X5"]
    assert found[0].level is Level.SELF_CARE
    assert "Back off one stage" in found[0].detail


def test_a_comfortable_run_or_a_walk_breaks_the_run_of_painful_runs() -> None:
    comfortable = [
        run_checkin(1, 2, 4),
        run_checkin(3, 2, 2),
        run_checkin(5, 5, 5),
        run_checkin(7, 4, 4),
    ]
    assert evaluate(comfortable, BASELINE, day(7), T) == []
    two_runs = [run_checkin(1, 4, 4), run_checkin(3, 4, 4, SessionKind.WALK), run_checkin(5, 4, 4)]
    assert evaluate(two_runs, BASELINE, day(5), T) == []


# --- sources -------------------------------------------------------------------------------


def test_every_source_id_the_recover_rules_cite_exists() -> None:
    known = {entry["id"] for entry in yaml.safe_load(SOURCES_FILE.read_text())["sources"]}
    cited = set(PROGRAMME_SOURCES) | set(SCREEN_SOURCES)
    cited |= {s for t in TRANSITIONS for s in t.sources}
    cited |= {s for rule in WARNING_SIGN_RULES.values() for s in rule.sources}
    psfs_base = Baseline(START, 6, psfs=(PsfsScore("running", 2),))
    cases = [
        (daily([2] * 7 + [4] * 7), day(13)),
        (daily([2] * 7 + [2, 3, 2, 3, 2, 3, 3] + [3] * 7), day(20)),
        ([*daily([6] * 6, first_day=24), CheckIn(day(30), 6, 6, psfs=psfs_base.psfs)], day(30)),
        ([run_checkin(1, 4, 4), run_checkin(3, 4, 4), run_checkin(5, 4, 4)], day(5)),
    ]
    fired = [e for history, today in cases for e in evaluate(history, psfs_base, today, T)]
    assert {e.rule_id for e in fired} >= {"X2", "X3", "X4", "X5"}
    cited |= {s for e in fired for s in e.sources}
    assert cited <= known, cited - known
