"""The questions: one definition for the terminal questionnaire and the web wizard.

``questions.yaml`` holds the wording, the options, the order (sections), which
answers are required and when each question is asked at all. The conditions that
decide "asked when" are the small named functions in :data:`CONDITIONS`; both
interfaces call :meth:`Questions.asked` (or :meth:`Questions.applicable`) and so
can never disagree about who is asked what.

Answers are passed as a flat mapping from intake path to the value the intake
would hold (``{"person.age": 34, "person.history": ["pregnant"], ...}``), plus
the answers of questions that only decide what else to ask
(``neuro.any_nerve_symptoms``). :func:`flatten` turns an intake document into
that form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from backstride.content.loader import parse
from backstride.domain.assessment.facts import BELLY_REGIONS, FLANK_REGIONS
from backstride.domain.assessment.intake import INTAKE_SCHEMA_ID, intake_json_schema
from backstride.domain.assessment.safety_screen import (
    AORTIC_SCREEN_MIN_AGE,
    PREGNANCY_QUESTION_AGES,
)

Answers = Mapping[str, Any]

# The list fields whose options are body regions.
REGION_FIELDS = ("pain.regions", "neuro.numbness", "neuro.tingling", "neuro.weakness")
NERVE_GATE = "neuro.any_nerve_symptoms"
NERVE_MAPS = ("neuro.numbness", "neuro.tingling", "neuro.weakness")
# Periods that mean there is no cycle for the pain to follow.
NO_CYCLE = ("stopped_3_months", "menopause", "not_applicable")
TESTICLE_REGIONS = (*BELLY_REGIONS, *FLANK_REGIONS)
BREATHING_REGIONS = ("upper_back", *FLANK_REGIONS)


# -- when a question is asked ----------------------------------------------------------


def _history(a: Answers) -> tuple[str, ...]:
    return tuple(a.get("person.history") or ())


def _regions(a: Answers) -> tuple[str, ...]:
    return tuple(a.get("pain.regions") or ())


def _not_male(a: Answers) -> bool:
    return a.get("person.sex") != "male"


def _pregnancy_age(a: Answers) -> bool:
    """Age 10-55, or not known yet (then the question is asked)."""
    low, high = PREGNANCY_QUESTION_AGES
    age = a.get("person.age")
    return not isinstance(age, int | float) or low <= age <= high


def could_become_pregnant(a: Answers) -> bool:
    """Sex not male, age 10-55, and not already pregnant (review R5)."""
    return _not_male(a) and _pregnancy_age(a) and "pregnant" not in _history(a)


def pregnancy_not_ruled_out(a: Answers) -> bool:
    """``could_be_pregnant`` answered yes or not sure: ask about a test."""
    return a.get("person.could_be_pregnant") in ("yes", "not_sure")


def pregnant(a: Answers) -> bool:
    return "pregnant" in _history(a)


def postpartum(a: Answers) -> bool:
    return "postpartum" in _history(a)


def possibly_pregnant(a: Answers) -> bool:
    """Review R5: pregnant; could be (yes); or not sure without a negative test."""
    could = a.get("person.could_be_pregnant")
    return (
        pregnant(a)
        or could == "yes"
        or (could == "not_sure" and a.get("person.pregnancy_test") != "negative")
    )


def possibly_pregnant_or_abdomen(a: Answers) -> bool:
    return possibly_pregnant(a) or "abdomen" in _regions(a)


def periods_apply(a: Answers) -> bool:
    """Sex not male, age 10-55 and not pregnant (review R8)."""
    return _not_male(a) and _pregnancy_age(a) and not pregnant(a)


def has_cycle(a: Answers) -> bool:
    return periods_apply(a) and a.get("person.periods") not in NO_CYCLE


def testicle_question(a: Answers) -> bool:
    """Sex not female, with pain in a groin, belly or flank region (review R10)."""
    return a.get("person.sex") != "female" and any(r in TESTICLE_REGIONS for r in _regions(a))


def minor_injury(a: Answers) -> bool:
    return a.get("pain.trauma") == "minor"


def nerve_symptoms(a: Answers) -> bool:
    """A yes to "any numbness, pins and needles or weakness"."""
    return a.get(NERVE_GATE) is True


def aortic_screen_age(a: Answers) -> bool:
    age = a.get("person.age")
    return not isinstance(age, int | float) or age >= AORTIC_SCREEN_MIN_AGE


def upper_back_or_flank(a: Answers) -> bool:
    return any(r in BREATHING_REGIONS for r in _regions(a))


AskedWhen = Callable[[Answers], bool]
CONDITIONS: dict[str, AskedWhen] = {
    "not_male": _not_male,
    "could_become_pregnant": could_become_pregnant,
    "pregnancy_not_ruled_out": pregnancy_not_ruled_out,
    "pregnant": pregnant,
    "postpartum": postpartum,
    "possibly_pregnant": possibly_pregnant,
    "possibly_pregnant_or_abdomen": possibly_pregnant_or_abdomen,
    "periods_apply": periods_apply,
    "has_cycle": has_cycle,
    "testicle_question": testicle_question,
    "minor_injury": minor_injury,
    "nerve_symptoms": nerve_symptoms,
    "aortic_screen_age": aortic_screen_age,
    "upper_back_or_flank": upper_back_or_flank,
}
# Conditions that are not in the answers: the caller says whether they hold.
OPEN_WARNING = "open_warning"
CALLER_FLAGS = (OPEN_WARNING,)


# -- field types, from the intake's own JSON Schema ------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: str  # integer | number | boolean | tristate | choice | multi
    options: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in node:
        target = schema["$defs"][node["$ref"].split("/")[-1]]
        return {**_resolve(schema, target), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _is_tristate(node: dict[str, Any]) -> bool:
    branches = node.get("anyOf", [])
    return {"type": "boolean"} in branches and any(b.get("const") == "not_sure" for b in branches)


@cache
def field_specs() -> dict[str, FieldSpec]:
    """Every leaf field of the intake, from its JSON Schema."""
    schema = intake_json_schema()
    specs: dict[str, FieldSpec] = {}
    for section, node in schema["properties"].items():
        section_node = _resolve(schema, node)
        required = set(section_node.get("required", []))
        for name, raw in section_node.get("properties", {}).items():
            field = _resolve(schema, raw)
            path = f"{section}.{name}"
            needed = name in required
            if field.get("type") == "array":
                items = _resolve(schema, field["items"])
                specs[path] = FieldSpec(
                    path, "multi", tuple(items.get("enum", ())), required=needed
                )
            elif "enum" in field:
                specs[path] = FieldSpec(path, "choice", tuple(field["enum"]), required=needed)
            elif _is_tristate(field):
                specs[path] = FieldSpec(path, "tristate", required=needed)
            elif field.get("type") in ("integer", "number", "boolean"):
                specs[path] = FieldSpec(
                    path,
                    field["type"],
                    minimum=field.get("minimum"),
                    maximum=field.get("maximum"),
                    required=needed,
                )
    return specs


# -- the content file --------------------------------------------------------------------


class FieldText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    question: str
    web_question: str | None = None  # the web's wording, where the CLI's has typing hints
    hint: str | None = None
    options: dict[str, str] = {}
    option_asked_when: dict[str, str] = {}
    no_label: str | None = None
    asked_when: str | None = None
    required: bool = False
    ces: bool = False
    self_check: bool = False
    not_noticed: bool = False
    warning_group: bool = False
    intake: bool = True


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    intro: str
    fields: tuple[str, ...]


class Questions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regions: dict[str, str]
    texts: dict[str, str]
    sections: tuple[Section, ...]
    fields: dict[str, FieldText]

    @model_validator(mode="after")
    def _consistent(self) -> Questions:
        known = set(CONDITIONS) | set(CALLER_FLAGS)
        specs = field_specs()
        for section in self.sections:
            for path in section.fields:
                text = self.fields.get(path)
                if text is None:
                    raise ValueError(f"section {section.id}: no wording for {path}")
                if text.intake and path not in specs:
                    raise ValueError(f"{path} is not an intake field")
        for path, text in self.fields.items():
            named = [text.asked_when, *text.option_asked_when.values()]
            unknown = [n for n in named if n is not None and n not in known]
            if unknown:
                raise ValueError(f"{path}: unknown condition {unknown[0]}")
        return self

    # -- wording -----------------------------------------------------------------

    def field(self, path: str) -> FieldText:
        return self.fields[path]

    def option(self, path: str, value: str) -> str:
        if path.endswith(("regions", "numbness", "tingling", "weakness")):
            return self.regions.get(value, value)
        return self.fields[path].options.get(value, value) if path in self.fields else value

    def describe(self, finding: str) -> str:
        """'pain.aggravated_by=sitting' -> 'Made worse by: sitting'."""
        path, _, raw = finding.partition("=")
        text = self.fields.get(path)
        if text is None:
            return finding
        if not raw:
            return text.label
        if raw == "false":
            return text.no_label or f"{text.label}: no"
        return f"{text.label}: {self.option(path, raw)}"

    # -- what is asked, and in which order -------------------------------------------

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def section_of(self, path: str) -> Section | None:
        return next((s for s in self.sections if path in s.fields), None)

    def order(self) -> tuple[str, ...]:
        """Every question the questionnaires ask, in asking order."""
        return tuple(path for section in self.sections for path in section.fields)

    def asked(self, path: str, answers: Answers, *, open_warning: bool = False) -> bool:
        """Whether ``path`` is asked, given the earlier answers (review Annex F, "asked when")."""
        text = self.fields.get(path)
        if text is None:
            return False
        if text.asked_when is None:
            return True
        if text.asked_when == OPEN_WARNING:
            return open_warning
        return CONDITIONS[text.asked_when](answers)

    def options_for(self, path: str, answers: Answers) -> tuple[str, ...]:
        """The options offered for ``path``: body regions, or the field's own options
        without those that cannot apply (no pregnancy options for a man)."""
        if path in REGION_FIELDS:
            return tuple(self.regions)
        text = self.fields[path]
        return tuple(
            value
            for value in text.options
            if value not in text.option_asked_when
            or CONDITIONS[text.option_asked_when[value]](answers)
        )

    def must_answer(self, path: str) -> bool:
        """An answer is needed: "don't know" or Enter alone is not one."""
        text = self.fields[path]
        spec = field_specs().get(path)
        return text.required or text.ces or text.warning_group or bool(spec and spec.required)

    def applicable(self, answers: Answers, *, open_warning: bool = False) -> dict[str, Any]:
        """The answers to questions that are asked, in asking order.

        Walks the questions in order and keeps an answer only when its question is
        asked given the answers kept before it, so a changed answer drops what no
        longer applies (a man's pregnancy answers, the nerve detail after a no).
        """
        kept: dict[str, Any] = {}
        for path in self.order():
            if path not in answers or not self.asked(path, kept, open_warning=open_warning):
                continue
            value = answers[path]
            text = self.fields[path]
            if text.option_asked_when and isinstance(value, list):
                offered = self.options_for(path, kept)
                value = [v for v in value if v in offered]
            kept[path] = value
        return kept

    def to_document(self, answers: Answers, *, open_warning: bool = False) -> dict[str, Any]:
        """The ``backstride.intake/2`` document of the answers to questions that are asked.

        A no to "any numbness, pins and needles or weakness" records each of the
        three body maps as explicitly empty (``[]``: answered, none).
        """
        kept = self.applicable(answers, open_warning=open_warning)
        document: dict[str, Any] = {"schema": INTAKE_SCHEMA_ID, **unflatten(kept.items())}
        if kept.get(NERVE_GATE) is False:
            neuro = document.setdefault("neuro", {})
            for path in NERVE_MAPS:
                neuro[path.split(".", 1)[1]] = []
        return document

    def asked_in(
        self, section_id: str, answers: Answers, *, open_warning: bool = False
    ) -> tuple[str, ...]:
        """The questions of one section that are asked, given the answers so far."""
        kept = self.applicable(answers, open_warning=open_warning)
        asked: list[str] = []
        for path in self.section(section_id).fields:
            earlier = {k: v for k, v in kept.items() if k != path}
            if self.asked(path, earlier, open_warning=open_warning):
                asked.append(path)
        return tuple(asked)


def flatten(document: Mapping[str, Any]) -> dict[str, Any]:
    """An intake document as ``{path: value}`` (the form :meth:`Questions.asked` reads)."""
    flat: dict[str, Any] = {}
    for section, node in document.items():
        if isinstance(node, Mapping):
            for name, value in node.items():
                flat[f"{section}.{name}"] = value
    return flat


def unflatten(answers: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """``{path: value}`` pairs back into intake sections (question-only paths left out)."""
    specs = field_specs()
    document: dict[str, Any] = {}
    for path, value in answers:
        if path in specs:
            section, name = path.split(".", 1)
            document.setdefault(section, {})[name] = value
    return document


@cache
def load_questions() -> Questions:
    return parse(Questions, "questions.yaml")
