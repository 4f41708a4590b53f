"""Named clinical features that point towards or against a likely cause.

Each feature is one condition on the intake, returning the findings behind it.
Which features count for which cause, and how much, is data: the ``towards``
and ``against`` lists of each condition in ``content/conditions.yaml``. The
loader refuses a feature name that is not defined here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from backstride.domain.assessment.evidence import NO, Ev, all_of, any_of, not_
from backstride.domain.assessment.facts import (
    BACK_REGIONS,
    GROIN_REGIONS,
    LOW_BACK_REGIONS,
    SIDES,
    Facts,
    FactsV2,
    Side,
    below_knee_regions,
    leg_regions,
)
from backstride.domain.assessment.thresholds import Thresholds

# The rules that fired, with their findings: some features are "rule S4 fired".
Fired = Mapping[str, tuple[str, ...]]
# Features read the intake with the version-2 definitions (causes.rank_causes
# passes a FactsV2 whatever view its caller has).
Feature = Callable[[FactsV2, Thresholds, Fired], Ev]

LATERAL_REGION_PREFIXES = (
    "low_back_",
    "buttock_",
    "sit_bone_",
    "groin_",
    "hip_side_",
    "thigh_front_",
    "thigh_back_",
    "below_knee_",
    "foot_",
    "flank_",
)
NEURO_LISTS = ("neuro.numbness", "neuro.tingling", "neuro.weakness")
# Version 2 (clinical-v2 item 12): where hip-joint and hip-tendon pain is felt.
SIT_BONE_REGIONS = ("sit_bone_left", "sit_bone_right")
HIP_SIDE_REGIONS = ("hip_side_left", "hip_side_right")
THIGH_BACK_REGIONS = ("thigh_back_left", "thigh_back_right")
THIGH_FRONT_REGIONS = ("thigh_front_left", "thigh_front_right")
BUTTOCK_REGIONS = ("buttock_left", "buttock_right")
# The hip joint refers pain to the groin most, then the side of the hip, the
# buttock and the front of the thigh.
HIP_JOINT_REGIONS = (*GROIN_REGIONS, *HIP_SIDE_REGIONS, *BUTTOCK_REGIONS, *THIGH_FRONT_REGIONS)
# The hamstring origin lies at the sit bone, low in the buttock.
HAMSTRING_ORIGIN_REGIONS = (*SIT_BONE_REGIONS, *BUTTOCK_REGIONS, *THIGH_BACK_REGIONS)


def _one_sided(f: Facts, prefixes: tuple[str, ...]) -> Side | None:
    """The single side on which the pain regions with these prefixes lie, if only one."""
    sides = {
        side
        for region in f.items("pain.regions")
        for side in SIDES
        if region.endswith(f"_{side}") and region.startswith(prefixes)
    }
    return next(iter(sides)) if len(sides) == 1 else None


def _pain_one_side_only(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    side = _one_sided(f, LATERAL_REGION_PREFIXES)
    if side is None or f.pain_in("low_back_center"):
        return NO
    return f.pain_in(*(p + side for p in LATERAL_REGION_PREFIXES))


def _buttock_one_side(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    left, right = f.pain_in("buttock_left"), f.pain_in("buttock_right")
    if left.ok == right.ok:
        return NO
    return left if left.ok else right


def _thigh_back_same_side_as_buttock(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        *(all_of(f.pain_in(f"buttock_{side}"), f.pain_in(f"thigh_back_{side}")) for side in SIDES)
    )


def _neuro_symptoms(f: Facts) -> Ev:
    return any_of(f.any_neuro(*NEURO_LISTS), f.true("neuro.leg_drags_or_trips"))


def _below_knee_symptoms(f: Facts) -> Ev:
    below = below_knee_regions()
    return any_of(
        f.pain_in(*below),
        f.has("neuro.numbness", *below),
        f.has("neuro.tingling", *below),
        f.has("neuro.weakness", *below),
    )


def _radicular_one_side(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    left, right = f.radicular_on("left"), f.radicular_on("right")
    if left.ok and right.ok:
        return NO
    return left if left.ok else right


def _numb_or_tingling_below_knee(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    below = below_knee_regions()
    return any_of(f.has("neuro.numbness", *below), f.has("neuro.tingling", *below))


def _symptoms_in_both_legs(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    def either_side(side: Side) -> Ev:
        regions = (*leg_regions(side), f"buttock_{side}")
        return any_of(
            f.pain_in(*regions),
            f.has("neuro.numbness", *regions),
            f.has("neuro.tingling", *regions),
        )

    return all_of(either_side("left"), either_side("right"))


def _rule(rule_id: str) -> Feature:
    def fired_rule(f: Facts, t: Thresholds, fired: Fired) -> Ev:
        return Ev(True, fired[rule_id]) if rule_id in fired else NO

    return fired_rule


# fmt: off
FEATURES: dict[str, Feature] = {
    # shape of the pain
    "mechanical":                 lambda f, t, fired: f.mechanical(),
    "not_mechanical":             lambda f, t, fired: f.not_mechanical(),
    "low_back_pain":              lambda f, t, fired: f.pain_in(*LOW_BACK_REGIONS),
    "back_pain":                  lambda f, t, fired: f.pain_in(*BACK_REGIONS),
    "central_low_back":           lambda f, t, fired: f.pain_in("low_back_center"),
    "pain_one_side_only":         _pain_one_side_only,
    "buttock_pain":               lambda f, t, fired: f.pain_in("buttock_left", "buttock_right"),
    "buttock_one_side":           _buttock_one_side,
    "buttock_both_sides":         lambda f, t, fired: all_of(f.pain_in("buttock_left"), f.pain_in("buttock_right")),
    "thigh_back_with_buttock":    _thigh_back_same_side_as_buttock,
    "groin_pain":                 lambda f, t, fired: f.pain_in(*GROIN_REGIONS),
    "sit_bone_pain":              lambda f, t, fired: f.pain_in(*SIT_BONE_REGIONS),
    "hip_side_pain":              lambda f, t, fired: f.pain_in(*HIP_SIDE_REGIONS),
    "thigh_back_pain":            lambda f, t, fired: f.pain_in(*THIGH_BACK_REGIONS),
    "thigh_front_pain":           lambda f, t, fired: f.pain_in(*THIGH_FRONT_REGIONS),
    "no_hip_joint_region_pain":   lambda f, t, fired: not_(f.pain_in(*HIP_JOINT_REGIONS)),
    "no_hamstring_origin_pain":   lambda f, t, fired: not_(f.pain_in(*HAMSTRING_ORIGIN_REGIONS)),
    "no_hip_side_pain":           lambda f, t, fired: not_(f.pain_in(*HIP_SIDE_REGIONS)),
    "flank_pain":                 lambda f, t, fired: f.pain_in("flank_left", "flank_right"),
    "abdominal_pain":             lambda f, t, fired: f.pain_in("abdomen"),
    "stays_above_knee":           lambda f, t, fired: not_(_below_knee_symptoms(f)),
    "below_knee_symptoms":        lambda f, t, fired: _below_knee_symptoms(f),
    "no_neuro_symptoms":          lambda f, t, fired: not_(_neuro_symptoms(f)),
    "radicular_one_side":         _radicular_one_side,
    "radicular_both_sides":       lambda f, t, fired: f.bilateral_radicular(),
    "shooting_or_burning":        lambda f, t, fired: f.has("pain.character", "shooting", "burning"),
    "numb_or_tingling_below_knee": _numb_or_tingling_below_knee,
    "symptoms_in_both_legs":      _symptoms_in_both_legs,
    "cramping":                   lambda f, t, fired: f.has("pain.character", "cramping"),
    "no_leg_symptoms":            lambda f, t, fired: all_of(not_(f.pain_in(*leg_regions())), not_(_neuro_symptoms(f))),
    # what changes it
    "worse_sitting":              lambda f, t, fired: f.has("pain.aggravated_by", "sitting"),
    "worse_coughing_sneezing":    lambda f, t, fired: f.has("pain.aggravated_by", "coughing_sneezing"),
    "worse_standing_walking_extension": lambda f, t, fired: f.has("pain.aggravated_by", "standing", "walking", "bending_backward"),
    "worse_extension_rotation":   lambda f, t, fired: f.has("pain.aggravated_by", "bending_backward", "twisting", "standing", "running_downhill"),
    "worse_bending_backward":     lambda f, t, fired: f.has("pain.aggravated_by", "bending_backward"),
    "worse_with_load":            lambda f, t, fired: f.has("pain.aggravated_by", "running", "lifting", "bending_forward", "running_downhill"),
    "worse_with_rest":            lambda f, t, fired: f.has("pain.aggravated_by", "rest"),
    "worse_putting_on_shoes_and_socks": lambda f, t, fired: f.has("pain.aggravated_by", "putting_on_shoes_and_socks"),
    "worse_lying_on_side":        lambda f, t, fired: f.has("pain.aggravated_by", "lying_on_side"),
    "worse_climbing_stairs":      lambda f, t, fired: f.has("pain.aggravated_by", "climbing_stairs"),
    "worse_running_uphill":       lambda f, t, fired: f.has("pain.aggravated_by", "running_uphill"),
    "eased_by_flexion_or_sitting": lambda f, t, fired: f.has("pain.eased_by", "bending_forward", "sitting"),
    "eased_by_movement":          lambda f, t, fired: f.has("pain.eased_by", "movement", "walking"),
    "stenosis_pattern":           lambda f, t, fired: f.stenosis_pattern(),
    "walking_limited_by_legs":    lambda f, t, fired: f.true("neuro.walking_limited_by_leg_symptoms"),
    # time course
    "morning_stiffness_long":     lambda f, t, fired: f.ge("pain.morning_stiffness_min", t.inflammatory_morning_stiffness_min),
    "wakes_at_night":             lambda f, t, fired: f.is_("pain.night", "wakes_me"),
    "persistent_over_3_months":   lambda f, t, fired: f.duration_at_least(t.inflammatory_min_days),
    "with_menstrual_cycle":       lambda f, t, fired: f.true("pain.with_menstrual_cycle"),
    # the person
    "age_60_or_over":             lambda f, t, fired: f.ge("person.age", 60),
    "age_40_or_over":             lambda f, t, fired: f.ge("person.age", 40),
    "age_under_50":               lambda f, t, fired: f.lt("person.age", 50),
    "age_25_or_under":            lambda f, t, fired: f.le("person.age", t.spondylolysis_max_age),
    "age_under_40":               lambda f, t, fired: f.lt("person.age", 40),
    "female":                     lambda f, t, fired: f.is_("person.sex", "female"),
    "previous_disc_herniation":   lambda f, t, fired: f.history("previous_disc_herniation"),
    "diagnosed_spinal_stenosis":  lambda f, t, fired: f.history("diagnosed_spinal_stenosis"),
    "diagnosed_arthritis":        lambda f, t, fired: f.history("diagnosed_arthritis"),
    "pregnant_or_postpartum":     lambda f, t, fired: f.history("pregnant", "postpartum"),
    "inflammatory_history":       lambda f, t, fired: f.history("inflammatory_condition", "family_spondyloarthritis"),
    # Version 2 (review R2): the split urine questions, or the version-1 question
    # in an intake that has neither.
    "urinary_symptoms":           lambda f, t, fired: any_of(f.urine_infection_symptoms(), f.new_bladder_symptoms()),
    "fever":                      lambda f, t, fired: f.true("general.fever_or_chills"),
    # training
    "more_hills_or_speed":        lambda f, t, fired: f.has("running.recent_changes", "more_hills", "speed_work"),
    "training_change":            lambda f, t, fired: f.nonempty("running.recent_changes"),
    "more_speed_work":            lambda f, t, fired: f.has("running.recent_changes", "speed_work"),
    # policy rules that name the cause
    "rule_S4":                    _rule("S4"),
    "rule_S5":                    _rule("S5"),
    "rule_S6":                    _rule("S6"),
    "rule_S7":                    _rule("S7"),
    "rule_U3":                    _rule("U3"),
    "rule_U7":                    _rule("U7"),
    "rule_S11":                   _rule("S11"),
    # version 2 rules that name a likely cause
    "rule_AB2a":                  _rule("AB2a"),
    "rule_AB2a_e":                _rule("AB2a.e"),
    "rule_BL4b":                  _rule("BL4b"),
    "rule_SP8d":                  _rule("SP8d"),
}
# fmt: on
