"""FIT bytes -> activities: decode (fast path, fitdecode as fallback), then map.

One activity per FIT session. A multisport file (triathlon, run-bike-run) therefore
yields one activity per leg, each with its own sport and totals, which is what the
training-load model needs; transition sessions are not activities and are dropped with
a warning. Records are assigned to the session whose time window contains them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import numpy as np
import numpy.typing as npt

from backstride.ingest import fit_fast, fit_reference, sports
from backstride.ingest.assemble import Source, Totals, assemble
from backstride.ingest.errors import (
    EmptyFileError,
    FitFastPathUnsupportedError,
    NoActivityDataError,
    NotAnActivityError,
)
from backstride.ingest.fit_names import device_label, file_type_name
from backstride.ingest.fit_profile import (
    FIT_EPOCH_UNIX_S,
    RELATIVE_TIME_LIMIT,
    FitMessages,
    MessageTable,
)
from backstride.ingest.model import FOOT_SPORTS, Activity, FloatArray, Streams

IntArray = npt.NDArray[np.int64]

_ACTIVITY_FILE: Final = 4
_SEMICIRCLES_TO_DEGREES: Final = 180.0 / 2**31
_MAX_UTC_OFFSET_S: Final = 14 * 3600
_OFFSET_STEP_S: Final = 900  # every real UTC offset is a multiple of 15 minutes


def decode_messages(data: bytes) -> FitMessages:
    """Decode with the vectorised decoder; fall back to fitdecode where it cannot."""
    try:
        return fit_fast.decode(data)
    except FitFastPathUnsupportedError as reason:
        messages = fit_reference.decode(data)
        note = f"decoded by the reference decoder ({reason})"
        return FitMessages(messages.tables, messages.decoder, (*messages.warnings, note))


def read_fit(data: bytes, name: str, sha256: str | None = None) -> list[Activity]:
    if not data:
        raise EmptyFileError("the FIT file is empty (0 bytes)")
    return activities_from_messages(decode_messages(data), Source.of("fit", name, data, sha256))


@dataclass(frozen=True)
class _Session:
    index: int  # row in the session table, or -1 when the file has no session message
    start: float  # seconds since the FIT epoch, on the file's (possibly shifted) clock
    sport: str


def activities_from_messages(messages: FitMessages, source: Source) -> list[Activity]:
    _require_activity_file(messages)
    records = messages["record"]
    warnings = list(messages.warnings)
    shift = _clock_shift(messages, warnings)
    times = records.column("timestamp") + shift
    timed = np.isfinite(times)
    if not timed.all():
        warnings.append(f"{int((~timed).sum())} records without a timestamp were ignored")
    sessions = _sessions(messages, times[timed], shift)
    transitions = sum(session.sport == "transition" for session in sessions)
    if transitions:
        warnings.append(f"{transitions} multisport transition session(s) not imported")
    utc_offset = _utc_offset(messages["activity"]) if shift == 0 else None
    device = _device(messages)
    order = np.flatnonzero(timed)
    starts = np.array([session.start for session in sessions])
    owner = np.searchsorted(starts, times[order], side="right") - 1
    owner[owner < 0] = 0  # records just before the first session belong to it
    activities = []
    for number, session in enumerate(sessions):
        if session.sport == "transition":
            continue
        rows = order[owner == number]
        previous = order[owner < number]
        streams = _streams(records, rows, previous, times, session)
        activities.append(
            assemble(
                source=source,
                sport=session.sport,
                start_utc=_to_datetime(session.start),
                utc_offset_s=utc_offset,
                streams=streams,
                totals=_totals(messages["session"], session),
                device=device,
                source_index=max(session.index, 0),
                warnings=tuple(warnings),
            )
        )
    return activities


def _require_activity_file(messages: FitMessages) -> None:
    file_id = messages["file_id"]
    file_type = file_id.value("type", 0) if file_id.size else None
    if file_type is not None and int(file_type) != _ACTIVITY_FILE:
        raise NotAnActivityError(
            f"this is a FIT {file_type_name(int(file_type))} file, not an activity"
        )
    if not messages["record"].size and not messages["session"].size:
        raise NoActivityDataError("the FIT file holds no sessions and no records")


def _clock_shift(messages: FitMessages, warnings: list[str]) -> float:
    """Seconds to add when the file only has a device-relative clock, else 0.

    Some older watches (e.g. the Forerunner 70) timestamp everything with a counter of
    seconds since power-on; only `activity.local_timestamp` is a real wall-clock time.
    Anchoring on it gives the right local time but an unknown UTC offset.
    """
    reference = _first_finite(messages["record"].column("timestamp"))
    if reference is None:
        reference = _first_finite(messages["session"].column("start_time"))
    if reference is None or reference >= RELATIVE_TIME_LIMIT:
        return 0.0
    activity = messages["activity"]
    for row in range(activity.size):
        local = activity.value("local_timestamp", row)
        stamp = activity.value("timestamp", row)
        if local is not None and stamp is not None and local >= RELATIVE_TIME_LIMIT:
            warnings.append(
                "the watch only recorded a relative clock; the start time is its local "
                "wall-clock time treated as UTC (real UTC offset unknown)"
            )
            return local - stamp
    raise NoActivityDataError("the FIT file only has a device-relative clock; its date is unknown")


def _sessions(messages: FitMessages, record_times: FloatArray, shift: float) -> list[_Session]:
    table = messages["session"]
    sessions = []
    for row in range(table.size):
        start = table.value("start_time", row)
        if start is None:
            end = table.value("timestamp", row)
            elapsed = table.value("total_elapsed_time", row)
            start = end - elapsed if end is not None and elapsed is not None else None
        if start is None:
            start = float(record_times.min()) - shift if record_times.size else None
        if start is None:
            continue
        sport = _fit_sport(table, row)
        sessions.append(_Session(row, start + shift, sport))
    if not sessions:
        if not record_times.size:
            raise NoActivityDataError("the FIT file has no session and no timestamped record")
        # Files from crashed recordings can lack the session message; the records alone
        # still make an activity.
        laps = messages["lap"]
        sport = _fit_sport(laps, 0) if laps.size else "other"
        sessions.append(_Session(-1, float(record_times.min()), sport))
    return sorted(sessions, key=lambda session: session.start)


def _fit_sport(table: MessageTable, row: int) -> str:
    sport = table.value("sport", row)
    if sport is not None and int(sport) == sports.FIT_TRANSITION:
        return "transition"
    sub_sport = table.value("sub_sport", row)
    return sports.from_fit(
        None if sport is None else int(sport), None if sub_sport is None else int(sub_sport)
    )


def _streams(
    records: MessageTable,
    rows: IntArray,
    previous: IntArray,
    times: FloatArray,
    session: _Session,
) -> Streams:
    def pick(name: str, fallback: str | None = None) -> FloatArray:
        values: FloatArray = records.column(name)[rows]
        if fallback is not None:
            values = np.where(np.isfinite(values), values, records.column(fallback)[rows])
        return values

    lat = pick("position_lat") * _SEMICIRCLES_TO_DEGREES
    lon = pick("position_long") * _SEMICIRCLES_TO_DEGREES
    # (0, 0) is what some watches write indoors before a fix; it is never a real run.
    no_fix = ((lat == 0) & (lon == 0)) | (np.abs(lat) > 90) | (np.abs(lon) > 180)
    lat[no_fix] = np.nan
    lon[no_fix] = np.nan
    heart_rate = pick("heart_rate")
    heart_rate[heart_rate == 0] = np.nan
    cadence = np.full(rows.size, np.nan)
    if session.sport in FOOT_SPORTS:
        # FIT running cadence counts one foot (strides/min); runners speak in steps/min.
        fraction = np.nan_to_num(pick("fractional_cadence"))
        cadence = (pick("cadence") + fraction) * 2
    return Streams.build(
        times[rows] - session.start,
        distance_m=_rebased_distance(records.column("distance"), rows, previous),
        speed_m_s=pick("enhanced_speed", "speed"),
        heart_rate=heart_rate,
        cadence_spm=cadence,
        altitude_m=pick("enhanced_altitude", "altitude"),
        lat=lat,
        lon=lon,
    )


def _rebased_distance(distance: FloatArray, rows: IntArray, previous: IntArray) -> FloatArray:
    """Session distance starting near 0, whether or not the device restarts it per session."""
    values: FloatArray = distance[rows]
    before = distance[previous]
    before = before[np.isfinite(before)]
    first = _first_finite(values)
    if before.size and first is not None and first >= before[-1]:
        rebased: FloatArray = values - before[-1]
        return rebased
    return values


def _totals(table: MessageTable, session: _Session) -> Totals:
    if session.index < 0:
        return Totals()
    row = session.index
    cadence = None
    if session.sport in FOOT_SPORTS and (strides := table.value("avg_cadence", row)) is not None:
        cadence = (strides + (table.value("avg_fractional_cadence", row) or 0.0)) * 2
    return Totals(
        elapsed_s=table.value("total_elapsed_time", row),
        timer_s=table.value("total_timer_time", row),
        distance_m=table.value("total_distance", row),
        ascent_m=table.value("total_ascent", row),
        avg_hr=table.value("avg_heart_rate", row),
        max_hr=table.value("max_heart_rate", row),
        avg_cadence_spm=cadence,
    )


def _utc_offset(activity: MessageTable) -> int | None:
    for row in range(activity.size):
        local = activity.value("local_timestamp", row)
        stamp = activity.value("timestamp", row)
        if local is None or stamp is None or stamp < RELATIVE_TIME_LIMIT:
            continue
        offset = round((local - stamp) / _OFFSET_STEP_S) * _OFFSET_STEP_S
        if abs(offset) <= _MAX_UTC_OFFSET_S:
            return int(offset)
    return None


def _device(messages: FitMessages) -> str | None:
    file_id = messages["file_id"]
    if file_id.size:
        label = _label(file_id, 0, "manufacturer", "product", "product_name")
        if label:
            return label
    devices = messages["device_info"]
    for row in range(devices.size):
        if devices.value("device_index", row) == 0:  # 0 is the recording device itself
            return _label(devices, row, "manufacturer", "product", "product_name")
    return None


def _label(table: MessageTable, row: int, maker: str, product: str, text: str) -> str | None:
    manufacturer = table.value(maker, row)
    model = table.value(product, row)
    return device_label(
        None if manufacturer is None else int(manufacturer),
        None if model is None else int(model),
        table.strings(text)[row],
    )


def _to_datetime(fit_seconds: float) -> datetime:
    return datetime.fromtimestamp(fit_seconds + FIT_EPOCH_UNIX_S, tz=UTC)


def _first_finite(values: FloatArray) -> float | None:
    finite = values[np.isfinite(values)]
    return float(finite[0]) if finite.size else None
