"""Properties of the hip and tendon causes; the examples are in
tests/unit/domain/assessment/test_causes_hip_and_tendons.py.
"""

from __future__ import annotations

from typing import get_args

from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.domain.assessment.facts import BACK_REGIONS
from backstride.domain.assessment.intake import Aggravator, Region
from tests.unit.domain.assessment.test_causes_hip_and_tendons import NEW_CAUSES, document, ids

ALL_AGGRAVATORS: tuple[str, ...] = get_args(Aggravator)
ALL_REGIONS: tuple[str, ...] = get_args(Region)
NON_BACK_REGIONS = tuple(r for r in ALL_REGIONS if r not in BACK_REGIONS)


@settings(max_examples=150, deadline=None)
@given(
    regions=st.lists(st.sampled_from(BACK_REGIONS), min_size=1, unique=True),
    aggravated=st.lists(st.sampled_from(ALL_AGGRAVATORS), unique=True),
    age=st.integers(18, 90),
    sex=st.sampled_from(["female", "male"]),
    speed_work=st.booleans(),
    arthritis=st.booleans(),
)
def test_pain_only_in_the_back_never_lists_a_hip_or_tendon_cause(
    regions: list[str],
    aggravated: list[str],
    age: int,
    sex: str,
    speed_work: bool,
    arthritis: bool,
) -> None:
    doc = document(
        person={
            "age": age,
            "sex": sex,
            **({"history": ["diagnosed_arthritis"]} if arthritis else {}),
        },
        pain={"regions": regions, "aggravated_by": aggravated},
        running={"recent_changes": ["speed_work"] if speed_work else []},
    )
    assert not set(ids(doc)) & set(NEW_CAUSES)


@settings(max_examples=150, deadline=None)
@given(
    regions=st.lists(st.sampled_from(NON_BACK_REGIONS), min_size=1, max_size=5, unique=True),
    aggravated=st.lists(st.sampled_from(ALL_AGGRAVATORS), max_size=4, unique=True),
    age=st.integers(18, 90),
)
def test_no_back_region_never_lists_nonspecific_mechanical(
    regions: list[str], aggravated: list[str], age: int
) -> None:
    doc = document(person={"age": age}, pain={"regions": regions, "aggravated_by": aggravated})
    assert "nonspecific_mechanical" not in ids(doc)
