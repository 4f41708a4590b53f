"""Re-triage during recovery: when the check-ins say "get this looked at".

Each rule reads the check-in history (never the clock: ``today`` is passed in)
and, when it fires, returns an :class:`Escalation` with its rule id, a level on
the assessment's scale (``emergency | urgent | soon | self_care``), running
advice on the assessment's scale (``stop | pause | reduce | continue``), the
findings behind it and its sources. Rules are independent and every rule that
fires is reported, most urgent first, as in the triage policy.

| rule | fires when | level |
| --- | --- | --- |
| X1 | a warning sign answered yes in the last 7 days | per sign: :data:`WARNING_SIGN_RULES` |
| X2 | 7-day average pain up by at least 2 points on the 7 days before | soon |
| X3 | 7-day average pain higher each week for 3 weeks (at least 1 point in all) | soon |
| X4 | after 4 weeks, pain not meaningfully better, or PSFS not meaningfully better | soon |
| X5 | pain during and after each of the last 3 runs | self_care: back off a stage |

:data:`WARNING_SIGN_RULES` is plain data (question path → level, condition,
sources) so the assessment can reuse it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType

from backstride.domain.checkin import (
    CheckIn,
    PsfsScore,
    WarningSign,
    one_per_day,
)
from backstride.domain.return_to_run import (
    DEFAULT_THRESHOLDS as DEFAULT_PROGRAMME_THRESHOLDS,
)
from backstride.domain.return_to_run import (
    ProgrammeThresholds,
    hurts_during_and_after,
)

# Comparisons on computed averages allow for floating-point error, as the triage policy does.
_EPSILON = 1e-9


class Level(StrEnum):
    """The assessment's triage levels (contracts/assessment.md), most urgent first."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"
    SELF_CARE = "self_care"


_URGENCY = {level: rank for rank, level in enumerate(Level)}


class RunningAdvice(StrEnum):
    """The assessment's running advice values."""

    STOP = "stop"
    PAUSE = "pause"
    REDUCE = "reduce"
    CONTINUE = "continue"


LEVEL_HEADLINES = {
    Level.EMERGENCY: "Call the emergency number or go to an emergency department now.",
    Level.URGENT: "See a doctor today: same day, urgent care or out-of-hours.",
    Level.SOON: "Book a doctor or physiotherapist within about 1-2 weeks.",
    Level.SELF_CARE: "Adjust your programme.",
}


@dataclass(frozen=True, slots=True)
class WarningSignRule:
    """What a yes to one warning-sign question means.

    ``condition`` is the serious-condition id of the assessment contract the
    sign points to, or ``None`` when it points to none in particular.
    """

    level: Level
    condition: str | None
    plain: str
    sources: tuple[str, ...]


_CES = ("bass_sbns2018", "nice_cks_sciatica", "dionne2019")
_NEURO = ("nhs_ces_pathway", "gpnotebook_neuro")

