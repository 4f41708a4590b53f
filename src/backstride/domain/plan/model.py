"""The plan document, ``backstride.plan/1``: what to do, day by day, and why.

Built by the plan builder (``domain/plan/builder.py``) from an assessment, the
intake and the runner's preferences; read by the check-in, ``today`` and the
exports. Every item says why it is there (the causes and factors it answers)
and cites its sources. For emergency or urgent triage the plan holds no
exercises and no running, only what to do now.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from backstride.domain.library.exercise import Equipment
from backstride.domain.vocabulary import RunningAdviceId, TriageLevel

PLAN_SCHEMA_ID = "backstride.plan/1"

PhaseId = Literal["settle", "restore", "strengthen", "return", "prevent"]
PHASE_ORDER: tuple[PhaseId, ...] = ("settle", "restore", "strengthen", "return", "prevent")
ItemKind = Literal["exercise", "advice", "heat", "ice", "walk", "run", "cross_training"]
# The equipment vocabulary is the exercise library's: one list for both.
EQUIPMENT: tuple[Equipment, ...] = get_args(Equipment)
# Things every home has: nobody is asked whether they own a wall or a pillow, so
# exercises needing only these (and the gear listed in the preferences) qualify.
ALWAYS_AT_HAND: frozenset[str] = frozenset({"none", "wall", "chair", "pillow", "towel_or_strap"})
RunningToday = Literal["none", "walk", "return_to_run", "easy_running", "usual"]
# Running kinds that load the back like a run does; "walk" and "none" do not count.
RUNNING_KINDS: frozenset[str] = frozenset({"return_to_run", "easy_running", "usual"})


def _basic_equipment() -> list[Equipment]:
    return ["none", "mat"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Preferences(_Part):
    """What the runner can give: time, days, equipment, and when to start."""

    minutes_per_day: int = Field(default=15, ge=5, le=120)
    days_per_week: int = Field(default=5, ge=1, le=7)
    equipment: list[Equipment] = Field(default_factory=_basic_equipment)
    start_date: date

    def at_hand(self) -> frozenset[str]:
        """The equipment an exercise may need: the runner's gear plus household items."""
        return frozenset(self.equipment) | ALWAYS_AT_HAND


class Dose(_Part):
    sets: int | None = Field(default=None, ge=1)
    reps: int | None = Field(default=None, ge=1)
    hold_seconds: int | None = Field(default=None, ge=1)
    minutes: int | None = Field(default=None, ge=1)
    per_side: bool = False
    text: str


class PlanItem(_Part):
    """One thing to do, with its reason and its sources."""

    kind: ItemKind
    title: str
    exercise: str | None = None  # the exercise slug when kind == "exercise"
    dose: Dose | None = None
    why: str
    because: list[str] = Field(default_factory=list)  # cause, factor or rule ids
    sources: list[str] = Field(default_factory=list)
    # What the contraindication check asks the runner to change or watch for.
    cautions: list[str] = Field(default_factory=list)
    # A progression: the item applies from this date and takes the place of `replaces`.
    starts_on: date | None = None
    replaces: str | None = None


class Phase(_Part):
    id: PhaseId
    title: str
    starts_on: date
    ends_on: date | None  # None: open-ended (the prevent phase)
    goal: str
    items: list[PlanItem]
    education: list[str] = Field(default_factory=list)  # topic slugs for this phase


class PlanDay(_Part):
    """The dated session: which exercises today, and whether it is a rest day."""

    date: date
    phase: PhaseId
    exercises: list[str]  # exercise slugs, in order
    rest_day: bool
    running: RunningToday
    note: str = ""


class RunningPlan(_Part):
    advice: RunningAdviceId
    detail: str
    return_to_run_from: date | None  # when the walk-run programme may begin
    # The runner's usual week at intake: sizes the run days (domain/plan/run_schedule.py).
    runs_per_week: int | None = Field(default=None, ge=1, le=14)
    km_per_week: float | None = Field(default=None, gt=0, le=400)
    minutes_per_week: int | None = Field(default=None, gt=0, le=3000)


class Plan(_Part):
    schema_: Literal["backstride.plan/1"] = Field(default="backstride.plan/1", alias="schema")
    triage_level: TriageLevel
    headline: str
    not_a_diagnosis: str
    warning_signs: list[str]
    do_now: list[str]
    preferences: Preferences
    phases: list[Phase]
    days: list[PlanDay]
    running: RunningPlan
    education: list[str]  # education topic slugs
    sources: list[str]
    content_version: str
    likely_causes: list[str] = Field(default_factory=list)  # cause ids the plan answers
    factors: list[str] = Field(default_factory=list)  # contributing factor ids it answers

    model_config = ConfigDict(populate_by_name=True)

    @property
    def has_exercises(self) -> bool:
        return any(item.kind == "exercise" for phase in self.phases for item in phase.items)

    def day(self, on: date) -> PlanDay | None:
        """The plan's dated session for a day, or None outside the dated weeks."""
        for planned in self.days:
            if planned.date == on:
                return planned
        return None

    def phase_on(self, on: date) -> Phase | None:
        for phase in self.phases:
            if phase.starts_on <= on and (phase.ends_on is None or on <= phase.ends_on):
                return phase
        return None

    @property
    def session_days(self) -> list[PlanDay]:
        """Dated days with exercises to do (rest days and empty days left out)."""
        return [d for d in self.days if not d.rest_day and d.exercises]

    def exercise_slugs(self) -> list[str]:
        """Every exercise the plan mentions, once each, in order of first mention."""
        found: dict[str, None] = {}
        for phase in self.phases:
            for item in phase.items:
                if item.exercise:
                    found.setdefault(item.exercise)
        for planned in self.days:
            for slug in planned.exercises:
                found.setdefault(slug)
        return list(found)

    def item_for(self, slug: str, on: date | None = None) -> PlanItem | None:
        """The plan item for an exercise: the one of the phase on `on` first, else any."""
        phase = self.phase_on(on) if on is not None else None
        ordered = ([phase] if phase else []) + self.phases
        for candidate in ordered:
            for item in candidate.items:
                if item.exercise == slug:
                    return item
        return None

    def to_document(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)
