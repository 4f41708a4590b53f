"""Contributing factors: training and lifestyle features worth changing.

Descriptive, never a diagnosis or a prediction (triage policy, "Contributing
factors"). Each factor is one condition on the ``running`` and ``person``
answers and the numbers its sentence quotes; the sentence itself, the sources
and whether the threshold is a product heuristic live in
``content/factors.yaml``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backstride.domain.evidence import NO, Ev, all_of, any_of
from backstride.domain.facts import Facts, format_value
from backstride.domain.thresholds import Thresholds

HARD_SURFACES = ("asphalt", "concrete")
Numbers = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FactorRule:
    id: str
    when: Callable[[Facts, Thresholds], Ev]
    numbers: Callable[[Facts, Thresholds], Numbers]


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


def _excess_weight(f: Facts, t: Thresholds) -> Ev:
    bmi = f.bmi()
    if bmi is None or bmi < t.excess_weight_bmi - 1e-9:
        return NO
    return all_of(f.ge("person.height_cm", 0), f.ge("person.weight_kg", 0))


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


def _hip_flexor_reason(f: Facts, t: Thresholds) -> Numbers:
    reasons = []
    if f.ge("running.sitting_hours_per_day", t.prolonged_sitting_hours):
        hours = format_value(f.value("running.sitting_hours_per_day"))
        reasons.append(f"{hours} hours of sitting a day")
    cycling = f.has("running.cross_training", "cycling", "indoor_cycling")
    if cycling:
        reasons.append("regular cycling")
    return {"reasons": " and ".join(reasons)}


# fmt: off
FACTORS: tuple[FactorRule, ...] = (
    FactorRule("load_spike", _load_spike, _load_numbers),
    FactorRule("return_too_fast", _return_too_fast, _return_numbers),
    FactorRule("new_runner", lambda f, t: f.lt("running.years_running", t.new_runner_max_years), _value("running.years_running", "years")),
    FactorRule("hard_surfaces", _hard_surfaces, lambda f, t: {"surfaces": " and ".join(f.items("running.surfaces"))}),
    FactorRule("worn_shoes", lambda f, t: f.ge("running.shoe_km", t.worn_shoe_km), lambda f, t: {"km": format_value(f.value("running.shoe_km")), "limit": format_value(t.worn_shoe_km)}),
    FactorRule("low_cadence_overstriding", lambda f, t: f.lt("running.cadence_spm", t.low_cadence_spm), lambda f, t: {"spm": format_value(f.value("running.cadence_spm")), "limit": format_value(t.low_cadence_spm)}),
    FactorRule("prolonged_sitting", lambda f, t: f.ge("running.sitting_hours_per_day", t.prolonged_sitting_hours), _value("running.sitting_hours_per_day", "hours")),
    FactorRule("tight_hip_flexors", lambda f, t: any_of(f.ge("running.sitting_hours_per_day", t.prolonged_sitting_hours), f.has("running.cross_training", "cycling", "indoor_cycling")), _hip_flexor_reason),
    FactorRule("weak_core_glutes", lambda f, t: f.le("running.strength_sessions_per_week", 0), _none),
    FactorRule("no_warm_up", lambda f, t: f.false("running.warms_up"), _none),
    FactorRule("excess_weight", _excess_weight, lambda f, t: {"bmi": f"{f.bmi() or 0:.1f}"}),
    FactorRule("no_cross_training", _no_cross_training, _none),
)
# fmt: on

FACTOR_IDS: tuple[str, ...] = tuple(rule.id for rule in FACTORS)


def find_factors(facts: Facts, thresholds: Thresholds) -> tuple[FactorHit, ...]:
    hits = []
    for rule in FACTORS:
        outcome = rule.when(facts, thresholds)
        if outcome.ok:
            hits.append(FactorHit(rule.id, outcome.findings, rule.numbers(facts, thresholds)))
    return tuple(hits)
