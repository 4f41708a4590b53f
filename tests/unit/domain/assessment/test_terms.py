"""Definitions the rules share (`facts.term`) are worked out once per intake, and
never handed to a question they do not answer (other thresholds, another side)."""

from __future__ import annotations

import dataclasses

import pytest

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment import facts as facts_module
from backstride.domain.assessment.evidence import Ev
from backstride.domain.assessment.facts import Facts, term
from backstride.domain.assessment.intake import Intake
from tests.builders import intake

T = load_knowledge_base().thresholds


def _facts(**sections: object) -> Facts:
    return Facts(Intake.model_validate(intake("new-runner-v2", **sections)))


def test_a_term_is_worked_out_once_per_intake_and_the_same_answer_shared() -> None:
    calls = []

    @term
    def counted(facts: Facts, side: str) -> Ev:
        calls.append(side)
        return facts.pain_in(f"buttock_{side}")

    facts = _facts(pain={"regions": ["buttock_left"]})
    first = counted(facts, "left")
    assert counted(facts, "left") is first
    assert first.findings == ("pain.regions=buttock_left",)
    assert not counted(facts, "right")
    assert calls == ["left", "right"]
    counted(_facts(), "left")  # another intake: worked out afresh
    assert calls == ["left", "right", "left"]


def test_other_thresholds_get_their_own_answer() -> None:
    facts = _facts(person={"age": 62})
    assert facts.aortic_age(T)
    older = dataclasses.replace(T, aortic_min_age=70, aortic_risk_min_age=70)
    assert not facts.aortic_age(older)
    assert facts.aortic_age(T)


def test_a_term_takes_positional_arguments_only() -> None:
    with pytest.raises(TypeError, match="positional arguments only"):
        _facts().leg_nerve_on(side="left")


def test_an_unknown_path_reads_as_absent() -> None:
    facts = _facts()
    assert facts.value("pain.no_such_answer") is None
    assert facts.value("no_section.answer") is None
    assert not facts.true("pain.no_such_answer")
    assert facts_module.leg_regions("left") is facts_module.leg_regions("left")


def test_every_answer_read_off_at_once_is_the_one_its_path_names() -> None:
    document = intake("new-runner-v2")
    facts = Facts(Intake.model_validate(document))
    for section, answers in document.items():
        if not isinstance(answers, dict):
            continue
        for name in answers:
            path = f"{section}.{name}"
            found = getattr(getattr(facts.intake, section), name)
            assert facts.value(path) is found, path
    assert facts.value("running") is facts.intake.running  # a section itself is walked
