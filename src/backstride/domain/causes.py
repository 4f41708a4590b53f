"""Likely causes: rank the non-serious conditions by the features present.

Each condition in the knowledge base lists features that point towards it and
against it, with weights. A cause's points are the sum of the weights of the
features present minus those against; causes under their minimum are left out.
Serious conditions never appear here: they are red flags, raised by the triage
rules. Ties keep the knowledge base's order, so the ranking is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backstride.domain.cause_features import FEATURES
from backstride.domain.facts import Facts
from backstride.domain.knowledge import Condition, KnowledgeBase

MAX_CAUSES = 5
# Points at which a cause counts as fully supported (score 1.0).
FULL_SUPPORT_POINTS = 10.0
HIGH_SCORE = 0.6
MODERATE_SCORE = 0.35


@dataclass(frozen=True, slots=True)
class RankedCause:
    condition: Condition
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


def score_condition(
    condition: Condition,
    facts: Facts,
    kb: KnowledgeBase,
    fired: Mapping[str, tuple[str, ...]],
) -> RankedCause:
    points = 0.0
    supporting: list[str] = []
    against: list[str] = []
    for weighted in condition.towards:
        outcome = FEATURES[weighted.feature](facts, kb.thresholds, fired)
        if outcome.ok:
            points += weighted.weight
            supporting.extend(outcome.findings)
    for weighted in condition.against:
        outcome = FEATURES[weighted.feature](facts, kb.thresholds, fired)
        if outcome.ok:
            points -= weighted.weight
            against.extend(outcome.findings)
    return RankedCause(condition, points, _unique(supporting), _unique(against))


def rank_causes(
    facts: Facts, kb: KnowledgeBase, fired: Mapping[str, tuple[str, ...]]
) -> tuple[RankedCause, ...]:
    candidates = [
        score_condition(condition, facts, kb, fired)
        for condition in kb.conditions.values()
        if not condition.serious
    ]
    listed = [c for c in candidates if c.points >= c.condition.min_points]
    order = {cid: index for index, cid in enumerate(kb.conditions)}
    listed.sort(key=lambda c: (-c.points, order[c.condition.id]))
    return tuple(listed[:MAX_CAUSES])
