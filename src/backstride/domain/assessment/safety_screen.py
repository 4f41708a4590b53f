"""The safety screen: the questions that rule out an emergency, and which are still open.

Review R6 lists them. Interactive clients must ask every one; an API client may
not, so the assessment says which were left unanswered (and the policy then keeps
the level at least "soon", rule CE3d) and which were answered "not sure".
A version-1 intake is screened on the questions version 1 had, with its single
urinary question standing for the two version-2 bladder questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from backstride.domain.assessment.facts import CES_ITEMS, FactsV2

AORTIC_SCREEN_MIN_AGE = 50
PREGNANCY_QUESTION_AGES = (10, 55)

_COMMON = (
    *CES_ITEMS,
    "neuro.weakness",
    "neuro.leg_drags_or_trips",
    "general.fever_or_chills",
    "general.faint_or_collapse",
    "general.chest_pain_or_breathless",
)
_VERSION_2_ONLY = (
    "neuro.new_bladder_urgency",
    "general.lightheaded_or_sweaty",
    "general.very_unwell_signs",
    "general.painful_or_bloody_urine",
)
_PAIN = ("pain.onset", "pain.trauma", "pain.changes_with_movement")


@dataclass(frozen=True, slots=True)
class SafetyScreen:
    questions: tuple[str, ...]
    unanswered: tuple[str, ...]
    not_sure: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.unanswered

    def to_document(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "unanswered": list(self.unanswered),
            "not_sure": list(self.not_sure),
            "questions": list(self.questions),
        }


def pregnancy_question_applies(f: FactsV2) -> bool:
    """``person.could_be_pregnant`` is asked of whoever could be (review R5)."""
    low, high = PREGNANCY_QUESTION_AGES
    age = f.intake.person.age
    return f.value("person.sex") != "male" and low <= age <= high and not f.history("pregnant")


def screen_questions(f: FactsV2) -> tuple[str, ...]:
    if f.intake.version == 1:
        questions = [*_COMMON, "general.urinary_symptoms", *_PAIN]
    else:
        questions = [*_COMMON, *_VERSION_2_ONLY, *_PAIN]
        if pregnancy_question_applies(f):
            questions.append("person.could_be_pregnant")
    if f.intake.person.age >= AORTIC_SCREEN_MIN_AGE:
        questions.append("general.pulsating_abdomen")
    return tuple(questions)


def safety_screen(f: FactsV2) -> SafetyScreen:
    questions = screen_questions(f)
    return SafetyScreen(
        questions=questions,
        unanswered=tuple(q for q in questions if f.value(q) is None),
        not_sure=tuple(q for q in questions if f.value(q) == "not_sure"),
    )
