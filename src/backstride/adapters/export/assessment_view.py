"""The assessment arranged for people: one reading order for the terminal, the web and the exports.

Serious first (clinical policy v2, rule 9; review R6 3d, R12 21d-e, R14):

- at emergency the instruction leads; an incomplete safety screen is stated next,
  before anything else, with the questions left unanswered in plain words;
- at urgent and emergency (``vocabulary.needs_care_now``) the likely causes, the
  lifestyle factors and the outlook are not for the runner: they go, with each
  red flag's clinician explanation, to the part "For the clinician who sees you";
- the runner is told what helps, never the outlook's risk level (rule 14);
- the warning signs and safety nets are the document's own (already filtered for
  this result), and the sources shown are only those the document cites.

The level wording (``label``, ``meaning``) comes from ``content/texts.yaml``
``levels``, so every channel names a level the same way. Stored version-1
documents (no safety screen, no audience) render too: at urgent and emergency
their causes, factors and outlook also go to the clinician part.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backstride.content.loader import load_knowledge_base
from backstride.content.questions import Questions, load_questions
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.vocabulary import LEVEL_ORDER, needs_care_now
from backstride.services.assessing import default_locale

ADVICE_WORDS = {
    "stop": "Stop running",
    "pause": "Pause running",
    "reduce": "Reduce running",
    "continue": "Keep running",
}
CLINICIAN_TITLE = "For the clinician who sees you"
SCREEN_TITLE = "The safety check is not finished"
TELL_THEM_TITLE = "Tell them:"
LIKELIHOODS = ("high", "moderate", "low")


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of an instruction: plain text, or the emergency number to link as ``tel:``."""

    text: str
    tel: str | None = None


@dataclass(frozen=True, slots=True)
class LevelWords:
    level: str
    label: str
    meaning: str


@dataclass(frozen=True, slots=True)
class FlagView:
    id: str
    name: str  # the condition's name: for the clinician part only
    level: str
    label: str
    explanation: str
    said: tuple[str, ...]
    clinician_explanation: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CauseView:
    id: str
    name: str
    likelihood: str
    score: float
    explanation: str
    supporting: tuple[str, ...]
    against: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactorView:
    id: str
    name: str
    detail: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SignView:
    text: str
    level: str
    label: str


@dataclass(frozen=True, slots=True)
class SourceView:
    id: str
    citation: str


@dataclass(frozen=True, slots=True)
class ClinicianPart:
    """What the runner's part leaves out, for whoever examines them."""

    flags: tuple[FlagView, ...]
    causes: tuple[CauseView, ...]
    factors: tuple[FactorView, ...]
    outlook_risk: str
    outlook_detail: str | None  # None when the runner's part already shows it
    not_sure: tuple[str, ...]
    unanswered: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AssessmentReport:
    schema: str
    level: str
    label: str
    meaning: str
    headline: str
    care_now: bool
    emergency: bool
    actions: tuple[tuple[Segment, ...], ...]
    tel: str | None
    tell_them: tuple[str, ...]
    # None: the screen was complete, or the document (version 1) had none.
    screen_statement: str | None
    unanswered: tuple[str, ...]
    flags: tuple[FlagView, ...]
    running_words: str
    running_detail: str
    # The runner's part; empty at urgent and emergency.
    causes: tuple[CauseView, ...]
    factors: tuple[FactorView, ...]
    outlook: str | None
    warning_signs: tuple[SignView, ...]
    safety_nets: tuple[str, ...]
    # None at urgent and emergency: no pain-relief talk beside the instruction (R12 21f).
    medicines: str | None
    clinician: ClinicianPart
    sources: tuple[SourceView, ...]
    disclaimer: str

    @property
    def headline_repeats_statement(self) -> bool:
        """An incomplete screen's headline is the statement itself: no need to print it twice."""
        return self.screen_statement is not None and self.headline == self.screen_statement


def level_words(
    level: str, kb: KnowledgeBase | None = None, locale: str | None = None
) -> LevelWords:
    """A level's label and meaning for people, from ``content/texts.yaml`` ``levels``."""
    knowledge = kb or load_knowledge_base()
    text = knowledge.texts.levels[level]
    place = knowledge.locale(locale or default_locale())
    return LevelWords(level=level, label=text.label, meaning=place.fill(text.meaning))


def level_label(level: str) -> str:
    return load_knowledge_base().texts.levels[level].label


def question_words(path: str, questions: Questions) -> str:
    """A safety-screen question in plain words: the question asked, else its label."""
    field = questions.fields.get(path)
    if field is not None:
        return field.question
    described = questions.describe(path)
    if described != path:
        return described
    return path.rpartition(".")[2].replace("_", " ").capitalize()


