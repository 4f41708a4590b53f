"""Re-triage during recovery: when the check-ins say "get this looked at".

Each rule reads the check-in history (never the clock: ``today`` is passed in)
and, when it fires, returns an :class:`Escalation` with its rule id, a level on
the assessment's scale (``emergency | urgent | soon | self_care``), running
advice on the assessment's scale (``stop | pause | reduce | continue``), the
findings behind it and its sources. Rules are independent and every rule that
fires is reported, most urgent first, as in the triage policy.

- X1: a warning sign answered yes or not sure. An emergency or urgent sign holds
  until a reassessment after being seen clears it (a later "no" never does); a
  "soon" sign lasts 7 days. Level per sign: :data:`WARNING_SIGN_RULES`.
- X2: the 7-day average of pain now, worst in 24 hours or pain after running up
  by at least 2 points on the 7 days before (2 check-ins a week suffice): soon.
- X3: 7-day average pain higher each week for 3 weeks (at least 1 point): soon.
- X4: after 4 weeks, pain or PSFS not meaningfully better: soon.
- X5: pain during and after each of the last 3 runs: self_care, back off a stage.
- X6: the latest check-in is a flare (a measure 4 or more above its recent level,
  or 8 or more): soon, running paused.

Version 2 (clinical-v2.md §16-17 as amended by review R13). Every number is in
:class:`EscalationThresholds`, loaded from ``content/escalation.yaml``
(``backstride.content.escalation``). What clears a hold is the care state's to
say (``backstride.domain.care``); it passes the answers it has cleared in.

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

from backstride.domain.recovery.checkin import (
    NOT_SURE,
    CheckIn,
    PsfsScore,
    WarningSign,
    is_reported,
    one_per_day,
)
from backstride.domain.recovery.return_to_run import (
    ProgrammeThresholds,
    hurts_during_and_after,
)
from backstride.domain.vocabulary import LEVEL_ORDER, needs_care_now
from backstride.domain.vocabulary import Level as Level
from backstride.domain.vocabulary import RunningAdvice as RunningAdvice

# Comparisons on computed averages allow for floating-point error, as the triage policy does.
_EPSILON = 1e-9


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

    The values live in ``content/escalation.yaml`` with their kind (published,
    policy or heuristic), sources and notes; this class only names them.
    """

    # X1: a "soon" sign stays current this many days (emergency and urgent hold).
    warning_answer_valid_days: int
    # X2, X3: an average needs at least this many check-ins in its 7 days.
    min_checkins_per_week: int
    # X2: minimal detectable and important change on the 0-10 scale (childs2005).
    weekly_rise_points: float
    # X3: weeks of steady rise, and the least total rise that counts.
    trend_weeks: int
    trend_min_total_rise: float
    # X4: review at 4 weeks; meaningful improvement is 2 points or 30 %.
    review_after_days: int
    pain_improvement_points: float
    pain_improvement_share: float
    recovered_pain_max: float
    psfs_improvement_points: float
    psfs_near_full: float
    # X6: a flare (review R13).
    flare_window_days: int
    flare_min_checkins: int
    flare_rise_points: float
    flare_any_score: float


@dataclass(frozen=True, slots=True)
class Baseline:
    """Where recovery started: the pain and PSFS the later check-ins are compared with.

    ``assessed_now`` and ``assessed_worst`` are the latest assessment's pain now
    and worst pain: the recent level of a measure while fewer than
    ``flare_min_checkins`` check-ins give it (R13).
    """

    day: dt.date
    pain_0_10: float
    psfs: tuple[PsfsScore, ...] = ()
    assessed_now: int | None = None
    assessed_worst: int | None = None

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


# --- the measures the pain rules read (R13: pain now, worst in 24 h, after running) ---


class Measure(StrEnum):
    PAIN_NOW = "pain_now"
    WORST_24H = "worst_24h"
    AFTER_RUN = "after_run"


