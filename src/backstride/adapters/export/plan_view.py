"""The plan arranged for reading: shared by the HTML page, the PDF and the terminal.

Resolves what the plan document only names: exercise slugs to their pages,
source ids to numbered citations, topic slugs to titles, dates to labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from backstride.adapters.export.assessment_view import (
    AssessmentReport,
    LevelWords,
    assessment_report,
    level_words,
)
from backstride.content.loader import load_programme_thresholds
from backstride.domain.assessment.document import Assessment
from backstride.domain.assessment.knowledge import Source
from backstride.domain.library.education import Topic
from backstride.domain.library.exercise import Exercise
from backstride.domain.plan.model import Phase, Plan, PlanDay, PlanItem
from backstride.domain.plan.run_schedule import RunProgress, plan_run_day, run_text

KIND_LABELS = {
    "exercise": "Exercise",
    "advice": "Advice",
    "heat": "Heat",
    "ice": "Ice",
    "walk": "Walk",
    "run": "Running",
    "cross_training": "Cross-training",
}
RUNNING_LABELS = {
    "none": "No running",
    "walk": "Walk",
    "return_to_run": "Walk-run programme",
    "easy_running": "Easy running",
    "usual": "Usual running",
}


def day_label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def phase_dates(phase: Phase) -> str:
    if phase.ends_on is None:
        return f"from {day_label(phase.starts_on)}"
    return f"{day_label(phase.starts_on)} to {day_label(phase.ends_on)}"


@dataclass(frozen=True, slots=True)
class TopicView:
    slug: str
    title: str
    question: str


@dataclass(frozen=True, slots=True)
class ItemView:
    kind: str
    kind_label: str
    title: str
    exercise: str | None
    anchor: str | None
    starts_on: str | None
    dose: str
    why: str
    cautions: tuple[str, ...]
    citations: tuple[int, ...]
    # Set when an earlier phase already explained this exercise: readers get the
    # dose and any caution again, and a pointer instead of the same paragraph.
    explained_in: str | None = None


@dataclass(frozen=True, slots=True)
class PhaseView:
    id: str
    title: str
    dates: str
    goal: str
    items: tuple[ItemView, ...]
    topics: tuple[TopicView, ...]


@dataclass(frozen=True, slots=True)
class DayView:
    date: dt.date
    label: str
    phase: str
    exercises: str
    running: str
    rest: bool
    count: int
    skipped: str  # the phase's exercises left out on this session day


@dataclass(frozen=True, slots=True)
class WeekView:
    number: int
    days: tuple[DayView, ...]

    @property
    def starts(self) -> str:
        return day_label(self.days[0].date)


@dataclass(frozen=True, slots=True)
class CardView:
    exercise: Exercise
    anchor: str
    dose: str
    cautions: tuple[str, ...]
    equipment: str

    @property
    def name(self) -> str:
        return self.exercise.name

    @property
    def summary(self) -> str:
        return self.exercise.summary

    @property
    def steps(self) -> tuple[str, ...]:
        return self.exercise.steps

    @property
    def cues(self) -> tuple[str, ...]:
        return self.exercise.cues

    @property
    def mistakes(self) -> tuple[str, ...]:
        return self.exercise.mistakes

    @property
    def stop_if(self) -> tuple[str, ...]:
        return self.exercise.stop_if


@dataclass(frozen=True, slots=True)
class PlanView:
    plan: Plan
    phases: tuple[PhaseView, ...]
    weeks: tuple[WeekView, ...]
    cards: tuple[CardView, ...]
    topics: tuple[TopicView, ...]
    sources: tuple[str, ...]  # numbered citations, in order
    # The triage level's words for people (content/texts.yaml levels), and the
    # assessment's report, serious first, when the export is given the assessment.
    level: LevelWords | None = None
    report: AssessmentReport | None = None

    @property
    def warning_signs(self) -> tuple[tuple[str, str], ...]:
        """(sign, level label): the assessment's own list, else the plan's."""
        if self.report is not None:
            return tuple((s.text, s.label) for s in self.report.warning_signs)
        return tuple((sign, "") for sign in self.plan.warning_signs)


def anchor(slug: str) -> str:
    return f"exercise-{slug}"


def _topic(slug: str, topics: Mapping[str, Topic]) -> TopicView | None:
    topic = topics.get(slug)
    return TopicView(slug, topic.title, topic.question) if topic else None


def _citation(source_id: str, sources: Mapping[str, Source]) -> str:
    source = sources.get(source_id)
    if source is None:
        return source_id
    note = "" if source.verified else " (not yet checked against a stored copy)"
    return f"{source.citation}{note} [{source.id}]"


def _item(
    item: PlanItem,
    numbers: Mapping[str, int],
    library: Mapping[str, Exercise],
    explained_in: str | None = None,
) -> ItemView:
    slug = item.exercise if item.exercise in library else None
    return ItemView(
        kind=item.kind,
        kind_label=KIND_LABELS.get(item.kind, item.kind),
        title=item.title,
        exercise=item.exercise,
        anchor=anchor(slug) if slug else None,
        starts_on=day_label(item.starts_on) if item.starts_on else None,
        dose=item.dose.text if item.dose else "",
        why=item.why,
        cautions=tuple(item.cautions),
        citations=tuple(numbers[s] for s in item.sources if s in numbers),
        explained_in=explained_in,
    )


def _phase(
    phase: Phase,
    numbers: Mapping[str, int],
    library: Mapping[str, Exercise],
    topics: Mapping[str, Topic],
    seen: dict[str, str],
) -> PhaseView:
    items = []
    for item in phase.items:
        first = seen.get(item.exercise) if item.exercise else None
        items.append(_item(item, numbers, library, first))
        if item.exercise and first is None:
            seen[item.exercise] = phase.title
    return PhaseView(
        id=phase.id,
        title=phase.title,
        dates=phase_dates(phase),
        goal=phase.goal,
        items=tuple(items),
        topics=tuple(t for t in (_topic(s, topics) for s in phase.education) if t),
    )


def active_items(phase: Phase, on: dt.date) -> list[PlanItem]:
    """The phase's exercise items that apply on a date (progressions swapped in)."""
    started = [
        i
        for i in phase.items
        if i.kind == "exercise" and i.exercise and (i.starts_on is None or i.starts_on <= on)
    ]
    replaced = {i.replaces for i in started if i.replaces}
    return [i for i in started if i.exercise not in replaced]


