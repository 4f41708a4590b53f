"""Every real GPX and TCX file imports with the point count, times and distance the
reference tools report; malformed ones are skipped with a reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import pytest

from backstride.ingest import Activity, Skipped, read_file
from tests.unit.ingest.conftest import expected, names, original_bytes

GPX_WITH_POINTS = [name for name in names("gpx") if expected()[name]["points"]]
TCX_FILES = names("tcx")


def activities(name: str) -> list[Activity]:
    items = read_file(name, original_bytes(name))
    found = [item for item in items if isinstance(item, Activity)]
    assert len(found) == len(items), items
    return found


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize("name", GPX_WITH_POINTS)
def test_gpx_points_times_and_distance_match_the_reference(name: str) -> None:
    reference: dict[str, Any] = expected()[name]
    (activity,) = activities(name)
    assert len(activity.streams) == reference["points"]
    assert activity.start_utc == iso(reference["first_time"])
    span = (iso(reference["last_time"]) - iso(reference["first_time"])).total_seconds()
    assert activity.elapsed_s == pytest.approx(span, abs=0.001)
    assert activity.distance_m == pytest.approx(reference["haversine_distance_m"], abs=0.5)
    assert activity.source_format == "gpx"


@pytest.mark.parametrize("name", TCX_FILES)
def test_tcx_points_times_and_lap_totals_match_the_reference(name: str) -> None:
    reference: dict[str, Any] = expected()[name]
    found = activities(name)
    assert sum(len(a.streams) for a in found) == reference["points"]
    assert found[0].start_utc == iso(reference["first_time"])
    last = max(a.start_utc.timestamp() + float(a.streams.time_s[-1]) for a in found)
    assert last == pytest.approx(iso(reference["last_time"]).timestamp(), abs=0.001)
    assert sum(a.timer_s or 0 for a in found) == pytest.approx(reference["laps_time_s"], abs=0.01)
    assert sum(a.distance_m or 0 for a in found) == pytest.approx(
        reference["laps_distance_m"], abs=0.01
    )


def test_gpx_heart_rate_and_cadence_come_from_the_trackpoint_extension() -> None:
    (garmin,) = activities("togeojson_run.gpx")  # gpxtpx:hr
    assert garmin.streams.heart_rate[:3].tolist() == [130, 134, 139]
    (strava,) = activities("sportslib_strava-android_run_1681613317.gpx")  # gpxtpx hr + cad
    assert strava.streams.heart_rate[0] == 76
    assert strava.streams.cadence_spm[0] == 90  # 45 strides/min, one foot
    (connect,) = activities("sportslib_fr945_run_6782987395.gpx")  # ns3: prefix
    assert connect.streams.heart_rate[0] == 71
    assert connect.avg_hr == pytest.approx(137, abs=1)
    (amazfit,) = activities("sportslib_amazfit_run.gpx")  # plain <heartrate> and ns3:hr
    assert amazfit.streams.heart_rate[0] == 89


def test_strava_numeric_gpx_type_9_is_a_run() -> None:
    (run,) = activities("sportslib_strava-android_run_1681613317.gpx")
    assert run.sport == "running"
    assert run.name == "Run avec Nico & Mag"
    assert run.device == "StravaGPX Android"


def test_gpx_without_type_is_other_sport_and_keeps_no_step_cadence() -> None:
    (track,) = activities("togeojson_run_gpxtpx.gpx")
    assert track.sport == "other"
    assert track.avg_cadence_spm is None


def test_empty_segment_is_harmless() -> None:
    (track,) = activities("gpxpy_track-with-empty-segment.gpx")
    assert len(track.streams) == 9


def test_treadmill_tcx_without_positions_keeps_every_point() -> None:
    (run,) = activities("sportslib_fr945_treadmill_6860622783.tcx")
    streams = run.streams
    assert len(streams) == 3101
    assert not streams.has("lat")
    assert np.isfinite(streams.heart_rate).all()
    assert np.isfinite(streams.distance_m).all()
    assert run.distance_m == pytest.approx(10630.37)
    assert run.avg_hr == pytest.approx(145)
    assert 150 < (run.avg_cadence_spm or 0) < 190  # RunCadence doubled to steps


def test_multisport_tcx_gives_one_activity_per_leg() -> None:
    legs = activities("gc_fr305_multi-session_165850259.tcx")
    assert [leg.sport for leg in legs] == ["running", "cycling", "running", "cycling"]
    assert [leg.source_index for leg in legs] == [0, 1, 2, 3]
    assert legs[0].timer_s == pytest.approx(3601.84)
    assert legs[0].avg_hr == 161


def test_tcx_lap_start_and_device_name() -> None:
    (run,) = activities("gc_10kUNLP2014-Garmin15.tcx")
    assert run.device == "Forerunner 15"
    assert run.timer_s == pytest.approx(2223.803)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("togeojson_bad.gpx", "2 of 2 track points hold values that are not valid numbers"),
        ("togeojson_bad.tcx", "2 of 4 track points hold values that are not valid numbers"),
        ("gc_MetadataOnly.gpx", "no track points"),
        ("gpxpy_unicode_with_bom.gpx", "not a recorded track"),
    ],
)
def test_files_without_a_usable_track_are_skipped_with_a_reason(name: str, reason: str) -> None:
    (item,) = read_file(name, original_bytes(name))
    assert isinstance(item, Skipped)
    assert reason in item.reason
    assert item.name == name


GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">'
    "<trk><type>running</type><trkseg>"
)


def gpx_points(points: list[tuple[str, str, str | None]]) -> str:
    body = "".join(
        f'<trkpt lat="{lat}" lon="{lon}">' + (f"<time>{time}</time>" if time else "") + "</trkpt>"
        for lat, lon, time in points
    )
    return GPX_HEAD + body + "</trkseg></trk></gpx>"


def minute_points(count: int) -> list[tuple[str, str, str | None]]:
    return [
        (f"{51.5 + i * 0.0005:.6f}", "-0.1", f"2024-05-01T10:{i:02d}:00Z") for i in range(count)
    ]


def test_a_single_bad_coordinate_among_many_is_dropped_with_a_warning() -> None:
    points = minute_points(30)
    points[7] = ("undefined", "-0.1", points[7][2])
    (run,) = read_file("one-glitch.gpx", gpx_points(points).encode())
    assert isinstance(run, Activity)
    assert len(run.streams) == 30
    assert np.isnan(run.streams.lat[7])
    assert "latitude='undefined'" in run.warnings[0]


def test_a_truncated_gpx_is_read_in_recovery_mode_with_a_warning() -> None:
    data = gpx_points(minute_points(30)).encode()
    cut = data[: data.index(b"<trkpt", len(data) // 2) + 20]
    (run,) = read_file("cut.gpx", cut)
    assert isinstance(run, Activity)
    assert 10 < len(run.streams) < 30
    assert "recovery mode" in run.warnings[0]


def test_a_gpx_route_without_times_is_not_an_activity() -> None:
    points = [(lat, lon, None) for lat, lon, _ in minute_points(5)]
    (item,) = read_file("route.gpx", gpx_points(points).encode())
    assert isinstance(item, Skipped)
    assert "planned route" in item.reason


def test_tcx_times_with_an_offset_give_utc_start_and_the_local_offset() -> None:
    tcx = (
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        '<Activities><Activity Sport="Running"><Id>2020-12-27T15:43:49+01:00</Id>'
        '<Lap StartTime="2020-12-27T15:43:49.000+01:00"><TotalTimeSeconds>120</TotalTimeSeconds>'
        "<DistanceMeters>400</DistanceMeters><Track>"
        + "".join(
            f"<Trackpoint><Time>2020-12-27T15:4{3 + i}:49.000+01:00</Time>"
            f"<DistanceMeters>{i * 200}</DistanceMeters></Trackpoint>"
            for i in range(3)
        )
        + "</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    (run,) = read_file("offset.tcx", tcx.encode())
    assert isinstance(run, Activity)
    assert run.start_utc.isoformat() == "2020-12-27T14:43:49+00:00"
    assert run.utc_offset_s == 3600
    assert run.distance_m == 400
    assert run.elapsed_s == 120