MEASURE_WORDS: Mapping[Measure, str] = MappingProxyType(
    {
        Measure.PAIN_NOW: "back pain right now",
        Measure.WORST_24H: "worst back pain in 24 hours",
        Measure.AFTER_RUN: "back pain after running",
    }
)


def measure_of(checkin: CheckIn, measure: Measure) -> int | None:
    """A check-in's value of one measure; pain after running only on a walk-run or run day."""
    if measure is Measure.PAIN_NOW:
        return checkin.pain_now_0_10
    if measure is Measure.WORST_24H:
        return checkin.worst_24h_0_10
    session = checkin.session
    if session is None or not session.is_running:
        return None
    return session.pain_after_0_10


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _weekly_average(
    checkins: Sequence[CheckIn],
    last_day: dt.date,
    t: EscalationThresholds,
    measure: Measure = Measure.PAIN_NOW,
) -> float | None:
    """A measure's average over the 7 days ending ``last_day``, if enough check-ins give it."""
    first_day = last_day - dt.timedelta(days=6)
    values = [
        value
        for c in checkins
        if first_day <= c.day <= last_day and (value := measure_of(c, measure)) is not None
    ]
    if len(values) < t.min_checkins_per_week:
        return None
    return _mean(values)


# --- X1: warning signs ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportedSign:
    """A warning sign reported in the check-ins and still open on the day asked about."""

    sign: WarningSign
    level: Level
    first_day: dt.date
    last_day: dt.date
    not_sure: bool  # every report of it was "not sure"
    plain: str


def holds(level: Level) -> bool:
    """Whether a sign at this level holds care until a reassessment after being seen (R13)."""
    return needs_care_now(level.value)


def reported_signs(
    checkins: Iterable[CheckIn],
    today: dt.date,
    t: EscalationThresholds,
    *,
    covered_days: frozenset[dt.date] = frozenset(),
    cleared: frozenset[tuple[dt.date, WarningSign]] = frozenset(),
) -> list[ReportedSign]:
    """The warning signs open on ``today``, in asking order.

    A sign answered yes or not sure stays reported: a later "no" never takes it
    back. An emergency or urgent sign stays open until the care state clears that
    day's answer (``cleared``: a reassessment after being seen, without the
    sign); a "soon" sign for ``warning_answer_valid_days``, or until a newer
    assessment (``covered_days``). Check-ins after ``today`` do not count.
    """
    window_start = today - dt.timedelta(days=t.warning_answer_valid_days - 1)
    found: dict[WarningSign, ReportedSign] = {}
    for checkin in one_per_day(checkins):
        if checkin.day > today or checkin.warning_signs is None:
            continue
        for sign, answer in checkin.warning_signs.items():
            if not is_reported(answer):
                continue
            rule = WARNING_SIGN_RULES[sign]
            if holds(rule.level):
                if (checkin.day, sign) in cleared:
                    continue
            elif checkin.day < window_start or checkin.day in covered_days:
                continue
            before = found.get(sign)
            found[sign] = ReportedSign(
                sign=sign,
                level=rule.level,
                first_day=before.first_day if before else checkin.day,
                last_day=checkin.day,
                not_sure=(before.not_sure if before else True) and answer == NOT_SURE,
                plain=rule.plain,
            )
    return [found[sign] for sign in WarningSign if sign in found]


_ON_HOLD = {
    True: (
        "Stop running and the exercises until you have been seen. This stays open until a "
        "doctor, nurse or physiotherapist has checked you and you have repeated the "
        'assessment; a later "no" does not clear it.'
    ),
    False: "Pause the running programme until you have been seen; walking is fine.",
}


def _describe_signs(signs: Sequence[ReportedSign]) -> str:
    sure = [s.plain for s in signs if not s.not_sure]
    unsure = [s.plain for s in signs if s.not_sure]
    parts = []
    if sure:
        parts.append(f"you reported {'; '.join(sure)}")
    if unsure:
        parts.append(f"you were not sure about {'; '.join(unsure)}")
    return " and ".join(parts)