def _day(
    plan: Plan, day: PlanDay, titles: Mapping[str, str], progress: RunProgress | None
) -> DayView:
    names = []
    for slug in day.exercises:
        item = plan.item_for(slug, day.date)
        names.append(item.title if item else slug)
    phase = next((p for p in plan.phases if p.id == day.phase), None)
    active = active_items(phase, day.date) if phase and not day.rest_day else []
    skipped = [i.title for i in active if i.exercise not in day.exercises]
    return DayView(
        date=day.date,
        label=short_label(day.date),
        phase=titles.get(day.phase, day.phase),
        exercises=", ".join(names) if names else "Rest from exercises",
        running=run_text(plan_run_day(plan, day.date, load_programme_thresholds(), progress)),
        rest=day.rest_day,
        count=len(day.exercises),
        skipped=", ".join(skipped),
    )


def _cards(plan: Plan, library: Mapping[str, Exercise]) -> tuple[CardView, ...]:
    cards = []
    for slug in plan.exercise_slugs():
        exercise = library.get(slug)
        if exercise is None:
            continue
        items = [i for p in plan.phases for i in p.items if i.exercise == slug]
        first = items[0] if items else None
        cautions = tuple(dict.fromkeys(c for i in items for c in i.cautions))
        gear = [e.replace("_", " ") for e in exercise.equipment if e != "none"]
        cards.append(
            CardView(
                exercise=exercise,
                anchor=anchor(slug),
                dose=first.dose.text if first and first.dose else exercise.dosage.describe(),
                cautions=cautions,
                equipment=", ".join(gear),
            )
        )
    return tuple(cards)


def plan_view(
    plan: Plan,
    *,
    library: Mapping[str, Exercise],
    sources: Mapping[str, Source],
    topics: Mapping[str, Topic],
    assessment: Assessment | None = None,
    progress: RunProgress | None = None,
) -> PlanView:
    """The plan as the pages show it; ``progress`` (the programme so far) words the running
    from the stage reached (``run_schedule.plan_run_day``)."""
    numbers = {source_id: n for n, source_id in enumerate(plan.sources, start=1)}
    titles: dict[str, str] = {p.id: p.title for p in plan.phases}
    seen: dict[str, str] = {}
    phases = tuple(_phase(p, numbers, library, topics, seen) for p in plan.phases)
    days = [_day(plan, d, titles, progress) for d in plan.days]
    weeks = tuple(
        WeekView(number=n // 7 + 1, days=tuple(days[n : n + 7])) for n in range(0, len(days), 7)
    )
    return PlanView(
        plan=plan,
        phases=phases,
        weeks=weeks,
        cards=_cards(plan, library),
        topics=tuple(t for t in (_topic(s, topics) for s in plan.education) if t),
        sources=tuple(_citation(s, sources) for s in plan.sources),
        level=level_words(plan.triage_level),
        report=assessment_report(assessment) if assessment is not None else None,
    )