# Same level as the intake rules for the same finding (triage-policy.md E1, E2,
# E3, E4, E5, U1, U2, S9). Two differences, both towards caution because a
# check-in knows less than an intake: a pulsating abdomen is an emergency at
# any age (the check-in does not know the age), and fever alone is urgent.
# New numbness is "soon", like numbness at intake; numbness that spreads is
# caught by neuro.getting_worse, which is urgent.
WARNING_SIGN_RULES: Mapping[WarningSign, WarningSignRule] = MappingProxyType(
    {
        WarningSign.SADDLE_NUMBNESS: WarningSignRule(
            Level.EMERGENCY,
            "cauda_equina_syndrome",
            "numbness between the legs or around the back passage",
            _CES,
        ),
        WarningSign.BLADDER_CHANGE: WarningSignRule(
            Level.EMERGENCY,
            "cauda_equina_syndrome",
            "a new change in passing or holding urine",
            _CES,
        ),
        WarningSign.BOWEL_CHANGE: WarningSignRule(
            Level.EMERGENCY,
            "cauda_equina_syndrome",
            "a new change in bowel control or feeling",
            _CES,
        ),
        WarningSign.SEXUAL_CHANGE: WarningSignRule(
            Level.EMERGENCY,
            "cauda_equina_syndrome",
            "a new loss of sexual function or genital feeling",
            _CES,
        ),
        WarningSign.SYMPTOMS_BOTH_LEGS: WarningSignRule(
            Level.EMERGENCY,
            "cauda_equina_syndrome",
            "leg pain, numbness or weakness now in both legs",
            _CES,
        ),
        WarningSign.CHEST_PAIN_OR_BREATHLESS: WarningSignRule(
            Level.EMERGENCY,
            "cardiopulmonary_emergency",
            "chest pain or unusual breathlessness",
            ("finucane2020",),
        ),
        WarningSign.FAINT_OR_COLLAPSE: WarningSignRule(
            Level.EMERGENCY,
            "cardiopulmonary_emergency",
            "fainting or collapsing",
            ("finucane2020", "aaa_em_texts"),
        ),
        WarningSign.PULSATING_ABDOMEN: WarningSignRule(
            Level.EMERGENCY,
            "abdominal_aortic_aneurysm",
            "a pulsating feeling in the belly",
            ("aaa_em_texts",),
        ),
        WarningSign.GETTING_WORSE: WarningSignRule(
            Level.URGENT,
            "progressive_neurological_deficit",
            "numbness or weakness spreading or getting worse",
            _NEURO,
        ),
        WarningSign.LEG_DRAGS_OR_TRIPS: WarningSignRule(
            Level.URGENT,
            "progressive_neurological_deficit",
            "a foot or leg dragging, or tripping",
            _NEURO,
        ),
        WarningSign.NEW_WEAKNESS: WarningSignRule(
            Level.URGENT,
            "progressive_neurological_deficit",
            "new weakness in a leg or foot",
            _NEURO,
        ),
        WarningSign.FEVER_OR_CHILLS: WarningSignRule(
            Level.URGENT,
            "spinal_infection",
            "fever, chills or shivering",
            ("yusuf2019", "nhs_ces_pathway"),
        ),
        WarningSign.NEW_NUMBNESS: WarningSignRule(
            Level.SOON,
            None,
            "new numbness or pins and needles in a leg or foot",
            ("nice_ng59",),
        ),
    }
)

WARNING_SIGN_LEVELS: Mapping[str, Level] = MappingProxyType(
    {sign.value: rule.level for sign, rule in WARNING_SIGN_RULES.items()}
)


@dataclass(frozen=True, slots=True)
class EscalationThresholds:
    """Every number the escalation rules compare against.

    Sourced where a source is named; the rest are product heuristics for
    clinical review.
    """

    # X1: a yes stays current for as long as the screen stays current (product heuristic).
    warning_answer_valid_days: int = 7
    # X2, X3: an average needs at least this many check-ins in its 7 days (heuristic).
    min_checkins_per_week: int = 3
    # X2: minimal detectable and important change on the 0-10 scale (childs2005).
    weekly_rise_points: float = 2.0
    # X3: weeks of steady rise, and the least total rise that counts (heuristic).
    trend_weeks: int = 3
    trend_min_total_rise: float = 1.0
    # X4: review at 4 weeks, within the 4-6 week window of the triage policy.
    review_after_days: int = 28
    # X4: meaningful improvement is 2 points or 30% (childs2005, farrar2001).
    pain_improvement_points: float = 2.0
    pain_improvement_share: float = 0.3
    # X4: below this 7-day average the runner counts as recovered (kamper2010: 0).
    recovered_pain_max: float = 0.5
    # X4: PSFS average change that counts (minimal detectable change of the
    # average score, close to the medium minimal important difference 2.3).
    psfs_improvement_points: float = 2.0
    # X4: from this PSFS average there is no meaningful room left to improve (heuristic).
    psfs_near_full: float = 9.0


DEFAULT_ESCALATION_THRESHOLDS = EscalationThresholds()


@dataclass(frozen=True, slots=True)
class Baseline:
    """Where recovery started: the pain and PSFS the later check-ins are compared with."""

    day: dt.date
    pain_0_10: float
    psfs: tuple[PsfsScore, ...] = ()

    @classmethod
    def from_checkin(cls, checkin: CheckIn) -> Baseline:
        return cls(day=checkin.day, pain_0_10=checkin.pain_now_0_10, psfs=checkin.psfs or ())


@dataclass(frozen=True, slots=True)
class Escalation:
    rule_id: str
    level: Level
    running: RunningAdvice
    headline: str
    detail: str
    findings: tuple[str, ...]
    sources: tuple[str, ...]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _weekly_average(
    checkins: Sequence[CheckIn], last_day: dt.date, t: EscalationThresholds
) -> float | None:
    """Average pain now over the 7 days ending ``last_day``, if there are enough check-ins."""
    first_day = last_day - dt.timedelta(days=6)
    pains = [c.pain_now_0_10 for c in checkins if first_day <= c.day <= last_day]
    if len(pains) < t.min_checkins_per_week:
        return None
    return _mean(pains)


