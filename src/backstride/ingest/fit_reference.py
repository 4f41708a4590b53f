"""The reference FIT decoder: fitdecode, reduced to the same tables as `fit_fast`.

It is the fallback when the fast path meets something it does not handle, and the
yardstick of the differential tests. It reads the scaled values fitdecode computes from
its own copy of the FIT profile, so a scale or offset mistake in `fit_profile` shows up
as a difference between the two decoders.
"""

from __future__ import annotations

import fitdecode
import numpy as np

from backstride.ingest.errors import (
    FitCrcError,
    FitError,
    FitHeaderError,
    FitStructureError,
    FitTruncatedError,
)
from backstride.ingest.fit_profile import (
    COMPRESSED_SPEED_DISTANCE,
    MESSAGES,
    MESSAGES_BY_NAME,
    MESSAGES_BY_NUMBER,
    TIMESTAMP_FIELD,
    FieldSpec,
    FitMessages,
    MessageTable,
)

_Row = dict[str, float | str | None]
_COMPONENT_FIELDS = {5: "distance", 6: "speed"}  # what compressed_speed_distance expands to


def decode(data: bytes) -> FitMessages:
    rows: dict[str, list[_Row]] = {spec.name: [] for spec in MESSAGES}
    try:
        with fitdecode.FitReader(
            data,
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.IGNORE,
            keep_raw_chunks=False,
        ) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    spec = MESSAGES_BY_NUMBER.get(frame.global_mesg_num)
                    if spec is not None:
                        rows[spec.name].append(_row(frame, spec.field_by_number()))
    except fitdecode.FitCRCError as exc:
        raise FitCrcError(f"the FIT file CRC does not match its bytes ({exc})") from exc
    except fitdecode.FitEOFError as exc:
        raise FitTruncatedError(f"the FIT file is truncated ({exc})") from exc
    except fitdecode.FitHeaderError as exc:
        raise FitHeaderError(f"not a readable FIT header ({exc})") from exc
    except fitdecode.FitError as exc:
        raise FitStructureError(f"the FIT data is malformed ({exc})") from exc
    except FitError:
        raise
    except Exception as exc:  # fitdecode raises bare errors (struct, index) on garbage
        raise FitStructureError(f"the FIT data is malformed ({type(exc).__name__})") from exc
    tables = {spec.name: _table(spec.name, rows[spec.name]) for spec in MESSAGES}
    return FitMessages(tables=tables, decoder="fitdecode")


def _row(frame: fitdecode.FitDataMessage, wanted: dict[int, FieldSpec]) -> _Row:
    row: _Row = {}
    has_compressed_speed = False
    for data in frame.fields:
        if data.field_def is None or data.field_def.is_dev:
            continue  # components handled below; developer fields have their own numbering
        number = data.field_def.def_num
        if number == COMPRESSED_SPEED_DISTANCE and data.raw_value is not None:
            has_compressed_speed = True
        spec = wanted.get(number)
        if spec is None or spec.name in row:
            continue
        row[spec.name] = _value(data, spec)
    for data in frame.fields:
        if data.field_def is not None or data.field is None:
            continue
        if data.field.def_num == TIMESTAMP_FIELD and row.get("timestamp") is None:
            row["timestamp"] = _number(data.raw_value)  # from a compressed-timestamp header
        elif has_compressed_speed and data.field.def_num in _COMPONENT_FIELDS:
            row[_COMPONENT_FIELDS[data.field.def_num]] = _number(data.value)
    return row


def _value(data: fitdecode.types.FieldData, spec: FieldSpec) -> float | str | None:
    if spec.is_string:
        return data.value if isinstance(data.value, str) and data.value else None
    if spec.scale == 1.0 and not spec.offset:
        # Raw numbers: enums and date_times stay numeric, not names or datetimes.
        return _number(data.raw_value)
    return _number(data.value)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # absent, invalid, or an array/byte blob with no single value
    return float(value)


def _table(name: str, rows: list[_Row]) -> MessageTable:
    spec = MESSAGES_BY_NAME[name]
    columns: dict[str, np.ndarray] = {}
    text: dict[str, list[str | None]] = {}
    for field_spec in spec.fields:
        values = [row.get(field_spec.name) for row in rows]
        if not any(value is not None for value in values):
            continue
        if field_spec.is_string:
            text[field_spec.name] = [value if isinstance(value, str) else None for value in values]
        else:
            columns[field_spec.name] = np.array(
                [np.nan if value is None else value for value in values], dtype=np.float64
            )
    return MessageTable(spec, len(rows), columns, text)
