"""The canonical activity every importer produces, whatever the source format.

`Activity` holds the summary a runner and the load model need; `Streams` holds the
per-sample channels as numpy arrays and packs them into one compact blob, so the
database stores one row per activity rather than one row per sample.
"""

from __future__ import annotations

import dataclasses
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ClassVar, Final

import numpy as np
import numpy.typing as npt

from backstride.ingest.errors import StreamsFormatError

FloatArray = npt.NDArray[np.float64]

SPORTS: Final = (
    "running",
    "trail_running",
    "treadmill_running",
    "track_running",
    "walking",
    "hiking",
    "cycling",
    "swimming",
    "other",
)
FOOT_SPORTS: Final = frozenset(
    {"running", "trail_running", "treadmill_running", "track_running", "walking", "hiking"}
)

_MAGIC: Final = b"BSTR"
_VERSION: Final = 1
_HEADER: Final = struct.Struct("<4sBHI")  # magic, version, channel mask, sample count
STREAMS_ZLIB_LEVEL: Final = 1
_INT32_MISSING: Final = np.iinfo(np.int32).min
_DEGREE_UNITS: Final = 1e7  # lat/lon stored as int32 1e-7 degrees (about 1 cm)
_MS_PER_S: Final = 1000.0


def _as_channel(values: npt.ArrayLike) -> FloatArray:
    array = np.array(values, dtype=np.float64, copy=True).reshape(-1)
    array.setflags(write=False)
    return array


def _nan_channel(length: int) -> FloatArray:
    return _as_channel(np.full(length, np.nan))


@dataclass(frozen=True, eq=False)
class Streams:
    """Per-sample channels, all the same length, NaN where a sample lacks a value.

    `time_s` counts seconds from the activity start and is never NaN. Arrays are
    read-only copies, so a `Streams` can be shared safely.
    """

    time_s: FloatArray
    distance_m: FloatArray
    speed_m_s: FloatArray
    heart_rate: FloatArray
    cadence_spm: FloatArray
    altitude_m: FloatArray
    lat: FloatArray
    lon: FloatArray

    CHANNELS: ClassVar[tuple[str, ...]] = (
        "time_s",
        "distance_m",
        "speed_m_s",
        "heart_rate",
        "cadence_spm",
        "altitude_m",
        "lat",
        "lon",
    )

    def __post_init__(self) -> None:
        length = None
        for name in self.CHANNELS:
            array = _as_channel(getattr(self, name))
            object.__setattr__(self, name, array)
            if length is None:
                length = array.size
            elif array.size != length:
                raise ValueError(f"stream {name!r} has {array.size} samples, expected {length}")
        if np.isnan(self.time_s).any():
            raise ValueError("time_s must not contain NaN")

    @classmethod
    def build(cls, time_s: npt.ArrayLike, **channels: npt.ArrayLike) -> Streams:
        """Streams from `time_s` and any subset of the other channels (missing ones are NaN)."""
        unknown = set(channels) - set(cls.CHANNELS)
        if unknown:
            raise ValueError(f"unknown stream channels: {sorted(unknown)}")
        time = _as_channel(time_s)
        values = {
            name: channels[name] if name in channels else _nan_channel(time.size)
            for name in cls.CHANNELS[1:]
        }
        return cls(time_s=time, **values)  # type: ignore[arg-type]

    @classmethod
    def empty(cls) -> Streams:
        return cls.build(np.empty(0))

    def __len__(self) -> int:
        return int(self.time_s.size)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Streams):
            return NotImplemented
        return all(
            np.array_equal(getattr(self, name), getattr(other, name), equal_nan=True)
            for name in self.CHANNELS
        )

    __hash__ = None  # type: ignore[assignment]  # mutable-looking arrays: not hashable

    def has(self, channel: str) -> bool:
        """True when the channel carries at least one real value."""
        return bool(np.isfinite(getattr(self, channel)).any())

    def present_channels(self) -> tuple[str, ...]:
        return tuple(name for name in self.CHANNELS[1:] if self.has(name))

    def richness(self) -> int:
        """How many data channels carry values (0-7); picks the richer of two duplicates.

        Latitude and longitude count as one channel (position), so a GPS-only file is
        not mistaken for a richer one than a file with heart rate.
        """
        present = set(self.present_channels())
        if "lon" in present:
            present.discard("lon")
            present.add("lat")
        return len(present)

    def to_bytes(self) -> bytes:
        """Pack into a versioned, zlib-compressed blob (see `from_bytes`).

        Time keeps millisecond precision, positions 1e-7 degrees, other channels
        float32; channels without any value are not stored at all.
        """
        mask = 0
        parts: list[bytes] = []
        for bit, name in enumerate(self.CHANNELS):
            values = getattr(self, name)
            if name != "time_s" and not np.isfinite(values).any():
                continue
            mask |= 1 << bit
            parts.append(_encode_channel(name, values))
        header = _HEADER.pack(_MAGIC, _VERSION, mask, len(self))
        # Level 1 packs about four times faster than 6 for blobs some 8% larger; packing
        # was a third of the FIT import time (benchmarks/import_bench.py).
        return header + zlib.compress(b"".join(parts), STREAMS_ZLIB_LEVEL)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Streams:
        if len(blob) < _HEADER.size:
            raise StreamsFormatError("streams blob is shorter than its header")
        magic, version, mask, count = _HEADER.unpack_from(blob)
        if magic != _MAGIC:
            raise StreamsFormatError("not a streams blob (bad magic bytes)")
        if version != _VERSION:
            raise StreamsFormatError(f"streams blob version {version} is not supported")
        if not mask & 1:
            raise StreamsFormatError("streams blob has no time channel")
        expected = sum(
            count * _channel_width(name)
            for bit, name in enumerate(cls.CHANNELS)
            if mask & (1 << bit)
        )
        inflater = zlib.decompressobj()
        try:
            payload = inflater.decompress(blob[_HEADER.size :], expected + 1)
        except zlib.error as exc:
            raise StreamsFormatError(f"streams blob is corrupt: {exc}") from exc
        if len(payload) != expected or inflater.unconsumed_tail:
            raise StreamsFormatError("streams blob length does not match its header")
        channels: dict[str, FloatArray] = {}
        offset = 0
        for bit, name in enumerate(cls.CHANNELS):
            if mask & (1 << bit):
                width = count * _channel_width(name)
                channels[name] = _decode_channel(name, payload[offset : offset + width], count)
                offset += width
        time = channels.pop("time_s")
        return cls.build(time, **channels)


