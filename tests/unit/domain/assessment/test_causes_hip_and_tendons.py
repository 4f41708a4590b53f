"""Likely causes, policy version 2: the hip joint and the hip tendons (clinical-v2
item 12), and non-specific mechanical pain only with pain in the back (review R14(h))."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backstride.content.loader import load_knowledge_base
from backstride.domain.assessment.cause_features import FEATURES
from backstride.domain.assessment.causes import REQUIRED_FEATURES, RankedCause, rank_causes
from backstride.domain.assessment.facts import BACK_REGIONS, Facts, FactsV2
from backstride.domain.assessment.intake import Intake
from backstride.domain.assessment.triage_rules import fire_rules

KB = load_knowledge_base()
NEW_CAUSES = ("hip_joint", "proximal_hamstring_tendinopathy", "gluteal_tendinopathy")

BASE: dict[str, Any] = {
    "schema": "backstride.intake/2",
    "person": {"age": 35},
    "pain": {
        "started_days_ago": 21,
        "regions": ["low_back_center"],
        "worst_0_10": 4,
        "changes_with_movement": True,
    },
}


def document(**sections: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(BASE)
    for name, values in sections.items():
        result.setdefault(name, {}).update(values)
    return result


def ranked(doc: dict[str, Any]) -> tuple[RankedCause, ...]:
    facts = FactsV2(Intake.model_validate(doc))
    fired: dict[str, tuple[str, ...]] = {}
    for hit in fire_rules(facts, KB.thresholds):
        fired[hit.rule.id] = fired.get(hit.rule.id, ()) + hit.findings
    causes: tuple[RankedCause, ...] = rank_causes(facts, KB, fired)
    return causes


def ids(doc: dict[str, Any]) -> list[str]:
    return [cause.condition.id for cause in ranked(doc)]


def top3(doc: dict[str, Any]) -> list[str]:
    return ids(doc)[:3]


# -- typical presentations --------------------------------------------------------

HIP_JOINT = document(
    person={"age": 56},
    pain={"regions": ["groin_right"], "aggravated_by": ["putting_on_shoes_and_socks", "walking"]},
)
HAMSTRING = document(
    person={"age": 38},
    pain={"regions": ["sit_bone_left"], "aggravated_by": ["sitting", "running_uphill"]},
    running={"recent_changes": ["speed_work"]},
)
GLUTEAL = document(
    person={"age": 49, "sex": "female"},
    pain={"regions": ["hip_side_right"], "aggravated_by": ["lying_on_side", "climbing_stairs"]},
)


@pytest.mark.parametrize(
    ("doc", "cause"),
    [
        (HIP_JOINT, "hip_joint"),
        (HAMSTRING, "proximal_hamstring_tendinopathy"),
        (GLUTEAL, "gluteal_tendinopathy"),
    ],
    ids=["hip_joint", "proximal_hamstring_tendinopathy", "gluteal_tendinopathy"],
)
def test_each_new_cause_ranks_first_for_its_typical_presentation(
    doc: dict[str, Any], cause: str
) -> None:
    causes = ranked(doc)
    assert causes[0].condition.id == cause
    assert causes[0].likelihood == "high"


@pytest.mark.parametrize(
    ("doc", "cause"),
    [
        # With low back pain as well, the hip or tendon cause still makes the top three.
        (
            document(
                person={"age": 56},
                pain={
                    "regions": ["groin_right", "low_back_right"],
                    "aggravated_by": ["putting_on_shoes_and_socks"],
                },
            ),
            "hip_joint",
        ),
        (
            document(
                pain={"regions": ["sit_bone_left", "low_back_center"], "aggravated_by": ["sitting"]}
            ),
            "proximal_hamstring_tendinopathy",
        ),
        (
            document(
                pain={
                    "regions": ["hip_side_left", "low_back_left"],
                    "aggravated_by": ["lying_on_side"],
                }
            ),
            "gluteal_tendinopathy",
        ),
        # The listed features rank; none is required (review R14(h)).
        (
            document(
                person={"age": 29},
                pain={"regions": ["groin_left"], "aggravated_by": ["putting_on_shoes_and_socks"]},
            ),
            "hip_joint",
        ),
        (document(person={"age": 47}, pain={"regions": ["groin_left"]}), "hip_joint"),
        (
            document(pain={"regions": ["sit_bone_right", "thigh_back_right"]}),
            "proximal_hamstring_tendinopathy",
        ),
        (
            document(pain={"regions": ["sit_bone_right"], "aggravated_by": ["running_uphill"]}),
            "proximal_hamstring_tendinopathy",
        ),
        (
            document(
                person={"age": 30, "sex": "male"},
                pain={"regions": ["hip_side_right"], "aggravated_by": ["climbing_stairs"]},
            ),
            "gluteal_tendinopathy",
        ),
        (document(pain={"regions": ["hip_side_right"]}), "gluteal_tendinopathy"),
    ],
)
def test_a_new_cause_makes_the_top_three_without_every_feature(
    doc: dict[str, Any], cause: str
) -> None:
    assert cause in top3(doc)


def test_shoes_and_socks_point_to_the_hip_joint_rather_than_the_tendons() -> None:
    both = document(
        person={"age": 55},
        pain={
            "regions": ["hip_side_right", "groin_right"],
            "aggravated_by": ["putting_on_shoes_and_socks"],
        },
    )
    order = ids(both)
    assert order.index("hip_joint") < order.index("gluteal_tendinopathy")


def test_a_new_cause_lists_the_answers_behind_it() -> None:
    hamstring = next(
        c for c in ranked(HAMSTRING) if c.condition.id == "proximal_hamstring_tendinopathy"
    )
    assert {
        "pain.regions=sit_bone_left",
        "pain.aggravated_by=sitting",
        "pain.aggravated_by=running_uphill",
        "running.recent_changes=speed_work",
    } <= set(hamstring.supporting)


# -- plain low-back pain ------------------------------------------------------------

PLAIN_BACK_PAIN = [
    document(),
    document(person={"age": 55}),
    document(
        person={"age": 62, "sex": "female"}, pain={"regions": ["low_back_left", "low_back_right"]}
    ),
    document(pain={"aggravated_by": ["sitting", "bending_forward"]}),
    document(
        pain={"aggravated_by": ["running", "running_downhill"]},
        running={"recent_changes": ["speed_work", "more_hills"]},
    ),
    document(
        person={"age": 45},
        pain={
            "regions": ["upper_back", "low_back_center"],
            "aggravated_by": ["putting_on_shoes_and_socks"],
        },
    ),
    document(
        person={"age": 48, "sex": "female"},
        pain={"aggravated_by": ["lying_on_side", "climbing_stairs", "running_uphill", "sitting"]},
    ),
]


@pytest.mark.parametrize("doc", PLAIN_BACK_PAIN)
def test_plain_back_pain_lists_no_hip_or_tendon_cause(doc: dict[str, Any]) -> None:
    listed = ids(doc)
    assert not set(listed) & set(NEW_CAUSES)
    assert listed[0] == "nonspecific_mechanical"


# -- non-specific mechanical pain needs a back region --------------------------------


@pytest.mark.parametrize(
    "regions",
    [
        ["groin_right"],
        ["hip_side_left"],
        ["sit_bone_left"],
        ["buttock_left"],
        ["buttock_left", "buttock_right"],
        ["thigh_back_left", "buttock_left"],
        ["groin_left", "hip_side_left", "thigh_front_left"],
    ],
)
def test_nonspecific_mechanical_is_not_listed_without_a_back_region(regions: list[str]) -> None:
    assert "nonspecific_mechanical" not in ids(document(pain={"regions": regions}))


@pytest.mark.parametrize("region", BACK_REGIONS)
def test_any_back_region_lists_nonspecific_mechanical(region: str) -> None:
    # Upper-back pain alone has a default cause too (review R14(h)).
    assert ids(document(pain={"regions": [region]}))[0] == "nonspecific_mechanical"


def test_required_features_exist_and_name_causes() -> None:
    for cause, feature in REQUIRED_FEATURES.items():
        assert feature in FEATURES
        assert cause in KB.conditions
        assert not KB.conditions[cause].serious


def test_rank_causes_accepts_the_version_1_view_of_the_intake() -> None:
    intake = Intake.model_validate(GLUTEAL)
    v1 = [c.condition.id for c in rank_causes(Facts(intake), KB, {})]
    v2 = [c.condition.id for c in rank_causes(FactsV2(intake), KB, {})]
    assert v1 == v2


# -- content --------------------------------------------------------------------------


@pytest.mark.parametrize("cause", NEW_CAUSES)
def test_new_causes_are_ranked_conditions_with_checked_sources(cause: str) -> None:
    condition = KB.conditions[cause]
    assert not condition.serious
    assert condition.towards
    assert condition.against
    assert condition.sources
    for source in condition.sources:
        assert KB.sources[source].verified, source


def test_no_condition_cites_a_seed_article() -> None:
    for condition in KB.conditions.values():
        assert not any(s.startswith("seed") for s in condition.sources), condition.id


def test_no_condition_text_says_not_damage() -> None:
    # Rule 9: no cause text says "not damage" where a fracture, infection or
    # bone-stress flag could stand beside it.
    for condition in KB.conditions.values():
        assert "not damage" not in f"{condition.summary} {condition.explanation}".lower()


# -- version-2 rules and answers that name a cause -------------------------------------


def test_new_bladder_urgency_without_leg_symptoms_ranks_organ_pain() -> None:
    # Review R2 and Annex G T7: the split urine questions count as the version-1 one.
    doc = document(
        person={"age": 47, "sex": "female"},
        pain={"started_days_ago": 5},
        neuro={"new_bladder_urgency": True},
        general={"painful_or_bloody_urine": False},
    )
    assert "visceral_referred" in top3(doc)


def test_painful_urine_ranks_organ_pain() -> None:
    doc = document(general={"painful_or_bloody_urine": True}, pain={"regions": ["flank_left"]})
    assert ids(doc)[0] == "visceral_referred"


def test_a_teenager_with_pain_on_arching_back_has_spondylolysis_ranked_first() -> None:
    # Review R8 8d.
    doc = document(
        person={"age": 15},
        pain={"started_days_ago": 8, "aggravated_by": ["bending_backward", "running"]},
    )
    assert ids(doc)[0] == "spondylolysis"
