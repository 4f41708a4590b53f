"""Every clinical number in content, read by the one loader with the one error."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from backstride.content import library, questions
from backstride.content.escalation import load_escalation_thresholds
from backstride.content.loader import (
    ContentError,
    NumberEntry,
    load_knowledge_base,
    load_programme_thresholds,
    load_start_rules,
    named_numbers,
    source_ids,
)
from backstride.domain.assessment.thresholds import PlanThresholds
from backstride.domain.recovery.return_to_run import (
    Event,
    ProgrammeThresholds,
    StageId,
    UsualVolume,
    transition_for,
)
from backstride.domain.recovery.start import START_STAGE_BY_ADVICE, start_stage, strictest_advice

SRC = Path(__file__).resolve().parents[3] / "src" / "backstride"
# Spelt in two parts so that a grep for the definition finds only the definition.
DEFINITION = r"^class " + r"ContentError\b"


def entry(value: float, *sources: str) -> NumberEntry:
    return NumberEntry(
        value=value, kind="heuristic", sources=list(sources or ["nice_ng59"]), note=""
    )


def test_the_plan_numbers_come_from_content_unchanged() -> None:
    plan = load_knowledge_base().plan
    assert (plan.dated_weeks, plan.severe_pain_now, plan.seen_by_days) == (10, 7, 14)
    assert (plan.settle_days_severe, plan.settle_days_moderate, plan.settle_days_mild) == (7, 5, 3)
    assert (plan.restore_days, plan.strengthen_days, plan.return_days) == (14, 28, 14)
    assert plan.prevent_sessions_per_week == 2


def test_the_return_to_run_numbers_come_from_content_unchanged() -> None:
    t = load_programme_thresholds()
    assert (t.comfort_max_pain, t.hold_max_pain, t.morning_tolerance) == (3, 5, 0)
    assert (t.lingering_sessions_to_step_back, t.painful_sessions_to_step_back) == (2, 3)
    assert t.min_share_of_prescription == 0.8
    assert (t.max_runs_per_week_with_rest_days, t.min_build_run_minutes) == (3, 30)
    assert (t.assumed_runs_per_week, t.assumed_minutes_per_week) == (3, 90)
    assert t.assumed_usual == UsualVolume(runs_per_week=3, minutes_per_week=90)


def test_the_programme_holds_no_number_of_its_own() -> None:
    assert all(
        f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        for f in dataclasses.fields(ProgrammeThresholds)
    )
    assert set(ProgrammeThresholds.names()) == {
        f.name for f in dataclasses.fields(ProgrammeThresholds)
    }


def test_the_transition_explanations_quote_the_thresholds_passed_in() -> None:
    t = load_programme_thresholds()
    above_comfort = transition_for(StageId.RUN_20, Event.PAIN_ABOVE_COMFORT)
    assert above_comfort.explained(t).startswith("Pain reached 4-5/10: acceptable")
    above_limit = transition_for(StageId.RUN_20, Event.PAIN_ABOVE_LIMIT)
    assert above_limit.explained(t) == "Pain went above 5/10. Step back to the previous stage."
    finished = transition_for(StageId.USUAL_VOLUME, Event.STAGE_PASSED).explained(t)
    assert "ease off if pain goes above 3/10" in finished
    stricter = dataclasses.replace(t, comfort_max_pain=2, hold_max_pain=4)
    assert above_comfort.explained(stricter).startswith("Pain reached 3-4/10")
    assert (
        above_limit.explained(stricter) == "Pain went above 4/10. Step back to the previous stage."
    )


def test_the_start_rules_are_in_the_domain_with_their_numbers_in_content() -> None:
    assert load_start_rules().first_stage_rest_days == 2
    assert dict(START_STAGE_BY_ADVICE) == {
        "pause": StageId.WALK,
        "reduce": StageId.RUN_20,
        "continue": StageId.USUAL_VOLUME,
    }
    assert start_stage("stop") is None
    assert strictest_advice(["continue", "pause", "reduce"]) == "pause"
    assert strictest_advice([]) is None


def test_a_named_number_section_is_refused_naming_each_problem() -> None:
    given = {name: entry(1) for name in PlanThresholds.names()}
    given.pop("seen_by_days")
    given["dated_weeks"] = entry(9.5)
    given["made_up"] = entry(1)
    given["return_days"] = entry(14, "x")
    with pytest.raises(ContentError) as error:
        named_numbers(PlanThresholds, given, "thresholds.yaml plan", source_ids())
    message = str(error.value)
    for problem in ("lacks 'seen_by_days'", "unknown 'made_up'", "whole number", "'x'"):
        assert problem in message


def test_there_is_one_content_error_and_every_loader_raises_it() -> None:
    defined = [
        path
        for path in SRC.rglob("*.py")
        if re.search(DEFINITION, path.read_text(encoding="utf-8"), re.M)
    ]
    assert [p.relative_to(SRC).as_posix() for p in defined] == ["content/loader.py"]
    assert library.ContentError is ContentError
    assert issubclass(ContentError, ValueError)
    assert "ContentError" not in vars(questions) or questions.ContentError is ContentError


def test_the_escalation_numbers_are_read_by_the_same_loader() -> None:
    assert load_escalation_thresholds().flare_window_days == 14
