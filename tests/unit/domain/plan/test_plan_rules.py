"""The plan builder's rules, one by one, on small variations of a calm runner."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest

from backstride.domain.library.exercise import check_exercise
from backstride.domain.plan.calendar import spread
from backstride.domain.plan.model import RUNNING_KINDS, Plan
from backstride.domain.plan.wording import HEAT, ICE, RELATIVE_REST, STRETCH_ROUTINE
from tests.unit.content.test_no_prescription_advice import DOSE, MEDICINES
from tests.unit.domain.plan.support import CASES, KB, LIBRARY, START, build, case, check_safety


def calm(**changes: Any) -> dict[str, Any]:
    """The p19 runner (self-care, reduce) with some pain fields changed."""
    document = copy.deepcopy(CASES["p19"]["intake"])
    document["pain"].update(changes)
    return document


def items(plan: Plan, phase: str) -> list[Any]:
    return next(p.items for p in plan.phases if p.id == phase)


def titles(plan: Plan, phase: str) -> list[str]:
    return [i.title for i in items(plan, phase)]


def test_settle_gives_heat_and_ice_with_durations_and_honest_evidence() -> None:
    plan, *_ = case("p19")
    settle = {i.title: i for i in items(plan, "settle")}
    heat, ice = settle[HEAT.title], settle[ICE.title]
    assert "15-20 minutes" in heat.why
    assert "moderate" in heat.why
    assert "cloth" in heat.why
    assert "10-20 minutes" in ice.why
    assert "too little research" in ice.why
    assert heat.sources == ["french2006", "acp2017"]
    assert (heat.kind, ice.kind) == ("heat", "ice")


def test_relative_rest_is_offered_only_when_pain_is_severe() -> None:
    mild, *_ = build(calm(now_0_10=3, worst_0_10=4))
    severe, *_ = build(calm(now_0_10=8, worst_0_10=8))
    assert RELATIVE_REST.title not in titles(mild, "settle")
    assert RELATIVE_REST.title in titles(severe, "settle")
    rest = next(i for i in items(severe, "settle") if i.title == RELATIVE_REST.title)
    assert "not bed rest" in rest.why
    assert "Weeks of rest are not advised" in rest.why


def test_settle_is_longer_when_the_pain_is_worse() -> None:
    lengths = []
    for now, worst in ((1, 3), (5, 6), (8, 9)):
        plan, *_ = build(calm(now_0_10=now, worst_0_10=worst))
        settle = plan.phases[0]
        assert settle.ends_on is not None
        lengths.append((settle.ends_on - settle.starts_on).days + 1)
    assert lengths == [3, 5, 7]


def test_restore_says_stretching_alone_has_weak_evidence() -> None:
    plan, *_ = case("p19")
    routine = next(i for i in items(plan, "restore") if i.title == STRETCH_ROUTINE.title)
    assert "10-15 minutes" in routine.title
    assert "3-5 days a week" in routine.title
    assert "stretching on its own did no better" in routine.why
    assert "owen2020" in routine.sources


def test_strengthen_progresses_to_a_harder_variant_halfway() -> None:
    plan, *_ = case("p20", minutes_per_day=30)
    strengthen = next(p for p in plan.phases if p.id == "strengthen")
    progressions = [i for i in strengthen.items if i.replaces]
    assert progressions
    for item in progressions:
        assert item.exercise in LIBRARY[item.replaces].harder
        assert item.starts_on == strengthen.starts_on + dt.timedelta(days=14)
        assert "step up from" in item.why
        before = [d for d in plan.days if d.phase == "strengthen" and d.date < item.starts_on]
        after = [d for d in plan.days if d.phase == "strengthen" and d.date >= item.starts_on]
        assert not any(item.exercise in d.exercises for d in before)
        assert not any(item.replaces in d.exercises for d in after)
        assert any(item.exercise in d.exercises for d in after)


def test_pause_walks_first_then_the_walk_run_programme_from_a_later_date() -> None:
    plan, assessment, *_ = build(calm(now_0_10=6, worst_0_10=7))
    assert assessment.running.advice == "pause"
    begins = plan.running.return_to_run_from
    assert begins is not None
    assert begins > START
    for day in plan.days:
        assert day.running == ("return_to_run" if day.date >= begins else "walk")
    # Severe pain in self-care: the pause lifts after the settle days.
    assert begins == plan.phases[1].starts_on


def test_pause_until_seen_waits_two_weeks_for_the_appointment() -> None:
    plan, assessment, *_ = case("p16")
    assert (assessment.triage.level, assessment.running.advice) == ("soon", "pause")
    assert plan.running.return_to_run_from == START + dt.timedelta(days=14)
    start_item = next(i for p in plan.phases for i in p.items if i.title.startswith("Start the"))
    assert "once a clinician has seen you" in start_item.why
    assert "product heuristic" in start_item.why


def test_reduce_means_easy_running_until_prevention() -> None:
    plan, assessment, *_ = case("p19")
    assert assessment.running.advice == "reduce"
    prevent = plan.phases[-1].starts_on
    assert plan.running.return_to_run_from is None
    for day in plan.days:
        assert day.running == ("usual" if day.date >= prevent else "easy_running")


def test_continue_keeps_usual_running_with_pain_rules() -> None:
    plan, assessment, *_ = case("p20")
    assert assessment.running.advice == "continue"
    assert {d.running for d in plan.days} == {"usual"}
    first = items(plan, "settle")[0]
    assert first.kind == "run"
    assert "3/10" in first.why


def test_the_running_advice_is_never_loosened() -> None:
    for case_id in sorted(CASES):
        plan, assessment, *_ = case(case_id)
        if assessment.running.advice == "stop":
            assert plan.running.advice == "stop"
            assert not any(d.running in RUNNING_KINDS for d in plan.days)


def test_equipment_at_hand_limits_the_exercises() -> None:
    no_mat, *_ = case("p19", equipment=["none"])
    assert all(
        set(LIBRARY[s].equipment) <= {"none", "wall", "chair", "pillow", "towel_or_strap"}
        for s in no_mat.exercise_slugs()
    )
    band, *_ = case("p17", equipment=["mat", "resistance_band"], minutes_per_day=40)
    assert "lateral-band-walk" in band.exercise_slugs()
    no_band, *_ = case("p17", minutes_per_day=40)
    assert "lateral-band-walk" not in no_band.exercise_slugs()


@pytest.mark.parametrize("days", [1, 2, 3, 4, 5, 6, 7])
def test_sessions_honour_days_per_week_and_prevention_keeps_two(days: int) -> None:
    plan, *rest = case("p19", days_per_week=days)
    check_safety(plan, *rest)
    blocks = [plan.days[n : n + 7] for n in range(0, len(plan.days), 7)]
    for block in blocks:
        sessions = [d for d in block if not d.rest_day]
        assert len(sessions) <= days
        if all(d.phase == "restore" for d in block):
            assert len(sessions) == days
        if all(d.phase == "prevent" for d in block):
            assert len(sessions) == min(days, 2)


@pytest.mark.parametrize("minutes", [5, 10, 15, 30, 60])
def test_more_minutes_never_means_fewer_exercises(minutes: int) -> None:
    smaller, *_ = case("p17", minutes_per_day=minutes)
    larger, *_ = case("p17", minutes_per_day=minutes * 2)
    for phase in ("restore", "strengthen"):
        few = [i for i in items(smaller, phase) if i.kind == "exercise"]
        many = [i for i in items(larger, phase) if i.kind == "exercise"]
        assert len(few) <= len(many)


def test_exercises_done_fewer_times_a_week_are_spread_out() -> None:
    assert spread(5, 3) == {0, 2, 4}
    assert spread(5, 2) == {1, 3}
    assert spread(5, 5) == {0, 1, 2, 3, 4}
    assert spread(2, 7) == {0, 1}
    for sessions in range(1, 8):
        for times in range(1, 8):
            chosen = spread(sessions, times)
            assert len(chosen) == min(times, sessions)
            assert chosen <= set(range(sessions))


def test_cautions_are_carried_into_the_item() -> None:
    plan, assessment, intake, _ = case("p14")
    conditions = [c.id for c in assessment.likely_causes]
    found = 0
    for phase in plan.phases:
        for item in phase.items:
            if item.kind != "exercise" or not item.exercise:
                continue
            suitability = check_exercise(LIBRARY[item.exercise], conditions, intake)
            reasons = [c.reason for c in suitability.cautions]
            assert item.cautions == reasons
            for reason in reasons:
                assert f"Take care: {reason}" in item.why
                found += 1
    assert found, "p14 (sciatica) should meet some cautions"


def test_every_exercise_item_names_the_cause_or_factor_it_answers() -> None:
    plan, assessment, *_ = case("p17")
    causes = {c.id for c in assessment.likely_causes}
    factors = {f.id for f in assessment.contributing_factors}
    for phase in plan.phases:
        for item in phase.items:
            if item.kind == "exercise":
                named = set(item.because) & (causes | factors)
                assert named or item.because == ["plan.exercise_therapy"]
                if named:
                    assert item.why.startswith("Chosen because it ")


def test_prevention_follows_the_factors_found() -> None:
    plan, assessment, *_ = case("p19")
    factors = {f.id for f in assessment.contributing_factors}
    prevent = {i.title: i for i in items(plan, "prevent")}
    assert "Warm up before every run" in prevent
    assert "Keep strength work twice a week" in prevent
    assert ("Running form: a slightly quicker step" in prevent) == (
        "low_cadence_overstriding" in factors
    )
    assert ("Shoes: comfortable, not special" in prevent) == ("worn_shoes" in factors)
    shoes_plan, shoes_assessment, *_ = case("p20")
    assert "worn_shoes" in {f.id for f in shoes_assessment.contributing_factors}
    assert "Shoes: comfortable, not special" in titles(shoes_plan, "prevent")
    assert "Add one cross-training session a week" in titles(shoes_plan, "prevent")


def test_education_is_linked_from_the_plan_and_its_phases() -> None:
    plan, *_ = case("p14")
    assert "when-to-see-a-doctor" in plan.education
    assert "sciatica" in plan.education
    settle = plan.phases[0]
    assert "ice-or-heat" in settle.education
    assert set(settle.education) <= set(plan.education)


def test_no_plan_text_recommends_a_medicine_or_a_dose() -> None:
    for case_id in sorted(CASES):
        plan, *_ = case(case_id)
        texts = [plan.headline, *plan.do_now, plan.running.detail]
        for phase in plan.phases:
            for item in phase.items:
                if "plan.medicines" in item.because:
                    assert item.why == KB.texts.medicines
                    continue
                texts += [item.title, item.why, item.dose.text if item.dose else ""]
        joined = " ".join(texts).lower()
        # Naming a medicine only to warn against it is allowed (review R12 21f:
        # "don't take anti-inflammatory painkillers such as ibuprofen").
        joined = re.sub(r"(don't|do not) take [^.]*\.", "", joined)
        assert not DOSE.search(joined), DOSE.search(joined)
        for name in MEDICINES:
            assert not re.search(rf"\b{re.escape(name)}\b", joined), (case_id, name)
