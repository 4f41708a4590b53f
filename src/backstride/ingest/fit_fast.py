"""A vectorised FIT decoder for the messages the importer needs.

How it stays fast: one Python loop walks the message headers only (a few hundred
nanoseconds a message; long runs of identical headers are skipped in one numpy step),
noting where each data message's body starts. Then, per definition, every body is
gathered with one fancy-index into an (n, size) byte matrix, viewed through a numpy
structured dtype built from the definition (field offsets, base types, endianness), and
each wanted field becomes a float64 column with the FIT invalid values turned into NaN.
Compressed timestamps and the compressed speed/distance field are accumulated with
cumulative sums instead of a per-message state machine.

Anything outside what it handles raises `FitFastPathUnsupportedError`, and `fit.py`
then decodes the file with fitdecode instead. Damage that no decoder can read past
(bad CRC, truncation, undefined local messages) raises the other `FitError`s.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from backstride.ingest.errors import (
    FitCrcError,
    FitFastPathUnsupportedError,
    FitHeaderError,
    FitStructureError,
    FitTruncatedError,
)
from backstride.ingest.fit_crc import crc16
from backstride.ingest.fit_profile import (
    COMPRESSED_SPEED_DISTANCE,
    MESSAGES,
    MESSAGES_BY_NUMBER,
    RECORD,
    TIMESTAMP_FIELD,
    FitMessages,
    MessageSpec,
    MessageTable,
)
from backstride.ingest.model import FloatArray

IntArray = npt.NDArray[np.int64]
ByteArray = npt.NDArray[np.uint8]

_HEADER_MAGIC: Final = b".FIT"
_COMPRESSED_FLAG: Final = 0x80
_DEFINITION_FLAG: Final = 0x40
_DEVELOPER_FLAG: Final = 0x20
_COMPRESSED_MASK: Final = 0xE0  # flag + 2-bit local type; the low 5 bits are a time offset
_STRING_TYPE: Final = 7
_BYTE_TYPE: Final = 13
_SHORT_RUN: Final = 8


@dataclass(frozen=True)
class _BaseType:
    code: str  # numpy type code without byte order
    size: int
    invalid: int | None  # None: floats, invalid is NaN


# FIT base types by their 5-bit base type number (bits 0-4 of the definition byte).
_BASE_TYPES: Final = {
    0: _BaseType("u1", 1, 0xFF),  # enum
    1: _BaseType("i1", 1, 0x7F),
    2: _BaseType("u1", 1, 0xFF),
    3: _BaseType("i2", 2, 0x7FFF),
    4: _BaseType("u2", 2, 0xFFFF),
    5: _BaseType("i4", 4, 0x7FFFFFFF),
    6: _BaseType("u4", 4, 0xFFFFFFFF),
    _STRING_TYPE: _BaseType("u1", 1, None),
    8: _BaseType("f4", 4, None),
    9: _BaseType("f8", 8, None),
    10: _BaseType("u1", 1, 0),  # uint8z
    11: _BaseType("u2", 2, 0),
    12: _BaseType("u4", 4, 0),
    _BYTE_TYPE: _BaseType("u1", 1, 0xFF),
    14: _BaseType("i8", 8, 0x7FFFFFFFFFFFFFFF),
    15: _BaseType("u8", 8, 0xFFFFFFFFFFFFFFFF),
    16: _BaseType("u8", 8, 0),  # uint64z
}


class _Field(NamedTuple):
    number: int
    offset: int  # within the message body
    size: int
    base_type: int  # 5-bit base type number


@dataclass
class _Definition:
    global_number: int
    big_endian: bool
    body_size: int
    raw_fields: bytes  # the definition's (number, size, base type) triples, parsed on demand
    positions: list[int] = field(default_factory=list)  # where this layout is (re)defined
    single_offsets: list[int] = field(default_factory=list)
    runs: list[tuple[int, int]] = field(default_factory=list)  # (first body offset, count)
    _offsets: IntArray | None = None

    @cached_property
    def fields(self) -> dict[int, _Field]:
        """Fields by number (the first one wins if a device repeats a number)."""
        found: dict[int, _Field] = {}
        offset = 0
        raw = self.raw_fields
        for index in range(0, len(raw), 3):
            number, size = raw[index], raw[index + 1]
            found.setdefault(number, _Field(number, offset, size, raw[index + 2] & 0x1F))
            offset += size
        return found

    def field(self, number: int) -> _Field | None:
        return self.fields.get(number)

    def body_offsets(self) -> IntArray:
        """File offsets of every message body using this definition, ascending."""
        if self._offsets is not None:
            return self._offsets
        stride = self.body_size + 1
        parts = [np.array(self.single_offsets, dtype=np.int64)]
        parts.extend(
            start + stride * np.arange(count, dtype=np.int64) for start, count in self.runs
        )
        offsets = np.concatenate(parts)
        offsets.sort()
        self._offsets = offsets
        return offsets


@dataclass
class _Segment:
    """The definitions and message positions of one FIT file (chained files repeat)."""

    definitions: list[_Definition] = field(default_factory=list)
    saw_compressed_timestamps: bool = False


def decode(data: bytes) -> FitMessages:
    """Decode every chained FIT file in `data` into tables of the messages in the profile."""
    if len(data) < 12:
        raise FitHeaderError(f"a FIT file needs at least a 12-byte header; this has {len(data)}")
    buffer = np.frombuffer(data, dtype=np.uint8)
    tables: list[dict[str, MessageTable]] = []
    warnings: list[str] = []
    position = 0
    while position < len(data):
        if position and not _looks_like_header(data, position):
            warnings.append(f"ignored {len(data) - position} bytes after the FIT data")
            break
        data_start, data_end = _check_header_and_crc(data, position)
        segment = _walk(data, buffer, data_start, data_end)
        tables.append(_decode_segment(buffer, segment))
        position = data_end + 2
    merged = tables[0] if len(tables) == 1 else _concatenate(tables)
    return FitMessages(tables=merged, decoder="fast", warnings=tuple(warnings))


def _looks_like_header(data: bytes, position: int) -> bool:
    return len(data) - position >= 12 and data[position + 8 : position + 12] == _HEADER_MAGIC


def _check_header_and_crc(data: bytes, position: int) -> tuple[int, int]:
    """Validate one FIT header and its file CRC; return the data records' byte range."""
    header_size = data[position]
    if header_size < 12 or data[position + 8 : position + 12] != _HEADER_MAGIC:
        raise FitHeaderError("not a FIT file: the header lacks the '.FIT' signature")
    if position + header_size > len(data):
        raise FitTruncatedError("the FIT header is cut short")
    (data_size,) = struct.unpack_from("<I", data, position + 4)
    if header_size >= 14:
        (header_crc,) = struct.unpack_from("<H", data, position + 12)
        # A zero header CRC means "not computed" in the protocol.
        if header_crc and header_crc != crc16(data, position, position + 12):
            raise FitCrcError("the FIT header CRC does not match its bytes")
    data_start = position + header_size
    data_end = data_start + data_size
    if data_size == 0:
        raise FitHeaderError("the FIT header declares no data records")
    if data_end + 2 > len(data):
        raise FitTruncatedError(
            f"the FIT file is truncated: {len(data) - position:,} bytes "
            f"of {header_size + data_size + 2:,} declared"
        )
    (file_crc,) = struct.unpack_from("<H", data, data_end)
    if file_crc != crc16(data, position, data_end):
        raise FitCrcError("the FIT file CRC does not match its bytes (corrupted file)")
    return data_start, data_end


