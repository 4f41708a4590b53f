"""Streams pack into one compact blob and come back the same; Activity guards its invariants."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from backstride.ingest import Activity, Streams
from backstride.ingest.errors import StreamsFormatError
from backstride.ingest.fit import read_fit
from tests.unit.ingest.conftest import fit_payload


def a_streams(samples: int = 5) -> Streams:
    time = np.arange(samples, dtype=float) * 1.5
    return Streams.build(
        time,
        distance_m=time * 3.1,
        heart_rate=np.where(np.arange(samples) % 2, 140.0, np.nan),
        lat=np.linspace(51.5, 51.6, samples),
        lon=np.linspace(-0.1, -0.2, samples),
    )


def test_streams_round_trip_through_bytes_keeps_values_and_missing_samples() -> None:
    streams = a_streams()
    restored = Streams.from_bytes(streams.to_bytes())
    assert restored.present_channels() == ("distance_m", "heart_rate", "lat", "lon")
    np.testing.assert_allclose(restored.time_s, streams.time_s, atol=1e-3)
    np.testing.assert_allclose(restored.distance_m, streams.distance_m, rtol=1e-6)
    np.testing.assert_array_equal(np.isnan(restored.heart_rate), np.isnan(streams.heart_rate))
    np.testing.assert_allclose(restored.lat, streams.lat, atol=1e-7)
    np.testing.assert_allclose(restored.lon, streams.lon, atol=1e-7)
    assert np.isnan(restored.speed_m_s).all()


def test_a_real_run_round_trips_and_the_blob_is_much_smaller_than_raw_arrays() -> None:
    (activity,) = read_fit(fit_payload("sportslib_fr945_run_6782987395.fit"), "run.fit")
    streams = activity.streams
    blob = streams.to_bytes()
    restored = Streams.from_bytes(blob)
    assert len(restored) == len(streams) == 4988
    for name in Streams.CHANNELS:
        np.testing.assert_allclose(
            getattr(restored, name), getattr(streams, name), rtol=1e-6, atol=1e-3
        )
    raw_size = len(streams) * 8 * len(Streams.CHANNELS)
    assert len(blob) < raw_size / 4


def test_empty_streams_round_trip() -> None:
    assert Streams.from_bytes(Streams.empty().to_bytes()) == Streams.empty()


def test_positions_with_missing_fixes_survive_the_delta_encoding() -> None:
    lat = np.array([np.nan, 45.0, np.nan, -33.9, 89.9999999])
    streams = Streams.build(np.arange(5.0), lat=lat, lon=-lat)
    restored = Streams.from_bytes(streams.to_bytes())
    np.testing.assert_allclose(restored.lat, lat, atol=1e-7)
    np.testing.assert_allclose(restored.lon, -lat, atol=1e-7)


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (b"", "shorter"),
        (b"XXXX" + bytes(7), "magic"),
        (b"BSTR\x09" + bytes(6), "version"),
    ],
)
def test_foreign_blobs_are_refused_with_a_typed_error(blob: bytes, message: str) -> None:
    with pytest.raises(StreamsFormatError, match=message):
        Streams.from_bytes(blob)


def test_a_blob_whose_payload_does_not_match_its_header_is_refused() -> None:
    blob = a_streams().to_bytes()
    truncated = blob[:11] + zlib.compress(zlib.decompress(blob[11:])[:-4])
    with pytest.raises(StreamsFormatError, match="length"):
        Streams.from_bytes(truncated)


def test_richness_counts_channels_with_data_and_position_once() -> None:
    assert a_streams().richness() == 3  # distance, heart rate, position
    assert Streams.build(np.arange(3.0)).richness() == 0


def test_streams_reject_uneven_channels_and_missing_times() -> None:
    with pytest.raises(ValueError, match="samples"):
        Streams.build(np.arange(3.0), heart_rate=np.arange(4.0))
    with pytest.raises(ValueError, match="NaN"):
        Streams.build(np.array([0.0, np.nan]))


def test_streams_arrays_are_read_only() -> None:
    streams = a_streams()
    with pytest.raises(ValueError, match="read-only"):
        streams.heart_rate[0] = 1.0


def activity(**changes: object) -> Activity:
    base = Activity(
        sport="running",
        start_utc=datetime(2024, 3, 2, 7, 44, 55, tzinfo=UTC),
        utc_offset_s=3600,
        elapsed_s=60.0,
        moving_s=50.0,
        distance_m=200.0,
        ascent_m=None,
        avg_hr=None,
        max_hr=None,
        avg_cadence_spm=None,
        device=None,
        source_format="fit",
        source_sha256="0" * 64,
        source_name="x.fit",
        streams=a_streams(),
    )
    return base.replace(**changes)


def test_activity_needs_an_aware_utc_start_and_a_known_sport() -> None:
    with pytest.raises(ValueError, match="UTC"):
        activity(start_utc=datetime(2024, 3, 2, 7, 44, 55))  # noqa: DTZ001 - the point
    with pytest.raises(ValueError, match="UTC"):
        activity(start_utc=datetime(2024, 3, 2, 7, 44, tzinfo=timezone(timedelta(hours=1))))
    with pytest.raises(ValueError, match="sport"):
        activity(sport="quidditch")


def test_activity_local_start_and_end() -> None:
    run = activity()
    assert run.end_utc == datetime(2024, 3, 2, 7, 45, 55, tzinfo=UTC)
    assert run.start_local == datetime(2024, 3, 2, 8, 44, 55)  # noqa: DTZ001 - local wall clock
    assert activity(utc_offset_s=None).start_local is None
