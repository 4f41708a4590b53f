"""Outcome measures: how pain and the activity score (PSFS) have changed since they
were first measured, and whether the change is as large as the smallest change people
notice as important (the minimal clinically important difference, MCID).

Two instruments, both free to use (ADR 12):

- pain: the 0-10 numeric pain rating scale, "pain now" in each check-in and at the
  assessment (the intake's ``pain.now_0_10``);
- function: the patient-specific functional scale (PSFS), the mean of up to five
  activity scores, at the assessment (the intake's ``function``) and in the weekly
  check-in.

The first measurement is the earliest of the first assessment and the first check-in
(on the same day, the assessment's: the check-ins follow it); the latest is the most
recent of the latest check-in and the latest assessment (on the same day, the
check-in's). The thresholds are content (``content/outcomes.yaml``, with their
sources), passed in as :class:`OutcomeRules`.

The wording is neutral: it says how much, in which direction, and how that compares
with the smallest important change, nothing more. While care is needed now or on hold
(``suspended``) nothing is compared at all: an improvement read beside an emergency
instruction would be reassurance (hazard H29).

Pure: no clock, no I/O; the caller passes the days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from backstride.domain.assessment.intake import Intake
from backstride.domain.recovery.checkin import CheckIn, psfs_average

Measure = Literal["pain", "psfs"]
Taken = Literal["assessment", "checkin"]

# Changes are compared after rounding away the float error of a mean (5.2 - 3.2).
_PRECISION = 9

WITHHELD = (
    "Your change since the first assessment is not shown while you need care first: "
    "follow what to do now, and repeat the assessment once you have been seen."
)


# --- the thresholds (content/outcomes.yaml) -------------------------------------------


@dataclass(frozen=True, slots=True)
class PainRule:
    """Pain (0-10): an improvement is important at ``important_points`` or at
    ``important_percent`` of the first score, and never below ``detectable_points``
    (smaller changes can be measurement error)."""

    important_points: float
    important_percent: float
    detectable_points: float


@dataclass(frozen=True, slots=True)
class PsfsRule:
    """The activity score (PSFS, the mean of the items): important at ``important_points``."""

    important_points: float


@dataclass(frozen=True, slots=True)
class OutcomeRules:
    pain: PainRule
    psfs: PsfsRule
    pain_sources: tuple[str, ...] = ()
    psfs_sources: tuple[str, ...] = ()


# --- the measurements -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    """One measurement: its day, its value (0-10) and where it was taken."""

    day: dt.date
    value: float
    taken: Taken


@dataclass(frozen=True, slots=True)
class Assessed:
    """A saved assessment's intake and the (local) day it was made."""

    day: dt.date
    intake: Intake


def pain_at_assessment(assessed: Assessed) -> Score | None:
    """The intake's pain now; None when it was not given (worst pain is another measure)."""
    now = assessed.intake.pain.now_0_10
    return None if now is None else Score(assessed.day, float(now), "assessment")


def pain_at_checkin(checkin: CheckIn) -> Score:
    return Score(checkin.day, float(checkin.pain_now_0_10), "checkin")


def psfs_at_assessment(assessed: Assessed) -> Score | None:
    """The mean of the intake's activity scores; None when it had none."""
    items = assessed.intake.function or []
    if not items:
        return None
    return Score(assessed.day, sum(i.score_0_10 for i in items) / len(items), "assessment")


def psfs_at_checkin(checkin: CheckIn) -> Score | None:
    average = psfs_average(checkin.psfs or ())
    return None if average is None else Score(checkin.day, average, "checkin")


def first_of(scores: Sequence[Score | None]) -> Score | None:
    """The earliest score; on one day the assessment's (the check-ins follow it)."""
    found = [s for s in scores if s is not None]
    return min(found, key=lambda s: (s.day, s.taken != "assessment"), default=None)


def latest_of(scores: Sequence[Score | None]) -> Score | None:
    """The most recent score; on one day the check-in's (it follows the assessment)."""
    found = [s for s in scores if s is not None]
    return max(found, key=lambda s: (s.day, s.taken == "checkin"), default=None)


# --- the comparison ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """One measure since its first measurement.

    ``improvement`` is in points, positive when better (less pain, a higher activity
    score), None until there is a later measurement. ``smallest_important`` is the
    figure in points named on the charts.
    """

    measure: Measure
    first: Score
    latest: Score | None
    improvement: float | None
    important_improvement: bool
    important_worsening: bool
    smallest_important: float
    sources: tuple[str, ...]
    text: str

    @property
    def label(self) -> str:
        """The reference named on the charts."""
        return f"smallest important change: {_number(self.smallest_important)} points"

    @property
    def change(self) -> float | None:
        """The latest value less the first (its sign as the scale runs, not better/worse)."""
        if self.latest is None:
            return None
        return round(self.latest.value - self.first.value, _PRECISION)


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Pain and the activity score since their first measurement; ``withheld`` says why
    nothing is compared (care is needed now or on hold)."""

    pain: Outcome | None = None
    psfs: Outcome | None = None
    withheld: str | None = None

    @property
    def shown(self) -> tuple[Outcome, ...]:
        return tuple(o for o in (self.pain, self.psfs) if o is not None)


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _amount(points: float, threshold: float, important: bool) -> str:
    """``points`` for a sentence, never rounded up to the threshold it does not reach."""
    shown = _number(points)
    if not important and round(points, 1) >= threshold:
        shown = f"{math.floor(points * 100) / 100:g}"
    return f"{shown} point{'' if shown == '1' else 's'}"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _at(score: Score) -> str:
    return "assessment" if score.taken == "assessment" else "check-in"


