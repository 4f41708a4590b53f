"""Progress summaries: rolling pain, PSFS, adherence, stage timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.domain.recovery.checkin import PsfsScore
from backstride.domain.recovery.progress import (
    psfs_series,
    rolling_pain,
    stage_timeline,
    weekly_adherence,
)
from backstride.domain.recovery.return_to_run import StageId
from tests.builders import checkin

MONDAY = dt.date(2024, 5, 6)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def test_rolling_pain_averages_the_last_seven_days_and_shows_gaps() -> None:
    history = [checkin(day(0), 6), checkin(day(1), 4), checkin(day(7), 2), checkin(day(8), 2)]
    series = rolling_pain(history, day(0), day(16))
    by_day = {point.day: point for point in series}
    assert len(series) == 17
    assert by_day[day(0)].average == 6
    assert by_day[day(1)].average == 5
    # Day 7's window is days 1-7: the pain 4 of day 1 and 2 of day 7.
    assert by_day[day(7)].average == 3
    assert by_day[day(7)].checkins == 2
    assert by_day[day(15)].average is None
    assert by_day[day(15)].checkins == 0


def test_rolling_pain_rejects_a_backwards_range() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        rolling_pain([], day(3), day(1))


def test_psfs_series_lists_each_scored_day_with_its_average() -> None:
    first = (PsfsScore("running", 2), PsfsScore("sitting", 6))
    later = (PsfsScore("running", 6), PsfsScore("sitting", 8))
    points = psfs_series(
        [checkin(day(14), psfs=later), checkin(day(3)), checkin(day(0), psfs=first)]
    )
    assert [(p.day, p.average) for p in points] == [(day(0), 4.0), (day(14), 7.0)]
    assert points[1].scores == later


def test_adherence_counts_planned_exercises_done_per_week() -> None:
    planned = {
        day(0): ["bridge", "cat-cow"],
        day(2): ["bridge", "bird-dog"],
        day(8): ["bridge"],
    }
    history = [
        checkin(
            day(0), exercises_done=("bridge", "cat-cow", "plank")
        ),  # plank was not planned: not counted
        checkin(day(2), exercises_done=("bridge",)),
        checkin(day(3), exercises_done=("bird-dog",)),  # done, but on the wrong day
    ]
    weeks = weekly_adherence(history, planned)
    assert [(w.week_start, w.planned, w.done) for w in weeks] == [(day(0), 4, 3), (day(7), 1, 0)]
    assert weeks[0].share == 0.75
    assert weeks[1].share == 0


def test_adherence_without_a_plan_is_empty() -> None:
    assert weekly_adherence([checkin(day(0), exercises_done=("bridge",))], {}) == []


def test_stage_timeline_groups_days_and_keeps_step_backs_visible() -> None:
    spans = stage_timeline(
        [
            (day(0), StageId.WALK),
            (day(1), StageId.RUN1_WALK4),
            (day(3), StageId.RUN1_WALK4),
            (day(5), StageId.RUN2_WALK3),
            (day(7), StageId.RUN1_WALK4),
            (day(9), StageId.RUN1_WALK4),
        ]
    )
    assert [(s.stage, s.first_day, s.last_day) for s in spans] == [
        (StageId.WALK, day(0), day(0)),
        (StageId.RUN1_WALK4, day(1), day(3)),
        (StageId.RUN2_WALK3, day(5), day(5)),
        (StageId.RUN1_WALK4, day(7), day(9)),
    ]
    assert [s.stage_index for s in spans] == [0, 1, 2, 1]
    assert spans[1].title.startswith("Run 1 min")
