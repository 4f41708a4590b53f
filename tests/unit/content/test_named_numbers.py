"""Every clinical number in content, read by the one loader with the one error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backstride.content import library, questions
from backstride.content.escalation import load_escalation_thresholds
from backstride.content.loader import (
    ContentError,
    NumberEntry,
    load_knowledge_base,
    load_start_rules,
    named_numbers,
    source_ids,
)
from backstride.domain.assessment.thresholds import PlanThresholds
from backstride.domain.recovery.return_to_run import StageId
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
