"""A clinician's changes to a runner's plan, applied on top of the plan document.

The plan the builder made is stored as it was; what a linked physiotherapist
changed (remove or swap an exercise, change a dose, hold running, a note) is kept
beside it and applied here whenever the plan is read, so every surface (the plan
page, today's session, the check-in, exports) shows the same adjusted plan and
says which parts came from the physiotherapist. Changes apply oldest first; a
later one wins where two touch the same exercise.

Nothing here can loosen safety: the care state (domain/care.py) decides before any
plan is shown, and an emergency or urgent state hides the plan whatever a change
says. Holding running only ever takes running away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from backstride.domain.plan.model import RUNNING_KINDS, Dose, Plan, PlanItem

AdjustmentKind = Literal["remove", "swap", "dose", "hold_running", "note"]

HOLD_RUNNING_DETAIL = "Your physiotherapist has put running on hold. Walk instead for now."


def running_held(plan: Plan) -> bool:
    """Whether the plan as read has running on hold by the runner's physiotherapist (the
    adjusted plan says so in its running detail, which every surface shows)."""
    return plan.running.detail == HOLD_RUNNING_DETAIL


@dataclass(frozen=True, slots=True)
class Adjustment:
    kind: AdjustmentKind
    by: str  # the clinician's name, as the runner sees it
    at: datetime
    exercise: str | None = None
    replacement: str | None = None
    dose: Mapping[str, object] | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AdjustedPlan:
    """The plan with the changes applied, and what each change did."""

    plan: Plan
    # The exercises (slugs in the adjusted plan) a change touched.
    changed: Mapping[str, Adjustment] = field(default_factory=dict)
    removed: tuple[tuple[str, Adjustment], ...] = ()
    running_held: Adjustment | None = None
    notes: tuple[Adjustment, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.changed or self.removed or self.running_held or self.notes)


def dose_text(dose: Mapping[str, object]) -> str:
    """ "3 x 10", "3 x 30 s hold", "10 min", with "each side" when it says so."""
    sets, reps = dose.get("sets"), dose.get("reps")
    hold, minutes = dose.get("hold_seconds"), dose.get("minutes")
    parts: list[str] = []
    if sets and reps:
        parts.append(f"{sets} x {reps}")
    elif sets and hold:
        parts.append(f"{sets} x {hold} s hold")
    elif reps:
        parts.append(f"{reps} reps")
    if hold and reps:
        parts.append(f"hold {hold} s")
    if minutes:
        parts.append(f"{minutes} min")
    if dose.get("per_side"):
        parts.append("each side")
    return ", ".join(parts) or "as your physiotherapist showed you"


def _with_dose(item: PlanItem, dose: Mapping[str, object]) -> PlanItem:
    values = {k: dose.get(k) for k in ("sets", "reps", "hold_seconds", "minutes")}
    new = Dose(
        sets=_int(values["sets"]),
        reps=_int(values["reps"]),
        hold_seconds=_int(values["hold_seconds"]),
        minutes=_int(values["minutes"]),
        per_side=bool(dose.get("per_side", False)),
        text=dose_text(dose),
    )
    return item.model_copy(update={"dose": new})


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and value > 0 else None


def adjust(plan: Plan, changes: Sequence[Adjustment], titles: Mapping[str, str]) -> AdjustedPlan:
    """Apply ``changes`` (oldest first) to ``plan``. ``titles`` names the library's
    exercises, for a swap's new item."""
    if not changes:
        return AdjustedPlan(plan)
    items = [list(phase.items) for phase in plan.phases]
    sessions = [list(day.exercises) for day in plan.days]
    changed: dict[str, Adjustment] = {}
    removed: list[tuple[str, Adjustment]] = []
    held: Adjustment | None = None
    notes: list[Adjustment] = []
    for change in changes:
        slug = change.exercise
        if change.kind == "note":
            notes.append(change)
        elif change.kind == "hold_running":
            held = change
        elif change.kind == "remove" and slug:
            items = [[i for i in phase if i.exercise != slug] for phase in items]
            sessions = [[s for s in day if s != slug] for day in sessions]
            changed.pop(slug, None)
            removed.append((slug, change))
        elif change.kind == "swap" and slug and change.replacement:
            new = change.replacement
            why = f"Chosen by your physiotherapist in place of {titles.get(slug, slug)}."
            swapped = {"exercise": new, "title": titles.get(new, new), "why": why}
            items = [
                [i.model_copy(update=swapped) if i.exercise == slug else i for i in phase]
                for phase in items
            ]
            sessions = [[new if s == slug else s for s in day] for day in sessions]
            changed.pop(slug, None)
            changed[new] = change
        elif change.kind == "dose" and slug and change.dose:
            dose = change.dose
            items = [
                [_with_dose(i, dose) if i.exercise == slug else i for i in phase] for phase in items
            ]
            changed[slug] = change
    running = plan.running
    days = [
        day.model_copy(update={"exercises": exercises})
        for day, exercises in zip(plan.days, sessions, strict=True)
    ]
    if held is not None:
        # "stop" stays "stop": a hold only ever takes running away.
        advice = running.advice if running.advice == "stop" else "pause"
        running = running.model_copy(
            update={"advice": advice, "detail": HOLD_RUNNING_DETAIL, "return_to_run_from": None}
        )
        days = [
            day.model_copy(update={"running": "walk"}) if day.running in RUNNING_KINDS else day
            for day in days
        ]
    phases = [
        phase.model_copy(update={"items": kept})
        for phase, kept in zip(plan.phases, items, strict=True)
    ]
    adjusted = plan.model_copy(update={"phases": phases, "days": days, "running": running})
    return AdjustedPlan(adjusted, changed, tuple(removed), held, tuple(notes))
