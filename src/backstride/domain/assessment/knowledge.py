"""The knowledge base as frozen domain objects.

``content/`` holds the clinical knowledge as reviewed data files; its loader
validates them and builds a :class:`KnowledgeBase`. The domain only ever sees
these objects, so the engine stays pure and testable with any knowledge base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from backstride.domain.assessment.thresholds import PlanThresholds, Thresholds


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
class ConditionInfo:
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
    # For the clinician who sees the runner; may name what the runner's text does not.
    clinician: str = ""


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
    # The level's name for people ("Urgent: today"), used by every report and page.
    label: str = ""


@dataclass(frozen=True, slots=True)
class WarningSignText:
    text: str
    level: str
    sources: tuple[str, ...]
    # Intake answers that already meet the sign (``path`` or ``path=value``).
    met_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Locale:
    """Where to send a person in one country (review R12 21b)."""

    code: str
    name: str
    emergency_number: str
    tel: str | None
    ed_name: str
    urgent_route: str
    maternity_route: str
    early_pregnancy_route: str
    oncology_route: str

    def fill(self, text: str) -> str:
        """A content text with its {placeholders} filled for this locale."""
        return text.format(
            emergency_number=self.emergency_number,
            ed_name=self.ed_name,
            urgent_route=self.urgent_route,
            maternity_route=self.maternity_route,
            early_pregnancy_route=self.early_pregnancy_route,
            oncology_route=self.oncology_route,
        )


@dataclass(frozen=True, slots=True)
class Texts:
    disclaimer: str
    warning_signs: tuple[WarningSignText, ...]
    levels: Mapping[str, LevelText]
    running: Mapping[str, str]
    running_reasons: Mapping[str, str]
    outlook: Mapping[str, str]
    medicines: str
    outlook_low_mood: str = ""
    safety_nets: Mapping[str, str] = field(default_factory=dict)
    screen_incomplete: str = ""
    for_young: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    sources: Mapping[str, Source]
    conditions: Mapping[str, ConditionInfo]
    rule_texts: Mapping[str, RuleText]
    factor_texts: Mapping[str, FactorText]
    thresholds: Thresholds
    # The plan's phase lengths and its severity cut-off (content/thresholds.yaml ``plan``).
    plan: PlanThresholds
    texts: Texts
    # Locales by code; "" is the default.
    locales: Mapping[str, Locale]
    # Hash of every content file; stamped on each saved assessment and plan.
    version: str

    def cite(self, ids: tuple[str, ...]) -> tuple[Source, ...]:
        return tuple(self.sources[i] for i in ids)

    def shown_sources(self, ids: list[str] | tuple[str, ...]) -> list[str]:
        """The ids fit to show a person: checked against a stored copy, never a seed."""
        return [
            i
            for i in ids
            if i in self.sources and self.sources[i].verified and self.sources[i].kind != "seed"
        ]

    def locale(self, code: str | None) -> Locale:
        return self.locales.get((code or "").upper() if code else "", self.locales[""])
