"""Education topics: short, evidence-graded answers to the questions runners ask."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Grade = Literal["high", "moderate", "low", "very_low", "consensus"]
GRADES: tuple[Grade, ...] = ("high", "moderate", "low", "very_low", "consensus")

GRADE_MEANING: dict[Grade, str] = {
    "high": "strong evidence: further research is very unlikely to change this",
    "moderate": "fairly good evidence: further research may change the size of the effect",
    "low": "limited evidence: further research is likely to change this",
    "very_low": "very uncertain: little or poor-quality evidence",
    "consensus": "expert agreement and guidelines rather than trials",
}

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=48)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KeyPoint(_Frozen):
    """One graded statement with the sources behind it."""

    text: Text
    grade: Grade
    sources: tuple[str, ...] = Field(min_length=1)


class SeedClaim(_Frozen):
    """A claim from a seed article set against what the evidence says."""

    seed: Annotated[str, StringConstraints(pattern=r"^seed\d{3}$")]
    says: Text
    evidence: Text
    sources: tuple[str, ...] = Field(min_length=1)


class Topic(_Frozen):
    """A question, a short answer a runner can act on, graded key points and sources."""

    slug: Slug
    title: Text
    question: Text
    aliases: tuple[Text, ...] = ()
    grade: Grade
    answer: Text
    key_points: tuple[KeyPoint, ...] = Field(min_length=1)
    seed_vs_evidence: tuple[SeedClaim, ...] = ()
    related_exercises: tuple[Slug, ...] = ()
    related_topics: tuple[Slug, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)
    reviewed_on: dt.date

    @model_validator(mode="after")
    def _consistent(self) -> Topic:
        if self.slug in self.related_topics:
            raise ValueError("a topic cannot be related to itself")
        for name in ("sources", "related_exercises", "related_topics", "aliases"):
            values: tuple[str, ...] = getattr(self, name)
            if len(set(values)) != len(values):
                raise ValueError(f"{name} has duplicates")
        return self

    @property
    def all_sources(self) -> tuple[str, ...]:
        """Every source id the topic cites, in first-mention order."""
        seen: dict[str, None] = dict.fromkeys(self.sources)
        for point in self.key_points:
            seen.update(dict.fromkeys(point.sources))
        for claim in self.seed_vs_evidence:
            seen.update(dict.fromkeys((claim.seed, *claim.sources)))
        return tuple(seen)