def linked(text: str, tel: str | None) -> tuple[Segment, ...]:
    """Split an instruction around the emergency number, so a page can make it tap-to-call."""
    if not tel or tel not in text:
        return (Segment(text),)
    parts: list[Segment] = []
    before, found, after = text.partition(tel)
    while found:
        if before:
            parts.append(Segment(before))
        parts.append(Segment(tel, tel))
        before, found, after = after.partition(tel)
    if before:
        parts.append(Segment(before))
    return tuple(parts)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _flags(a: Assessment, kb: KnowledgeBase, q: Questions) -> tuple[FlagView, ...]:
    return tuple(
        FlagView(
            id=flag.id,
            name=kb.conditions[flag.id].name if flag.id in kb.conditions else flag.id,
            level=flag.level,
            label=kb.texts.levels[flag.level].label,
            explanation=flag.explanation,
            said=_unique(q.describe(f) for f in flag.findings),
            clinician_explanation=flag.clinician_explanation,
            sources=tuple(kb.shown_sources(flag.sources)),
        )
        for flag in a.red_flags
    )


def _cause_view(cause_id: str, a: Assessment, kb: KnowledgeBase, q: Questions) -> CauseView:
    cause = next(c for c in a.likely_causes if c.id == cause_id)
    return CauseView(
        id=cause.id,
        name=kb.conditions[cause.id].name if cause.id in kb.conditions else cause.id,
        likelihood=cause.likelihood,
        score=cause.score,
        explanation=cause.explanation,
        supporting=_unique(q.describe(f) for f in cause.supporting),
        against=_unique(q.describe(f) for f in cause.against),
    )


def _factor_view(factor_id: str, a: Assessment, kb: KnowledgeBase) -> FactorView:
    factor = next(f for f in a.contributing_factors if f.id == factor_id)
    text = kb.factor_texts.get(factor.id)
    return FactorView(
        id=factor.id,
        name=text.name if text else factor.id.replace("_", " "),
        detail=factor.detail,
        sources=tuple(kb.shown_sources(factor.sources)),
    )


def _warning_signs(a: Assessment, kb: KnowledgeBase) -> tuple[SignView, ...]:
    # Version 1 stored no list: it showed every sign, and so does its page now.
    signs: list[tuple[str, str]] = [(s.text, s.level) for s in a.warning_signs]
    if not signs and a.schema_ == "backstride.assessment/1":
        signs = [(s.text, s.level) for s in kb.texts.warning_signs]
    ordered = sorted(signs, key=lambda sign: -LEVEL_ORDER[sign[1]])
    return tuple(SignView(text, lv, kb.texts.levels[lv].label) for text, lv in ordered)


def _sources(
    flags: tuple[FlagView, ...], factors: Iterable[FactorView], kb: KnowledgeBase
) -> tuple[SourceView, ...]:
    ids = _unique([s for f in flags for s in f.sources] + [s for f in factors for s in f.sources])
    return tuple(SourceView(i, kb.sources[i].citation) for i in ids)


def assessment_report(
    assessment: Assessment,
    kb: KnowledgeBase | None = None,
    questions: Questions | None = None,
    *,
    locale: str | None = None,
) -> AssessmentReport:
    """The report of one assessment document, in the order people read it."""
    knowledge = kb or load_knowledge_base()
    q = questions or load_questions()
    a = assessment
    level = a.triage.level
    words = level_words(level, knowledge, locale)
    care_now = needs_care_now(level)
    flags = _flags(a, knowledge, q)

    def for_runner(audience: str) -> bool:
        return audience == "runner" and not care_now

    runner_causes = [c.id for c in a.likely_causes if for_runner(c.audience)]
    runner_factors = [f.id for f in a.contributing_factors if for_runner(f.audience)]
    outlook_for_runner = for_runner(a.outlook.audience)
    all_factors = tuple(_factor_view(f.id, a, knowledge) for f in a.contributing_factors)

    screen = a.safety_screen
    incomplete = screen is not None and not screen.complete
    unanswered = tuple(question_words(p, q) for p in screen.unanswered) if screen else ()
    not_sure = tuple(question_words(p, q) for p in screen.not_sure) if screen else ()
    clinician = ClinicianPart(
        flags=flags,
        causes=tuple(
            _cause_view(c.id, a, knowledge, q) for c in a.likely_causes if c.id not in runner_causes
        ),
        factors=tuple(f for f in all_factors if f.id not in runner_factors),
        outlook_risk=a.outlook.risk,
        outlook_detail=None if outlook_for_runner else a.outlook.detail,
        not_sure=not_sure,
        unanswered=unanswered,
    )
    tel = a.triage.tel
    return AssessmentReport(
        schema=a.schema_,
        level=level,
        label=words.label,
        meaning=words.meaning,
        headline=a.triage.headline,
        care_now=care_now,
        emergency=level == "emergency",
        actions=tuple(linked(action, tel) for action in a.triage.actions),
        tel=tel,
        tell_them=tuple(a.triage.tell_them),
        screen_statement=(knowledge.texts.screen_incomplete or None) if incomplete else None,
        unanswered=unanswered if incomplete else (),
        flags=flags,
        running_words=ADVICE_WORDS[a.running.advice],
        running_detail=a.running.detail,
        causes=tuple(_cause_view(c, a, knowledge, q) for c in runner_causes),
        factors=tuple(f for f in all_factors if f.id in runner_factors),
        outlook=a.outlook.detail if outlook_for_runner else None,
        warning_signs=_warning_signs(a, knowledge),
        safety_nets=tuple(a.safety_nets),
        medicines=None if care_now else knowledge.texts.medicines,
        clinician=clinician,
        sources=_sources(flags, all_factors, knowledge),
        disclaimer=a.disclaimer,
    )
