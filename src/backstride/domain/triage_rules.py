"""The triage policy (``contracts/triage-policy.md``, version 1) as a rule table.

One row per rule clause: its id, level, the red flags or cause it raises, its
sources and its condition, written one condition per line so a clinician can
read each row against the policy. Numbers come from
:class:`~backstride.domain.thresholds.Thresholds`. A rule id may have more than
one row when a clause raises a different flag (E4 raises the aneurysm flag
only from age 50).

Rules are evaluated in table order; the few that say "without rule X" look at
the ids that already fired, and every such X comes earlier in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from backstride.domain.evidence import Ev, all_of, any_of, at_least, not_
from backstride.domain.facts import Facts, below_knee_regions, leg_regions
from backstride.domain.thresholds import Thresholds

Level = Literal["emergency", "urgent", "soon", "self_care"]
LEVEL_ORDER: dict[str, int] = {"self_care": 0, "soon": 1, "urgent": 2, "emergency": 3}

Fired = frozenset[str]
Condition = Callable[[Facts, Thresholds, Fired], Ev]

RISK_OF_INFECTION = ("iv_drug_use", "immunosuppressed", "recent_spinal_surgery_or_injection")
FRACTURE_RISK_HISTORY = ("osteoporosis", "long_term_steroids")
NEURO_LISTS = ("neuro.numbness", "neuro.tingling", "neuro.weakness")


@dataclass(frozen=True, slots=True)
class TriageRule:
    id: str
    level: Level
    red_flags: tuple[str, ...]
    cause: str | None
    sources: tuple[str, ...]
    when: Condition


@dataclass(frozen=True, slots=True)
class RuleHit:
    rule: TriageRule
    findings: tuple[str, ...]


# -- shared definitions ---------------------------------------------------------


def fragility_fracture(f: Facts, t: Thresholds) -> Ev:
    """Policy term F: possible fragility fracture."""
    return any_of(
        all_of(
            f.is_("pain.trauma", "minor"),
            any_of(f.history(*FRACTURE_RISK_HISTORY), f.age_at_least(t.fragility_min_age)),
        ),
        all_of(
            f.age_at_least(t.fragility_min_age),
            f.is_("pain.onset", "sudden"),
            f.history(*FRACTURE_RISK_HISTORY),
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


def _e2(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return any_of(
        all_of(
            f.has("neuro.weakness", *below_knee_regions("left")),
            f.has("neuro.weakness", *below_knee_regions("right")),
        ),
        all_of(
            f.bilateral_radicular(),
            f.leg_onset_within(t.ces_bilateral_leg_onset_days),
            not_(f.stenosis_pattern()),
        ),
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
    return any_of(
        all_of(f.true("general.fever_or_chills"), not_(f.true("general.urinary_symptoms"))),
        all_of(
            f.history(*RISK_OF_INFECTION),
            any_of(
                f.true("general.fever_or_chills"),
                f.true("general.feels_unwell"),
                f.true("general.recent_infection"),
                f.is_("pain.night", "constant"),
            ),
        ),
    )


def _u3(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return f.true("general.urinary_symptoms")


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


def _u7(f: Facts, t: Thresholds, fired: Fired) -> Ev:
    return all_of(
        f.pain_in("flank_left", "flank_right"),
        f.not_mechanical(),
        f.worst_at_least(t.visceral_severe_worst),
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
        all_of(f.history("cancer"), Ev("E7" not in fired and "U4" not in fired)),
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


AAA = "abdominal_aortic_aneurysm"
CES = "cauda_equina_syndrome"
CARDIO = "cardiopulmonary_emergency"
FRACTURE = "spinal_fracture"
INFECTION = "spinal_infection"
MALIGNANCY = "malignancy"
NEURO_DEFICIT = "progressive_neurological_deficit"
PREGNANCY = "pregnancy_complication"

# fmt: off
RULES: tuple[TriageRule, ...] = (
    TriageRule("E1", "emergency", (CES,), None, ("bass_sbns2018", "nice_cks_sciatica"), _e1),
    TriageRule("E2", "emergency", (CES,), None, ("bass_sbns2018",), _e2),
    TriageRule("E3", "emergency", (AAA,), None, ("aaa_em_texts",), _e3),
    TriageRule("E4", "emergency", (CARDIO,), None, ("aaa_em_texts", "finucane2020"), _e4),
    TriageRule("E4", "emergency", (AAA,), None, ("aaa_em_texts",), _e4_from_aaa_age),
    TriageRule("E5", "emergency", (CARDIO,), None, ("finucane2020",), _e5),
    TriageRule("E6", "emergency", (FRACTURE,), None, ("nice_cks_sciatica", "downie2013"), _e6),
    TriageRule("E7", "emergency", (MALIGNANCY,), None, ("nice_ng234", "nice_cks_sciatica"), _e7),
    TriageRule("U1", "urgent", (NEURO_DEFICIT,), None, ("nhs_ces_pathway", "gpnotebook_neuro"), _u1),
    TriageRule("U2", "urgent", (INFECTION,), None, ("yusuf2019", "nhs_ces_pathway"), _u2),
    TriageRule("U3", "urgent", (), "visceral_referred", ("jarvik_deyo2002",), _u3),
    TriageRule("U4", "urgent", (MALIGNANCY,), None, ("nice_ng234", "downie2013", "finucane2020"), _u4),
    TriageRule("U5", "urgent", (FRACTURE,), None, ("henschke2009",), _u5),
    TriageRule("U6", "urgent", (FRACTURE,), None, ("nice_cks_sciatica",), _u6),
    TriageRule("U7", "urgent", (), "visceral_referred", ("jarvik_deyo2002",), _u7),
    TriageRule("U8", "urgent", (PREGNANCY,), None, ("nice_ng126",), _u8),
    TriageRule("S1", "soon", (FRACTURE,), None, ("henschke2009",), _s1),
    TriageRule("S2", "soon", (INFECTION,), None, ("finucane2020",), _s2),
    TriageRule("S3", "soon", (MALIGNANCY,), None, ("nice_ng12", "verhagen2016"), _s3),
    TriageRule("S4", "soon", (), "lumbar_spinal_stenosis", ("suri2010", "katz1995"), _s4),
    TriageRule("S5", "soon", (), "radicular_sciatica", ("nice_ng59", "peul2007"), _s5),
    TriageRule("S6", "soon", (), "inflammatory_back_pain", ("sieper2009", "nice_ng65"), _s6),
    TriageRule("S7", "soon", (), "spondylolysis", ("micheli1995",), _s7),
    TriageRule("S8", "soon", (), None, ("nice_ng59", "acp2017"), _s8),
    TriageRule("S9", "soon", (), None, ("seed003", "nice_ng59"), _s9),
    TriageRule("S10", "soon", (), None, ("hill2011", "nice_ng59"), _s10),
    TriageRule("S11", "soon", (), "visceral_referred", ("jarvik_deyo2002",), _s11),
)
# fmt: on

RULE_IDS: tuple[str, ...] = tuple(dict.fromkeys(rule.id for rule in RULES))


def fire_rules(facts: Facts, thresholds: Thresholds) -> tuple[RuleHit, ...]:
    """Every rule row that fires, in table order."""
    fired: set[str] = set()
    hits: list[RuleHit] = []
    for rule in RULES:
        outcome = rule.when(facts, thresholds, frozenset(fired))
        if outcome.ok:
            hits.append(RuleHit(rule, outcome.findings))
            fired.add(rule.id)
    return tuple(hits)


def most_urgent(levels: list[str]) -> Level:
    best: Level = "self_care"
    for level in levels:
        if LEVEL_ORDER[level] > LEVEL_ORDER[best]:
            best = level  # type: ignore[assignment]
    return best
