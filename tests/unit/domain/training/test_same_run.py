"""Duplicate-run matching (domain/training/same_run.py): tolerances, richness, nearness."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import strategies as st

from backstride.domain.training.same_run import (
    DISTANCE_TOLERANCE_MIN_M,
    ELAPSED_TOLERANCE_MIN_S,
    MANUAL_DISTANCE_TOLERANCE_MIN_M,
    Quality,
    Recording,
    nearness,
    quality,
    richer,
    same_run,
)

START = datetime(2026, 3, 14, 7, 30, tzinfo=UTC)
FIT = quality(manual=False, richness=5, source_format="fit", samples=3600)
GPX = quality(manual=False, richness=2, source_format="gpx", samples=3500)
MANUAL = quality(manual=True, richness=0, source_format="manual", samples=0)


def recording(
    minutes_later: float = 0,
    distance_m: float | None = 10_000.0,
    elapsed_s: float = 3_000.0,
    quality: Quality = FIT,
    utc_offset_s: int | None = 3_600,
) -> Recording:
    return Recording(
        start_utc=START + timedelta(minutes=minutes_later),
        utc_offset_s=utc_offset_s,
        distance_m=distance_m,
        elapsed_s=elapsed_s,
        quality=quality,
    )


# --- two recordings ---------------------------------------------------------------


def test_a_recording_is_the_same_run_as_itself() -> None:
    assert same_run(recording(), recording())


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(4.9, True), (5, True), (-5, True), (5.1, False), (-5.1, False), (60, False)],
)
def test_starts_must_be_within_five_minutes(minutes: float, expected: bool) -> None:
    assert same_run(recording(), recording(minutes, quality=GPX)) is expected


@pytest.mark.parametrize(
    ("other_m", "expected"),
    [(10_500, True), (9_500, True), (10_526, True), (10_527, False), (9_400, False)],
)
def test_distances_agree_within_five_percent_of_the_longer(other_m: float, expected: bool) -> None:
    # 5% of 10.526 km is 526.3 m: the share is taken of the larger of the two.
    assert same_run(recording(), recording(distance_m=other_m)) is expected


def test_short_runs_get_a_floor_of_150_metres() -> None:
    assert DISTANCE_TOLERANCE_MIN_M == 150.0
    short = recording(distance_m=1_000)
    assert same_run(short, recording(distance_m=1_150))
    assert not same_run(short, recording(distance_m=1_151))


def test_without_distances_elapsed_times_decide() -> None:
    kept = recording(distance_m=None, elapsed_s=3_000)
    assert same_run(kept, recording(distance_m=None, elapsed_s=3_300))
    assert not same_run(kept, recording(distance_m=None, elapsed_s=3_400))
    assert ELAPSED_TOLERANCE_MIN_S == 120.0
    brief = recording(distance_m=None, elapsed_s=600)
    assert same_run(brief, recording(distance_m=0.0, elapsed_s=720))
    assert not same_run(brief, recording(distance_m=0.0, elapsed_s=721))


def test_one_distance_against_none_is_never_the_same_run() -> None:
    assert not same_run(recording(), recording(distance_m=None))
    assert not same_run(recording(distance_m=None), recording())


# --- a hand-entered run --------------------------------------------------------------


def test_a_hand_entered_run_matches_any_time_on_its_local_day() -> None:
    typed = recording(quality=MANUAL, distance_m=8_000)  # 08:30 local
    assert same_run(typed, recording(minutes_later=10 * 60, distance_m=8_300))
    # 17:30 UTC is 18:30 local, the same day; 23:00 UTC is midnight, the next local day.
    assert not same_run(typed, recording(minutes_later=15.5 * 60, distance_m=8_000))


def test_the_hand_entered_runs_offset_gives_both_local_days() -> None:
    # 23:30 UTC on the 13th is the 14th at UTC+1: the same local day as the typed run.
    typed = recording(quality=MANUAL, distance_m=8_000)
    late = recording(minutes_later=-8 * 60, distance_m=8_000, utc_offset_s=-36_000)
    assert same_run(typed, late)


def test_a_hand_entered_distance_is_about_right_within_ten_percent() -> None:
    typed = recording(quality=MANUAL, distance_m=8_000)
    assert same_run(typed, recording(distance_m=8_800))
    assert not same_run(typed, recording(distance_m=7_100))
    assert MANUAL_DISTANCE_TOLERANCE_MIN_M == 300.0
    small = recording(quality=MANUAL, distance_m=1_000)
    assert same_run(small, recording(distance_m=1_300))
    assert not same_run(small, recording(distance_m=1_301))


def test_a_hand_entered_run_without_a_distance_matches_by_its_minutes_that_day() -> None:
    # A check-in's run gives only its minutes: 50 typed against 50 recorded.
    typed = recording(quality=MANUAL, distance_m=None)
    assert same_run(typed, recording())
    # Within 15% of the longer (at least 5 minutes), on the same day.
    assert same_run(typed, recording(elapsed_s=3500))
    assert not same_run(typed, recording(elapsed_s=3600))
    short = recording(quality=MANUAL, distance_m=None, elapsed_s=600)
    assert same_run(short, recording(elapsed_s=900))
    assert not same_run(short, recording(elapsed_s=901))
    next_day = recording(minutes_later=24 * 60)
    assert not same_run(typed, next_day)


def test_a_hand_entered_distance_never_matches_a_recording_without_one() -> None:
    assert not same_run(recording(quality=MANUAL), recording(distance_m=None))


# --- which is kept -------------------------------------------------------------------


def test_a_file_beats_a_hand_entered_run_however_poor() -> None:
    poor = quality(manual=False, richness=0, source_format="gpx", samples=2)
    assert richer(recording(quality=poor), recording(quality=MANUAL))


def test_more_channels_beat_a_better_format() -> None:
    gpx_rich = quality(manual=False, richness=6, source_format="gpx", samples=10)
    fit_poor = quality(manual=False, richness=5, source_format="fit", samples=9_000)
    assert richer(recording(quality=gpx_rich), recording(quality=fit_poor))


@pytest.mark.parametrize(("better", "worse"), [("fit", "tcx"), ("tcx", "gpx"), ("gpx", "zzz")])
def test_fit_over_tcx_over_gpx_at_equal_channels(better: str, worse: str) -> None:
    a = quality(manual=False, richness=3, source_format=better, samples=1)
    b = quality(manual=False, richness=3, source_format=worse, samples=9_999)
    assert richer(recording(quality=a), recording(quality=b))


def test_a_tie_keeps_the_one_already_in_the_log() -> None:
    assert not richer(recording(), recording())


def test_more_samples_break_the_last_tie() -> None:
    more = replace(recording(), quality=(*FIT[:3], FIT[3] + 1))
    assert richer(more, recording())


# --- nearness and properties -----------------------------------------------------------


def test_the_nearest_start_then_distance_is_preferred() -> None:
    new = recording()
    candidates = [recording(2, 10_000), recording(1, 10_100), recording(1, 10_050)]
    assert min(candidates, key=lambda kept: nearness(kept, new)) == candidates[2]


minutes = st.floats(-30, 30)
