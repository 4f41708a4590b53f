"""Likely causes: rank the non-serious conditions by the features present.

Each condition in the knowledge base lists features that point towards it and
against it, with weights. A cause's points are the sum of the weights of the
features present minus those against; causes under their minimum are left out.
A few causes also need one feature before they are listed at all
(:data:`REQUIRED_FEATURES`): non-specific mechanical *back* pain needs pain in
the back. Every other feature only ranks (clinical-v2 review R14(h)).
Serious conditions never appear here: they are red flags, raised by the triage
rules. Ties keep the knowledge base's order, so the ranking is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backstride.domain.assessment.cause_features import FEATURES
from backstride.domain.assessment.evidence import Ev
from backstride.domain.assessment.facts import Facts, FactsV2
from backstride.domain.assessment.knowledge import ConditionInfo, KnowledgeBase

MAX_CAUSES = 5
# Points at which a cause counts as fully supported (score 1.0).
FULL_SUPPORT_POINTS = 10.0
HIGH_SCORE = 0.6
MODERATE_SCORE = 0.35
# Causes listed only when this feature holds, whatever their points (review
# R14(h)): without pain in the low or upper back, pain in the hip, groin or
# buttock is not "non-specific back pain".
REQUIRED_FEATURES: Mapping[str, str] = {"nonspecific_mechanical": "back_pain"}


@dataclass(frozen=True, slots=True)
class RankedCause:
    condition: ConditionInfo
    points: float
    supporting: tuple[str, ...]
    against: tuple[str, ...]

    @property
    def score(self) -> float:
        return round(min(max(self.points, 0.0) / FULL_SUPPORT_POINTS, 1.0), 2)

    @property
    def likelihood(self) -> str:
        if self.score >= HIGH_SCORE:
            return "high"
        if self.score >= MODERATE_SCORE:
            return "moderate"
        return "low"


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def as_v2(facts: Facts) -> FactsV2:
    """The same intake seen through the version-2 definitions."""
    return facts if isinstance(facts, FactsV2) else FactsV2(facts.intake)


def score_condition(condition: ConditionInfo, outcomes: Mapping[str, Ev]) -> RankedCause:
    """A cause's points, from the outcome of each of its features."""
    points = 0.0
    supporting: list[str] = []
    against: list[str] = []
    for weighted in condition.towards:
        outcome = outcomes[weighted.feature]
        if outcome.ok:
            points += weighted.weight
            supporting.extend(outcome.findings)
    for weighted in condition.against:
        outcome = outcomes[weighted.feature]
        if outcome.ok:
            points -= weighted.weight
            against.extend(outcome.findings)
    return RankedCause(condition, points, _unique(supporting), _unique(against))


def meets_requirement(condition: ConditionInfo, outcomes: Mapping[str, Ev]) -> bool:
    """Whether the feature this cause needs before it can be listed holds (if it needs one)."""
    required = REQUIRED_FEATURES.get(condition.id)
    return required is None or outcomes[required].ok


def features_weighed(conditions: Iterable[ConditionInfo]) -> tuple[str, ...]:
    """Every feature these causes weigh or require, each once, in order of first use."""
    names = dict.fromkeys(
        name
        for condition in conditions
        for name in (
            *(weighted.feature for weighted in (*condition.towards, *condition.against)),
            *((REQUIRED_FEATURES[condition.id],) if condition.id in REQUIRED_FEATURES else ()),
        )
    )
    return tuple(names)


def rank_causes(
    facts: Facts, kb: KnowledgeBase, fired: Mapping[str, tuple[str, ...]]
) -> tuple[RankedCause, ...]:
    """The likely causes, best first; ``facts`` is read with the version-2 definitions."""
    v2 = as_v2(facts)
    causes = [condition for condition in kb.conditions.values() if not condition.serious]
    # Several causes weigh the same feature: each is worked out once.
    outcomes = {name: FEATURES[name](v2, kb.thresholds, fired) for name in features_weighed(causes)}
    candidates = [
        score_condition(condition, outcomes)
        for condition in causes
        if meets_requirement(condition, outcomes)
    ]
    listed = [c for c in candidates if c.points >= c.condition.min_points]
    order = {cid: index for index, cid in enumerate(kb.conditions)}
    listed.sort(key=lambda c: (-c.points, order[c.condition.id]))
    return tuple(listed[:MAX_CAUSES])