def pain_important(first: float, improvement: float, rule: PainRule) -> bool:
    """Whether a fall in pain from ``first`` by ``improvement`` points is important."""
    if improvement < rule.detectable_points:
        return False
    by_share = first > 0 and improvement * 100 >= rule.important_percent * first
    return improvement >= rule.important_points or by_share


def _compare_words(
    improvement: float, important_better: bool, important_worse: bool, threshold: float
) -> str:
    """How the change compares with the smallest important change, in points."""
    named = f"{_number(threshold)} points"
    if important_better or important_worse:
        more = "more than" if abs(improvement) > threshold else "as much as"
        words = f" — {more} the smallest change people notice ({named})."
        if important_worse:
            words += " If it does not settle, tell whoever is treating you."
        return words
    if improvement == 0:
        return "."
    return f" — less than the smallest change people notice ({named})."


def pain_outcome(first: Score, latest: Score | None, rules: OutcomeRules) -> Outcome:
    """Pain since ``first``; ``latest`` None (or ``first`` itself) when nothing came after.

    The threshold in points is the larger of the important and the detectable change: a
    change within measurement error is never important, better or worse.
    """
    rule = rules.pain
    threshold = max(rule.important_points, rule.detectable_points)
    if latest is None or latest == first:
        text = (
            f"Your first pain score: {_number(first.value)}/10 at your {_at(first)} on "
            f"{_day(first.day)}. The change shows after your next check-in."
        )
        return Outcome("pain", first, None, None, False, False, threshold, rules.pain_sources, text)
    improvement = round(first.value - latest.value, _PRECISION)
    better = pain_important(first.value, improvement, rule)
    worse = -improvement >= threshold
    scores = (
        f"{_number(first.value)}/10 on {_day(first.day)}, "
        f"{_number(latest.value)}/10 on {_day(latest.day)}"
    )
    if improvement == 0:
        said = f"The same pain as at your first {_at(first)} ({scores})"
    else:
        amount = _amount(abs(improvement), threshold, better or worse)
        direction = "less" if improvement > 0 else "more"
        said = f"{amount} {direction} pain than at your first {_at(first)} ({scores})"
    if better and improvement < threshold:  # important by its share of the first score
        named = f"{_number(rule.important_percent)}% of your first score"
        share = improvement * 100 / first.value
        more = "more than" if share > rule.important_percent else "as much as"
        said += f", {_number(share)}% less"
        text = f"{said} — {more} the smallest change people notice ({named})."
    else:
        text = said + _compare_words(improvement, better, worse, threshold)
    return Outcome(
        "pain", first, latest, improvement, better, worse, threshold, rules.pain_sources, text
    )


def psfs_outcome(first: Score, latest: Score | None, rules: OutcomeRules) -> Outcome:
    """The activity score (PSFS mean) since ``first``; higher is better."""
    threshold = rules.psfs.important_points
    sources = rules.psfs_sources
    if latest is None or latest == first:
        text = (
            f"Your first activity score (PSFS): {_number(first.value)} out of 10 at your "
            f"{_at(first)} on {_day(first.day)}. The change shows after your next weekly "
            "activity check."
        )
        return Outcome("psfs", first, None, None, False, False, threshold, sources, text)
    improvement = round(latest.value - first.value, _PRECISION)
    better = improvement >= threshold
    worse = -improvement >= threshold
    scores = (
        f"{_number(first.value)} on {_day(first.day)}, {_number(latest.value)} on "
        f"{_day(latest.day)}"
    )
    if improvement == 0:
        said = f"Your activity score (PSFS) is the same as at your first {_at(first)} ({scores})"
    else:
        amount = _amount(abs(improvement), threshold, better or worse)
        direction = "higher" if improvement > 0 else "lower"
        said = (
            f"Your activity score (PSFS) is {amount} {direction} than at your first "
            f"{_at(first)} ({scores})"
        )
    text = said + _compare_words(improvement, better, worse, threshold)
    return Outcome("psfs", first, latest, improvement, better, worse, threshold, sources, text)


def outcomes(
    pain: Sequence[Score | None],
    psfs: Sequence[Score | None],
    rules: OutcomeRules,
    *,
    suspended: bool,
) -> Outcomes:
    """Pain and the activity score since their first measurement.

    ``pain`` and ``psfs`` are the candidate measurements (the first and the latest of
    each source; None where there is none): the earliest is the first, the most recent
    the latest. ``suspended``: care is needed now or on hold, so nothing is compared.
    """
    if suspended:
        return Outcomes(withheld=WITHHELD)
    first_pain, first_psfs = first_of(pain), first_of(psfs)
    return Outcomes(
        pain=None if first_pain is None else pain_outcome(first_pain, latest_of(pain), rules),
        psfs=None if first_psfs is None else psfs_outcome(first_psfs, latest_of(psfs), rules),
    )
