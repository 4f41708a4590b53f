"""Training load from sessions: rolling weeks, acute vs chronic, cadence, surfaces, shoes,
and the intake's running answers (pure functions, dates as parameters)."""

from __future__ import annotations

import datetime as dt

import pytest

from backstride.domain.training.load import (
    ACWR_SOURCES,
    RUNNING_SPORTS,
    Session,
    ShoeKm,
    acute_chronic,
    cadence_trend,
    latest_break,
    running_answers,
    shoe_distances,
    summarise,
    surface_mix,
    weekly_totals,
)
from tests.builders import run

TODAY = dt.date(2026, 3, 14)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def steady_weeks(weeks: int, per_week: tuple[float, ...], start_days_ago: int = 0) -> list[Session]:
    """Runs on fixed days of each rolling week (days 1, 3, 5 of it)."""
    sessions = []
    for week in range(weeks):
        for offset, km in zip((1, 3, 5), per_week, strict=False):
            sessions.append(run(ago(start_days_ago + week * 7 + offset), km, cadence_spm=170.0))
    return sessions


def test_weeks_are_rolling_seven_day_windows_ending_today() -> None:
    weeks = weekly_totals(
        [run(ago(0), 5), run(ago(6), 7), run(ago(7), 10), run(ago(13), 2)], TODAY, 2
    )
    assert [(w.start, w.end) for w in weeks] == [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 7)),
        (dt.date(2026, 3, 8), dt.date(2026, 3, 14)),
    ]
    assert [w.distance_km for w in weeks] == [12, 12]
    assert [w.runs for w in weeks] == [2, 2]
    assert weeks[1].longest_run_km == 7
    assert weeks[1].long_run_share == pytest.approx(7 / 12)
    assert weeks[1].change_pct == 0


def test_week_over_week_change_and_a_week_without_runs() -> None:
    weeks = weekly_totals([run(ago(1), 10), run(ago(15), 8)], TODAY, 3)
    assert [w.distance_km for w in weeks] == [8, 0, 10]
    assert weeks[1].change_pct == -100
    assert weeks[2].change_pct is None  # from nothing: no percentage
    assert weeks[1].long_run_share is None


def test_only_running_counts_and_future_days_are_ignored() -> None:
    sessions = [
        run(ago(1), 10),
        run(ago(1), 40, sport="cycling"),
        run(ago(2), 3, sport="walking"),
        run(ago(-1), 9),
    ]
    assert weekly_totals(sessions, TODAY, 1)[0].distance_km == 10
    assert "treadmill_running" in RUNNING_SPORTS


def test_acute_chronic_is_described_with_its_caveat() -> None:
    sessions = [*steady_weeks(3, (5, 5, 10), start_days_ago=7), run(ago(1), 20), run(ago(3), 10)]
    result = acute_chronic(sessions, TODAY)
    assert result.acute_km == 30
    assert result.chronic_km_per_week == pytest.approx((30 + 20 * 3) / 4)
    assert result.ratio == pytest.approx(30 / 22.5)
    assert "does not predict injury" in result.caveat
    assert "impellizzeri2021" in ACWR_SOURCES
    assert acute_chronic([], TODAY).ratio is None


def test_cadence_trend_compares_the_last_four_weeks_with_the_four_before() -> None:
    sessions = [run(ago(d), 8, cadence_spm=c) for d, c in [(1, 172), (5, 170), (9, 168), (30, 160)]]
    trend = cadence_trend(sessions, TODAY)
    assert trend.recent_spm == 170
    assert trend.earlier_spm == 160
    assert trend.change_spm == 10
    assert (trend.recent_runs, trend.earlier_runs) == (3, 1)


def test_surface_mix_uses_what_the_runner_said_or_the_sport_implies() -> None:
    sessions = [
        run(ago(1), 10, surface="asphalt"),
        run(ago(2), 5, sport="treadmill_running"),
        run(ago(3), 6, sport="trail_running"),
        run(ago(4), 4),
        run(ago(40), 30, surface="asphalt"),  # older than four weeks
    ]
    mix = {s.surface: (s.distance_km, s.runs) for s in surface_mix(sessions, TODAY)}
    assert mix == {"asphalt": (10, 1), "trail": (6, 1), "treadmill": (5, 1), "unknown": (4, 1)}


def test_shoe_distance_adds_the_started_km() -> None:
    sessions = [
        run(ago(1), 10, shoe="A"),
        run(ago(2), 5, shoe="A"),
        run(ago(3), 7, shoe="B"),
        run(ago(4), 3),
    ]
    assert shoe_distances(sessions, {"A": 100, "C": 50}) == {"A": 115, "B": 7, "C": 50}


