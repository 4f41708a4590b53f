"""Properties of training load; the examples are in
tests/unit/domain/training/test_training_load.py.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.training.load import (
    Session,
    running_answers,
    summarise,
    weekly_totals,
)
from tests.unit.domain.training.test_training_load import TODAY

sports = st.sampled_from(["running", "trail_running", "treadmill_running", "cycling", "walking"])
sessions_strategy = st.lists(
    st.builds(
        Session,
        day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 4, 30)),
        sport=sports,
        distance_km=st.floats(min_value=0, max_value=120, allow_nan=False),
        duration_s=st.floats(min_value=0, max_value=30000, allow_nan=False),
        cadence_spm=st.none() | st.floats(min_value=60, max_value=230),
        surface=st.none() | st.sampled_from(["asphalt", "trail", "grass"]),
        shoe=st.none() | st.sampled_from(["A", "B"]),
    ),
    max_size=60,
)


week_counts = st.integers(min_value=1, max_value=16)


@given(sessions_strategy, week_counts)
def test_weekly_sums_equal_the_total_over_the_same_days(
    sessions: list[Session], weeks: int
) -> None:
    found = weekly_totals(sessions, TODAY, weeks)
    first = found[0].start
    in_window = [s for s in sessions if s.is_run and first <= s.day <= TODAY]
    assert sum(w.distance_km for w in found) == pytest.approx(sum(s.distance_km for s in in_window))
    assert sum(w.duration_s for w in found) == pytest.approx(sum(s.duration_s for s in in_window))
    assert sum(w.runs for w in found) == len(in_window)
    assert [(w.end - w.start).days for w in found] == [6] * weeks


@given(sessions_strategy, week_counts)
def test_no_load_figure_is_ever_negative(sessions: list[Session], weeks: int) -> None:
    summary = summarise(sessions, TODAY, weeks)
    for week in summary.weeks:
        assert week.distance_km >= 0
        assert week.duration_s >= 0
        assert week.longest_run_km >= 0
        assert week.long_run_share is None or 0 <= week.long_run_share <= 1 + 1e-9
    assert summary.acute_chronic.acute_km >= 0
    assert summary.acute_chronic.ratio is None or summary.acute_chronic.ratio >= 0
    assert all(s.distance_km >= 0 for s in summary.surfaces)
    found = running_answers(
        sessions, TODAY, data_since=dt.date(2025, 12, 1), default_shoe=None, min_break_weeks=3
    )
    assert all(value >= 0 for value in found.values.values())


@given(sessions_strategy, st.randoms(use_true_random=False))
def test_the_same_log_in_any_order_gives_the_same_figures(
    sessions: list[Session], shuffler: random.Random
) -> None:
    shuffled = list(sessions)
    shuffler.shuffle(shuffled)
    assert summarise(sessions, TODAY, 6) == summarise(shuffled, TODAY, 6)
    kwargs = {"data_since": dt.date(2025, 12, 1), "default_shoe": None, "min_break_weeks": 3}
    assert running_answers(sessions, TODAY, **kwargs) == running_answers(shuffled, TODAY, **kwargs)  # type: ignore[arg-type]
