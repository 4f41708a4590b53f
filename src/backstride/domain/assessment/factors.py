"""Contributing factors: training and lifestyle features worth changing.

Descriptive, never a diagnosis or a prediction (triage policy, "Contributing
factors"). Each factor is one condition on the ``running`` and ``person``
answers and the numbers its sentence quotes; the sentence itself, the sources
and whether the threshold is a product heuristic live in
``content/factors.yaml``.

Version 2 (clinical-v2 §2 and item 11, review R8 and R11 20e): a low-energy
factor, a pelvic-floor factor, no weight factor in pregnancy, within a year of
birth or under 18, and cycling alone no longer counts towards tight hip
flexors. The rules read the intake through :class:`FactsV2`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backstride.domain.assessment.evidence import NO, Ev, all_of, any_of
from backstride.domain.assessment.facts import TOLERANCE, Facts, FactsV2, format_value
from backstride.domain.assessment.thresholds import Thresholds

HARD_SURFACES = ("asphalt", "concrete")
Numbers = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FactorRule:
    id: str
    when: Callable[[FactsV2, Thresholds], Ev]
    numbers: Callable[[FactsV2, Thresholds], Numbers]


@dataclass(frozen=True, slots=True)
class FactorHit:
    id: str
    findings: tuple[str, ...]
    numbers: Numbers


def _load_spike(f: Facts, t: Thresholds) -> Ev:
    last, before = f.value("running.km_last_week"), f.value("running.km_per_week_before")
    if last is None or before is None:
        return NO
    return all_of(
        f.ge("running.km_last_week", t.load_spike_ratio * before),
        f.ge("running.km_last_week", before + t.load_spike_min_km),
        f.ge("running.km_per_week_before", 0),
    )


def _load_numbers(f: Facts, t: Thresholds) -> Numbers:
    last, before = f.value("running.km_last_week"), f.value("running.km_per_week_before")
    ratio = f"{last / before:.1f}" if before else "n/a"
    return {"before": format_value(before), "last": format_value(last), "ratio": ratio}


def _return_too_fast(f: Facts, t: Thresholds) -> Ev:
    return all_of(
        f.ge("running.returned_after_break_weeks", t.return_min_break_weeks),
        any_of(
            f.ge("running.runs_per_week", t.return_min_runs_per_week),
            f.ge("running.km_last_week", t.return_min_km_last_week),
        ),
    )


def _return_numbers(f: Facts, t: Thresholds) -> Numbers:
    runs, km = f.value("running.runs_per_week"), f.value("running.km_last_week")
    volume = []
    if runs is not None:
        volume.append(f"{format_value(runs)} runs")
    if km is not None:
        volume.append(f"{format_value(km)} km")
    return {
        "weeks": format_value(f.value("running.returned_after_break_weeks")),
        "volume": " and ".join(volume),
    }


def _hard_surfaces(f: Facts, t: Thresholds) -> Ev:
    surfaces = f.items("running.surfaces")
    if not surfaces or any(s not in HARD_SURFACES for s in surfaces):
        return NO
    return f.nonempty("running.surfaces")


def _excess_weight(f: FactsV2, t: Thresholds) -> Ev:
    # No weight advice in pregnancy, within a year of birth (an unknown time since
    # birth counts as within it) or under 18 (clinical-v2 item 11, review R11 20e).
    if f.pregnant_or_recent_birth(t) or f.under(t.adult_age):
        return NO
    bmi = f.bmi()
    if bmi is None or bmi < t.excess_weight_bmi - 1e-9:
        return NO
    return all_of(f.ge("person.height_cm", 0), f.ge("person.weight_kg", 0))


def _low_energy_availability(f: FactsV2, t: Thresholds) -> Ev:
    # Review R8 (BMI only from 18, never in pregnancy or within a year of birth;
    # R11 20e: under 18 from periods alone). Periods stop in pregnancy, and the
    # question is not asked then (R8), so pregnancy never raises this factor.
    if f.history("pregnant"):
        return NO
    return f.low_energy_availability(t)


def _low_bmi_counts(f: FactsV2, t: Thresholds) -> bool:
    """A BMI under the low-BMI threshold that the R8 definition may use."""
    bmi = f.bmi()
    return (
        bmi is not None
        and bmi < t.low_bmi - TOLERANCE
        and not f.under(t.adult_age)
        and not f.pregnant_or_recent_birth(t)
    )


def _low_energy_numbers(f: FactsV2, t: Thresholds) -> Numbers:
    # Name what fired and nothing else; a low BMI is named, never its number.
    low_bmi = _low_bmi_counts(f, t)
    periods = f.value("person.periods")
    reasons = []
    if periods == "stopped_3_months":
        reasons.append("your periods have stopped for three months or more")
    elif periods == "irregular" and low_bmi:
        reasons.append("your periods are irregular")
    if low_bmi:
        reasons.append(
            f"your height and weight give a body mass index under {format_value(t.low_bmi)}"
        )
    return {"reasons": " and ".join(reasons)}


def _no_cross_training(f: Facts, t: Thresholds) -> Ev:
    # Only an explicit "none": an absent answer is not "no cross-training".
    return (
        f.has("running.cross_training", "none")
        if f.items("running.cross_training") == ("none",)
        else NO
    )


def _value(path: str, key: str = "value") -> Callable[[Facts, Thresholds], Numbers]:
    def numbers(f: Facts, t: Thresholds) -> Numbers:
        return {key: format_value(f.value(path))}

    return numbers


def _none(f: Facts, t: Thresholds) -> Numbers:
    return {}


def _hip_flexor_reason(f: FactsV2, t: Thresholds) -> Numbers:
    # Cycling alone is no longer a reason (clinical-v2 §2: no evidence); only
    # long sitting raises this factor, so it is the only reason named.
    hours = format_value(f.value("running.sitting_hours_per_day"))
    return {"reasons": f"{hours} hours of sitting a day"}


# fmt: off
FACTORS: tuple[FactorRule, ...] = (
    FactorRule("load_spike", _load_spike, _load_numbers),
    FactorRule("return_too_fast", _return_too_fast, _return_numbers),
    FactorRule("new_runner", lambda f, t: f.lt("running.years_running", t.new_runner_max_years), _value("running.years_running", "years")),
    FactorRule("hard_surfaces", _hard_surfaces, lambda f, t: {"surfaces": " and ".join(f.items("running.surfaces"))}),
    FactorRule("worn_shoes", lambda f, t: f.ge("running.shoe_km", t.worn_shoe_km), lambda f, t: {"km": format_value(f.value("running.shoe_km")), "limit": format_value(t.worn_shoe_km)}),
    FactorRule("low_cadence_overstriding", lambda f, t: f.lt("running.cadence_spm", t.low_cadence_spm), lambda f, t: {"spm": format_value(f.value("running.cadence_spm")), "limit": format_value(t.low_cadence_spm)}),
    FactorRule("prolonged_sitting", lambda f, t: f.ge("running.sitting_hours_per_day", t.prolonged_sitting_hours), _value("running.sitting_hours_per_day", "hours")),
    FactorRule("tight_hip_flexors", lambda f, t: f.ge("running.sitting_hours_per_day", t.prolonged_sitting_hours), _hip_flexor_reason),
    FactorRule("weak_core_glutes", lambda f, t: f.le("running.strength_sessions_per_week", 0), _none),
    FactorRule("no_warm_up", lambda f, t: f.false("running.warms_up"), _none),
    FactorRule("excess_weight", _excess_weight, lambda f, t: {"bmi": f"{f.bmi() or 0:.1f}"}),
    FactorRule("no_cross_training", _no_cross_training, _none),
    FactorRule("low_energy_availability", _low_energy_availability, _low_energy_numbers),
    FactorRule("pelvic_floor_symptoms", lambda f, t: f.true("running.pelvic_floor_symptoms"), _none),
)
# fmt: on

FACTOR_IDS: tuple[str, ...] = tuple(rule.id for rule in FACTORS)


def find_factors(facts: Facts, thresholds: Thresholds) -> tuple[FactorHit, ...]:
    """The factors the intake shows, in the order of :data:`FACTORS`.

    ``facts`` is read with the version-2 definitions (:class:`FactsV2`) whatever
    view of the intake the caller passes.
    """
    v2 = facts if isinstance(facts, FactsV2) else FactsV2(facts.intake)
    hits = []
    for rule in FACTORS:
        outcome = rule.when(v2, thresholds)
        if outcome.ok:
            hits.append(FactorHit(rule.id, outcome.findings, rule.numbers(v2, thresholds)))
    return tuple(hits)
