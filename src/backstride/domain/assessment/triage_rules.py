"""The triage policy, version 2, as a rule table.

Version 1 (``tests/spec/contracts/triage-policy.md``) plus the clinical
requirements version 2 and its safety review (R1-R15); the project owns the
policy from version 2 on and ``docs/reference/triage-policy.md`` is generated
from this table. Version-2 rows have ids that name their topic and the item of
the requirements they implement (``AO1a`` is aorta item 1a, ``CE3b`` cauda equina
item 3b, ...). Definitions where an unknown answer never reassures live in
:class:`~backstride.domain.assessment.facts.FactsV2`.

One row per rule clause: its id, level, the red flags or cause it raises, its
sources and its condition, written one condition per line so a clinician can
read each row against the policy. Numbers come from
:class:`~backstride.domain.assessment.thresholds.Thresholds`. A rule id may have more than
one row when a clause raises a different flag (E4 raises the aneurysm flag
only from age 50).

Rules are evaluated in table order; the few that say "without rule X" look at
the ids that already fired, and every such X comes earlier in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backstride.domain.assessment.deciders import decider
from backstride.domain.assessment.evidence import Ev, all_of, any_of, at_least, not_
from backstride.domain.assessment.facts import (
    AORTIC_REGIONS,
    BACK_REGIONS,
    BELLY_REGIONS,
    BONE_STRESS_REGIONS,
    CES_ITEMS,
    FLANK_REGIONS,
    GROIN_REGIONS,
    FactsV2,
    below_knee_regions,
    leg_regions,
    term,
)
from backstride.domain.assessment.safety_screen import safety_screen
from backstride.domain.assessment.thresholds import Thresholds
from backstride.domain.vocabulary import LEVEL_ORDER, TriageLevel, most_urgent

Fired = frozenset[str]
Facts = FactsV2
RuleCondition = Callable[[Facts, Thresholds, Fired], Ev]

RISK_OF_INFECTION = ("iv_drug_use", "immunosuppressed", "recent_spinal_surgery_or_injection")
# Diabetes counts with the infection risks only when infection features come with
# it (v1 U2's second clause and 13b), never on its own (review R9 6d).
RISK_OF_INFECTION_WITH_FEATURES = (*RISK_OF_INFECTION, "diabetes")
FRACTURE_RISK_HISTORY = ("osteoporosis", "long_term_steroids")
NEURO_LISTS = ("neuro.numbness", "neuro.tingling", "neuro.weakness")


@dataclass(frozen=True, slots=True)
class TriageRule:
    id: str
    level: TriageLevel
    red_flags: tuple[str, ...]
    cause: str | None
    sources: tuple[str, ...]
    when: RuleCondition


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: TriageRule
    findings: tuple[str, ...]


# -- shared definitions ---------------------------------------------------------


@term
def fragility_fracture(f: Facts, t: Thresholds) -> Ev:
    """Policy term F, possible fragility fracture, as version 2 widens it (review R9 6e)."""
    return any_of(
        all_of(
            f.is_("pain.trauma", "minor"),
            any_of(f.history(*FRACTURE_RISK_HISTORY), f.age_at_least(t.fragility_min_age)),
        ),
        all_of(f.is_("pain.onset", "sudden"), f.history(*FRACTURE_RISK_HISTORY)),
        all_of(f.is_("pain.onset", "sudden"), f.age_at_least(t.fragility_min_age)),
    )


@term
def possible_spinal_infection(f: Facts) -> Ev:
    """v1 U2's second clause, with diabetes as a risk (review R9 6d)."""
    return all_of(
        f.history(*RISK_OF_INFECTION_WITH_FEATURES),
        any_of(
            f.true("general.fever_or_chills"),
            f.true("general.feels_unwell"),
            f.true("general.recent_infection"),
            f.is_("pain.night", "constant"),
        ),
    )


def inflammatory_features(f: Facts, t: Thresholds) -> tuple[Ev, ...]:
    """The seven S6 features, each counted once."""
    return (
        f.onset_age_below(t.inflammatory_young_onset_age),
        f.is_("pain.onset", "gradual"),
        f.has("pain.eased_by", "movement", "walking"),
        any_of(
            all_of(f.nonempty("pain.eased_by"), Ev(f.lacks("pain.eased_by", "rest"))),
            f.has("pain.aggravated_by", "rest"),
        ),
        f.is_("pain.night", "wakes_me"),
        f.ge("pain.morning_stiffness_min", t.inflammatory_morning_stiffness_min),
        f.history("inflammatory_condition", "family_spondyloarthritis"),
    )


