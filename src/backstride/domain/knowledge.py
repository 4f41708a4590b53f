"""The knowledge base as frozen domain objects.

``content/`` holds the clinical knowledge as reviewed data files; its loader
validates them and builds a :class:`KnowledgeBase`. The domain only ever sees
these objects, so the engine stays pure and testable with any knowledge base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backstride.domain.thresholds import Thresholds


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    citation: str
    year: int
    kind: str
    verified: bool
    supports: str


@dataclass(frozen=True, slots=True)
class WeightedFeature:
    feature: str
    weight: float


@dataclass(frozen=True, slots=True)
class Condition:
    id: str
    name: str
    serious: bool
    summary: str
    explanation: str
    sources: tuple[str, ...]
    towards: tuple[WeightedFeature, ...] = ()
    against: tuple[WeightedFeature, ...] = ()
    # A cause is listed only when its score reaches this many points.
    min_points: float = 2.0


@dataclass(frozen=True, slots=True)
class RuleText:
    id: str
    headline: str
    explanation: str
    actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactorText:
    id: str
    name: str
    detail: str
    advice: str
    sources: tuple[str, ...]
    heuristic: bool


@dataclass(frozen=True, slots=True)
class LevelText:
    level: str
    meaning: str
    headline: str
    actions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WarningSign:
    text: str
    level: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Texts:
    disclaimer: str
    warning_signs: tuple[WarningSign, ...]
    levels: Mapping[str, LevelText]
    running: Mapping[str, str]
    running_reasons: Mapping[str, str]
    outlook: Mapping[str, str]
    medicines: str


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    sources: Mapping[str, Source]
    conditions: Mapping[str, Condition]
    rule_texts: Mapping[str, RuleText]
    factor_texts: Mapping[str, FactorText]
    thresholds: Thresholds
    texts: Texts
    # Hash of every content file; stamped on each saved assessment and plan.
    version: str

    def cite(self, ids: tuple[str, ...]) -> tuple[Source, ...]:
        return tuple(self.sources[i] for i in ids)
