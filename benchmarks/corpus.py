"""Build a large benchmark corpus from the real files in tests/files.

Copying a file a thousand times would give the importer a thousand duplicates (same
content hash, same start time) and measure only duplicate detection. So every copy
is *time-shifted*: the same run, recorded a whole number of days later.

* **FIT**: each base file is walked once, in Python, to find the byte offset of every
  FIT ``date_time`` value: field 253 (``timestamp``) of every message, and the start
  and creation times the importer reads (``file_id.time_created``,
  ``session.start_time``, ``lap.start_time``, ``activity.local_timestamp``). A copy
  adds the shift to all of them at once with numpy and recomputes the file CRC. The
  shift is whole days, a multiple of 32 s, so compressed-timestamp headers (which
  hold only the low 5 bits of the time) stay consistent. Values below 0x10000000 are
  device counters, not dates, and are left alone, as is the "invalid" 0xFFFFFFFF.
* **GPX and TCX**: the date part of every ISO-8601 timestamp is moved by the same
  number of days (a regular expression over the bytes).

Every other byte is the original's, so each copy decodes exactly like its base file.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from backstride.ingest.fit_crc import crc16

FIT_TIMESTAMP = 253
# (global message number, field number) of the other date_time fields the importer reads.
DATE_TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}
RELATIVE_TIME_LIMIT = 0x10000000
INVALID_UINT32 = 0xFFFFFFFF
DAY_S = 86_400


@dataclass(frozen=True)
class FitLayout:
    """Where one FIT file keeps its date_time values, and which CRCs cover them."""

    positions: np.ndarray
    big_endian: np.ndarray
    segments: tuple[tuple[int, int], ...]
    """(start, end) of each chained FIT file; its CRC is stored at ``end``."""


def fit_layout(data: bytes) -> FitLayout:
    positions: list[int] = []
    big: list[bool] = []
    segments = []
    start = 0
    while len(data) - start >= 12 and data[start + 8 : start + 12] == b".FIT":
        header_size = data[start]
        body_end = start + header_size + int.from_bytes(data[start + 4 : start + 8], "little")
        definitions: dict[int, tuple[bool, int, list[int]]] = {}
        p = start + header_size
        while p < body_end:
            header = data[p]
            p += 1
            if header & 0x80:  # compressed timestamp: a data message of local type 0-3
                is_big, size, offsets = definitions[(header >> 5) & 0x03]
            elif header & 0x40:  # definition message
                is_big = data[p + 1] == 1
                number = int.from_bytes(data[p + 2 : p + 4], "big" if is_big else "little")
                count = data[p + 4]
                p += 5
                size, offsets = 0, []
                for _ in range(count):
                    field, field_size = data[p], data[p + 1]
                    if field_size == 4 and (
                        field == FIT_TIMESTAMP or (number, field) in DATE_TIME_FIELDS
                    ):
                        offsets.append(size)
                    size += field_size
                    p += 3
                if header & 0x20:  # developer fields: only their sizes matter here
                    developer_count = data[p]
                    p += 1
                    for _ in range(developer_count):
                        size += data[p + 1]
                        p += 3
                definitions[header & 0x0F] = (is_big, size, offsets)
                continue
            else:
                is_big, size, offsets = definitions[header & 0x0F]
            positions.extend(p + offset for offset in offsets)
            big.extend([is_big] * len(offsets))
            p += size
        segments.append((start, body_end))
        start = body_end + 2
    return FitLayout(
        np.array(positions, dtype=np.int64), np.array(big, dtype=bool), tuple(segments)
    )


_LITTLE = np.array([1, 1 << 8, 1 << 16, 1 << 24], dtype=np.uint64)
_BIG = _LITTLE[::-1].copy()


def shift_fit(data: bytes, layout: FitLayout, days: int) -> bytes:
    """The same FIT file, every date ``days`` later (earlier when negative), with valid CRCs."""
    buffer = np.frombuffer(data, dtype=np.uint8).copy()
    if layout.positions.size:
        index = layout.positions[:, None] + np.arange(4)
        raw = buffer[index].astype(np.uint64)
        weights = np.where(layout.big_endian[:, None], _BIG, _LITTLE)
        values = (raw * weights).sum(axis=1).astype(np.int64)
        dates = (values >= RELATIVE_TIME_LIMIT) & (values != INVALID_UINT32)
        values[dates] += days * DAY_S
        if np.any(values[dates] < RELATIVE_TIME_LIMIT) or np.any(values[dates] >= INVALID_UINT32):
            raise ValueError(f"a shift of {days} days takes the file's dates out of range")
        shifted = (values.astype(np.uint64)[:, None] // weights) % 256
        buffer[index] = shifted.astype(np.uint8)
    for start, end in layout.segments:
        crc = crc16(buffer.tobytes(), start, end)
        buffer[end : end + 2] = [crc & 0xFF, crc >> 8]
    return buffer.tobytes()


_ISO_DATE = re.compile(rb"(?<![0-9])(\d{4}-\d{2}-\d{2})(?=T\d{2}:\d{2})")


def shift_xml(data: bytes, days: int) -> bytes:
    """The same GPX or TCX file with every timestamp's date moved ``days`` later."""
    moved: dict[bytes, bytes] = {}

    def move(match: re.Match[bytes]) -> bytes:
        text = match.group(1)
        if text not in moved:
            day = date.fromisoformat(text.decode()) + timedelta(days=days)
            moved[text] = day.isoformat().encode()
        return moved[text]

    return _ISO_DATE.sub(move, data)


def plain_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def plain_name(path: Path) -> str:
    return path.name[:-3] if path.name.endswith(".gz") else path.name
