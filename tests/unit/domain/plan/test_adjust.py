"""A clinician's changes applied to a plan (domain/plan/adjust.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.domain.plan.adjust import Adjustment, adjust, dose_text
from backstride.domain.plan.model import RUNNING_KINDS, Plan
from tests.care_support import self_care_intake
from tests.unit.domain.plan.support import LIBRARY, build

AT = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)
TITLES = {slug: str(e.name) for slug, e in LIBRARY.items()}


@pytest.fixture(scope="module")
def plan() -> Plan:
    return build(self_care_intake())[0]


def exercises(plan: Plan) -> set[str]:
    return {i.exercise for p in plan.phases for i in p.items if i.exercise}


def scheduled(plan: Plan) -> set[str]:
    return {slug for day in plan.days for slug in day.exercises}


def change(kind: str, **fields: object) -> Adjustment:
    return Adjustment(kind=kind, by="Cleo", at=AT, **fields)  # type: ignore[arg-type]


def test_no_changes_is_the_plan_itself(plan: Plan) -> None:
    adjusted = adjust(plan, [], TITLES)
    assert adjusted.plan is plan
    assert not adjusted.any


def test_a_removed_exercise_is_gone_from_every_phase_and_day(plan: Plan) -> None:
    slug = sorted(exercises(plan))[0]
    adjusted = adjust(plan, [change("remove", exercise=slug)], TITLES)
    assert slug not in exercises(adjusted.plan)
    assert slug not in scheduled(adjusted.plan)
    assert adjusted.removed == ((slug, adjusted.removed[0][1]),)
    # The stored plan is untouched.
    assert slug in exercises(plan)


def test_a_swap_puts_the_new_exercise_where_the_old_one_was(plan: Plan) -> None:
    old = sorted(exercises(plan))[0]
    new = next(s for s in sorted(LIBRARY) if s not in exercises(plan))
    adjusted = adjust(plan, [change("swap", exercise=old, replacement=new)], TITLES)
    assert old not in exercises(adjusted.plan)
    assert new in exercises(adjusted.plan)
    assert [s == new for d in adjusted.plan.days for s in d.exercises].count(True) == [
        s == old for d in plan.days for s in d.exercises
    ].count(True)
    assert new in adjusted.changed
    item = next(i for p in adjusted.plan.phases for i in p.items if i.exercise == new)
    assert item.title == TITLES[new]


def test_a_dose_change_rewrites_the_dose_and_its_words(plan: Plan) -> None:
    slug = sorted(exercises(plan))[0]
    dose = {"sets": 2, "reps": 8, "per_side": True}
    adjusted = adjust(plan, [change("dose", exercise=slug, dose=dose)], TITLES)
    items = [i for p in adjusted.plan.phases for i in p.items if i.exercise == slug]
    assert items
    for item in items:
        assert item.dose is not None
        assert (item.dose.sets, item.dose.reps, item.dose.per_side) == (2, 8, True)
        assert item.dose.text == "2 x 8, each side"


def test_holding_running_only_ever_takes_running_away(plan: Plan) -> None:
    adjusted = adjust(plan, [change("hold_running")], TITLES)
    assert adjusted.plan.running.advice in ("pause", "stop")
    assert adjusted.plan.running.return_to_run_from is None
    assert not any(d.running in RUNNING_KINDS for d in adjusted.plan.days)
    stopped = plan.model_copy(
        update={"running": plan.running.model_copy(update={"advice": "stop"})}
    )
    assert adjust(stopped, [change("hold_running")], TITLES).plan.running.advice == "stop"


def test_a_later_change_wins_and_notes_are_kept_in_order(plan: Plan) -> None:
    slug = sorted(exercises(plan))[0]
    changes = [
        change("dose", exercise=slug, dose={"sets": 2, "reps": 8}),
        change("note", note="first"),
        change("remove", exercise=slug),
        change("note", note="second"),
    ]
    adjusted = adjust(plan, changes, TITLES)
    assert slug not in exercises(adjusted.plan)
    assert slug not in adjusted.changed
    assert [n.note for n in adjusted.notes] == ["first", "second"]


@pytest.mark.parametrize(
    ("dose", "words"),
    [
        ({"sets": 3, "reps": 10}, "3 x 10"),
        ({"sets": 3, "hold_seconds": 30}, "3 x 30 s hold"),
        ({"minutes": 10}, "10 min"),
        ({}, "as your physiotherapist showed you"),
    ],
)
def test_dose_words(dose: dict[str, int], words: str) -> None:
    assert dose_text(dose) == words
