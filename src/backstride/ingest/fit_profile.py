"""The part of the FIT profile the importer reads, and the decoded-table type.

Field numbers, scales and offsets come from the public FIT protocol description.
Values are the profile's *scaled* values (raw / scale - offset), exactly as a
profile-aware decoder reports them, so the fast decoder and the fitdecode reference
produce comparable tables. Unit conversions the app wants (semicircles to degrees,
strides to steps) happen later, in `fit.py`, once for both decoders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

from backstride.ingest.model import FloatArray

TIMESTAMP_FIELD: Final = 253
FIT_EPOCH_UNIX_S: Final = 631_065_600  # 1989-12-31T00:00:00Z
RELATIVE_TIME_LIMIT: Final = 0x10000000
"""date_time values below this are seconds of a device counter, not since the FIT epoch."""
COMPRESSED_SPEED_DISTANCE: Final = 8
RECORD: Final = 20


@dataclass(frozen=True)
class FieldSpec:
    number: int
    name: str
    scale: float = 1.0
    offset: float = 0.0
    is_string: bool = False


@dataclass(frozen=True)
class MessageSpec:
    number: int
    name: str
    fields: tuple[FieldSpec, ...]

    def field_by_number(self) -> dict[int, FieldSpec]:
        return {spec.number: spec for spec in self.fields}


def _f(number: int, name: str, scale: float = 1.0, offset: float = 0.0) -> FieldSpec:
    return FieldSpec(number, name, scale, offset)


def _text(number: int, name: str) -> FieldSpec:
    return FieldSpec(number, name, is_string=True)


_TIMESTAMP = _f(TIMESTAMP_FIELD, "timestamp")

MESSAGES: Final = (
    MessageSpec(
        0,
        "file_id",
        (
            _f(0, "type"),
            _f(1, "manufacturer"),
            _f(2, "product"),
            _f(3, "serial_number"),
            _f(4, "time_created"),
            _text(8, "product_name"),
        ),
    ),
    MessageSpec(
        RECORD,
        "record",
        (
            _TIMESTAMP,
            _f(0, "position_lat"),
            _f(1, "position_long"),
            _f(2, "altitude", 5, 500),
            _f(3, "heart_rate"),
            _f(4, "cadence"),
            _f(5, "distance", 100),
            _f(6, "speed", 1000),
            _f(7, "power"),
            _f(53, "fractional_cadence", 128),
            _f(73, "enhanced_speed", 1000),
            _f(78, "enhanced_altitude", 5, 500),
        ),
    ),
    MessageSpec(
        18,
        "session",
        (
            _TIMESTAMP,
            _f(2, "start_time"),
            _f(3, "start_position_lat"),
            _f(4, "start_position_long"),
            _f(5, "sport"),
            _f(6, "sub_sport"),
            _f(7, "total_elapsed_time", 1000),
            _f(8, "total_timer_time", 1000),
            _f(9, "total_distance", 100),
            _f(14, "avg_speed", 1000),
            _f(16, "avg_heart_rate"),
            _f(17, "max_heart_rate"),
            _f(18, "avg_cadence"),
            _f(22, "total_ascent"),
            _f(23, "total_descent"),
            _f(59, "total_moving_time", 1000),
            _f(92, "avg_fractional_cadence", 128),
            _f(124, "enhanced_avg_speed", 1000),
        ),
    ),
    MessageSpec(
        19,
        "lap",
        (
            _TIMESTAMP,
            _f(2, "start_time"),
            _f(7, "total_elapsed_time", 1000),
            _f(8, "total_timer_time", 1000),
            _f(9, "total_distance", 100),
            _f(15, "avg_heart_rate"),
            _f(16, "max_heart_rate"),
            _f(17, "avg_cadence"),
            _f(21, "total_ascent"),
            _f(25, "sport"),
            _f(39, "sub_sport"),
        ),
    ),
    MessageSpec(
        21,
        "event",
        (_TIMESTAMP, _f(0, "event"), _f(1, "event_type"), _f(3, "data"), _f(4, "event_group")),
    ),
    MessageSpec(
        23,
        "device_info",
        (
            _TIMESTAMP,
            _f(0, "device_index"),
            _f(1, "device_type"),
            _f(2, "manufacturer"),
            _f(3, "serial_number"),
            _f(4, "product"),
            _f(5, "software_version", 100),
            _text(27, "product_name"),
        ),
    ),
    MessageSpec(
        34,
        "activity",
        (
            _TIMESTAMP,
            _f(0, "total_timer_time", 1000),
            _f(1, "num_sessions"),
            _f(2, "type"),
            _f(3, "event"),
            _f(4, "event_type"),
            _f(5, "local_timestamp"),
        ),
    ),
)
MESSAGES_BY_NUMBER: Final = {spec.number: spec for spec in MESSAGES}
MESSAGES_BY_NAME: Final = {spec.name: spec for spec in MESSAGES}


@dataclass(frozen=True)
class MessageTable:
    """All messages of one global type, in file order: one float64 column per field.

    A column is NaN where a message lacks the field or holds the FIT invalid value.
    String fields live in `text`, None where absent.
    """

    spec: MessageSpec
    size: int = 0
    columns: dict[str, FloatArray] = field(default_factory=dict)
    text: dict[str, list[str | None]] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.size

    def column(self, name: str) -> FloatArray:
        found = self.columns.get(name)
        return found if found is not None else np.full(self.size, np.nan)

    def value(self, name: str, row: int) -> float | None:
        """One field of one message as a Python number, None when invalid or absent."""
        value = float(self.column(name)[row])
        return None if np.isnan(value) else value

    def strings(self, name: str) -> list[str | None]:
        return self.text.get(name) or [None] * self.size


@dataclass(frozen=True)
class FitMessages:
    """What a decoder read from one FIT file: a table per message type of interest."""

    tables: dict[str, MessageTable]
    decoder: str
    warnings: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> MessageTable:
        found = self.tables.get(name)
        return found if found is not None else MessageTable(MESSAGES_BY_NAME[name])