@term
def radicular_pattern(f: Facts) -> Ev:
    return any_of(
        f.radicular_any_side(),
        all_of(f.has("pain.character", "shooting"), f.pain_in(*leg_regions())),
    )


# -- emergency -------------------------------------------------------------------


def _e1(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        f.true("neuro.saddle_numbness"),
        f.true("neuro.bladder_change"),
        f.true("neuro.bowel_change"),
        f.true("neuro.sexual_change"),
    )


@term
def _both_legs(f: Facts) -> Ev:
    """Rule 5 (a) or (b): weakness, or leg nerve symptoms, on both sides."""
    return any_of(f.weakness_both_sides(), f.leg_nerve_both_sides())


@term
def _long_standing_stable(f: Facts, t: Thresholds) -> Ev:
    """Rule 5 exemption: old, stable both-leg symptoms with a clear cauda equina screen."""
    return all_of(
        f.leg_onset_beyond(t.bilateral_long_standing_days),
        f.stable(),
        f.ces_all_no(),
        not_(f.new_bladder_symptoms()),
    )


@term
def _stenosis_exempt(f: Facts, t: Thresholds) -> Ev:
    """Rule 5 exemption for nerve symptoms (not weakness) that fit stenosis."""
    return all_of(
        f.age_at_least(t.stenosis_exemption_min_age),
        f.stenosis_pattern(),
        f.stable(),
        not_(f.leg_weakness()),
        f.ces_all_no(),
        not_(f.new_bladder_symptoms()),
    )