def _channel_width(name: str) -> int:
    return 8 if name == "time_s" else 4


def _encode_channel(name: str, values: FloatArray) -> bytes:
    if name == "time_s":
        # Deltas of whole milliseconds compress to almost nothing for 1 Hz recordings.
        millis = np.rint(values * _MS_PER_S).astype("<i8")
        return np.diff(millis, prepend=np.int64(0)).astype("<i8").tobytes()
    if name in ("lat", "lon"):
        units = np.where(np.isfinite(values), np.rint(values * _DEGREE_UNITS), _INT32_MISSING)
        fixed = units.astype("<i4")
        # int32 deltas wrap around on overflow and the cumulative sum wraps back exactly.
        return np.diff(fixed, prepend=np.int32(0)).astype("<i4").tobytes()
    return values.astype("<f4").tobytes()


def _decode_channel(name: str, raw: bytes, count: int) -> FloatArray:
    if name == "time_s":
        millis = np.cumsum(np.frombuffer(raw, dtype="<i8", count=count), dtype=np.int64)
        return millis / _MS_PER_S
    if name in ("lat", "lon"):
        fixed = np.cumsum(np.frombuffer(raw, dtype="<i4", count=count), dtype=np.int32)
        return np.where(fixed == _INT32_MISSING, np.nan, fixed / _DEGREE_UNITS)
    return np.frombuffer(raw, dtype="<f4", count=count).astype(np.float64)


@dataclass(frozen=True)
class Activity:
    """One recorded activity, normalised from any source format.

    Distances are metres, durations seconds, heart rate beats per minute, running
    cadence steps per minute (both feet). `source_index` tells activities from the same
    file apart (FIT session, TCX `<Activity>`, GPX `<trk>`), counting from 0.
    """

    sport: str
    start_utc: datetime
    utc_offset_s: int | None
    elapsed_s: float
    moving_s: float
    distance_m: float | None
    ascent_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence_spm: float | None
    device: str | None
    source_format: str
    source_sha256: str
    source_name: str
    streams: Streams
    timer_s: float | None = None
    name: str | None = None
    gear: str | None = None
    source_index: int = 0
    warnings: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        offset = self.start_utc.utcoffset()
        if offset is None or offset != timedelta(0):
            raise ValueError("start_utc must be a timezone-aware UTC datetime")
        if self.sport not in SPORTS:
            raise ValueError(f"unknown sport {self.sport!r}")

    @property
    def end_utc(self) -> datetime:
        return self.start_utc + timedelta(seconds=self.elapsed_s)

    @property
    def start_local(self) -> datetime | None:
        """Wall-clock start where the runner was, when the file tells the offset."""
        if self.utc_offset_s is None:
            return None
        return (self.start_utc + timedelta(seconds=self.utc_offset_s)).replace(tzinfo=None)

    def replace(self, **changes: object) -> Activity:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Skipped:
    """A file or archive member that produced no activity, and why (for the user)."""

    name: str
    reason: str


@dataclass(frozen=True)
class Known:
    """An activity file whose content hash the caller already holds, so it was not decoded.

    Only `scan_file` yields these, when given a ``known`` test: re-importing an export
    then costs reading and hashing its files, not decoding them.
    """

    name: str
    sha256: str


ImportItem = Activity | Skipped
