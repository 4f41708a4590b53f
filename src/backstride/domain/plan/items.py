"""Turning chosen exercises and fixed advice into plan items that say why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from backstride.domain.assessment.knowledge import KnowledgeBase
from backstride.domain.plan.dose import starting_dose
from backstride.domain.plan.model import Dose, PlanItem
from backstride.domain.plan.select import Choice
from backstride.domain.plan.wording import STEP_UP_RULE, Advice
from backstride.domain.recovery.return_to_run import ProgrammeThresholds


def unique(values: Iterable[str]) -> list[str]:
    """Values once each, in order of first appearance."""
    return list(dict.fromkeys(values))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def advice_item(
    advice: Advice,
    because: Iterable[str] = (),
    *,
    extra: str = "",
    extra_sources: Iterable[str] = (),
    dose: Dose | None = None,
    exercise: str | None = None,
    cautions: Iterable[str] = (),
) -> PlanItem:
    cautions = list(cautions)
    why = " ".join(part for part in (advice.why, extra) if part)
    return PlanItem(
        kind=advice.kind,
        title=advice.title,
        exercise=exercise,
        dose=dose,
        why=why,
        because=unique([*because, advice.rule_id]),
        sources=unique([*advice.sources, *extra_sources]),
        cautions=cautions,
    )


def exercise_reason(choice: Choice, kb: KnowledgeBase) -> str:
    """Which likely causes and factors the exercise answers, in a plain sentence."""
    parts: list[str] = []
    if choice.causes:
        names = [_lower_first(kb.conditions[c].name) for c in choice.causes if c in kb.conditions]
        parts.append(f"suits {_and(names)}")
    if choice.factors:
        names = [_lower_first(kb.factor_texts[f].name) for f in choice.factors]
        parts.append(f"answers {_and(names)}")
    if not parts:
        return "Chosen as general exercise, which helps most back pain."
    return f"Chosen because it {' and '.join(parts)}."


def exercise_item(
    choice: Choice,
    kb: KnowledgeBase,
    times_per_week: int,
    *,
    thresholds: ProgrammeThresholds,
    replaces: Choice | None = None,
    starts_on: dt.date | None = None,
) -> PlanItem:
    """The plan item for one chosen exercise; a step up quotes the pain limit of
    ``thresholds`` (the walk-run programme's numbers)."""
    exercise = choice.exercise
    cautions = [c.reason for c in choice.suitability.cautions]
    sentences = [exercise_reason(choice, kb), exercise.why]
    if replaces is not None:
        step_up = thresholds.fill(STEP_UP_RULE)
        sentences.append(f"A step up from the {_lower_first(replaces.exercise.name)}: {step_up}")
    sentences += [f"Take care: {reason}" for reason in cautions]
    because = [*choice.causes, *choice.factors] or ["plan.exercise_therapy"]
    caution_sources = [s for c in choice.suitability.cautions for s in c.sources]
    return PlanItem(
        kind="exercise",
        title=exercise.name,
        exercise=exercise.slug,
        dose=starting_dose(exercise, times_per_week),
        why=" ".join(sentences),
        because=unique(because),
        sources=unique([*exercise.sources, *caution_sources]),
        cautions=cautions,
        starts_on=starts_on,
        replaces=replaces.exercise.slug if replaces else None,
    )