_ON_HOLD = {
    True: "Stop running until you have been seen.",
    False: "Pause the running programme until you have been seen; walking is fine.",
}


def _warning_signs(
    checkins: Sequence[CheckIn], today: dt.date, t: EscalationThresholds
) -> list[Escalation]:
    """X1: the latest answer to each question within the window; a yes escalates at once."""
    window_start = today - dt.timedelta(days=t.warning_answer_valid_days - 1)
    latest: dict[WarningSign, tuple[dt.date, bool]] = {}
    for checkin in checkins:
        if checkin.day < window_start or checkin.warning_signs is None:
            continue
        for sign, answer in checkin.warning_signs.items():
            latest[sign] = (checkin.day, answer)

    positive = [sign for sign in WarningSign if latest.get(sign, (today, False))[1]]
    escalations = []
    for level in Level:
        signs = [s for s in positive if WARNING_SIGN_RULES[s].level is level]
        if not signs:
            continue
        plain = "; ".join(WARNING_SIGN_RULES[s].plain for s in signs)
        sources = tuple(dict.fromkeys(src for s in signs for src in WARNING_SIGN_RULES[s].sources))
        stop = level in (Level.EMERGENCY, Level.URGENT)
        reported_on = max(latest[s][0] for s in signs).isoformat()
        escalations.append(
            Escalation(
                rule_id="X1",
                level=level,
                running=RunningAdvice.STOP if stop else RunningAdvice.PAUSE,
                headline=LEVEL_HEADLINES[level],
                detail=f"On {reported_on} you reported {plain}. {_ON_HOLD[stop]}",
                findings=tuple(s.value for s in signs),
                sources=sources,
            )
        )
    return escalations


def _weekly_rise(
    checkins: Sequence[CheckIn], today: dt.date, t: EscalationThresholds
) -> Escalation | None:
    """X2: this week's average pain at least 2 points above last week's."""
    this_week = _weekly_average(checkins, today, t)
    last_week = _weekly_average(checkins, today - dt.timedelta(days=7), t)
    if this_week is None or last_week is None:
        return None
    if this_week - last_week + _EPSILON < t.weekly_rise_points:
        return None
    return Escalation(
        rule_id="X2",
        level=Level.SOON,
        running=RunningAdvice.REDUCE,
        headline=LEVEL_HEADLINES[Level.SOON],
        detail=(
            f"Your average pain this week is {this_week:.1f}/10, up from {last_week:.1f}/10 "
            "the week before. Cut back your running to the last stage that felt fine."
        ),
        findings=(f"pain_7d_avg={this_week:.1f}", f"pain_previous_7d_avg={last_week:.1f}"),
        sources=("childs2005", "nice_ng59"),
    )


def _steady_rise(
    checkins: Sequence[CheckIn], today: dt.date, t: EscalationThresholds
) -> Escalation | None:
    """X3: average pain higher each week for several weeks, even if slowly."""
    averages = []
    for weeks_back in reversed(range(t.trend_weeks)):
        average = _weekly_average(checkins, today - dt.timedelta(days=7 * weeks_back), t)
        if average is None:
            return None
        averages.append(average)
    rising = all(later > earlier + _EPSILON for earlier, later in pairwise(averages))
    if not rising or averages[-1] - averages[0] + _EPSILON < t.trend_min_total_rise:
        return None
    series = " → ".join(f"{a:.1f}" for a in averages)
    return Escalation(
        rule_id="X3",
        level=Level.SOON,
        running=RunningAdvice.REDUCE,
        headline=LEVEL_HEADLINES[Level.SOON],
        detail=(
            f"Your weekly average pain has risen {t.trend_weeks} weeks in a row ({series}). "
            "Pain that keeps creeping up deserves a check."
        ),
        findings=tuple(f"pain_week_{i + 1}_avg={a:.1f}" for i, a in enumerate(averages)),
        sources=("nice_ng59", "finucane2020"),
    )


def _shared_psfs_change(
    baseline: Sequence[PsfsScore], latest: Sequence[PsfsScore]
) -> tuple[float, float] | None:
    """Baseline and latest PSFS averages over the activities scored both times."""

    def key(score: PsfsScore) -> str:
        return score.activity.strip().casefold()

    before = {key(s): s for s in baseline}
    pairs = [(before[key(s)], s) for s in latest if key(s) in before]
    if not pairs:
        return None
    first = _mean([b.score_0_10 for b, _ in pairs])
    last = _mean([s.score_0_10 for _, s in pairs])
    return first, last