def _warning_signs(signs: Sequence[ReportedSign]) -> list[Escalation]:
    """X1: one escalation per level of the open signs."""
    escalations = []
    for level in Level:
        at_level = [s for s in signs if s.level is level]
        if not at_level:
            continue
        sources = tuple(
            dict.fromkeys(src for s in at_level for src in WARNING_SIGN_RULES[s.sign].sources)
        )
        stop = holds(level)
        reported_on = max(s.last_day for s in at_level).isoformat()
        escalations.append(
            Escalation(
                rule_id="X1",
                level=level,
                running=RunningAdvice.STOP if stop else RunningAdvice.PAUSE,
                headline=LEVEL_HEADLINES[level],
                detail=f"On {reported_on} {_describe_signs(at_level)}. {_ON_HOLD[stop]}",
                findings=tuple(s.sign.value for s in at_level),
                sources=sources,
            )
        )
    return escalations


# --- X2: a weekly rise -----------------------------------------------------------------


def _weekly_rise(
    checkins: Sequence[CheckIn], today: dt.date, t: EscalationThresholds
) -> Escalation | None:
    """X2: this week's average of any measure at least 2 points above last week's."""
    rises: list[tuple[Measure, float, float]] = []
    for measure in Measure:
        this_week = _weekly_average(checkins, today, t, measure)
        last_week = _weekly_average(checkins, today - dt.timedelta(days=7), t, measure)
        if this_week is None or last_week is None:
            continue
        if this_week - last_week + _EPSILON >= t.weekly_rise_points:
            rises.append((measure, this_week, last_week))
    if not rises:
        return None
    said = "; ".join(
        f"your average {MEASURE_WORDS[m]} this week is {now:.1f}/10, up from {before:.1f}/10 "
        "the week before"
        for m, now, before in rises
    )
    findings: list[str] = []
    for measure, now, before in rises:
        name = "pain" if measure is Measure.PAIN_NOW else measure.value
        findings += [f"{name}_7d_avg={now:.1f}", f"{name}_previous_7d_avg={before:.1f}"]
    return Escalation(
        rule_id="X2",
        level=Level.SOON,
        running=RunningAdvice.REDUCE,
        headline=LEVEL_HEADLINES[Level.SOON],
        detail=(
            f"{said[0].upper()}{said[1:]}. Cut back your running to the last stage that felt fine."
        ),
        findings=tuple(findings),
        sources=("childs2005", "nice_ng59"),
    )


# --- X6: a flare -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FlareMeasure:
    """One measure that made the day a flare: its value, and the recent level it rose over."""

    measure: Measure
    value: int
    recent: float | None  # None: no recent level was known
    rise: float | None

    def describe(self) -> str:
        words = f"{MEASURE_WORDS[self.measure]} was {self.value}/10"
        if self.rise is not None and self.recent is not None and self.rise > 0:
            words += f", {self.rise:g} points above your recent level of {self.recent:g}/10"
        return words


@dataclass(frozen=True, slots=True)
class Flare:
    """A flare day (R13): a rise of 4 or more over the recent level, or a score of 8 or more."""

    day: dt.date
    measures: tuple[FlareMeasure, ...]

    def describe(self) -> str:
        return "; ".join(m.describe() for m in self.measures)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def recent_level(
    earlier: Iterable[CheckIn],
    day: dt.date,
    measure: Measure,
    t: EscalationThresholds,
    baseline: Baseline | None = None,
) -> float | None:
    """A measure's recent level before ``day``: the median over the previous 14 days'
    check-ins when at least two give it, else the assessment's pain now (for pain now)
    or worst pain (for the worst in 24 hours and pain after running)."""
    first = day - dt.timedelta(days=t.flare_window_days)
    values = [
        value
        for c in one_per_day(earlier)
        if first <= c.day < day and (value := measure_of(c, measure)) is not None
    ]
    if len(values) >= t.flare_min_checkins:
        return _median(values)
    if baseline is None:
        return None
    fallback = baseline.assessed_now if measure is Measure.PAIN_NOW else baseline.assessed_worst
    return None if fallback is None else float(fallback)


