"""Summaries for the progress view: pain trend, function, adherence and programme stage.

Pure functions over check-ins and recorded stages; the caller chooses the
dates, so the same history always gives the same picture.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from backstride.domain.recovery.checkin import CheckIn, PsfsScore, one_per_day, psfs_average
from backstride.domain.recovery.return_to_run import StageId, stage_index, stage_of

ROLLING_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class RollingPain:
    """Average pain now over the 7 days ending ``day``; ``None`` when no check-in fell in them."""

    day: dt.date
    average: float | None
    checkins: int


def rolling_pain(
    history: Iterable[CheckIn],
    start: dt.date,
    end: dt.date,
    window_days: int = ROLLING_WINDOW_DAYS,
) -> list[RollingPain]:
    """One point per day from ``start`` to ``end`` inclusive.

    Averaging over a week smooths day-to-day swings, which on the 0-10 scale
    are often as large as a meaningful change.
    """
    if end < start:
        raise ValueError(f"the series cannot end ({end}) before it starts ({start})")
    if window_days < 1:
        raise ValueError("the window must be at least one day")
    pain_by_day = {c.day: c.pain_now_0_10 for c in one_per_day(history)}
    series = []
    for offset in range((end - start).days + 1):
        day = start + dt.timedelta(days=offset)
        window = [
            pain_by_day[d]
            for d in (day - dt.timedelta(days=back) for back in range(window_days))
            if d in pain_by_day
        ]
        average = sum(window) / len(window) if window else None
        series.append(RollingPain(day=day, average=average, checkins=len(window)))
    return series


@dataclass(frozen=True, slots=True)
class PsfsPoint:
    day: dt.date
    average: float
    scores: tuple[PsfsScore, ...]


def psfs_series(history: Iterable[CheckIn]) -> list[PsfsPoint]:
    """Every day PSFS was scored, with its average, in date order."""
    points = []
    for checkin in one_per_day(history):
        average = psfs_average(checkin.psfs or ())
        if checkin.psfs and average is not None:
            points.append(PsfsPoint(day=checkin.day, average=average, scores=checkin.psfs))
    return points


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    """Planned exercises done in the week starting ``week_start`` (a Monday)."""

    week_start: dt.date
    planned: int
    done: int

    @property
    def share(self) -> float | None:
        return self.done / self.planned if self.planned else None


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_adherence(
    history: Iterable[CheckIn], planned: Mapping[dt.date, Sequence[str]]
) -> list[WeekAdherence]:
    """Exercises done against exercises planned, per week, for every week with a plan.

    Only planned exercises count as done on the day they were planned, so
    extra exercises never lift adherence above what was asked (a slug planned
    twice in a day counts once).
    """
    done_by_day = {c.day: set(c.exercises_done) for c in one_per_day(history)}
    weeks: dict[dt.date, tuple[int, int]] = {}
    for day in sorted(planned):
        slugs = set(planned[day])
        done = len(slugs & done_by_day.get(day, set()))
        week = _monday(day)
        planned_so_far, done_so_far = weeks.get(week, (0, 0))
        weeks[week] = (planned_so_far + len(slugs), done_so_far + done)
    return [
        WeekAdherence(week_start=week, planned=counts[0], done=counts[1])
        for week, counts in sorted(weeks.items())
    ]


@dataclass(frozen=True, slots=True)
class StageSpan:
    """A stretch of days the runner spent on one programme stage."""

    stage: StageId
    stage_index: int
    title: str
    first_day: dt.date
    last_day: dt.date


def stage_timeline(observations: Iterable[tuple[dt.date, StageId]]) -> list[StageSpan]:
    """Group dated stage records (e.g. the stage after each session) into spans.

    A return to an earlier stage starts a new span, so step-backs stay visible.
    For one day with several records, the last one given wins.
    """
    by_day: dict[dt.date, StageId] = {}
    for day, stage in observations:
        by_day[day] = stage
    spans: list[StageSpan] = []
    for day in sorted(by_day):
        stage = by_day[day]
        if spans and spans[-1].stage == stage:
            last = spans[-1]
            spans[-1] = StageSpan(last.stage, last.stage_index, last.title, last.first_day, day)
        else:
            spans.append(StageSpan(stage, stage_index(stage), stage_of(stage).title, day, day))
    return spans