def _walk(data: bytes, buffer: ByteArray, position: int, end: int) -> _Segment:
    """Find every message: parse definitions, note where data messages start."""
    segment = _Segment()
    known: dict[bytes, _Definition] = {}
    local_definition: list[_Definition | None] = [None] * 16
    local_stride = [0] * 16
    while position < end:
        header = data[position]
        if header & _COMPRESSED_FLAG:
            local = (header >> 5) & 0x03
            mask = _COMPRESSED_MASK
            segment.saw_compressed_timestamps = True
        elif header & _DEFINITION_FLAG:
            definition, position = _read_definition(data, position, end, known)
            local = header & 0x0F
            local_definition[local] = definition
            local_stride[local] = definition.body_size + 1
            continue
        else:
            local = header & 0x0F
            mask = 0xFF
        current = local_definition[local]
        if current is None:
            raise FitStructureError(
                f"data message at byte {position} uses local type {local}, which was never defined"
            )
        stride = local_stride[local]
        following = position + stride
        if following > end:
            raise FitStructureError(f"the message at byte {position} runs past the end of the data")
        if following < end and data[following] & mask == header & mask:
            count = _run_length(buffer, position, stride, (end - position) // stride, header, mask)
            current.runs.append((position + 1, count))
            position += count * stride
        else:
            current.single_offsets.append(position + 1)
            position = following
    segment.definitions.extend(known.values())
    return segment


def _run_length(
    buffer: ByteArray, position: int, stride: int, limit: int, header: int, mask: int
) -> int:
    """How many consecutive messages from `position` share this header (and so this layout).

    A message's length is fixed by its definition, so the byte one stride further is the
    next message's header; comparing every stride-th byte finds the run in numpy. Windows
    grow geometrically so a short run does not pay for scanning the whole file.
    """
    wanted = header & mask
    # Most runs in interleaved files are short: look at a few headers in Python first,
    # where a numpy call would cost more than it saves.
    count = 1
    while count < min(limit, _SHORT_RUN):
        if buffer.item(position + count * stride) & mask != wanted:
            return count
        count += 1
    window = 32
    while count < limit:
        take = min(window, limit - count)
        first = position + count * stride
        headers = buffer[first : first + take * stride : stride] & np.uint8(mask)
        breaks = np.flatnonzero(headers != wanted)
        if breaks.size:
            return count + int(breaks[0])
        count += take
        window *= 8
    return count


def _read_definition(
    data: bytes, position: int, end: int, known: dict[bytes, _Definition]
) -> tuple[_Definition, int]:
    """Parse a definition message; identical layouts share one `_Definition`.

    Some devices (Wahoo) re-send the same definition hundreds of times; sharing the
    object lets all of their messages be decoded in one numpy pass. The raw definition
    bytes are the sharing key, so a repeated definition costs a dictionary lookup.
    """
    header = data[position]
    if position + 6 > end:
        raise FitStructureError(f"definition message at byte {position} is cut short")
    cursor = position + 6 + 3 * data[position + 5]
    if header & _DEVELOPER_FLAG:
        # Developer fields are not decoded, but their bytes must be skipped exactly.
        if cursor + 1 > end:
            raise FitStructureError(f"definition message at byte {position} is cut short")
        cursor += 1 + 3 * data[cursor]
    if cursor > end:
        raise FitStructureError(f"definition message at byte {position} is cut short")
    layout = data[position + 2 : cursor] + (b"D" if header & _DEVELOPER_FLAG else b"")
    definition = known.get(layout)
    if definition is None:
        definition = known[layout] = _parse_layout(data, position, header)
    definition.positions.append(position)
    return definition, cursor


def _parse_layout(data: bytes, position: int, header: int) -> _Definition:
    architecture = data[position + 2]
    if architecture > 1:
        raise FitStructureError(f"definition at byte {position} has unknown byte order")
    big_endian = architecture == 1
    global_number = int.from_bytes(
        data[position + 3 : position + 5], "big" if big_endian else "little"
    )
    fields_end = position + 6 + 3 * data[position + 5]
    body_size = sum(data[position + 7 : fields_end : 3])
    if header & _DEVELOPER_FLAG:
        developer_end = fields_end + 1 + 3 * data[fields_end]
        body_size += sum(data[fields_end + 2 : developer_end : 3])
    return _Definition(global_number, big_endian, body_size, data[position + 6 : fields_end])


def _decode_segment(buffer: ByteArray, segment: _Segment) -> dict[str, MessageTable]:
    timestamps = _resolve_timestamps(buffer, segment) if segment.saw_compressed_timestamps else None
    tables: dict[str, MessageTable] = {}
    for spec in MESSAGES:
        parts = [
            (definition, offsets)
            for definition in segment.definitions
            if definition.global_number == spec.number
            and (offsets := definition.body_offsets()).size
        ]
        tables[spec.name] = _build_table(buffer, spec, parts, timestamps)
    if tables["record"].size:
        _expand_compressed_speed_distance(buffer, segment, tables)
    return tables


def _build_table(
    buffer: ByteArray,
    spec: MessageSpec,
    parts: list[tuple[_Definition, IntArray]],
    timestamps: tuple[IntArray, FloatArray] | None,
) -> MessageTable:
    if not parts:
        return MessageTable(spec)
    all_offsets = np.concatenate([offsets for _, offsets in parts])
    order = np.argsort(all_offsets, kind="stable")
    size = int(all_offsets.size)
    columns: dict[str, FloatArray] = {}
    text: dict[str, list[str | None]] = {}
    start = 0
    numbers = [field_spec.number for field_spec in spec.fields if not field_spec.is_string]
    for definition, offsets in parts:
        rows = _gather_rows(buffer, definition, offsets)
        numeric = _numeric_columns(rows, definition, numbers)
        stop = start + offsets.size
        for field_spec in spec.fields:
            if field_spec.is_string:
                found = definition.field(field_spec.number)
                if found is not None and found.size and found.base_type == _STRING_TYPE:
                    strings = text.setdefault(field_spec.name, [None] * size)
                    strings[start:stop] = _decode_strings(rows, found)
                continue
            values = numeric.get(field_spec.number)
            if values is None:
                continue
            if field_spec.scale != 1.0:
                values /= field_spec.scale
            if field_spec.offset:
                values -= field_spec.offset
            column = columns.setdefault(field_spec.name, np.full(size, np.nan))
            column[start:stop] = values
        if timestamps is not None and spec.fields[0].number == TIMESTAMP_FIELD:
            column = columns.setdefault("timestamp", np.full(size, np.nan))
            block = column[start:stop]
            compressed = buffer[offsets - 1] & _COMPRESSED_FLAG != 0
            if compressed.any():
                resolved = timestamps[1][np.searchsorted(timestamps[0], offsets[compressed])]
                # A timestamp field in the message wins over the header's offset.
                block[compressed] = np.where(
                    np.isnan(block[compressed]), resolved, block[compressed]
                )
        start = stop
    for name, column in columns.items():
        columns[name] = column[order]
    for name, strings in text.items():
        text[name] = [strings[index] for index in order.tolist()]
    return MessageTable(spec, size, columns, text)


def _gather_rows(buffer: ByteArray, definition: _Definition, offsets: IntArray) -> ByteArray:
    """Copy every message body of one definition into an (n, body_size) byte matrix."""
    width = definition.body_size
    if width == 0:
        return np.zeros((offsets.size, 0), dtype=np.uint8)
    rows: ByteArray = buffer[offsets[:, None] + np.arange(width, dtype=np.int64)]
    return rows


def _numeric_columns(
    rows: ByteArray, definition: _Definition, numbers: list[int]
) -> dict[int, FloatArray]:
    """The wanted numeric fields as float64 columns, FIT invalid values as NaN.

    One structured dtype describes every wanted field of the definition (offset, base
    type, byte order); viewing the (n, body_size) rows through it costs nothing, and
    each column is then a single strided conversion.
    """
    usable: list[tuple[_Field, _BaseType]] = []
    for number in numbers:
        found = definition.field(number)
        if found is None or found.size == 0 or found.base_type in (_STRING_TYPE, _BYTE_TYPE):
            continue
        base = _BASE_TYPES.get(found.base_type)
        if base is None:
            raise FitFastPathUnsupportedError(
                f"field {number} of message {definition.global_number} has the unknown "
                f"base type {found.base_type}"
            )
        if found.size != base.size:
            # Arrays, and sizes that do not fit the base type (a COROS firmware bug),
            # carry no single usable value; their bytes are skipped as fitdecode does.
            continue
        usable.append((found, base))
    if not usable:
        return {}
    order = ">" if definition.big_endian else "<"
    layout = np.dtype(
        {
            "names": [f"f{found.number}" for found, _ in usable],
            "formats": [order + base.code for _, base in usable],
            "offsets": [found.offset for found, _ in usable],
            "itemsize": definition.body_size,
        }
    )
    view = rows.view(layout).reshape(-1)
    columns: dict[int, FloatArray] = {}
    for found, base in usable:
        raw = view[f"f{found.number}"]
        values = raw.astype(np.float64)
        if base.invalid is not None:  # float NaN is already NaN
            values[raw == base.invalid] = np.nan
        columns[found.number] = values
    return columns


def _decode_strings(rows: ByteArray, found: _Field) -> list[str | None]:
    strings: list[str | None] = []
    for row in rows[:, found.offset : found.offset + found.size]:
        text = row.tobytes().split(b"\0", 1)[0].decode("utf-8", errors="replace").strip()
        strings.append(text or None)
    return strings


def _timestamp_sources(buffer: ByteArray, segment: _Segment) -> tuple[IntArray, FloatArray]:
    """Offsets and values of every message that carries a full timestamp field."""
    offsets: list[IntArray] = []
    values: list[FloatArray] = []
    for definition in segment.definitions:
        found = definition.field(TIMESTAMP_FIELD)
        if found is None:
            continue
        body_offsets = definition.body_offsets()
        if not body_offsets.size:
            continue
        rows = _gather_rows(buffer, definition, body_offsets)
        column = _numeric_columns(rows, definition, [TIMESTAMP_FIELD]).get(TIMESTAMP_FIELD)
        if column is None:
            continue
        offsets.append(body_offsets)
        values.append(column)
    if not offsets:
        return np.empty(0, dtype=np.int64), np.empty(0)
    return np.concatenate(offsets), np.concatenate(values)


def _compressed_offsets(buffer: ByteArray, segment: _Segment) -> IntArray:
    parts = [definition.body_offsets() for definition in segment.definitions]
    offsets: IntArray = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
    compressed: IntArray = offsets[buffer[offsets - 1] & _COMPRESSED_FLAG != 0]
    return compressed


def _resolve_timestamps(buffer: ByteArray, segment: _Segment) -> tuple[IntArray, FloatArray]:
    """Absolute timestamps of messages with compressed-timestamp headers.

    The header holds the low 5 bits of the time; the high bits come from the last full
    timestamp seen in file order, plus 32 s each time the 5-bit value wraps around.
    Returns (body offsets, timestamps), sorted by offset.
    """
    full_offsets, full_values = _timestamp_sources(buffer, segment)
    keep = np.isfinite(full_values)
    full_offsets, full_values = full_offsets[keep], full_values[keep]
    compressed = _compressed_offsets(buffer, segment)
    offsets = np.concatenate([full_offsets, compressed])
    values = np.concatenate(
        [full_values.astype(np.int64), (buffer[compressed - 1] & 0x1F).astype(np.int64)]
    )
    is_full = np.concatenate([np.ones(full_offsets.size, bool), np.zeros(compressed.size, bool)])
    order = np.argsort(offsets, kind="stable")
    offsets, values, is_full = offsets[order], values[order], is_full[order]
    resolved = _accumulate(values, is_full, bits=5)
    wanted = ~is_full
    return offsets[wanted], resolved[wanted].astype(np.float64)


def _accumulate(values: IntArray, restart: npt.NDArray[np.bool_], bits: int) -> IntArray:
    """Unroll a rolling `bits`-wide counter, the FIT way, without a Python loop.

    Where `restart` is True the value is a full reading that resets the accumulator; in
    between, each value holds only the low bits and the high part grows by 2**bits every
    time the low bits go down (wrap around).
    """
    span = 1 << bits
    low = values & (span - 1)
    previous_low = np.concatenate([[0], low[:-1]])
    wraps = (~restart) & (values < previous_low)
    wrap_count = np.cumsum(wraps)
    segment = np.cumsum(restart)  # 0 before the first full reading
    restart_index = np.flatnonzero(restart)
    base = np.concatenate([[0], values[restart_index] & ~(span - 1)])
    wraps_before = np.concatenate([[0], wrap_count[restart_index]])
    accumulated = base[segment] + span * (wrap_count - wraps_before[segment]) + values
    return np.where(restart, values, accumulated)


def _expand_compressed_speed_distance(
    buffer: ByteArray, segment: _Segment, tables: dict[str, MessageTable]
) -> None:
    """Turn the 3-byte compressed_speed_distance field into speed and distance columns.

    Bits 0-11 are speed in 1/100 m/s; bits 12-23 are distance in 1/16 m as a rolling
    12-bit counter, accumulated across record messages and restarted by every record
    definition that declares the field (as the protocol's accumulation rule says).
    """
    definitions = [
        definition
        for definition in segment.definitions
        if definition.global_number == RECORD
        and definition.field(COMPRESSED_SPEED_DISTANCE) is not None
    ]
    for definition in definitions:
        declared = definition.field(COMPRESSED_SPEED_DISTANCE)
        if declared is not None and declared.size != 3:
            raise FitFastPathUnsupportedError(
                f"compressed_speed_distance declared with {declared.size} bytes instead of 3"
            )
    if not definitions:
        return
    table = tables["record"]
    all_offsets = np.sort(
        np.concatenate([d.body_offsets() for d in segment.definitions if d.global_number == RECORD])
    )
    offsets_list: list[IntArray] = []
    packed_list: list[IntArray] = []
    for definition in definitions:
        found = definition.field(COMPRESSED_SPEED_DISTANCE)
        if found is None:
            continue
        body_offsets = definition.body_offsets()
        if not body_offsets.size:
            continue
        raw = buffer[body_offsets[:, None] + found.offset + np.arange(3)].astype(np.int64)
        packed = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        valid = packed != 0xFFFFFF
        offsets_list.append(body_offsets[valid])
        packed_list.append(packed[valid])
    if not offsets_list:
        return
    offsets = np.concatenate(offsets_list)
    packed = np.concatenate(packed_list)
    order = np.argsort(offsets, kind="stable")
    offsets, packed = offsets[order], packed[order]

    resets = np.array([p for d in definitions for p in d.positions], dtype=np.int64)
    resets.sort()
    # A reset is a pseudo-reading of 0 placed where the definition sits.
    merged_offsets = np.concatenate([resets, offsets])
    merged_values = np.concatenate([np.zeros(resets.size, np.int64), packed >> 12])
    is_reset = np.concatenate([np.ones(resets.size, bool), np.zeros(offsets.size, bool)])
    order = np.argsort(merged_offsets, kind="stable")
    accumulated = _accumulate(merged_values[order], is_reset[order], bits=12)
    distance = accumulated[~is_reset[order]] / 16.0
    speed = (packed & 0xFFF) / 100.0

    rows = np.searchsorted(all_offsets, offsets)
    for name, values in (("speed", speed), ("distance", distance)):
        column = table.columns.setdefault(name, np.full(table.size, np.nan))
        column[rows] = values


def _concatenate(segments: list[dict[str, MessageTable]]) -> dict[str, MessageTable]:
    merged: dict[str, MessageTable] = {}
    for spec in MESSAGES:
        parts = [segment[spec.name] for segment in segments if segment[spec.name].size]
        size = sum(part.size for part in parts)
        names = {name for part in parts for name in part.columns}
        columns = {name: np.concatenate([part.column(name) for part in parts]) for name in names}
        text_names = {name for part in parts for name in part.text}
        text = {name: [s for part in parts for s in part.strings(name)] for name in text_names}
        merged[spec.name] = MessageTable(MESSAGES_BY_NUMBER[spec.number], size, columns, text)
    return merged
