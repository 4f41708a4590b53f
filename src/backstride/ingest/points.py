"""Collect text values of GPX/TCX track points into streams, judging bad values.

Policy for values that are not numbers (`lat="undefined"`, `<ele>bad data</ele>`) or
out of range: the point is kept (its time, distance and heart rate still count) but the
bad value becomes NaN and the activity carries a warning. When more than
`MAX_INVALID_SHARE` of the points are damaged the file is rejected instead, because an
exporter that writes that much garbage cannot be trusted for the rest either.
A position of exactly (0, 0) is a missing GPS fix, not a place: it is dropped with a
warning but does not count as damage.

The readers only collect each point's text values, one list per channel (None where
the point has none); `TrackBuilder.finish` converts whole columns at once: numbers
with one C-level ``float`` pass per column, ISO 8601 times by arithmetic on their
digits with numpy (any time that is not in the common ``2024-01-31T06:00:00[.fff][Z|
+hh:mm]`` form goes through `parse_time` instead), and the range checks and the damage
count as array operations. The outcome is the same as judging point by point.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from itertools import repeat
from operator import is_not
from typing import Final, cast

import numpy as np
import numpy.typing as npt

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
    """One activity's points as text columns; `finish` turns them into `Streams`.

    A reader appends one entry per point to every column (None where the point has no
    such value), in document order, or leaves a column empty for a channel its format
    does not have.
    """

    CHANNELS: Final = (
        "time",
        "lat",
        "lon",
        "altitude",
        "distance",
        "heart_rate",
        "cadence",
        "speed",
    )

    def __init__(self) -> None:
        self.time: list[str | None] = []
        self.lat: list[str | None] = []
        self.lon: list[str | None] = []
        self.altitude: list[str | None] = []
        self.distance: list[str | None] = []
        self.heart_rate: list[str | None] = []
        self.cadence: list[str | None] = []
        self.speed: list[str | None] = []
        self.utc_offset_s: int | None = None
        """The first point's UTC offset that is not zero; set by `finish`."""
        self._times: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None

    def __len__(self) -> int:
        """Points added, with or without a valid time."""
        return len(self.time)

    def timed(self) -> int:
        """Points with a valid time (the others are left out)."""
        return int((~np.isnan(self._parsed_times()[0])).sum())

    def _parsed_times(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        if self._times is None or self._times[0].size != len(self.time):
            self._times = parse_times(self.time)
        return self._times

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
        """One point (the readers append to the columns directly, which is faster)."""
        self.time.append(time)
        self.lat.append(lat)
        self.lon.append(lon)
        self.altitude.append(altitude)
        self.distance.append(distance)
        self.heart_rate.append(heart_rate)
        self.cadence.append(cadence)
        self.speed.append(speed)

    def finish(
        self, sport: str, declared_start: float | None = None
    ) -> tuple[Streams, float, tuple[str, ...]]:
        """Streams, the start (epoch seconds) their times count from, and warnings.

        The start is the first point's time, or the file's declared start (a TCX lap's
        StartTime) when that is earlier: the runner pressed start before the first fix.
        Raises `NoActivityDataError` without a timed point and `InvalidValueError` when
        more than `MAX_INVALID_SHARE` of the points are damaged.
        """
        total = len(self.time)
        seconds, offsets = self._parsed_times()
        timed = ~np.isnan(seconds)
        count = int(timed.sum())
        untimed = total - count
        if not count:
            if untimed:
                raise NoActivityDataError(
                    f"none of the {untimed} track points has a valid time "
                    "(a planned route, not a recorded activity)"
                )
            raise NoActivityDataError("the file has no track points")
        # A time that is there but unreadable is damage; an empty <time/> is only missing.
        bad_time = ~timed & _present(self.time, nonempty=True)
        lat_texts, lon_texts = self._texts("lat"), self._texts("lon")
        lat, bad_lat = _column(lat_texts, -90.0, 90.0)
        lon, bad_lon = _column(lon_texts, -180.0, 180.0)
        no_fix = (lat == 0.0) & (lon == 0.0)
        lat[no_fix] = lon[no_fix] = np.nan
        unplaced = np.isnan(lat) | np.isnan(lon)
        lat[unplaced] = lon[unplaced] = np.nan
        checks: list[tuple[str, list[str | None], npt.NDArray[np.bool_]]] = [
            ("time", self.time, bad_time),
            ("latitude", lat_texts, bad_lat & timed),
            ("longitude", lon_texts, bad_lon & timed),
        ]
        columns: dict[str, npt.NDArray[np.float64]] = {}
        for channel, label, low, high in _RANGES:
            texts = self._texts(channel)
            columns[channel], bad = _column(texts, low, high)
            checks.append((label, texts, bad & timed))
        damaged = np.zeros(total, dtype=bool)
        for _, _, bad in checks:
            damaged |= bad
        damaged_count = int(damaged.sum())
        example = _first_damage(checks, damaged)
        if damaged_count > MAX_INVALID_SHARE * total:
            raise InvalidValueError(
                f"{damaged_count} of {total} track points hold values that are not valid "
                f"numbers (for example {example})"
            )
        shifted = timed & (offsets != 0) & ~np.isnan(offsets)
        if shifted.any():
            self.utc_offset_s = int(offsets[int(np.argmax(shifted))])
        warnings = self._warnings(damaged_count, example, untimed, int((no_fix & timed).sum()))
        times = seconds[timed]
        order = np.argsort(times, kind="stable")
        if np.any(np.diff(times) < 0):
            warnings.append("track points were out of time order and have been sorted")
        start = float(times[order[0]])
        if declared_start is not None and declared_start < start:
            start = declared_start

        def column(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            return values[timed][order]

        streams = Streams.build(
            times[order] - start,
            distance_m=column(columns["distance"]),
            speed_m_s=column(columns["speed"]),
            heart_rate=column(columns["heart_rate"]),
            cadence_spm=_steps_per_minute(column(columns["cadence"]), sport),
            altitude_m=column(columns["altitude"]),
            lat=column(lat),
            lon=column(lon),
        )
        return streams, start, tuple(warnings)

    def _texts(self, channel: str) -> list[str | None]:
        texts: list[str | None] = getattr(self, channel)
        if len(texts) == len(self.time):
            return texts
        if not texts:
            return [None] * len(self.time)
        raise ValueError(f"the {channel} column has {len(texts)} entries for {len(self)} points")

    @staticmethod
    def _warnings(damaged: int, example: str | None, untimed: int, no_fix: int) -> list[str]:
        warnings = []
        if damaged:
            warnings.append(
                f"{damaged} track point(s) had invalid values (for example "
                f"{example}); those values were left out"
            )
        if untimed:
            warnings.append(f"{untimed} track point(s) without a time were left out")
        if no_fix:
            warnings.append(f"{no_fix} track point(s) at latitude/longitude 0,0 (no GPS fix)")
        return warnings


# channel, label in messages, lowest and highest plausible value
_RANGES: Final = (
    ("altitude", "elevation", -500.0, 9000.0),
    ("distance", "distance", 0.0, 1e8),
    ("heart_rate", "heart rate", 0.0, 300.0),
    ("cadence", "cadence", 0.0, 300.0),
    ("speed", "speed", 0.0, _MAX_SPEED_M_S),
)


def _first_damage(
    checks: list[tuple[str, list[str | None], npt.NDArray[np.bool_]]],
    damaged: npt.NDArray[np.bool_],
) -> str | None:
    """The first damaged point's first bad value, as ``label='text'``."""
    if not damaged.any():
        return None
    point = int(np.argmax(damaged))
    for label, texts, bad in checks:
        text = texts[point]
        if bad[point] and text is not None:
            return f"{label}={text.strip()!r}"
    return None  # pragma: no cover - a damaged point has a bad value


def _present(texts: list[str | None], *, nonempty: bool = False) -> npt.NDArray[np.bool_]:
    """Which entries hold text (and, with ``nonempty``, text that is not empty)."""
    n = len(texts)
    missing = texts.count(None) + (texts.count("") if nonempty else 0)
    if not missing:
        return np.ones(n, dtype=bool)
    if missing == n:
        return np.zeros(n, dtype=bool)
    if nonempty:
        return np.fromiter(map(bool, texts), dtype=bool, count=n)
    return np.fromiter(map(is_not, texts, repeat(None)), dtype=bool, count=n)


def _column(
    texts: list[str | None], low: float, high: float
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Values (NaN where absent or bad) and where the text was not a plausible number."""
    n = len(texts)
    values = np.full(n, np.nan)
    present = _present(texts)
    if not present.any():
        return values, np.zeros(n, dtype=bool)
    everywhere = bool(present.all())
    given = cast(list[str], texts if everywhere else [text for text in texts if text is not None])
    try:
        numbers = _floats(given)
    except ValueError:  # some text is not a number: judge value by value
        numbers = np.fromiter(map(_float_or_nan, given), dtype=np.float64, count=len(given))
    with np.errstate(invalid="ignore"):
        fine = np.isfinite(numbers) & (numbers >= low) & (numbers <= high)
    numbers[~fine] = np.nan
    bad = np.zeros(n, dtype=bool)
    if everywhere:
        values, bad = numbers, ~fine
    else:
        values[present] = numbers
        bad[present] = ~fine
    return values, bad


def _floats(texts: list[str]) -> npt.NDArray[np.float64]:
    """``float`` of every text (ValueError if one is not a number).

    Heart rate, cadence and elevation repeat the same few texts: when a sample says so,
    each distinct text is converted once and the rest looked up.
    """
    n = len(texts)
    if n >= 4 * _SAMPLE and len(set(texts[:_SAMPLE])) * 4 <= _SAMPLE:
        distinct = set(texts)
        if len(distinct) * 4 <= n:
            values = dict(zip(distinct, map(float, distinct), strict=True))
            return np.fromiter(map(values.__getitem__, texts), dtype=np.float64, count=n)
    return np.fromiter(map(float, texts), dtype=np.float64, count=n)


_SAMPLE: Final = 256


def _float_or_nan(text: str | None) -> float:
    try:
        return float(text) if text is not None else math.nan
    except ValueError:
        return math.nan


# --- times ------------------------------------------------------------------------

_DIGITS: Final = (0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18)
_PUNCTUATION: Final = ((4, ord("-")), (7, ord("-")), (13, ord(":")), (16, ord(":")))
_MONTH_DAYS: Final = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def parse_times(
    texts: list[str | None],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Epoch seconds and UTC offsets (seconds) of ISO 8601 times; NaN where unreadable.

    The same values as `parse_time` gives one by one (naive times are UTC, with an
    offset of NaN; fractions of a second past the microsecond are cut, not rounded).
    Times in the usual form are computed from their digits with numpy, grouped by
    length; anything else goes through `parse_time`.
    """
    n = len(texts)
    seconds = np.full(n, np.nan)
    offsets = np.full(n, np.nan)
    present = _present(texts, nonempty=True)
    where = np.flatnonzero(present)
    if not where.size:
        return seconds, offsets
    given = cast(list[str], texts if where.size == n else [texts[i] for i in where])
    lengths = np.fromiter(map(len, given), dtype=np.int64, count=len(given))
    slow: list[int] = []
    for length in np.unique(lengths):
        group = np.flatnonzero(lengths == length)
        if group.size == len(given):  # the usual column: one form throughout
            strings = "".join(given)
        else:
            strings = "".join([given[i] for i in group.tolist()])
        # One byte per character ('?' for any that is not ASCII, which then fails the form).
        raw = np.frombuffer(strings.encode("ascii", "replace"), dtype=np.uint8)
        ok, epoch, offset = _iso_digits(raw.reshape(group.size, int(length)))
        seconds[where[group[ok]]] = epoch[ok]
        offsets[where[group[ok]]] = offset[ok]
        slow.extend(where[group[~ok]].tolist())
    for i in slow:
        moment = parse_time(texts[i])
        if moment is not None:
            seconds[i] = moment.timestamp()
            shift = moment.utcoffset()
            offsets[i] = shift.total_seconds() if shift is not None else 0.0
    return seconds, offsets


def _iso_digits(
    raw: npt.NDArray[np.uint8],
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Rows of ``YYYY-MM-DD[T ]hh:mm:ss[.f+][Z|+hh:mm|-hh:mm]``, all of one length.

    Which rows had that form and valid fields, their epoch seconds, and their offsets
    in seconds (NaN for naive times, which count as UTC).
    """
    rows, length = raw.shape
    nothing = np.zeros(rows, dtype=bool)
    nan = np.full(rows, np.nan)
    if length < 19:
        return nothing, nan, nan
    # Digits as bytes: anything but 0-9 wraps around to more than 9.
    digit = raw - np.uint8(ord("0"))
    ok = np.all(digit[:, _DIGITS] <= 9, axis=1)
    for position, char in _PUNCTUATION:
        ok &= raw[:, position] == char
    ok &= (raw[:, 10] == ord("T")) | (raw[:, 10] == ord(" "))
    # What follows the seconds: a fraction, then nothing, "Z" or "+hh:mm"/"-hh:mm".
    rest = length - 19
    micro = np.zeros(rows, dtype=np.int64)
    offset = np.full(rows, np.nan)
    matched = np.zeros(rows, dtype=bool)
    for zone in (0, 1, 6):
        fraction = rest - zone
        if fraction == 1 or fraction < 0:
            continue
        layout = ok.copy()
        stated: npt.NDArray[np.float64] | float = 0.0
        if fraction:
            layout &= raw[:, 19] == ord(".")
            layout &= np.all(digit[:, 20 : 20 + fraction - 1] <= 9, axis=1)
        if zone == 1:
            layout &= raw[:, length - 1] == ord("Z")
        elif zone == 6:
            tail = length - 6
            sign = raw[:, tail]
            layout &= (sign == ord("+")) | (sign == ord("-"))
            layout &= raw[:, tail + 3] == ord(":")
            zone_digits = digit[:, [tail + 1, tail + 2, tail + 4, tail + 5]]
            layout &= np.all(zone_digits <= 9, axis=1)
            hours = _number(zone_digits, 0, 1)
            minutes = _number(zone_digits, 2, 3)
            layout &= (hours <= 23) & (minutes <= 59)
            stated = np.where(sign == ord("-"), -1.0, 1.0) * (hours * 3600 + minutes * 60)
        if not layout.any():
            continue
        if fraction:
            kept = min(fraction - 1, 6)
            scale = 10 ** np.arange(5, 5 - kept, -1)
            micro = np.where(layout, digit[:, 20 : 20 + kept].astype(np.int64) @ scale, micro)
        if zone:
            offset = np.where(layout, stated, offset)
        matched |= layout
    ok &= matched
    year = _number(digit, 0, 1) * 100 + _number(digit, 2, 3)
    month = _number(digit, 5, 6)
    day = _number(digit, 8, 9)
    hour = _number(digit, 11, 12)
    minute = _number(digit, 14, 15)
    second = _number(digit, 17, 18)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_index = np.clip(month - 1, 0, 11)
    month_days = _MONTH_DAYS[month_index] + ((month == 2) & leap)
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    # Days since 1970-01-01 from the civil date (H. Hinnant's days_from_civil).
    shifted_year = year - (month <= 2)
    era = shifted_year // 400
    year_of_era = shifted_year - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146097 + day_of_era - 719468
    utc = np.nan_to_num(offset, nan=0.0).astype(np.int64)
    whole = days * 86400 + hour * 3600 + minute * 60 + second - utc
    micros = whole * 1_000_000 + micro
    # Exact in a float64 until 2255; the rare later date goes the slow way, which rounds
    # the same way Python's datetime.timestamp() does.
    ok &= np.abs(micros) < 2**53
    epoch = micros / 1e6
    return ok, epoch, offset


def _number(digit: npt.NDArray[np.uint8], tens: int, units: int) -> npt.NDArray[np.int64]:
    """The two-digit numbers in two columns of digits."""
    return digit[:, tens].astype(np.int64) * 10 + digit[:, units]


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