def _e2(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    """Both legs (replaces v1 E2; review R7)."""
    weakness = all_of(f.weakness_both_sides(), not_(_long_standing_stable(f, t)))
    nerve = all_of(
        f.leg_nerve_both_sides(),
        not_(_long_standing_stable(f, t)),
        not_(_stenosis_exempt(f, t)),
    )
    return any_of(weakness, nerve)


def _e2_exempt(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    """An exemption kept both-leg symptoms below emergency: still seen soon."""
    return all_of(
        _both_legs(f),
        Ev("E2" not in fired),
        any_of(_long_standing_stable(f, t), _stenosis_exempt(f, t)),
    )


def _e3(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        all_of(f.age_at_least(t.aaa_min_age), f.true("general.pulsating_abdomen")),
        all_of(
            f.age_at_least(t.aaa_min_age),
            f.pain_in("flank_left", "flank_right", "abdomen"),
            f.not_mechanical(),
            f.worst_at_least(t.visceral_severe_worst),
        ),
    )


def _e4(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return f.true("general.faint_or_collapse")


def _e4_from_aaa_age(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(f.true("general.faint_or_collapse"), f.age_at_least(t.aaa_min_age))


def _e5(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return f.true("general.chest_pain_or_breathless")


def _e6(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.is_("pain.trauma", "major"),
        f.duration_at_most(t.major_trauma_emergency_days),
    )


def _e7(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("cancer"),
        any_of(f.any_neuro(*NEURO_LISTS), f.true("neuro.leg_drags_or_trips")),
    )


# -- urgent ----------------------------------------------------------------------


def _u1(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        f.true("neuro.getting_worse"),
        f.nonempty("neuro.weakness"),
        f.true("neuro.leg_drags_or_trips"),
    )


def _u2(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    urine = any_of(f.urine_infection_symptoms(), f.new_bladder_symptoms())
    return any_of(
        all_of(f.true("general.fever_or_chills"), not_(urine)),
        possible_spinal_infection(f),
    )


def _u3(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(f.urine_infection_symptoms(), f.new_bladder_symptoms())


def _u4(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("cancer"),
        Ev("E7" not in fired),
        any_of(
            f.age_at_least(t.cancer_urgent_min_age),
            f.is_("pain.night", "constant"),
            f.true("general.unexplained_weight_loss"),
            f.not_mechanical(),
            f.worsening(),
        ),
    )


def _u5(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        fragility_fracture(f, t),
        f.worst_at_least(t.fracture_severe_worst),
    )


def _u6(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.is_("pain.trauma", "major"),
        f.duration_over(t.major_trauma_emergency_days),
    )


def _runners_stitch(f: Facts, t: Thresholds) -> Ev:
    """Cramping that comes only during runs and settles soon after (rule 7 exemption)."""
    return all_of(
        f.ge("pain.during_run_starts_after_min", 0),
        f.false("pain.after_run"),
        f.le("pain.now_0_10", t.stitch_max_pain_now),
    )


def _u7(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    """Kidney and flank (rule 7, review R10; was worst 8 and non-mechanical only)."""
    return all_of(
        f.pain_in(*FLANK_REGIONS),
        any_of(
            all_of(f.worst_at_least(t.kidney_severe_worst), f.not_known_mechanical()),
            all_of(
                f.has("pain.character", "cramping"),
                f.worst_at_least(t.cramping_flank_worst),
                not_(_runners_stitch(f, t)),
            ),
        ),
    )


def _u8(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("pregnant"),
        any_of(
            f.pain_in("abdomen"),
            f.has("pain.character", "cramping"),
            f.true("general.faint_or_collapse"),
        ),
    )


# -- soon ------------------------------------------------------------------------


def _s1(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        all_of(
            fragility_fracture(f, t),
            f.lt("pain.worst_0_10", t.fracture_severe_worst),
        ),
        all_of(
            f.age_at_least(t.fragility_min_age),
            f.duration_at_most(t.older_new_pain_max_days),
        ),
    )


def _s2(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history(*RISK_OF_INFECTION),
        Ev("U2" not in fired),
    )


def _s3(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        all_of(f.history("cancer"), Ev(not fired & {"E7", "U4", "CA13e"})),
        f.true("general.unexplained_weight_loss"),
        f.is_("pain.night", "constant"),
        all_of(
            f.age_at_least(t.malignancy_min_age),
            f.duration_at_most(t.new_pain_max_days),
            f.not_mechanical(),
        ),
    )


def _s4(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return f.stenosis_pattern()


def _s5(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        radicular_pattern(f),
        any_of(
            f.has("neuro.numbness", *below_knee_regions()),
            f.has("neuro.tingling", *below_knee_regions()),
            f.worst_at_least(t.radicular_severe_worst),
            f.worsening(),
            f.leg_onset_beyond(t.radicular_persistent_days),
        ),
    )


def _s6(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.duration_at_least(t.inflammatory_min_days),
        f.onset_age_below(t.inflammatory_max_onset_age),
        at_least(t.inflammatory_min_features, *inflammatory_features(f, t)),
    )


def _s7(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.le("person.age", t.spondylolysis_max_age),
        f.has("pain.aggravated_by", "bending_backward"),
        f.duration_at_least(t.spondylolysis_min_days),
    )


def _s8(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        all_of(f.duration_at_least(t.persistent_min_days), f.not_improving()),
        all_of(f.worsening(), f.duration_at_least(t.worsening_min_days)),
        all_of(f.worst_at_least(t.severe_worst), f.not_improving()),
    )


def _s9(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        all_of(f.has("pain.character", "burning"), f.leg_pain_on_both_sides()),
        f.nonempty("neuro.numbness"),
    )


def _s10(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    items = f.outlook_items()
    return items if len(items.findings) >= t.outlook_high_count else Ev(False)


def _s11(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.pain_in("flank_left", "flank_right"),
        f.not_mechanical(),
        Ev("U7" not in fired and "E3" not in fired),
    )


# -- version 2 ---------------------------------------------------------------------
# Aorta (item 1, review R3). Adds to E3 and E4, which stay.


@term
def _aortic_pain(f: Facts, t: Thresholds) -> Ev:
    return all_of(f.aortic_age(t), f.pain_in(*AORTIC_REGIONS))


def _ao1a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        _aortic_pain(f, t),
        f.trauma_not_major(),
        f.severe(t),
        f.sudden_or_unknown_onset(),
        f.not_mechanical(),
    )


def _ao1b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        _aortic_pain(f, t),
        f.trauma_not_major(),
        f.severe(t),
        f.sudden_or_unknown_onset(),
        f.mechanical_unknown(),
    )


@term
def _tearing_aortic(f: Facts, t: Thresholds) -> Ev:
    return all_of(_aortic_pain(f, t), f.has("pain.character", "tearing"))


def _ao1c(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        _tearing_aortic(f, t),
        f.sudden_or_unknown_onset(),
        any_of(f.severe(t), f.not_known_mechanical()),
    )


def _ao1c_urgent(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_tearing_aortic(f, t), Ev("AO1c" not in fired))


def _ao1d(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("aortic_aneurysm_or_dissection"),
        f.pain_in(*AORTIC_REGIONS),
        any_of(f.started_within(t.aortic_recent_days), f.worsening()),
    )


@term
def _lightheaded_aortic(f: Facts, t: Thresholds) -> Ev:
    return all_of(
        f.true("general.lightheaded_or_sweaty"),
        f.pain_in(*AORTIC_REGIONS),
        any_of(f.aortic_age(t), f.severe(t), f.not_known_mechanical()),
    )


def _ao1e_aortic(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_lightheaded_aortic(f, t), f.aortic_age(t))


def _ao1e_pregnancy(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_lightheaded_aortic(f, t), f.possibly_pregnant())


def _ao1e_abdomen(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_lightheaded_aortic(f, t), not_(f.aortic_age(t)), not_(f.possibly_pregnant()))


def _ao1f(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        _aortic_pain(f, t),
        f.started_within(t.aortic_recent_days),
        f.severe(t),
        f.not_known_mechanical(),
    )


# Belly, pelvis and pregnancy (item 2, review R5).


@term
def _severe_visceral_belly(f: Facts, t: Thresholds) -> Ev:
    return all_of(f.pain_in(*BELLY_REGIONS), f.severe(t), f.not_known_mechanical())


def _ab2a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return _severe_visceral_belly(f, t)


def _ab2a_emergency(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        _severe_visceral_belly(f, t),
        any_of(
            f.true("general.lightheaded_or_sweaty"),
            f.true("general.faint_or_collapse"),
            f.true("general.very_unwell_signs"),
            all_of(f.true("general.vomiting"), f.sudden_or_unknown_onset()),
        ),
    )


def _early_pregnancy_signs(f: Facts, t: Thresholds) -> Ev:
    return all_of(
        f.early_pregnancy(t),
        any_of(
            f.pain_in(*BELLY_REGIONS),
            f.has("pain.character", "cramping"),
            f.not_mechanical(),
            f.true("general.vaginal_bleeding"),
        ),
    )


def _pr2b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_early_pregnancy_signs(f, t), Ev(f.value("person.pregnancy_test") != "not_done"))


def _pr2b_test(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_early_pregnancy_signs(f, t), f.is_("person.pregnancy_test", "not_done"))


def _pr2c(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.early_pregnancy(t),
        any_of(
            f.true("general.lightheaded_or_sweaty"),
            f.true("general.faint_or_collapse"),
            f.true("general.shoulder_tip_pain"),
            all_of(
                f.pain_in(*BELLY_REGIONS, *BACK_REGIONS),
                f.severe(t),
                f.sudden_or_unknown_onset(),
            ),
            all_of(f.true("general.vaginal_bleeding"), f.severe(t)),
        ),
    )


def _pr2d(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.later_pregnancy(t),
        any_of(
            f.true("general.pregnancy_warning_signs"),
            f.true("general.vaginal_bleeding"),
            all_of(
                f.pain_in(*BACK_REGIONS, *BELLY_REGIONS),
                f.severe(t),
                f.not_known_mechanical(),
            ),
        ),
    )


# Cauda equina: uncertain or incomplete (item 3, review R6).


def _ce3b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(f.unsure("neuro.saddle_numbness"), f.unsure("neuro.bladder_change"))


def _bowel_or_sexual_unsure(f: Facts) -> Ev:
    return any_of(f.unsure("neuro.bowel_change"), f.unsure("neuro.sexual_change"))


def _ce3c_context(f: Facts) -> Ev:
    unsure = [f.unsure(item) for item in CES_ITEMS]
    return any_of(
        f.any_leg_symptoms(),
        f.new_bladder_symptoms(),
        Ev(sum(1 for u in unsure if u) >= 2, tuple(x for u in unsure for x in u.findings)),
    )


def _ce3c_urgent(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_bowel_or_sexual_unsure(f), _ce3c_context(f))


def _ce3c_soon(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_bowel_or_sexual_unsure(f), not_(_ce3c_context(f)))


def _ce3d(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    missing = safety_screen(f).unanswered
    return Ev(True, tuple(f"{path}=unanswered" for path in missing)) if missing else Ev(False)


# Bladder (item 4, review R2).


@term
def _bladder_exempt(f: Facts) -> Ev:
    return all_of(f.urine_infection_symptoms(), f.ces_all_no(), not_(f.leg_nerve_both_sides()))


def _bl4a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(f.new_bladder_symptoms(), f.any_leg_symptoms(), not_(_bladder_exempt(f)))


def _bl4a_exempt(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(f.new_bladder_symptoms(), f.any_leg_symptoms(), _bladder_exempt(f))


def _bl4b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(f.new_bladder_symptoms(), not_(f.any_leg_symptoms()))


# Blood thinners and falls (item 6, review R9).


def _bt6a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(f.history("blood_thinners"), f.is_("pain.trauma", "minor", "major"))


def _bt6b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("blood_thinners"),
        f.severe(t),
        f.sudden_or_unknown_onset(),
        f.no_trauma_reported(),
    )


def _fr6c(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.true("pain.fall_or_blow"),
        any_of(f.age_at_least(t.fall_fracture_min_age), f.worsening()),
    )


# Bone stress (item 8, review R8).


def _hop_with_bone_pain(f: Facts) -> Ev:
    return all_of(f.true("pain.hurts_to_hop"), f.pain_in(*BONE_STRESS_REGIONS))


def _bs8a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        _hop_with_bone_pain(f),
        any_of(f.bone_stress_risk(t), f.true("pain.limp"), f.is_("pain.night", "constant")),
    )


def _groin_hop(f: Facts) -> Ev:
    return all_of(f.pain_in(*GROIN_REGIONS), f.true("pain.hurts_to_hop"))


def _groin_hop_warning(f: Facts, t: Thresholds) -> Ev:
    return any_of(
        f.true("pain.limp"),
        f.has("pain.aggravated_by", "walking"),
        f.is_("pain.night", "wakes_me", "constant"),
        f.bone_stress_risk(t),
    )


def _bs8c(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_groin_hop(f), _groin_hop_warning(f, t))


def _bs8c_soon(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(_groin_hop(f), not_(_groin_hop_warning(f, t)))


def _sp8d(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.under(t.adult_age),
        f.has("pain.aggravated_by", "bending_backward"),
        f.duration_at_least(t.young_extension_min_days),
    )


# After birth (item 11).


def _pn11(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.true("running.pelvic_floor_symptoms"),
        f.postpartum_weeks_under(t.postnatal_no_run_weeks, absent_counts=False),
    )


# Infection, very unwell, bleeding and cord compression (item 13, review R4).


def _se13a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return f.true("general.very_unwell_signs")


def _in13b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        any_of(f.true("general.fever_or_chills"), possible_spinal_infection(f)),
        any_of(
            f.leg_weakness(),
            f.true("neuro.leg_drags_or_trips"),
            f.leg_nerve_both_sides(),
            f.ces_yes_or_unsure(),
        ),
    )


def _bt13c(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("blood_thinners"),
        any_of(
            f.new_leg_nerve_signs(),
            f.true("neuro.leg_drags_or_trips"),
            f.ces_yes_or_unsure(),
            f.true("general.lightheaded_or_sweaty"),
        ),
    )


def _cc13d(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.true("neuro.leg_drags_or_trips"),
        any_of(
            f.leg_nerve_both_sides(),
            f.has("neuro.numbness", "abdomen", "upper_back"),
            f.has("neuro.tingling", "abdomen", "upper_back"),
        ),
    )


def _ca13e(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("cancer"),
        Ev("E7" not in fired),
        any_of(
            f.pain_in("upper_back"),
            f.is_("pain.night", "wakes_me", "constant"),
            f.has("pain.aggravated_by", "coughing_sneezing"),
            f.worsening(),
        ),
    )


# Exertion, testicle and sickle cell (item 19, review R10).


def _rh19a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return f.true("general.dark_urine")


def _rh19a_emergency(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.true("general.dark_urine"),
        any_of(f.true("general.vomiting"), f.true("general.very_unwell_signs")),
    )


def _tt19b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return f.true("general.testicle_pain")


def _sc19c(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("sickle_cell_disease"),
        any_of(f.severe(t), f.true("general.feels_unwell")),
    )


def _sc19c_emergency(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.history("sickle_cell_disease"),
        any_of(
            f.true("general.fever_or_chills"),
            f.true("general.chest_pain_or_breathless"),
            f.new_leg_nerve_signs(),
            f.true("general.very_unwell_signs"),
        ),
    )


# Under 18 (item 20, review R11).


def _y20a(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.under(t.adult_age),
        any_of(
            f.is_("pain.night", "constant"),
            f.true("general.unexplained_weight_loss"),
            f.not_mechanical(),
        ),
    )


def _y20b(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.under(t.adult_age),
        any_of(
            f.is_("pain.night", "wakes_me"),
            all_of(f.duration_at_least(t.young_persistent_days), f.not_improving_v2()),
        ),
    )


def _y20c(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.under(t.adult_age),
        any_of(f.leg_nerve_either_side(), f.nonempty("neuro.weakness"), f.ces_yes_or_unsure()),
    )


def _y20d(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.under(t.adult_age),
        f.pain_in(
            *GROIN_REGIONS,
            "hip_side_left",
            "hip_side_right",
            "thigh_front_left",
            "thigh_front_right",
        ),
        f.true("pain.limp"),
    )


AAA = "abdominal_aortic_aneurysm"
CES = "cauda_equina_syndrome"
CARDIO = "cardiopulmonary_emergency"
FRACTURE = "spinal_fracture"
INFECTION = "spinal_infection"
MALIGNANCY = "malignancy"
NEURO_DEFICIT = "progressive_neurological_deficit"
PREGNANCY = "pregnancy_complication"
BLEEDING = "bleeding_on_blood_thinners"
BONE_STRESS = "bone_stress_injury"
ACUTE_ABDOMEN = "acute_abdomen"
SEPSIS = "sepsis"
RHABDO = "rhabdomyolysis"
TORSION = "testicular_torsion"
SICKLE = "sickle_cell_crisis"
VISCERAL = "visceral_referred"

CES_SOURCES = ("bass_sbns2018", "girft_ces2023", "bmj_bp_ces", "nice_cks_sciatica")
AORTA_SOURCES = ("nice_ng156", "azhar2014", "hagan2000_irad")
EARLY_PREGNANCY_SOURCES = ("nice_ng126", "nhs_ectopic")
LATER_PREGNANCY_SOURCES = ("nhs_fetal_movements", "nhs_preeclampsia", "mayo_abruption")
BONE_STRESS_SOURCES = ("desouza2014_triad", "mountjoy2023_reds", "robertson_wood2017")

# fmt: off
RULES: tuple[TriageRule, ...] = (
    TriageRule("E1", "emergency", (CES,), None, ("bass_sbns2018", "nice_cks_sciatica"), _e1),
    TriageRule("E2", "emergency", (CES,), None, ("bass_sbns2018", "bmj_bp_ces"), _e2),
    TriageRule("E3", "emergency", (AAA,), None, ("aaa_em_texts",), _e3),
    TriageRule("E4", "emergency", (CARDIO,), None, ("aaa_em_texts", "finucane2020"), _e4),
    TriageRule("E4", "emergency", (AAA,), None, ("aaa_em_texts",), _e4_from_aaa_age),
    TriageRule("E5", "emergency", (CARDIO,), None, ("finucane2020",), _e5),
    TriageRule("E6", "emergency", (FRACTURE,), None, ("nice_cks_sciatica", "downie2013"), _e6),
    TriageRule("E7", "emergency", (MALIGNANCY,), None, ("nice_ng234", "nice_cks_sciatica"), _e7),
    TriageRule("AO1a", "emergency", (AAA,), None, AORTA_SOURCES, _ao1a),
    TriageRule("AO1c", "emergency", (AAA,), None, AORTA_SOURCES, _ao1c),
    TriageRule("AO1d", "emergency", (AAA,), None, AORTA_SOURCES, _ao1d),
    TriageRule("AO1e", "emergency", (AAA,), None, AORTA_SOURCES, _ao1e_aortic),
    TriageRule("AO1e", "emergency", (PREGNANCY,), None, ("nice_ng126", "nhs_ectopic"), _ao1e_pregnancy),
    TriageRule("AO1e", "emergency", (ACUTE_ABDOMEN,), None, ("azhar2014",), _ao1e_abdomen),
    TriageRule("AB2a.e", "emergency", (ACUTE_ABDOMEN,), VISCERAL, ("jarvik_deyo2002", "azhar2014"), _ab2a_emergency),
    TriageRule("PR2c", "emergency", (PREGNANCY,), None, EARLY_PREGNANCY_SOURCES, _pr2c),
    TriageRule("PR2d", "emergency", (PREGNANCY,), None, LATER_PREGNANCY_SOURCES, _pr2d),
    TriageRule("BL4a", "emergency", (CES,), None, CES_SOURCES, _bl4a),
    TriageRule("SE13a", "emergency", (SEPSIS,), None, ("nice_ng253", "nhs_sepsis"), _se13a),
    TriageRule("IN13b", "emergency", (INFECTION,), None, ("yusuf2019", "nice_ng253"), _in13b),
    TriageRule("BT13c", "emergency", (BLEEDING,), None, ("nice_cks_sciatica",), _bt13c),
    TriageRule("CC13d", "emergency", (NEURO_DEFICIT,), None, ("nice_ng234", "gpnotebook_neuro"), _cc13d),
    TriageRule("RH19a.e", "emergency", (RHABDO,), None, ("nye2021_rhabdo",), _rh19a_emergency),
    TriageRule("TT19b", "emergency", (TORSION,), None, ("girft_torsion",), _tt19b),
    TriageRule("SC19c.e", "emergency", (SICKLE,), None, ("nice_cg143",), _sc19c_emergency),
    TriageRule("U1", "urgent", (NEURO_DEFICIT,), None, ("nhs_ces_pathway", "gpnotebook_neuro"), _u1),
    TriageRule("U2", "urgent", (INFECTION,), None, ("yusuf2019", "nhs_ces_pathway"), _u2),
    TriageRule("U3", "urgent", (), "visceral_referred", ("jarvik_deyo2002",), _u3),
    TriageRule("U4", "urgent", (MALIGNANCY,), None, ("nice_ng234", "downie2013", "finucane2020"), _u4),
    TriageRule("U5", "urgent", (FRACTURE,), None, ("henschke2009",), _u5),
    TriageRule("U6", "urgent", (FRACTURE,), None, ("nice_cks_sciatica",), _u6),
    TriageRule("U7", "urgent", (), "visceral_referred", ("jarvik_deyo2002",), _u7),
    TriageRule("U8", "urgent", (PREGNANCY,), None, ("nice_ng126", "nhs_preeclampsia"), _u8),
    TriageRule("AO1b", "urgent", (AAA,), None, AORTA_SOURCES, _ao1b),
    TriageRule("AO1c.u", "urgent", (AAA,), None, AORTA_SOURCES, _ao1c_urgent),
    TriageRule("AO1f", "urgent", (AAA,), None, AORTA_SOURCES, _ao1f),
    TriageRule("AB2a", "urgent", (), VISCERAL, ("jarvik_deyo2002", "azhar2014"), _ab2a),
    TriageRule("PR2b", "urgent", (PREGNANCY,), None, EARLY_PREGNANCY_SOURCES, _pr2b),
    TriageRule("PR2b.t", "urgent", (PREGNANCY,), None, EARLY_PREGNANCY_SOURCES, _pr2b_test),
    TriageRule("CE3b", "urgent", (CES,), None, (*CES_SOURCES, "hsib_ces"), _ce3b),
    TriageRule("CE3c.u", "urgent", (CES,), None, (*CES_SOURCES, "hsib_ces"), _ce3c_urgent),
    TriageRule("BL4a.x", "urgent", (CES,), None, CES_SOURCES, _bl4a_exempt),
    TriageRule("BL4b", "urgent", (), VISCERAL, CES_SOURCES, _bl4b),
    TriageRule("BT6a", "urgent", (BLEEDING,), None, ("nice_cks_sciatica",), _bt6a),
    TriageRule("BT6b", "urgent", (BLEEDING,), None, ("nice_cks_sciatica",), _bt6b),
    TriageRule("BS8c", "urgent", (BONE_STRESS,), None, BONE_STRESS_SOURCES, _bs8c),
    TriageRule("CA13e", "urgent", (MALIGNANCY,), None, ("downie2013", "nice_ng234"), _ca13e),
    TriageRule("RH19a", "urgent", (RHABDO,), None, ("nye2021_rhabdo",), _rh19a),
    TriageRule("SC19c", "urgent", (SICKLE,), None, ("nice_cg143",), _sc19c),
    TriageRule("Y20a", "urgent", (MALIGNANCY,), None, ("nice_ng12", "cclg_bone_tumour"), _y20a),
    TriageRule("Y20c", "urgent", (NEURO_DEFICIT,), None, ("nice_ng12", "bass_sbns2018"), _y20c),
    TriageRule("Y20d", "urgent", (), None, ("rch_scfe", "cks_childhood_limp"), _y20d),
    TriageRule("CE3d", "soon", (), None, (*CES_SOURCES, "hsib_ces"), _ce3d),
    TriageRule("CE3c.s", "soon", (CES,), None, (*CES_SOURCES, "hsib_ces"), _ce3c_soon),
    TriageRule("E2.x", "soon", (), None, ("bass_sbns2018", "suri2010"), _e2_exempt),
    TriageRule("FR6c", "soon", (FRACTURE,), None, ("henschke2009", "downie2013"), _fr6c),
    TriageRule("BS8a", "soon", (BONE_STRESS,), None, BONE_STRESS_SOURCES, _bs8a),
    TriageRule("BS8c.s", "soon", (BONE_STRESS,), None, BONE_STRESS_SOURCES, _bs8c_soon),
    TriageRule("SP8d", "soon", (), "spondylolysis", ("micheli1995",), _sp8d),
    TriageRule("PN11", "soon", (), None, ("goom2019",), _pn11),
    TriageRule("Y20b", "soon", (), None, ("nice_ng12", "cclg_bone_tumour"), _y20b),
    TriageRule("S1", "soon", (FRACTURE,), None, ("henschke2009",), _s1),
    TriageRule("S2", "soon", (INFECTION,), None, ("finucane2020",), _s2),
    TriageRule("S3", "soon", (MALIGNANCY,), None, ("nice_ng12", "verhagen2016"), _s3),
    TriageRule("S4", "soon", (), "lumbar_spinal_stenosis", ("suri2010", "katz1995"), _s4),
    TriageRule("S5", "soon", (), "radicular_sciatica", ("nice_ng59", "peul2007"), _s5),
    TriageRule("S6", "soon", (), "inflammatory_back_pain", ("sieper2009", "nice_ng65"), _s6),
    TriageRule("S7", "soon", (), "spondylolysis", ("micheli1995",), _s7),
    TriageRule("S8", "soon", (), None, ("nice_ng59", "acp2017"), _s8),
    TriageRule("S9", "soon", (), None, ("nice_ng59",), _s9),
    TriageRule("S10", "soon", (), None, ("hill2011", "nice_ng59"), _s10),
    TriageRule("S11", "soon", (), "visceral_referred", ("jarvik_deyo2002",), _s11),
)
# fmt: on

RULE_IDS: tuple[str, ...] = tuple(dict.fromkeys(rule.id for rule in RULES))
# Each row's condition, compiled to stop as soon as its answer is known (deciders.py).
DECIDERS: tuple[RuleCondition, ...] = tuple(decider(rule.when) for rule in RULES)


def fire_rules(facts: Facts, thresholds: Thresholds) -> tuple[RuleHit, ...]:
    """Every rule row that fires, in table order, with the findings behind it.

    Each row is decided first (`DECIDERS`); only a row that fires is evaluated in
    full, for its findings, and must then hold too.
    """
    fired: Fired = frozenset()
    hits: list[RuleHit] = []
    for rule, decide in zip(RULES, DECIDERS, strict=True):
        if not decide(facts, thresholds, fired):
            continue
        outcome = rule.when(facts, thresholds, fired)
        if not outcome.ok:  # pragma: no cover - the decider is the same expression
            raise AssertionError(f"rule {rule.id}: decided to fire but does not hold")
        hits.append(RuleHit(rule, outcome.findings))
        fired = fired | {rule.id}
    return tuple(hits)


__all__ = [
    "LEVEL_ORDER",
    "RULES",
    "RULE_IDS",
    "RuleHit",
    "TriageLevel",
    "TriageRule",
    "fire_rules",
    "most_urgent",
]