def _not_improving(
    checkins: Sequence[CheckIn], baseline: Baseline, today: dt.date, t: EscalationThresholds
) -> Escalation | None:
    """X4: from 4 weeks on, neither pain nor function has improved meaningfully."""
    review_from = baseline.day + dt.timedelta(days=t.review_after_days)
    if today < review_from:
        return None
    findings: list[str] = []
    reasons: list[str] = []

    recent = [c.pain_now_0_10 for c in checkins if c.day > today - dt.timedelta(days=7)]
    if recent:
        now = _mean(recent)
        drop = baseline.pain_0_10 - now
        meaningful = (
            drop + _EPSILON >= t.pain_improvement_points
            or drop + _EPSILON >= t.pain_improvement_share * baseline.pain_0_10
        )
        if not meaningful and now > t.recovered_pain_max:
            findings.append(f"pain_7d_avg={now:.1f}")
            findings.append(f"pain_baseline={baseline.pain_0_10:g}")
            reasons.append(
                f"your pain averages {now:.1f}/10, against {baseline.pain_0_10:g}/10 at the start"
            )

    scored = [c for c in checkins if c.psfs and review_from <= c.day]
    if baseline.psfs and scored:
        change = _shared_psfs_change(baseline.psfs, scored[-1].psfs or ())
        if change is not None:
            first, last = change
            if last - first + _EPSILON < t.psfs_improvement_points and last < t.psfs_near_full:
                findings.append(f"psfs_avg={last:.1f}")
                findings.append(f"psfs_baseline_avg={first:.1f}")
                reasons.append(
                    f"your activity scores average {last:.1f}/10, "
                    f"against {first:.1f}/10 at the start"
                )

    if not reasons:
        return None
    weeks = (today - baseline.day).days // 7
    return Escalation(
        rule_id="X4",
        level=Level.SOON,
        running=RunningAdvice.REDUCE,
        headline=LEVEL_HEADLINES[Level.SOON],
        detail=(
            f"After {weeks} weeks {' and '.join(reasons)}: not yet a clear improvement. "
            "Back pain that is not clearly better by 4-6 weeks should be checked."
        ),
        findings=tuple(findings),
        sources=("childs2005", "farrar2001", "stratford1995", "abbott2014", "nice_ng59"),
    )


def _painful_runs(checkins: Sequence[CheckIn], programme: ProgrammeThresholds) -> Escalation | None:
    """X5: pain during and after each of the last few runs: back off a stage."""
    needed = programme.painful_sessions_to_step_back
    runs = [c.session for c in checkins if c.session is not None and c.session.is_running]
    last_runs = runs[-needed:]
    if len(last_runs) < needed:
        return None
    if not all(
        hurts_during_and_after(r.pain_during_0_10, r.pain_after_0_10, programme) for r in last_runs
    ):
        return None
    return Escalation(
        rule_id="X5",
        level=Level.SELF_CARE,
        running=RunningAdvice.REDUCE,
        headline=LEVEL_HEADLINES[Level.SELF_CARE],
        detail=(
            f"Your last {needed} runs hurt during and after. Back off one stage of the "
            "return-to-run programme."
        ),
        findings=tuple(
            f"run_pain_during={r.pain_during_0_10},after={r.pain_after_0_10}" for r in last_runs
        ),
        sources=("silbernagel2007", "running_clinic_rtr"),
    )


def evaluate(
    history: Iterable[CheckIn],
    baseline: Baseline,
    today: dt.date,
    thresholds: EscalationThresholds = DEFAULT_ESCALATION_THRESHOLDS,
    programme_thresholds: ProgrammeThresholds = DEFAULT_PROGRAMME_THRESHOLDS,
) -> list[Escalation]:
    """Every escalation rule that fires on the check-ins up to ``today``, most urgent first."""
    checkins = [c for c in one_per_day(history) if c.day <= today]
    found = _warning_signs(checkins, today, thresholds)
    for rule in (
        _weekly_rise(checkins, today, thresholds),
        _steady_rise(checkins, today, thresholds),
        _not_improving(checkins, baseline, today, thresholds),
        _painful_runs(checkins, programme_thresholds),
    ):
        if rule is not None:
            found.append(rule)
    return sorted(found, key=lambda e: (_URGENCY[e.level], e.rule_id))


def most_urgent(escalations: Iterable[Escalation]) -> Level | None:
    """The most urgent level among ``escalations``, or ``None`` when there are none."""
    levels = [e.level for e in escalations]
    return min(levels, key=_URGENCY.__getitem__) if levels else None
