"""Properties of contraindications v2; the examples are in
tests/unit/domain/library/test_contraindications_v2.py.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.plan.model import ALWAYS_AT_HAND, EQUIPMENT
from backstride.domain.plan.select import (
    LIKELIHOOD_WEIGHT,
    RECIPES,
    Runner,
    choose,
    progression,
)
from tests.unit.domain.library.test_contraindications_v2 import (
    BASE,
    LIBRARY,
    NEW_CAUSES,
    PRESENTATIONS,
    levels,
)
from tests.unit.domain.plan.support import build, planned_slugs

PREFERENCES = st.fixed_dictionaries(
    {
        "minutes_per_day": st.integers(5, 60),
        "days_per_week": st.integers(2, 7),
        "equipment": st.lists(st.sampled_from(EQUIPMENT), min_size=1, max_size=6, unique=True),
        "start_date": st.just(dt.date(2026, 3, 2)),
    }
)


CAUSES = ("nonspecific_mechanical", "deep_gluteal_piriformis", "sacroiliac_joint", *NEW_CAUSES)


@st.composite
def hip_and_tendon_intakes(draw: st.DrawFn) -> dict[str, Any]:
    """Calm version-2 intakes with hip, groin, sit-bone or side-of-hip pain, some with back pain."""
    document = copy.deepcopy(BASE)
    regions: set[str] = set()
    aggravators: set[str] = set()
    for cause in draw(st.lists(st.sampled_from(NEW_CAUSES), min_size=1, max_size=3, unique=True)):
        places, worse = PRESENTATIONS[cause]
        regions |= set(draw(st.lists(st.sampled_from(sorted(places)), min_size=1, unique=True)))
        aggravators |= set(draw(st.lists(st.sampled_from(worse), unique=True)))
    if draw(st.booleans()):
        regions.add(draw(st.sampled_from(["low_back_center", "low_back_left", "upper_back"])))
    worst = draw(st.integers(1, 6))
    document["person"].update(
        age=draw(st.integers(18, 75)), sex=draw(st.sampled_from(["female", "male"]))
    )
    document["pain"].update(
        regions=sorted(regions),
        aggravated_by=sorted(aggravators),
        worst_0_10=worst,
        now_0_10=draw(st.integers(0, worst)),
        changes_with_movement=True,
        trend=draw(st.sampled_from(["improving", "same"])),
        started_days_ago=draw(st.integers(3, 120)),
    )
    if draw(st.booleans()):
        document["running"] = {"recent_changes": ["speed_work"]}
    return document


@st.composite
def runners(draw: st.DrawFn) -> Runner:
    chosen = draw(st.lists(st.sampled_from(CAUSES), min_size=1, max_size=4, unique=True))
    weights = {
        c: LIKELIHOOD_WEIGHT[draw(st.sampled_from(["high", "moderate", "low"]))] for c in chosen
    }
    gear = draw(st.lists(st.sampled_from(EQUIPMENT), unique=True))
    return Runner(
        conditions=frozenset(chosen),
        cause_weights=weights,
        factors=frozenset(
            draw(
                st.lists(
                    st.sampled_from(["weak_core_glutes", "prolonged_sitting", "tight_hip_flexors"]),
                    unique=True,
                )
            )
        ),
        intake={},
        at_hand=frozenset({*gear, *ALWAYS_AT_HAND}),
    )


@settings(max_examples=300, deadline=None)
@given(runners(), st.sampled_from(sorted(RECIPES)), st.integers(5, 120))
def test_selection_never_picks_an_exercise_to_avoid_for_a_likely_cause(
    runner: Runner, phase: str, minutes: int
) -> None:
    recipe = RECIPES[phase]
    chosen = choose(LIBRARY, runner, recipe, minutes)
    slugs = [c.exercise.slug for c in chosen]
    for choice in chosen:
        for cause in runner.conditions:
            assert "avoid" not in levels(choice.exercise.slug, cause), (cause, slugs)
        harder = progression(choice, LIBRARY, runner, recipe, 600, slugs)
        if harder is not None:
            for cause in runner.conditions:
                assert "avoid" not in levels(harder.exercise.slug, cause)


@settings(max_examples=80, deadline=None)
@given(hip_and_tendon_intakes(), PREFERENCES)
def test_no_plan_holds_an_exercise_to_avoid_for_a_highly_likely_cause(
    document: dict[str, Any], prefs: dict[str, Any]
) -> None:
    plan, assessment, _, _ = build(document, **prefs)
    high = [c.id for c in assessment.likely_causes if c.likelihood == "high"]
    for slug in planned_slugs(plan):
        for cause in high:
            assert "avoid" not in levels(slug, cause), (slug, cause)
        for likely in assessment.likely_causes:
            assert "avoid" not in levels(slug, likely.id), (slug, likely.id)
