"""Collect text values of GPX/TCX track points into streams, judging bad values.

Policy for values that are not numbers (`lat="undefined"`, `<ele>bad data</ele>`) or
out of range: the point is kept (its time, distance and heart rate still count) but the
bad value becomes NaN and the activity carries a warning. When more than
`MAX_INVALID_SHARE` of the points are damaged the file is rejected instead, because an
exporter that writes that much garbage cannot be trusted for the rest either.
A position of exactly (0, 0) is a missing GPS fix, not a place: it is dropped with a
warning but does not count as damage.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Final

import numpy as np

from backstride.ingest.errors import InvalidValueError, NoActivityDataError
from backstride.ingest.model import FOOT_SPORTS, Streams

MAX_INVALID_SHARE: Final = 0.10
_RUNNING_PER_FOOT_BELOW: Final = 120.0
_WALKING_PER_FOOT_BELOW: Final = 90.0
_MAX_SPEED_M_S: Final = 200.0


def parse_time(text: str | None) -> datetime | None:
    """ISO 8601 time as written by GPX/TCX exporters; naive times are taken as UTC."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class TrackBuilder:
    """Accumulates one activity's points; `finish` turns them into `Streams`."""

    def __init__(self) -> None:
        self._time: list[float] = []
        self._lat: list[float] = []
        self._lon: list[float] = []
        self._altitude: list[float] = []
        self._distance: list[float] = []
        self._heart_rate: list[float] = []
        self._cadence: list[float] = []
        self._speed: list[float] = []
        self._damaged = 0
        self._example: str | None = None
        self._no_fix = 0
        self._untimed = 0
        self.utc_offset_s: int | None = None

    def __len__(self) -> int:
        return len(self._time)

    def add(
        self,
        *,
        time: str | None,
        lat: str | None = None,
        lon: str | None = None,
        altitude: str | None = None,
        distance: str | None = None,
        heart_rate: str | None = None,
        cadence: str | None = None,
        speed: str | None = None,
    ) -> None:
        moment = parse_time(time)
        if moment is None:
            self._untimed += 1
            if time:
                self._count_damage([f"time={time.strip()!r}"])
            return
        offset = moment.utcoffset()
        if offset and self.utc_offset_s is None:
            self.utc_offset_s = int(offset.total_seconds())
        damage: list[str] = []
        self._time.append(moment.timestamp())
        self._add_position(lat, lon, damage)
        self._altitude.append(_number(altitude, "elevation", -500.0, 9000.0, damage))
        self._distance.append(_number(distance, "distance", 0.0, 1e8, damage))
        self._heart_rate.append(_number(heart_rate, "heart rate", 0.0, 300.0, damage))
        self._cadence.append(_number(cadence, "cadence", 0.0, 300.0, damage))
        self._speed.append(_number(speed, "speed", 0.0, _MAX_SPEED_M_S, damage))
        self._count_damage(damage)

    def _add_position(self, lat_text: str | None, lon_text: str | None, damage: list[str]) -> None:
        if lat_text is None and lon_text is None:
            self._lat.append(math.nan)
            self._lon.append(math.nan)
            return
        lat = _number(lat_text, "latitude", -90.0, 90.0, damage)
        lon = _number(lon_text, "longitude", -180.0, 180.0, damage)
        if lat == 0.0 and lon == 0.0:
            self._no_fix += 1
            lat = lon = math.nan
        elif math.isnan(lat) or math.isnan(lon):
            lat = lon = math.nan
        self._lat.append(lat)
        self._lon.append(lon)

    def _count_damage(self, damage: list[str]) -> None:
        # Counted per point, not per value: the share of damaged points decides.
        if damage:
            self._damaged += 1
            if self._example is None:
                self._example = damage[0]

    def finish(
        self, sport: str, declared_start: float | None = None
    ) -> tuple[Streams, float, tuple[str, ...]]:
        """Streams, the start (epoch seconds) their times count from, and warnings.

        The start is the first point's time, or the file's declared start (a TCX lap's
        StartTime) when that is earlier: the runner pressed start before the first fix.
        """
        total = len(self._time) + self._untimed
        if not self._time:
            if self._untimed:
                raise NoActivityDataError(
                    f"none of the {self._untimed} track points has a valid time "
                    "(a planned route, not a recorded activity)"
                )
            raise NoActivityDataError("the file has no track points")
        if self._damaged > MAX_INVALID_SHARE * total:
            raise InvalidValueError(
                f"{self._damaged} of {total} track points hold values that are not valid "
                f"numbers (for example {self._example})"
            )
        warnings = self._warnings()
        times = np.array(self._time)
        order = np.argsort(times, kind="stable")
        if np.any(np.diff(times) < 0):
            warnings.append("track points were out of time order and have been sorted")
        start = float(times[order[0]])
        if declared_start is not None and declared_start < start:
            start = declared_start

        def column(values: list[float]) -> np.ndarray:
            return np.array(values, dtype=np.float64)[order]

        streams = Streams.build(
            times[order] - start,
            distance_m=column(self._distance),
            speed_m_s=column(self._speed),
            heart_rate=column(self._heart_rate),
            cadence_spm=_steps_per_minute(column(self._cadence), sport),
            altitude_m=column(self._altitude),
            lat=column(self._lat),
            lon=column(self._lon),
        )
        return streams, start, tuple(warnings)

    def _warnings(self) -> list[str]:
        warnings = []
        if self._damaged:
            warnings.append(
                f"{self._damaged} track point(s) had invalid values (for example "
                f"{self._example}); those values were left out"
            )
        if self._untimed:
            warnings.append(f"{self._untimed} track point(s) without a time were left out")
        if self._no_fix:
            warnings.append(f"{self._no_fix} track point(s) at latitude/longitude 0,0 (no GPS fix)")
        return warnings


def _number(text: str | None, label: str, low: float, high: float, damage: list[str]) -> float:
    """The value, or NaN when absent; unreadable or out-of-range text is noted as damage."""
    if text is None:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and low <= value <= high):
        damage.append(f"{label}={text.strip()!r}")
        return math.nan
    return value


def _steps_per_minute(cadence: np.ndarray, sport: str) -> np.ndarray:
    """Running cadence in steps/min, whichever convention the exporter used.

    Garmin and Strava exports write strides per minute (one foot, ~85 when running),
    a few apps write steps (~170). The typical value tells them apart: no runner
    averages under 120 steps/min, no walker under 90, and nobody's single-foot cadence
    reaches those numbers. For other sports cadence is pedal or stroke rate and is not
    kept as steps.
    """
    if sport not in FOOT_SPORTS:
        return np.full(cadence.size, np.nan)
    moving = cadence[np.isfinite(cadence) & (cadence > 0)]
    if not moving.size:
        return cadence
    per_foot_below = (
        _WALKING_PER_FOOT_BELOW if sport in ("walking", "hiking") else _RUNNING_PER_FOOT_BELOW
    )
    return cadence * 2 if float(np.median(moving)) < per_foot_below else cadence