def test_summary_holds_every_part() -> None:
    summary = summarise(steady_weeks(8, (6, 8, 12)), TODAY, weeks=6, data_since=TODAY)
    assert len(summary.weeks) == 6
    assert summary.last_week.distance_km == 26
    assert summary.acute_chronic.ratio == pytest.approx(1)
    assert summary.cadence.recent_spm == 170


# --- intake answers ---------------------------------------------------------------------


def answers(sessions: list[Session], **kwargs: object) -> dict[str, object]:
    found = running_answers(
        sessions,
        TODAY,
        data_since=kwargs.get("data_since", min((s.day for s in sessions), default=None)),  # type: ignore[arg-type]
        default_shoe=kwargs.get("default_shoe"),  # type: ignore[arg-type]
        min_break_weeks=3,
    )
    assert set(found.notes) == {f"running.{name}" for name in found.values}
    return dict(found.values)


def test_a_load_spike_shows_in_the_answers() -> None:
    sessions = [
        *steady_weeks(4, (3, 3, 4), start_days_ago=7),
        run(ago(1), 8, cadence_spm=150.0),
        run(ago(3), 8, cadence_spm=152.0),
        run(ago(5), 9, cadence_spm=151.0),
    ]
    found = answers([*sessions, run(ago(40), 5)])
    assert found["km_last_week"] == 25
    assert found["km_per_week_before"] == 10
    assert found["runs_per_week"] == 3
    assert found["returned_after_break_weeks"] == 0
    # The median of the last 28 days' runs: three at ~151 and twelve at 170.
    assert found["cadence_spm"] == 170


def test_cadence_needs_three_recent_runs() -> None:
    found = answers(
        [run(ago(1), 5, cadence_spm=150.0), run(ago(3), 5, cadence_spm=150.0), run(ago(60), 1)]
    )
    assert "cadence_spm" not in found
    found = answers([run(ago(d), 5, cadence_spm=150.0) for d in (1, 3, 5)] + [run(ago(60), 1)])
    assert found["cadence_spm"] == 150


def test_short_history_leaves_the_earlier_weeks_unanswered() -> None:
    found = answers([run(ago(1), 10), run(ago(3), 10)], data_since=TODAY - dt.timedelta(days=10))
    assert found["km_last_week"] == 20
    assert "km_per_week_before" not in found  # weeks before the log are unknown, not zero
    assert "returned_after_break_weeks" not in found


def test_no_history_answers_nothing_but_the_shoes() -> None:
    found = running_answers(
        [], TODAY, data_since=None, default_shoe=ShoeKm("Old", 812.4), min_break_weeks=3
    )
    assert dict(found.values) == {"shoe_km": 812}
    assert "Old" in found.notes["running.shoe_km"]


def test_a_break_before_recent_running_is_measured_in_weeks() -> None:
    sessions = [
        run(ago(60), 10),
        run(ago(55), 10),
        run(ago(10), 5),
        run(ago(6), 5),
        run(ago(3), 6),
        run(ago(1), 6),
    ]
    found = latest_break(sessions, TODAY, TODAY - dt.timedelta(days=70), 3)
    assert found is not None
    assert found.ended_on == TODAY - dt.timedelta(days=10)
    assert found.weeks == 6  # 44 days without a run
    values = answers(sessions, data_since=TODAY - dt.timedelta(days=70))
    assert values["returned_after_break_weeks"] == 6
    assert values["runs_per_week"] == pytest.approx(round(4 / (11 / 7), 1))


def test_a_log_of_other_sports_shows_a_break_of_at_least_its_length() -> None:
    sessions = [run(ago(50), 30, sport="cycling"), run(ago(2), 5)]
    found = latest_break(sessions, TODAY, TODAY - dt.timedelta(days=50), 3)
    assert found is not None
    assert found.at_least
    assert found.weeks == 6


def test_no_recent_runs_means_no_break_answer() -> None:
    assert latest_break([run(ago(40), 10)], TODAY, TODAY - dt.timedelta(days=60), 3) is None


def test_sessions_refuse_negative_or_missing_numbers() -> None:
    with pytest.raises(ValueError, match="distance_km"):
        Session(TODAY, "running", -1.0, 60.0)
    with pytest.raises(ValueError, match="duration_s"):
        Session(TODAY, "running", 1.0, float("nan"))


# --- properties -------------------------------------------------------------------------
