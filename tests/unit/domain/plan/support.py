"""Shared helpers for the plan tests: build a plan, and check what every plan must hold."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from backstride.content.library import load_exercises, load_topics
from backstride.content.loader import load_knowledge_base, load_programme_thresholds
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.facts import Facts
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.safety_screen import safety_screen
from backstride.domain.library.exercise import check_exercise
from backstride.domain.plan.builder import build_plan
from backstride.domain.plan.dose import dose_seconds
from backstride.domain.plan.model import RUNNING_KINDS, Plan, Preferences
from backstride.services.assessing import assess_intake, parse_intake
from tests.conftest import load_vignettes

KB = load_knowledge_base()
LIBRARY = load_exercises()
TOPICS = load_topics()
START = dt.date(2026, 3, 2)
CASES = {case["id"]: case for case in load_vignettes()}
STRICTNESS = ("stop", "pause", "reduce", "continue")


def build(
    document: dict[str, Any], **preferences: Any
) -> tuple[Plan, Assessment, Intake, Preferences]:
    intake = parse_intake(document)
    assessment = assess_intake(intake, KB)
    prefs = Preferences.model_validate({"start_date": START, **preferences})
    plan = build_plan(
        assessment,
        intake,
        prefs,
        library=LIBRARY,
        kb=KB,
        topics=set(TOPICS),
        programme=load_programme_thresholds(),
    )
    return plan, assessment, intake, prefs


# The reassuring answer to each safety-screen question, for plan tests that are about
# the plan rather than the screen (an unfinished screen gets no exercise plan).
SCREEN_NO: dict[str, Any] = {
    "pain.onset": "gradual",
    "pain.trauma": "none",
    "pain.changes_with_movement": True,
    "neuro.weakness": [],
    "person.could_be_pregnant": "no",
}


def with_complete_screen(document: dict[str, Any]) -> dict[str, Any]:
    """The intake with every unanswered safety-screen question answered "no"."""
    completed = copy.deepcopy(document)
    for path in safety_screen(Facts(parse_intake(document))).unanswered:
        section, field = path.split(".")
        completed.setdefault(section, {})[field] = SCREEN_NO.get(path, False)
    return completed


def case(
    case_id: str, *, complete_screen: bool = True, **preferences: Any
) -> tuple[Plan, Assessment, Intake, Preferences]:
    document = CASES[case_id]["intake"]
    return build(with_complete_screen(document) if complete_screen else document, **preferences)


def planned_slugs(plan: Plan) -> set[str]:
    from_items = {i.exercise for p in plan.phases for i in p.items if i.exercise}
    return from_items | {slug for day in plan.days for slug in day.exercises}


def check_safety(plan: Plan, assessment: Assessment, intake: Intake, prefs: Preferences) -> None:
    """What every plan must hold, whatever the intake and preferences."""
    texts = KB.texts
    assert plan.not_a_diagnosis == texts.disclaimer
    assert plan.warning_signs == [sign.text for sign in texts.warning_signs]
    assert plan.triage_level == assessment.triage.level

    if assessment.triage.level in ("emergency", "urgent"):
        assert plan.phases == []
        assert plan.days == []
        assert not plan.has_exercises
        assert plan.do_now
        assert plan.running.advice == "stop"
        assert plan.running.return_to_run_from is None

    # Never a contraindicated exercise: re-check every slug the plan names.
    conditions = [c.id for c in assessment.likely_causes] + [f.id for f in assessment.red_flags]
    for slug in planned_slugs(plan):
        suitability = check_exercise(LIBRARY[slug], conditions, intake)
        assert suitability.allowed, (slug, suitability.reasons)
        assert set(LIBRARY[slug].equipment) <= prefs.at_hand(), slug

    # Running never goes beyond the advice.
    advice = assessment.running.advice
    assert STRICTNESS.index(plan.running.advice) <= STRICTNESS.index(advice)
    running_days = [d for d in plan.days if d.running in RUNNING_KINDS]
    if advice == "stop":
        assert running_days == []
        assert plan.running.return_to_run_from is None
    if advice == "pause":
        begins = plan.running.return_to_run_from
        assert all(d.running == "return_to_run" for d in running_days)
        if running_days:
            assert begins is not None
            assert begins > prefs.start_date
            assert all(d.date >= begins for d in running_days)

    # Every item says why and cites sources that exist.
    allowed_because = {c.id for c in assessment.likely_causes} | {
        f.id for f in assessment.contributing_factors
    }
    for phase in plan.phases:
        for item in phase.items:
            assert item.why.strip(), item.title
            assert item.because, item.title
            for reason in item.because:
                assert reason in allowed_because or reason.startswith("plan."), reason
            assert item.sources, item.title
            assert set(item.sources) <= set(KB.sources), item.sources
    assert set(plan.sources) <= set(KB.sources)
    assert set(plan.education) <= set(TOPICS)
    for phase in plan.phases:
        assert set(phase.education) <= set(TOPICS)

    # Dated days honour the preferences.
    if plan.days:
        assert [d.date for d in plan.days] == [
            prefs.start_date + dt.timedelta(days=n) for n in range(len(plan.days))
        ]
        assert 8 * 7 <= len(plan.days) <= 12 * 7
        for offset in range(0, len(plan.days), 7):
            block = plan.days[offset : offset + 7]
            assert sum(1 for d in block if not d.rest_day) <= prefs.days_per_week
        for day in plan.days:
            phase = plan.phase_on(day.date)
            assert phase is not None
            assert phase.id == day.phase
            assert day.rest_day == (not day.exercises)
            seconds = 0
            for slug in day.exercises:
                item = plan.item_for(slug, day.date)
                assert item is not None
                assert item.dose is not None
                rest = LIBRARY[slug].dosage.rest_seconds
                seconds += dose_seconds(item.dose, rest[0] if rest else 0)
            assert seconds <= prefs.minutes_per_day * 60, day.date