def flare_of(
    checkin: CheckIn,
    earlier: Iterable[CheckIn],
    t: EscalationThresholds,
    baseline: Baseline | None = None,
) -> Flare | None:
    """Whether ``checkin`` is a flare day, judged against the check-ins before it."""
    history = [c for c in earlier if c.day < checkin.day]
    found = []
    for measure in Measure:
        value = measure_of(checkin, measure)
        if value is None:
            continue
        recent = recent_level(history, checkin.day, measure, t, baseline)
        rise = None if recent is None else value - recent
        rose = rise is not None and rise + _EPSILON >= t.flare_rise_points
        if rose or value + _EPSILON >= t.flare_any_score:
            found.append(FlareMeasure(measure, value, recent, rise))
    return Flare(checkin.day, tuple(found)) if found else None


def current_flare(
    history: Iterable[CheckIn],
    today: dt.date,
    t: EscalationThresholds,
    baseline: Baseline | None = None,
    *,
    covered_days: frozenset[dt.date] = frozenset(),
) -> Flare | None:
    """The flare of the latest check-in up to ``today``, if it was one.

    A flare lasts until the next check-in that is not one (so a runner who
    checks in twice a week is not sent running again in between), or until a
    newer assessment (``covered_days``) has answered the prompt to reassess.
    """
    checkins = [c for c in one_per_day(history) if c.day <= today]
    if not checkins or checkins[-1].day in covered_days:
        return None
    return flare_of(checkins[-1], checkins[:-1], t, baseline)


def _flare(flare: Flare | None) -> Escalation | None:
    """X6: the latest check-in was a flare: running paused, questions again, reassess."""
    if flare is None:
        return None
    findings: list[str] = []
    for m in flare.measures:
        findings.append(f"{m.measure.value}={m.value}")
        if m.recent is not None:
            findings.append(f"{m.measure.value}_recent={m.recent:g}")
    return Escalation(
        rule_id="X6",
        level=Level.SOON,
        running=RunningAdvice.PAUSE,
        headline=LEVEL_HEADLINES[Level.SOON],
        detail=(
            f"A flare on {flare.day.isoformat()}: your {flare.describe()}. No running until it "
            "settles (an easy walk is fine); answer the safety questions, and repeat the "
            "assessment so backstride can check what has changed."
        ),
        findings=tuple(findings),
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
    thresholds: EscalationThresholds,
    *,
    programme_thresholds: ProgrammeThresholds,
    covered_days: frozenset[dt.date] = frozenset(),
    cleared: frozenset[tuple[dt.date, WarningSign]] = frozenset(),
) -> list[Escalation]:
    """Every escalation rule that fires on the check-ins up to ``today``, most urgent first.

    ``covered_days`` are check-in days older than the latest assessment (it has
    answered their "soon" signs and flares); ``cleared`` the emergency and urgent
    answers a reassessment after being seen has cleared. The care state
    (``backstride.domain.care``) works both out.
    """
    checkins = [c for c in one_per_day(history) if c.day <= today]
    signs = reported_signs(checkins, today, thresholds, covered_days=covered_days, cleared=cleared)
    found = _warning_signs(signs)
    flare = current_flare(checkins, today, thresholds, baseline, covered_days=covered_days)
    for rule in (
        _weekly_rise(checkins, today, thresholds),
        _steady_rise(checkins, today, thresholds),
        _not_improving(checkins, baseline, today, thresholds),
        _painful_runs(checkins, programme_thresholds),
        _flare(flare),
    ):
        if rule is not None:
            found.append(rule)
    return sorted(found, key=lambda e: (-LEVEL_ORDER[e.level], e.rule_id))


def most_urgent(escalations: Iterable[Escalation]) -> Level | None:
    """The most urgent level among ``escalations``, or ``None`` when there are none."""
    levels = [e.level for e in escalations]
    return max(levels, key=LEVEL_ORDER.__getitem__) if levels else None
