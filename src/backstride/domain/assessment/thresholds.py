"""Every number the assessment and the plan compare against, by name.

The values live in one reviewed place, ``content/thresholds.yaml`` (sections
``thresholds`` and ``plan``), each marked as a published cut-off, a policy choice
or a product heuristic, with its sources. These classes only give them names the
code can use; the knowledge base carries both.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Thresholds:
    # Red flags and triage (triage-policy.md)
    ces_bilateral_leg_onset_days: int
    aaa_min_age: int
    visceral_severe_worst: int
    major_trauma_emergency_days: int
    cancer_urgent_min_age: int
    fragility_min_age: int
    fracture_severe_worst: int
    older_new_pain_max_days: int
    malignancy_min_age: int
    new_pain_max_days: int
    radicular_severe_worst: int
    radicular_persistent_days: int
    inflammatory_min_days: int
    inflammatory_max_onset_age: int
    inflammatory_young_onset_age: int
    inflammatory_min_features: int
    inflammatory_morning_stiffness_min: int
    spondylolysis_max_age: int
    spondylolysis_min_days: int
    persistent_min_days: int
    worsening_min_days: int
    severe_worst: int
    outlook_medium_count: int
    outlook_high_count: int
    # Version 2 (docs/reference/triage-policy.md)
    severe_pain_worst: int
    aortic_min_age: int
    aortic_risk_min_age: int
    aortic_recent_days: int
    aortic_postpartum_weeks: int
    kidney_severe_worst: int
    cramping_flank_worst: int
    stitch_max_pain_now: int
    bilateral_long_standing_days: int
    stenosis_exemption_min_age: int
    fall_fracture_min_age: int
    later_pregnancy_weeks: int
    postnatal_no_run_weeks: int
    postnatal_weight_advice_weeks: int
    postnatal_sepsis_weeks: int
    low_bmi: float
    adult_age: int
    parent_age: int
    young_persistent_days: int
    young_extension_min_days: int
    # Running advice
    pause_pain_now: int
    pause_worst: int
    continue_max_pain_now: int
    # Contributing factors
    load_spike_ratio: float
    load_spike_min_km: float
    return_min_break_weeks: int
    return_min_runs_per_week: float
    return_min_km_last_week: float
    new_runner_max_years: float
    worn_shoe_km: float
    low_cadence_spm: float
    prolonged_sitting_hours: float
    excess_weight_bmi: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class PlanThresholds:
    """The plan's calendar and builder (``domain/plan``): all product heuristics."""

    # Days of the plan that are dated; the prevent phase then stays open.
    dated_weeks: int
    # Settle lasts longer when the pain is worse.
    settle_days_severe: int
    settle_days_moderate: int
    settle_days_mild: int
    restore_days: int
    strengthen_days: int
    return_days: int
    # Maintenance: strength this many times a week (fewer if the runner has fewer days).
    prevent_sessions_per_week: int
    # With an appointment due within 1-2 weeks, the walk-run programme waits for it.
    seen_by_days: int
    # Pain now at or above this is severe: the only time the plan offers relative rest.
    severe_pain_now: int

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
