"""Every real FIT file imports with the start, duration, distance and heart rate its
session says (reference values: fitdecode, in tests/files/expected.json)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from backstride.ingest import Activity, Skipped, read_file
from backstride.ingest.fit import read_fit
from tests.unit.ingest.conftest import FIT_FILES, expected, fit_payload, original_bytes

SINGLE_SESSION = [
    name
    for name in FIT_FILES
    if "error" not in expected()[name] and len(expected()[name]["sessions"]) == 1
]


def only_activity(name: str) -> Activity:
    items = read_file(name, original_bytes(name))
    assert all(isinstance(item, Activity) for item in items), items
    (activity,) = items
    assert isinstance(activity, Activity)
    return activity


@pytest.mark.parametrize("name", SINGLE_SESSION)
def test_single_session_fit_matches_its_session_totals(name: str) -> None:
    reference: dict[str, Any] = expected()[name]
    (session,) = reference["sessions"]
    activity = only_activity(name)
    assert activity.start_utc == datetime.fromisoformat(session["start"])
    # One file states an elapsed time shorter than its timer time; the timer wins.
    stated_elapsed = max(session["elapsed_s"], session["timer_s"])
    assert activity.elapsed_s == pytest.approx(stated_elapsed, abs=0.01)
    assert activity.timer_s == pytest.approx(session["timer_s"], abs=0.01)
    assert activity.distance_m == pytest.approx(session["distance_m"], abs=0.01)
    if session["avg_hr"] is None:
        # The session does not say; the value comes from the records, if they have HR.
        if activity.streams.has("heart_rate"):
            assert 60 < (activity.avg_hr or 0) < 200
    else:
        assert activity.avg_hr == session["avg_hr"]
    assert len(activity.streams) == reference["records"]
    assert activity.source_format == "fit"
    assert activity.moving_s <= activity.elapsed_s


@pytest.mark.parametrize("name", SINGLE_SESSION)
def test_streams_are_consistent_with_the_summary(name: str) -> None:
    activity = only_activity(name)
    streams = activity.streams
    assert np.all(np.diff(streams.time_s) >= 0)
    assert streams.time_s[-1] == pytest.approx(activity.elapsed_s, abs=60)
    if streams.has("distance_m"):
        assert np.nanmax(streams.distance_m) == pytest.approx(activity.distance_m, rel=0.01)
    if streams.has("lat"):
        assert np.nanmin(np.abs(streams.lat)) > 0.1  # no (0, 0) placeholder fixes


def test_source_hash_is_of_the_fit_bytes_even_when_gzipped() -> None:
    name = "gc_edge1030plus_14582164182.fit.gz"
    activity = only_activity(name)
    assert activity.source_sha256 == hashlib.sha256(fit_payload(name)).hexdigest()
    assert activity.source_name == name
    assert activity.sport == "cycling"
    assert activity.avg_hr == 108
    assert activity.elapsed_s == 2760  # the file's 1632 s is shorter than its timer time
    assert "shorter than its timer" in activity.warnings[0]


def test_running_cadence_is_in_steps_per_minute() -> None:
    activity = only_activity("gc_fr955_14211916346_ACTIVITY.fit")
    # The session stores 82 strides/min plus 29/32 of a stride: a runner's ~166 steps/min.
    assert activity.avg_cadence_spm == pytest.approx(165.9, abs=0.1)
    moving = activity.streams.cadence_spm[activity.streams.speed_m_s > 2]
    assert 150 < float(np.nanmedian(moving)) < 190


def test_cycling_cadence_is_not_reported_as_steps() -> None:
    activity = only_activity("fitparse_2019-02-17-062644-ELEMNT-297E-195-0.fit")
    assert activity.sport == "cycling"
    assert activity.avg_cadence_spm is None
    assert not activity.streams.has("cadence_spm")


@pytest.mark.parametrize(
    ("name", "sport", "device", "utc_offset_s"),
    [
        ("sportslib_fr945_treadmill_6860622783.fit", "treadmill_running", "Garmin fr945", -18000),
        ("gc_fenix6x_trail_4077461142.fit", "trail_running", "Garmin fenix6x", 10800),
        ("sportslib_coros-apex-pro_run_6916663933.fit", "running", "COROS APEX Pro", 0),
        ("fitparse_2019-02-17-062644-ELEMNT-297E-195-0.fit", "cycling", None, 28800),
        ("gc_suunto_Move_2020_01_15_19_27_16_Running.fit", "running", "Suunto (product 34)", 3600),
    ],
)
def test_sport_device_and_local_offset(
    name: str, sport: str, device: str | None, utc_offset_s: int
) -> None:
    activity = only_activity(name)
    assert activity.sport == sport
    if device is not None:
        assert activity.device == device
    assert activity.utc_offset_s == utc_offset_s


def test_treadmill_run_keeps_distance_without_positions() -> None:
    activity = only_activity("sportslib_fr945_treadmill_6860622783.fit")
    assert not activity.streams.has("lat")
    assert activity.streams.has("distance_m")
    assert activity.streams.has("heart_rate")
    assert activity.moving_s < activity.elapsed_s  # paused between treadmill intervals


def test_multisport_file_gives_one_activity_per_leg_without_transitions() -> None:
    name = "fitparse_activity-large-fenxi2-multisport.fit"
    legs = [s for s in expected()[name]["sessions"] if s["sport"] != "transition"]
    activities = read_fit(original_bytes(name), name)
    assert [a.sport for a in activities] == ["other", "running", "running", "cycling"]
    assert [a.source_index for a in activities] == [0, 2, 4, 6]
    for activity, session in zip(activities, legs, strict=True):
        assert activity.start_utc == datetime.fromisoformat(session["start"])
        assert activity.distance_m == pytest.approx(session["distance_m"], abs=0.01)
        assert activity.elapsed_s == pytest.approx(session["elapsed_s"], abs=0.01)
        assert "transition" in activity.warnings[-1]
    # Every record lands in exactly one leg or transition, none is lost or doubled.
    assert sum(len(a.streams) for a in activities) <= expected()[name]["records"]
    # Each leg's own distance channel starts near zero.
    for activity in activities:
        assert np.nanmin(activity.streams.distance_m) < 50


def test_relative_clock_file_is_anchored_on_the_local_timestamp() -> None:
    # The Forerunner 70 counts seconds since power-on; only activity.local_timestamp is a
    # real clock (2012-02-13 12:21:03 local at the end, 3887 s after the session start).
    activity = only_activity("fitparse_compressed-speed-distance.fit")
    assert activity.start_utc == datetime(2012, 2, 13, 11, 16, 16, tzinfo=UTC)
    assert activity.utc_offset_s is None
    assert "relative clock" in activity.warnings[0]
    assert activity.elapsed_s == pytest.approx(3883.273)
    assert activity.distance_m == pytest.approx(10248.67)
    assert activity.avg_hr == 170
    assert len(activity.streams) == 755
    # Distance comes from the compressed speed/distance field, accumulated over 12-bit
    # roll-overs: it must grow to the session total, never jump back.
    distance = activity.streams.distance_m
    assert np.nanmax(distance) == pytest.approx(10248.69, abs=0.1)
    assert np.all(np.diff(distance[np.isfinite(distance)]) >= 0)


def test_coros_file_with_misaligned_field_sizes_decodes_fully() -> None:
    name = "fitparse_coros-pace-2-cycling-misaligned-fields.fit"
    activity = only_activity(name)
    assert len(activity.streams) == 11272
    assert activity.distance_m == pytest.approx(32145.76)
    assert activity.streams.has("heart_rate")
    assert activity.streams.has("lat")


def test_empty_fit_file_is_skipped_with_a_reason() -> None:
    (item,) = read_file("sportslib_empty-sessions.fit", b"")
    assert isinstance(item, Skipped)
    assert item.reason == "the file is empty (0 bytes)"
