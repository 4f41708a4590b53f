"""The terminal questionnaire, driven by a script instead of a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from backstride.cli.questionnaire import Cancelled, Questionnaire
from backstride.content.questions import load_questions
from backstride.domain.assessment.facts import FactsV2
from backstride.domain.assessment.safety_screen import safety_screen
from backstride.services.assessing import parse_intake

SADDLE = "between your legs"
BLADDER = "new difficulty starting to pass urine"
BOWEL = "bowel control"
SEXUAL = "sexual function"


class Person:
    """Answers by the first rule whose text is in the prompt or in what was said
    since the last one (a menu's question); rules with a list of replies give them
    in turn. Anything else: Enter ("don't know")."""

    def __init__(self, rules: Sequence[tuple[str, str | list[str]]]) -> None:
        self.rules = [
            (text, [reply] if isinstance(reply, str) else list(reply)) for text, reply in rules
        ]
        self.prompts: list[str] = []
        self.said: list[str] = []
        self._since: list[str] = []

    def ask(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if len(self.prompts) > 400:
            raise Cancelled  # a question asked for ever
        context = "\n".join([*self._since, prompt])
        self._since = []
        for text, replies in self.rules:
            if text in context:
                return replies.pop(0) if len(replies) > 1 else replies[0]
        return ""

    def say(self, text: str) -> None:
        self.said.append(text)
        self._since.append(text)

    def asked(self, text: str) -> int:
        return sum(text in prompt for prompt in self.prompts)

    def heard(self, text: str) -> bool:
        return any(text in line for line in self.said)


def basics(sex: str = "2", age: str = "44") -> list[tuple[str, str | list[str]]]:
    """A man of 44 (sex 2) with low back pain, answering the required questions."""
    return [
        ("How old are you?", age),
        ("What is your sex?", sex),
        ("Where do you feel the pain?", "1"),
        ("How long ago did this pain start?", "4"),
        ("Number:", "2"),  # gradual onset, then a minor injury, not pregnant
        ("Worst pain", "5"),
        ("change with position or movement", "y"),
        ("numbness, pins and needles or weakness", "n"),
        (SADDLE, "n"),
        (BLADDER, "n"),
        (BOWEL, "n"),
        (SEXUAL, "n"),
        ("Type 0 for", "0"),
        ("a fall, or a knock or blow", "n"),
    ]


def run(rules: Sequence[tuple[str, str | list[str]]], **options: Any) -> tuple[Person, Any]:
    person = Person(rules)
    document = Questionnaire(load_questions(), person.ask, person.say, **options).run()
    return person, document


def rules_with(*changes: tuple[str, str | list[str]], sex: str = "2", age: str = "44") -> Any:
    return [*changes, *basics(sex, age)]


def test_the_document_is_intake_version_2_with_a_complete_safety_screen() -> None:
    _person, document = run(basics())
    assert document["schema"] == "backstride.intake/2"
    intake = parse_intake(document)
    screen = safety_screen(FactsV2(intake))
    assert screen.complete, screen.unanswered
    assert document["neuro"]["weakness"] == []
    assert document["pain"]["fall_or_blow"] is False  # a minor injury brought the question
    assert "urinary_symptoms" not in document.get("general", {})


def test_enter_alone_is_not_an_answer_to_a_cauda_equina_question() -> None:
    person, document = run(rules_with((SADDLE, ["", "", "n"])))
    assert person.asked(SADDLE) == 3
    assert person.heard("This question needs an answer")
    assert document["neuro"]["saddle_numbness"] is False


@pytest.mark.parametrize("question", [SADDLE, BLADDER])
def test_not_sure_comes_after_the_self_check(question: str) -> None:
    person, document = run(rules_with((question, ["?", "?"])))
    assert person.asked(question) == 2
    assert person.heard("wipe with toilet paper")
    path = "saddle_numbness" if question == SADDLE else "bladder_change"
    assert document["neuro"][path] == "not_sure"


def test_the_self_check_can_turn_not_sure_into_an_answer() -> None:
    _person, document = run(rules_with((SADDLE, ["?", "n"])))
    assert document["neuro"]["saddle_numbness"] is False


def test_not_sure_about_bowel_or_sex_needs_no_self_check() -> None:
    person, document = run(rules_with((BOWEL, "?"), (SEXUAL, "h")))
    assert person.asked(BOWEL) == 1
    assert not person.heard("wipe with toilet paper")
    assert document["neuro"]["bowel_change"] == "not_sure"
    assert document["neuro"]["sexual_change"] == "not_sure"
    assert any("I haven't had the chance to notice" in p for p in person.prompts)


def test_none_of_these_says_no_to_every_warning_sign() -> None:
    person, document = run(rules_with(("Type 0 for", ["", "0"])))
    assert person.asked("Type 0 for") == 2
    for path in ("fever_or_chills", "very_unwell_signs", "lightheaded_or_sweaty"):
        assert document["general"][path] is False
    assert document["neuro"]["new_bladder_urgency"] is False
    assert "pulsating_abdomen" not in document["general"]  # asked from 50


def test_signs_that_apply_are_yes_and_the_others_need_an_answer() -> None:
    rules = rules_with(
        ("Type 0 for", "3"),
        ("And none of the others", "n"),
        ("faint or dizzy", "y"),
        ("[y/n]", "n"),
        age="60",
    )
    _person, document = run(rules)
    general = document["general"]
    assert general["fever_or_chills"] is True  # number 3
    assert general["lightheaded_or_sweaty"] is True  # asked one by one
    assert general["pulsating_abdomen"] is False
    assert general["very_unwell_signs"] is False


def test_a_man_is_not_asked_about_pregnancy_or_periods() -> None:
    person, _document = run(basics())
    for text in ("pregnant", "periods", "menstrual"):
        assert not any(text in p for p in person.prompts), text
    assert not person.heard("pregnant now")  # not in the history list either


def test_a_woman_of_30_is_asked_about_pregnancy_and_a_test_after_not_sure() -> None:
    rules = rules_with(("Could you be pregnant", "3"), ("pregnancy test", "3"), sex="1", age="30")
    person, document = run(rules)
    assert document["person"]["could_be_pregnant"] == "not_sure"
    assert document["person"]["pregnancy_test"] == "not_done"
    assert person.heard("What are your periods like at the moment?")
    assert person.asked("vaginal bleeding") == 1  # possibly pregnant
    assert person.heard("Could you be pregnant?")


def test_a_woman_of_60_is_not_asked_about_pregnancy() -> None:
    person, _ = run(basics(sex="1", age="60"))
    assert not person.heard("Could you be pregnant?")
    assert not person.heard("What are your periods like")


def test_groin_pain_brings_the_testicle_question_for_a_man() -> None:
    groin = ("Where do you feel the pain?", "1,9")
    _person, document = run(rules_with(groin, ("testicle", "n")))
    assert document["pain"]["regions"] == ["low_back_center", "groin_left"]
    assert document["general"]["testicle_pain"] is False
    woman, _ = run(rules_with(groin, sex="1", age="60"))
    assert woman.asked("testicle") == 0


def test_nerve_detail_only_after_a_yes() -> None:
    rules = rules_with(
        ("numbness, pins and needles or weakness", "y"),
        ("Where is a leg or foot weak?", ""),  # Enter: asked again ...
        ("Please enter numbers", "0"),  # ... 0 = none
    )
    person, document = run(rules)
    assert person.heard("Where do you have numbness?")
    assert person.heard("Where is a leg or foot weak?")
    assert document["neuro"]["weakness"] == []
    assert "numbness" not in document["neuro"]  # don't know
    no, _ = run(basics())
    assert not no.heard("Where do you have numbness?")


def test_a_reassessment_with_an_open_warning_asks_about_a_clinician() -> None:
    _person, document = run(rules_with(("checked you for it", "y")), open_warning=True)
    assert document["review"] == {"seen_clinician_since_warning": True}
    plain, document = run(basics())
    assert plain.asked("checked you for it") == 0
    assert "review" not in document


def test_a_postnatal_runner_is_asked_about_the_pelvic_floor() -> None:
    rules = rules_with(
        ("Do any of these apply to you?", "23"),  # given birth in the last year
        ("weeks ago did you give birth", "8"),
        ("heaviness or dragging", "y"),
        sex="1",
        age="32",
    )
    _person, document = run(rules)
    assert document["person"]["history"] == ["postpartum"]
    assert document["person"]["weeks_since_birth"] == 8
    assert document["running"]["pelvic_floor_symptoms"] is True
